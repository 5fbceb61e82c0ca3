"""The user's language: `t("key", **fields)` and `percent(value)`.

The strings live with their feature (`studio/<package>/strings.py`, the page's own in studio/strings.py);
this module merges them. STUDIO_LANG chooses Spanish (`es`, the course's language, the default) or
English (`en`); a key missing in one language falls back to English, then to the key itself.
"""

from __future__ import annotations

from studio import config, visitors
from studio import strings as page
from studio.answers import strings as answers
from studio.beans import strings as beans
from studio.feedback import strings as feedback
from studio.playground import strings as playground
from studio.sentiment import strings as sentiment
from studio.serving import strings as serving
from studio.train import strings as train

LANGUAGES = ("es", "en")


def merged(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """One table per language from the features' tables; a key defined twice is a bug, caught at import."""
    found: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for table in tables:
        for lang in LANGUAGES:
            twice = found[lang].keys() & table[lang].keys()
            if twice:
                raise ValueError(f"strings defined twice: {sorted(twice)}")
            found[lang].update(table[lang])
    return found


STRINGS = merged(page.STRINGS, serving.STRINGS, answers.STRINGS, beans.STRINGS, sentiment.STRINGS,
                 playground.STRINGS, train.STRINGS, feedback.STRINGS, visitors.STRINGS)


def percent(value: float, digits: int = 1) -> str:
    """0.8734 -> '87,3 %' (es) / '87.3%' (en): numbers as the UI's language writes them."""
    text = f"{value * 100:.{digits}f}"
    return f"{text.replace('.', ',')} %" if config.language() == "es" else f"{text}%"


def t(key: str, lang: str | None = None, **fields: object) -> str:
    table = STRINGS[lang or config.language()]
    text = table.get(key) or STRINGS["en"].get(key) or key
    return text.format(**fields) if fields else text
