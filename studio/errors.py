"""The one kind of error the app shows to a user: a translated line, never a traceback."""

from __future__ import annotations

from contract.errors import KeyedError
from studio.i18n import t


def message_of(error: KeyedError, lang: str | None = None) -> str:
    """A KeyedError (from the app or from `contract`, e.g. an unreadable image) in the user's language."""
    return t(error.key, lang=lang, **error.fields)


class StudioError(KeyedError):
    """Bad input or a refused model, shown as `t(key, **fields)` in the user's language.

    Pure modules raise it (or a subclass naming where it comes from); a tab turns it into gr.Error.
    """

    def message(self, lang: str | None = None) -> str:
        return message_of(self, lang)

    def __str__(self) -> str:
        return self.message("en")


class RequestError(StudioError):
    """A request no tab can answer as asked: a bad input, a model refused or unloadable. One line, any tab."""


class Waiting(StudioError):
    """Not a fault: what the request needs is on its way (the tab's first model is training). The browser
    shows it as a notice, with the outputs left as they were (studio.ui.shows_errors), never as a red error."""
