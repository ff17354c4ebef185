"""Exceptions for when the work cannot go on.  Everything else is a Finding."""
from __future__ import annotations

from xltools.texts import t


class Words:
    """A parameter of a message that is itself words (a reason): a text key and its
    parameters, rendered in the language of the message, never English in a Chinese line."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params

    def render(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.render("zh")


class MessageOf:
    """A parameter of a message that is another's whole message (an error's, a
    finding's: anything with .message(lang)), rendered in the language of the message
    it is part of."""

    def __init__(self, said):
        self.said = said

    def render(self, lang: str) -> str:
        return self.said.message(lang)

    def __str__(self) -> str:
        return self.render("zh")


class XltoolsError(Exception):
    """An error a clerk can act on: a message key plus its parameters, rendered in
    the user's language by the interface (CLI, Excel message box)."""

    exit_code = 2

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **{k: _shown(v, lang) for k, v in self.params.items()})

    def __reduce__(self):
        """Pickled as what it is (a reading process sends its file's error back): the
        class, its message and its attributes, not the arguments of __init__."""
        return _rebuilt, (self.__class__, self.args), self.__dict__


def _rebuilt(cls: type, args: tuple) -> Exception:
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    return error


def _shown(value, lang: str):
    """A parameter as the message shows it: words in the message's language, a list of
    names joined as the language joins them."""
    if isinstance(value, Words):
        return value.render(lang)
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(str(_shown(v, lang)) for v in value)
    return value


class Terminated(BaseException):
    """SIGTERM (a service stop, `kill`): raised in the main thread so that every finally
    block runs (lock released, temp file removed) before the program ends."""


class UnreadableFile(XltoolsError):
    """A file that could not be read at all (corrupt, encrypted, not a spreadsheet…)."""


class NoTaskTable(XltoolsError):
    """A readable file that holds no task table."""
