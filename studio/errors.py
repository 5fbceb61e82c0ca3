"""The one kind of error the app shows to a user: a translated line, never a traceback."""

from __future__ import annotations

from studio.strings import t


class StudioError(Exception):
    """Bad input or a refused model, shown as `t(key, **fields)` in the user's language.

    Pure modules raise it (or a subclass naming where it comes from); a tab turns it into gr.Error.
    """

    def __init__(self, key: str, **fields: object):
        super().__init__(key)
        self.key = key
        self.fields = fields

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang=lang, **self.fields)

    def __str__(self) -> str:
        return self.message("en")


def first_line(error: BaseException) -> str:
    """`TypeName: first line of the message`, short enough for a pop-up."""
    line = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {line[:200]}" if line else type(error).__name__
