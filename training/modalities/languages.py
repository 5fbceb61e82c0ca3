"""Which languages a text data set is written in, detected on its training texts (lingua, offline).

Recorded in metrics.json `languages` when neither `--languages` nor a known data set says so, so the
app's sentiment tab can warn that a text is in a language the model never read.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from contract.languages import DETECTED_LANGUAGES

SAMPLE = 400  # texts looked at: enough for a share of 5 %, about a second of lingua
MIN_WORDS = 3  # shorter texts ("a", "the film") say little about their language
MIN_CONFIDENCE = 0.5  # a text whose best language is less likely than this is not counted
MIN_SHARE = 0.15  # a language this rare among the counted texts is noise, not a language of the data
WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in DETECTED_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def text_of(example: str | tuple[str, str]) -> str:
    return example if isinstance(example, str) else " ".join(example)


def detected_languages(examples: Sequence[str | tuple[str, str]], seed: int = 0) -> list[str]:
    """ISO 639-1 codes of the texts' languages, most frequent first; [] when too few texts can be told."""
    texts = [text_of(example) for example in examples]
    texts = [text for text in texts if len(WORD.findall(text)) >= MIN_WORDS]
    sample = random.Random(seed).sample(texts, min(SAMPLE, len(texts)))
    counts: Counter[str] = Counter()
    for values in map(detector().compute_language_confidence_values, sample):
        if values and values[0].value >= MIN_CONFIDENCE:
            counts[values[0].language.iso_code_639_1.name.lower()] += 1
    counted = sum(counts.values())
    if counted < min(20, len(sample)) or not counted:
        return []
    return [code for code, count in counts.most_common() if count / counted >= MIN_SHARE]
