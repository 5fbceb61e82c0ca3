"""Errors that carry a UI string key (translated by studio.strings), and one-line exception summaries."""

from __future__ import annotations

import os
import re

# What a Hugging Face token looks like in any text: `hf_…`, or whatever follows "Bearer" (a server that
# echoes the request's Authorization header into its error message).
TOKEN_TEXT = re.compile(r"hf_[A-Za-z0-9]{8,}|\b[Bb]earer\s+\S+")
REDACTED = "***"


class KeyedError(ValueError):
    """A refusal described by a `studio.strings` key and the fields that fill its placeholders.

    The app shows it translated (studio.errors); elsewhere `str()` gives the key and fields.
    """

    def __init__(self, key: str, **fields: object):
        super().__init__(key)
        self.key = key
        self.fields = fields

    def __str__(self) -> str:
        details = ", ".join(f"{name}={value}" for name, value in self.fields.items())
        return f"{self.key} ({details})" if details else self.key


def redact_tokens(text: str, *secrets: str | None) -> str:
    """`text` without Hub tokens: the `secrets` given, $HF_TOKEN, and anything shaped like a token."""
    for secret in (*secrets, os.environ.get("HF_TOKEN")):
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return TOKEN_TEXT.sub(REDACTED, text)


def first_line(error: BaseException) -> str:
    """The first non-empty line of an exception's message (its type name when it has none), tokens redacted."""
    line = next((line.strip() for line in str(error).splitlines() if line.strip()), type(error).__name__)
    return redact_tokens(line)


def error_summary(error: BaseException, max_chars: int = 200) -> str:
    """`TypeName: first line`, short enough for a pop-up or a log line."""
    line = first_line(error)
    name = type(error).__name__
    return name if line == name else f"{name}: {line[:max_chars]}"
