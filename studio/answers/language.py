"""Which language a text is in (lingua, offline) and which languages a model reads.

A model's languages come from its checkpoint (metrics.json "languages", written by training), else its
model card's `language:` metadata, else KNOWN_MODEL_LANGUAGES for the Hub defaults; unknown is None.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from contract.checkpoint import CARD_FILE
from studio.i18n import t
from studio.serving.models import ModelChoice, is_local_ref

# Languages told apart; a small set keeps detection fast and short texts less ambiguous.
DETECTED = ("en", "es", "pt", "fr", "de", "it", "nl")
MIN_MODEL_LANGUAGE_SHARE = 0.3  # below this share of the detector's confidence, the text is "foreign"
MIN_WORDS = 2  # one word ("ok") is too short to say which language it is
BATCH_CHECKED = 100  # texts of a batch whose language is checked (the first ones): a bound on the time it takes
WORD = re.compile(r"[^\W\d_]{2,}")
LANGUAGE_KEYS = {"en": "lang.en", "es": "lang.es", "pt": "lang.pt", "fr": "lang.fr", "de": "lang.de",
                 "it": "lang.it", "nl": "lang.nl"}
KNOWN_MODEL_LANGUAGES = {
    "distilbert/distilbert-base-uncased-finetuned-sst-2-english": ["en"],
    "nlptown/bert-base-multilingual-uncased-sentiment": ["en", "nl", "de", "fr", "it", "es"],
}


@lru_cache(maxsize=1)
def detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in DETECTED]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def has_words(text: str) -> bool:
    return any(char.isalpha() for char in text)


def language_confidences(text: str) -> list[tuple[str, float]]:
    """(ISO 639-1 code, confidence) for each language of DETECTED, most likely first; [] without letters."""
    if not has_words(text):
        return []
    values = detector().compute_language_confidence_values(text)
    return [(value.language.iso_code_639_1.name.lower(), float(value.value)) for value in values]


def foreign_language(text: str, model_languages: list[str]) -> str | None:
    """The text's likely language when it is not one the model reads ('es' for an English model), else None.

    Judged on the share of the detector's confidence that falls on the model's languages, so a text
    that is Spanish-or-Portuguese is foreign to an English model even when the detector cannot choose.
    """
    found = language_confidences(text)
    if not found or not model_languages or len(WORD.findall(text)) < MIN_WORDS:
        return None
    share = sum(confidence for code, confidence in found if code in model_languages)
    return found[0][0] if share < MIN_MODEL_LANGUAGE_SHARE else None


def card_languages(folder: Path) -> list[str]:
    from huggingface_hub import ModelCard

    try:
        found = ModelCard.load(folder / CARD_FILE).data.language
    except Exception:  # no card, or a card without metadata: the languages are unknown
        return []
    return [found] if isinstance(found, str) else list(found or [])


def model_languages(choice: ModelChoice) -> list[str]:
    """The languages the model was trained on, [] when unknown."""
    recorded = choice.metrics.get("languages")
    if isinstance(recorded, list) and recorded:
        return [str(code) for code in recorded]
    if is_local_ref(choice.ref):
        return card_languages(Path(choice.ref))
    return KNOWN_MODEL_LANGUAGES.get(choice.ref, [])


def language_names(codes: list[str]) -> str:
    """'inglés, español' for ['en', 'es'] in the UI's language (a code it does not know, as is)."""
    return ", ".join(t(LANGUAGE_KEYS[code]) if code in LANGUAGE_KEYS else code for code in codes)


def language_notes(text: str, choice: ModelChoice) -> list[str]:
    """Caveats about a text: no words to read, or a language the model was not trained on."""
    if not has_words(text):
        return [t("sentiment.language.no_words")]
    languages = model_languages(choice)
    if foreign_language(text, languages):
        return [t("sentiment.language.foreign", languages=language_names(languages))]
    return []


def batch_language_notes(texts: list[str], choice: ModelChoice) -> list[str]:
    """A caveat when texts of a batch (the first BATCH_CHECKED) are in a language the model was not trained on."""
    languages = model_languages(choice)
    checked = texts[:BATCH_CHECKED]
    foreign = sum(1 for text in checked if foreign_language(text, languages)) if languages else 0
    if not foreign:
        return []
    return [t("sentiment.language.batch_foreign", count=foreign, checked=len(checked),
              languages=language_names(languages))]
