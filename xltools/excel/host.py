"""What every ribbon action stands on: the action registry, running an action with its
error box and status bar, the per-user files (~/.xltools), and the dialogs."""
from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from xltools.write.cells import looks_like_formula
from xltools.errors import XltoolsError
from xltools.texts import t
from xltools.work.userfiles import registry_path, user_dir, user_registry  # noqa: F401 (re-exported)


ACTIONS: dict[str, Callable] = {}
_CURRENT: dict[str, str | None] = {"cell": None}   # the cell being written, for the error box



def action(f: Callable) -> Callable:
    """Register a ribbon action (commands.py gives each one a button)."""
    ACTIONS[f.__name__] = f
    return f


class ActionError(XltoolsError):
    """Why an action cannot go on, with a text from EXCEL_TEXTS.  `cell` (A1), when
    given, is shown in the message box."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        Exception.__init__(self, t(key, "zh", **params))

    def message(self, lang: str = "zh") -> str:
        return t(self.key, lang, **self.params)


# ====================================================================== user files

# user_dir, registry_path, user_registry: work/userfiles.py (the local page uses them too)


def _settings() -> dict:
    try:
        return json.loads((user_dir() / "excel.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_settings(**changes) -> None:
    settings = {**_settings(), **changes}
    path = user_dir() / "excel.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, ensure_ascii=False, indent=2), encoding="utf-8")


def _log_error(text: str) -> None:
    """Append to ~/.xltools/excel.log: support reads tracebacks there, clerks never see them."""
    try:
        user_dir().mkdir(parents=True, exist_ok=True)
        with open(user_dir() / "excel.log", "a", encoding="utf-8") as f:
            f.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} {text}\n")
    except OSError:
        pass


# ====================================================================== running an action

def perform(book, fn: Callable, lang: str = "zh", **options) -> Any:
    """Run one action; every error becomes a Chinese message box, never a traceback."""
    # Taken now: an action may close the workbook (收集进展) before something goes wrong.
    where = {"app": _app(book), "book": _book_name(book), "sheet": _active_sheet_name(book)}
    _CURRENT["cell"] = None
    try:
        with _busy(book):
            return fn(book, lang=lang, **options)
    except XltoolsError as exc:
        show_error(book, exc, lang, app=where["app"], book_name=where["book"], sheet=where["sheet"])
    except PermissionError as exc:
        show_error(book, ActionError("file-in-use", file=exc.filename or "", reason=exc.strerror or ""), lang,
                   app=where["app"], book_name=where["book"], sheet=where["sheet"])
    except Exception as exc:  # a bug of ours: logged with its traceback, shown in one line
        cell = _CURRENT["cell"]
        _log_error(f"{getattr(fn, '__name__', fn)} failed on {where['book']} {cell or ''}\n{traceback.format_exc()}")
        show_error(book, ActionError("xl-internal-error", error=f"{type(exc).__name__}: {exc}", cell=cell,
                                     log=str(user_dir() / "excel.log")), lang, app=where["app"],
                   book_name=where["book"], sheet=where["sheet"])
    return None


def show_error(book, exc: XltoolsError, lang: str = "zh", *, app=None, book_name: str | None = None,
               sheet: str | None = None) -> None:
    params = getattr(exc, "params", {}) or {}
    sheet = params.get("sheet") or sheet or _active_sheet_name(book)
    where = "error-where-cell" if params.get("cell") else "error-where"
    text = t(where, lang, book=book_name or _book_name(book), sheet=sheet, cell=params.get("cell"),
             message=exc.message(lang))
    _alert(book, text, t("title-error", lang), mode="critical", app=app)


def _app(book):
    try:
        return book.app
    except Exception:
        return None


def _alert(book, text: str, title: str, mode: str = "info", app=None) -> None:
    try:
        (app or book.app).alert(text, title=title, mode=mode)
    except Exception:  # no UI (tests, a closed Excel): the message still goes somewhere
        print(f"{title}: {text}", file=sys.stderr)


def _book_name(book) -> str:
    try:
        return book.fullname or book.name
    except Exception:
        return "?"


def _active_sheet_name(book) -> str:
    try:
        return book.sheets.active.name
    except Exception:
        return "?"


def _status(book, text: str | bool) -> None:
    """Progress in Excel's status bar (False gives the bar back to Excel).  Engines
    without a status bar (the remote engine) are skipped."""
    try:
        book.app.status_bar = text
    except Exception:
        pass


@contextmanager
def _busy(book) -> Iterator[None]:
    try:
        book.app.screen_updating = False
    except Exception:
        pass
    try:
        yield
    finally:
        _status(book, False)
        try:
            book.app.screen_updating = True
        except Exception:
            pass


def _optional(module: str, label_key: str, lang: str):
    """A library module that other issues are still writing: missing → a message box."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            raise ActionError("not-installed", label=t(label_key, lang), module=module) from None
        raise


# ====================================================================== reading a sheet

# ====================================================================== writing helpers

def _text(value: Any) -> Any:
    """A value from a district file, written so that Excel keeps it as text: a leading
    = + - @ would make Excel (and WPS) parse it as a formula."""
    return "'" + value if looks_like_formula(value) else value


def _q(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + str(text).replace('"', '""') + '"'


def _link_formula(sheet_name: str, cell: str | None, shown: str) -> str:
    target = "#'" + sheet_name.replace("'", "''") + "'!" + (cell or "A1")
    return f"=HYPERLINK({_q(target)},{_q(shown)})"


def _cells_of(ref: str) -> str:
    return ref.replace("$", "")

def _sheet_named(book, name: str):
    """The sheet with this name (Excel compares sheet names ignoring case), or None."""
    return next((s for s in book.sheets if s.name.casefold() == name.casefold()), None)

def pick_folder(book, title: str, initial: str | None = None) -> str | None:
    """A folder picker: Excel's own dialog on Windows, the system one on macOS."""
    if sys.platform.startswith("win"):
        dialog = book.app.api.FileDialog(4)          # msoFileDialogFolderPicker
        dialog.Title = title
        dialog.AllowMultiSelect = False
        if initial:
            dialog.InitialFileName = str(initial).rstrip("\\") + "\\"
        return dialog.SelectedItems(1) if dialog.Show() == -1 else None
    if sys.platform == "darwin":
        script = f"POSIX path of (choose folder with prompt {_applescript(title)}"
        if initial and Path(initial).is_dir():
            script += f" default location (POSIX file {_applescript(str(initial))})"
        done = subprocess.run(["osascript", "-e", script + ")"], capture_output=True, text=True)
        return done.stdout.strip() or None
    raise ActionError("not-installed", label=title, module="folder picker")


def _applescript(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ask(book, prompt: str, default: str, title: str) -> str | None:
    """A one-line question: Excel's InputBox on Windows, a dialog on macOS; elsewhere
    (no desktop Excel) the default is taken."""
    if sys.platform.startswith("win"):
        answer = book.app.api.InputBox(prompt, title, default, Type=2)
        return None if answer is False else str(answer).strip()
    if sys.platform == "darwin":
        script = (f"text returned of (display dialog {_applescript(prompt)} default answer {_applescript(default)} "
                  f"with title {_applescript(title)})")
        done = subprocess.run(["osascript", "-e", script], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None
    return default


def confirm(book, question: str, title: str) -> bool:
    """A yes/no question in Excel's message box; True only for an explicit yes (a client
    that cannot ask, like the remote engine, answers no: nothing is harmed)."""
    try:
        return str(book.app.alert(question, title=title, buttons="yes_no", mode="critical")).lower() == "yes"
    except Exception:
        return False


def open_workbook(book, path: Path, lang: str = "zh", app=None) -> None:
    """Open a written workbook in the same Excel; a client that cannot open files (the
    remote engine) gets a message with the path instead."""
    try:
        (app or book.app).books.open(str(path))
    except (NotImplementedError, TypeError, AttributeError):
        _alert(book, t("opened-elsewhere", lang, file=path), t("title", lang), app=app)


def _saved_path(book, label_key: str, lang: str) -> Path:
    path = Path(book.fullname or "")
    if not path.is_absolute() or not path.exists():
        raise ActionError("book-unsaved", label=t(label_key, lang))
    return path

def _unique(path: Path) -> Path:
    n, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        n += 1
    return candidate

def _saved_master(book, label_key: str, lang: str) -> Path:
    """The open workbook's file, with the clerk's edits saved into it first: the library
    reads the file, not the screen."""
    path = _saved_path(book, label_key, lang)
    book.save()
    return path


def _close(book) -> bool:
    try:
        book.close()
        return True
    except Exception:
        return False
