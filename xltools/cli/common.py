"""Options and error handling shared by every command, defined once."""
from __future__ import annotations

import contextvars
import functools
import os
import re
import signal
import sys
import threading
from pathlib import Path

import click

from xltools.errors import Terminated, XltoolsError
from xltools.texts import DOC_LANG, t
from xltools.read.columns import ColumnsError, parse_columns
from xltools.read.registry import load_registry
from xltools.rules.deadlines import parse_day
from xltools.rules.units import UnitRegistry

EXIT_OK, EXIT_PROBLEMS, EXIT_FAILED, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143    # 128 + SIGINT / SIGTERM, as shells report them


# The language of help screens and usage errors: read from the command line before click
# parses it (--help and a parse error come before --lang has a value).
_ARGV_LANG: contextvars.ContextVar[str | None] = contextvars.ContextVar("xltools_argv_lang", default=None)


def lang_default() -> str:
    """--lang given to an enclosing group (`xltools --lang en merge …`), else XLTOOLS_LANG, else zh."""
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.params.get("lang") in ("zh", "en"):
            return ctx.params["lang"]
        ctx = ctx.parent
    env = os.environ.get("XLTOOLS_LANG", "zh")
    return env if env in ("zh", "en") else "zh"


def lang_option(f):
    return click.option("--lang", type=click.Choice(["zh", "en"]), default=lang_default,
                        help="输出语言，默认 zh（也可设置环境变量 XLTOOLS_LANG） / output language, zh unless "
                             "XLTOOLS_LANG says otherwise")(f)


def doc_lang_option(f):
    return click.option("--doc-lang", type=click.Choice(["zh", "en"]), default=DOC_LANG,
                        help="文件的语言（发给各单位，默认 zh，与 --lang 无关） / language of the documents sent "
                             "to the units (zh unless given; --lang does not change it)")(f)


def _lang_in(args) -> str | None:
    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in ("zh", "en"):
            return args[i + 1]
        if arg in ("--lang=zh", "--lang=en"):
            return arg.partition("=")[2]
    return None


def screen_lang(ctx: click.Context | None = None) -> str:
    """The language of a help screen or usage error."""
    return _ARGV_LANG.get() or (ctx.params.get("lang") if ctx is not None else None) or lang_default()


def _bilingual(text: str, lang: str) -> str:
    """Option help is written "中文 / English": the half of the language shown."""
    zh, sep, en = text.rpartition(" / ")
    if not sep:
        return text
    return en if lang == "en" else zh


_CLICK_HELP = {"Show this message and exit.": "click-help-option", "Show the version and exit.": "click-version-option"}
_EXTRA = re.compile(r"^(.*?)(\s*\[[^\]]*\])?$", re.S)


def _option_help(text: str, lang: str) -> str:
    main, extra = _EXTRA.match(text).groups()
    main = t(_CLICK_HELP[main], lang) if main in _CLICK_HELP else _bilingual(main, lang)
    if extra:
        extra = extra.replace("default: ", t("click-default", lang)).replace("required", t("click-required", lang))
    return main + (extra or "")


class _Localised:
    """Help screens and usage errors in the user's language, for every command and group."""

    def text_key(self, ctx: click.Context) -> str:
        """help-merge, help-units-export … (the command path without the xltools group)."""
        path = []
        while ctx is not None:
            if ctx.parent is not None or ctx.command.name != "xltools":
                path.insert(0, ctx.command.name)
            ctx = ctx.parent
        return "help-" + "-".join(path or ["xltools"])

    def _help(self, ctx: click.Context) -> str:
        from xltools.texts import TEXTS
        key = self.text_key(ctx)
        return t(key, screen_lang(ctx)) if key in TEXTS else (self.help or "")

    def format_help_text(self, ctx, formatter):
        text = self._help(ctx)
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def collect_usage_pieces(self, ctx):
        lang = screen_lang(ctx)
        pieces = super().collect_usage_pieces(ctx)
        swap = {"[OPTIONS]": t("click-options-metavar", lang), "COMMAND [ARGS]...": t("click-command-metavar", lang)}
        return [swap.get(p, p) for p in pieces]

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=t("click-usage", screen_lang(ctx)))

    def format_options(self, ctx, formatter):
        lang = screen_lang(ctx)
        records = [r for r in (p.get_help_record(ctx) for p in self.get_params(ctx)) if r is not None]
        if records:
            with formatter.section(t("click-options", lang)):
                formatter.write_dl([(opts, _option_help(text, lang)) for opts, text in records])
        if isinstance(self, click.Group):
            self._format_commands(ctx, formatter, lang)

    def _format_commands(self, ctx, formatter, lang):
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            sub = click.Context(cmd, info_name=name, parent=ctx)
            text = cmd._help(sub) if isinstance(cmd, _Localised) else (cmd.help or "")
            rows.append((name, text.split("\n")[0].split("。")[0].split(". ")[0].rstrip(".")))
        if rows:
            with formatter.section(t("click-commands", lang)):
                formatter.write_dl(rows)

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # click's parser raises some without saying which command
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        args = list(sys.argv[1:] if args is None else args)
        token = _ARGV_LANG.set(_lang_in(args))
        try:
            if not standalone_mode:
                return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            try:
                rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            except click.exceptions.NoArgsIsHelpError as exc:  # `xltools units`: the group's help
                click.echo(exc.ctx.get_help(), err=True)
                sys.exit(exc.exit_code)
            except click.UsageError as exc:
                click.echo(usage_error_line(exc, screen_lang(exc.ctx)), err=True)
                sys.exit(exc.exit_code)
            except click.ClickException as exc:
                exc.show()
                sys.exit(exc.exit_code)
            except click.exceptions.Abort:  # Ctrl-C outside a command (at a prompt, while parsing)
                click.echo(t("interrupted", screen_lang()), err=True)
                sys.exit(EXIT_INTERRUPTED)
            sys.exit(rv if isinstance(rv, int) else 0)
        finally:
            _ARGV_LANG.reset(token)


class Command(_Localised, click.Command):
    pass


class Group(_Localised, click.Group):
    command_class = Command

    def format_commands(self, ctx, formatter):  # done by format_options, in the user's language
        pass


Group.group_class = Group


def command(name: str, **attrs):
    return click.command(name, cls=Command, **attrs)


def group(name: str | None = None, **attrs):
    return click.group(name, **{"cls": Group, **attrs})


# click's English wording of its parameter errors → our text keys (the file, value … kept)
_REASONS = (
    (re.compile(r"^(?:File|Directory|Path) '(?P<file>.*)' does not exist\.$", re.S), "click-not-found"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<file>.*)' is a directory\.$", re.S), "click-is-folder"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<file>.*)' is a file\.$", re.S), "click-is-file"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<file>.*)' is not readable\.$", re.S), "click-not-readable"),
    (re.compile(r"^(?:File|Directory|Path) '(?P<file>.*)' is not writable\.$", re.S), "click-not-writable"),
    (re.compile(r"^'(?P<value>.*)' is not (?:one of )?(?P<choices>'.*')\.$", re.S), "click-not-choice"),
    (re.compile(r"^'(?P<value>.*)' is not a valid integer(?: range)?\.$", re.S), "click-not-number"),
    (re.compile(r"^(?P<value>.*) is not in the range (?P<range>.*)\.$", re.S), "click-not-in-range"),
)
_OPTION_USAGE = ((re.compile(r"^Option '(?P<name>.*)' requires "), "click-needs-value"),
                 (re.compile(r"^Option '(?P<name>.*)' does not take a value"), "click-takes-no-value"))
_EXTRA_ARGS = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.S)


def _reason(message: str, lang: str) -> str:
    for pattern, key in _REASONS:
        m = pattern.match(message)
        if m:
            found = m.groupdict()
            if "choices" in found:
                found["choices"] = ("、" if lang == "zh" else ", ").join(re.findall(r"'([^']*)'", found["choices"]))
            return t(key, lang, **found)
    return message.rstrip("。.")  # our own callbacks' messages are already in the user's language


def _param_name(param, ctx) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return "/".join(param.opts)


def _usage_message(exc: click.UsageError, lang: str) -> str:
    if isinstance(exc, click.NoSuchOption):
        key, name = "click-no-such-option", exc.option_name
    elif isinstance(exc, click.exceptions.NoSuchCommand):
        key, name = "click-no-such-command", exc.command_name
    elif isinstance(exc, click.MissingParameter):
        kind = "argument" if isinstance(exc.param, click.Argument) else "option"
        return t("click-missing-" + kind, lang, name=_param_name(exc.param, exc.ctx))
    elif isinstance(exc, click.BadParameter):
        name = _param_name(exc.param, exc.ctx)
        return t("click-bad-value" if name else "click-bad-value-plain", lang, name=name,
                 reason=_reason(exc.message, lang))
    else:
        for pattern, k in _OPTION_USAGE:
            m = pattern.match(exc.message)
            if m:
                return t(k, lang, name=m["name"])
        m = _EXTRA_ARGS.match(exc.message)
        if m:
            return t("click-extra-arguments", lang, args=m["args"])
        if exc.message == "Missing command.":
            return t("click-missing-command", lang)
        return exc.message
    message = t(key, lang, name=name)
    if exc.possibilities:
        message += t("click-did-you-mean", lang, names="、".join(exc.possibilities) if lang == "zh"
                     else ", ".join(exc.possibilities))
    return message


def usage_error_line(exc: click.UsageError, lang: str) -> str:
    """A click usage error as one line in the user's language (click's own is three, in English)."""
    command = exc.ctx.command_path if exc.ctx is not None else "xltools"
    return t("click-error-line", lang, message=_usage_message(exc, lang), command=command)


def year_option(f):
    return click.option("--year", type=int, default=None,
                        help="计划年度（优先于标题中的年份） / plan year, overrides the title")(f)


def registry_option(f):
    return click.option("--registry", type=click.Path(dir_okay=False), default=None,
                        help="单位名录（.xlsx 或 .csv），默认使用内置名录 / unit registry")(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="以 JSON 输出 / print JSON")(f)


def _parse_columns(ctx, param, value):
    if value is None:
        return None
    try:
        return parse_columns(value)
    except ColumnsError as exc:
        raise click.BadParameter(exc.message(screen_lang(ctx)))


def columns_option(f):
    """--columns: a clerk's column map, over the reader's own (inspect, validate, merge)."""
    return click.option("--columns", "columns", default=None, metavar="表头=字段,…", callback=_parse_columns,
                        help="指定哪一列读作哪个字段，如 \"具体措施=具体要求,D=牵头单位,备注=不读\"（左边是表头原文或列号）"
                             " / which column is read as which field, e.g. \"具体措施=具体要求,D=牵头单位\"")(f)


def save_columns_option(f):
    return click.option("--save-columns", is_flag=True,
                        help="把 --columns 保存到文件旁的 列对应.json，以后读取该文件夹中的文件都按它读 / save --columns "
                             "beside the file (列对应.json) for every later read of the folder")(f)


def registry_from(path: str | None) -> UnitRegistry:
    """The --registry file, else the clerk's own 单位名录 (~/.xltools, as the page and the
    Excel buttons use it), else the built-in registry."""
    from xltools.work.userfiles import user_registry

    return load_registry(path) if path else user_registry()


def parse_date(ctx, param, value):
    """Click callback: 2024-12-20, 2024/12/20, 2024年12月20日."""
    if value is None:
        return None
    day = parse_day(value)
    if day is None:
        raise click.BadParameter(t("cli-bad-date", screen_lang(ctx)))
    return day


def echo_finding(f, where: str, lang: str) -> None:
    """A finding as every command prints it: [severity] where  message, then what to do."""
    click.echo(f"[{t('severity-' + f.severity, lang)}] {where}  {f.message(lang)}")
    click.echo("        " + t("note-suggestion", lang, suggestion=f.suggestion(lang)))


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
        except click.UsageError:   # a command's own check of its options (new-plan without --district or --from)
            raise
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


class Progress:
    """A progress bar on a terminal, one plain line per file otherwise (logs, pipes)."""

    def __init__(self, lang: str, quiet: bool):
        self.lang, self.quiet, self.bar = lang, quiet, None
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, path: Path) -> None:
        if self.quiet:
            return
        if not self.tty:
            click.echo(t("cli-progress-line", self.lang, done=done, total=total, file=path), err=True)
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=t("cli-progress", self.lang), show_pos=True,
                                         file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
