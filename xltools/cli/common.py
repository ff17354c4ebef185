"""Options and error handling shared by every command, defined once."""
from __future__ import annotations

import functools
import os
import signal
import sys
import threading

import click

from xltools.errors import Terminated, XltoolsError
from xltools.texts import t
from xltools.read.registry import load_registry
from xltools.rules.deadlines import parse_day
from xltools.rules.units import UnitRegistry

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143    # 128 + SIGINT / SIGTERM, as shells report them


def lang_default() -> str:
    return os.environ.get("XLTOOLS_LANG", "zh")


def lang_option(f):
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=lang_default, show_default="zh",
                        help="输出语言 / output language")(f)


def year_option(f):
    return click.option("--year", type=int, default=None,
                        help="计划年度（优先于标题中的年份） / plan year, overrides the title")(f)


def registry_option(f):
    return click.option("--registry", type=click.Path(dir_okay=False), default=None,
                        help="单位名录（.xlsx 或 .csv），默认使用内置名录 / unit registry")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / print JSON")(f)


def registry_from(path: str | None) -> UnitRegistry:
    """The --registry file, or the built-in registry."""
    return load_registry(path) if path else UnitRegistry.default()


def parse_date(ctx, param, value):
    """Click callback: 2024-12-20, 2024/12/20, 2024年12月20日."""
    if value is None:
        return None
    day = parse_day(value)
    if day is None:
        raise click.BadParameter(t("cli-bad-date", ctx.params.get("lang") or lang_default()))
    return day


def fail(lang: str, message: str, code: int = EXIT_FAILED):
    click.echo(t("cli-error", lang, message=message), err=True)
    sys.exit(code)


def handle_errors(f):
    """Known errors → one Chinese line and their exit code; anything else → one line,
    never a traceback."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang") or lang_default()
        previous = _catch_sigterm()
        try:
            return f(*args, **kwargs)
        except KeyboardInterrupt:  # Ctrl-C: click would say "Aborted!" and exit 1, the code of "problems found"
            fail(lang, t("interrupted", lang), EXIT_INTERRUPTED)
        except Terminated:
            fail(lang, t("terminated", lang), EXIT_TERMINATED)
        except XltoolsError as exc:
            fail(lang, exc.message(lang), exc.exit_code)
        except BrokenPipeError:  # output piped into `head` and closed early: not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)  # what the shell reports for a program stopped by SIGPIPE
        except PermissionError as exc:
            locked = getattr(exc, "winerror", None) in (32, 33)  # Windows: the file is open in Excel
            fail(lang, t("file-locked" if locked else "file-no-permission", lang, file=exc.filename or ""))
        except OSError as exc:  # a network share gone, a disk full…
            fail(lang, t("file-io", lang, file=exc.filename or "", reason=exc.strerror or str(exc)))
        except Exception as exc:  # a bug of ours
            fail(lang, t("internal-error", lang, error=f"{type(exc).__name__}: {exc}"), EXIT_BUG)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    return wrapper


def _catch_sigterm():
    """Turn SIGTERM into `Terminated` while a command runs (main thread only); the
    handler it replaced, or None."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        raise Terminated()

    return signal.signal(signal.SIGTERM, stop)
