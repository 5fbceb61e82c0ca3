"""All UI strings, Spanish and English, in one table.

`t("key", **fields)` returns the string in the language chosen by STUDIO_LANG (default Spanish,
the course's language). Each tab owns a section of keys prefixed with its name. Both languages
must have the same keys (a test checks it).
"""

from __future__ import annotations

from studio import config

STRINGS: dict[str, dict[str, str]] = {
    "es": {
        # app
        "app.title": "Transfer Learning Studio",
        "app.intro": (
            "Aprende transfer learning con Hugging Face: prueba cualquier modelo sin código, "
            "clasifica hojas de frijol y predice el sentimiento de un texto."
        ),
        "model.none": "No hay ningún modelo disponible.",
        "model.answered": "Respondió **{name}** ({source})",
        "model.source.env": "elegido por variable de entorno",
        "model.source.local": "checkpoint local",
        "model.source.hub": "modelo público del Hub",
        "model.accuracy": "exactitud en {split}: {accuracy}",
        # beans tab
        # sentiment tab
        # playground tab
    },
    "en": {
        # app
        "app.title": "Transfer Learning Studio",
        "app.intro": (
            "Learn transfer learning with Hugging Face: try any model with no code, "
            "classify bean leaves and predict the sentiment of a text."
        ),
        "model.none": "No model is available.",
        "model.answered": "Answered by **{name}** ({source})",
        "model.source.env": "chosen by environment variable",
        "model.source.local": "local checkpoint",
        "model.source.hub": "public Hub model",
        "model.accuracy": "{split} accuracy: {accuracy}",
        # beans tab
        # sentiment tab
        # playground tab
    },
}


def t(key: str, lang: str | None = None, **fields: object) -> str:
    table = STRINGS[lang or config.language()]
    text = table.get(key) or STRINGS["en"].get(key) or key
    return text.format(**fields) if fields else text
