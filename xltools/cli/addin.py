"""`xltools addin build|install`: the Excel add-in (xltools.xlam) from the command line.

Registered on the main group in cli.py:  cli.add_command(addin_group)
"""
from __future__ import annotations

import functools
import sys

import click

from xltools.cli.common import group, lang_option
from xltools.errors import XltoolsError
from xltools.texts import t


def _handle_errors(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang", "zh")
        try:
            return f(*args, **kwargs)
        except XltoolsError as exc:
            click.echo(("错误：" if lang == "zh" else "Error: ") + exc.message(lang), err=True)
            sys.exit(exc.exit_code)
        except PermissionError as exc:
            click.echo(("错误：" if lang == "zh" else "Error: ") + t("addin-locked", lang, file=exc.filename), err=True)
            sys.exit(2)
    return wrapper


@group("addin")
@lang_option
def addin_group(lang):
    """Help text: texts/cli.py "help-…"."""


@addin_group.command("build")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="输出文件或文件夹，默认当前文件夹下的 xltools.xlam / output file or folder")
@lang_option
@_handle_errors
def build(output, lang):
    from xltools.excel.addin import build as build_addin
    path = build_addin(output)
    click.echo(t("addin-built", lang, file=path))


@addin_group.command("install")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=None,
              help="安装到此文件夹，默认为 Excel 的启动文件夹（XLSTART） / target folder")
@lang_option
@_handle_errors
def install(directory, lang):
    from xltools.excel.addin import install as install_addin
    done = install_addin(directory)
    click.echo(t("addin-installed", lang, file=done.addin, python=done.python, config=done.config))
