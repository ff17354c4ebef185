"""Exceptions for when the work cannot go on.  Everything else is a Finding."""
from __future__ import annotations

from xltools.texts import t


class XltoolsError(Exception):
    """An error a clerk can act on: a message key plus its parameters, rendered in
    the user's language by the interface (CLI, Excel message box)."""

    exit_code = 2

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(t(key, "zh", **params))

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)


class Terminated(BaseException):
    """SIGTERM (a service stop, `kill`): raised in the main thread so that every finally
    block runs (lock released, temp file removed) before the program ends."""


class UnreadableFile(XltoolsError):
    """A file that could not be read at all (corrupt, encrypted, not a spreadsheet…)."""


class NoTaskTable(XltoolsError):
    """A readable file that holds no task table."""
