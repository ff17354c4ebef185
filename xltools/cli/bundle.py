"""`xltools bundle`: the offline installer (one library call, work/bundle.py)."""
from __future__ import annotations

import click

from xltools.cli.common import command, handle_errors, lang_option
from xltools.texts import t
from xltools.work.bundle import PLATFORMS, SUPPORTED_PYTHONS, build_bundle


@command("bundle")
@click.option("--platform", "platform", required=True, type=click.Choice(list(PLATFORMS)),
              help="目标电脑：win_amd64（Windows 64 位）或 linux（x86-64） / target computers")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="要生成的文件夹（同时生成同名 .zip） / folder to write (and a .zip of it)")
@click.option("--python", "pythons", multiple=True, type=click.Choice(SUPPORTED_PYTHONS),
              help="只为这些 Python 版本准备（可重复），默认 3.10–3.13 全部 / only these Python versions "
                   "(repeatable), all of 3.10–3.13 by default")
@click.option("--source", type=click.Path(file_okay=False, exists=True), default=None,
              help="xltools 仓库目录，默认为正在运行的 xltools 所在的仓库 / the xltools repository")
@lang_option
@handle_errors
def bundle_command(platform, output, pythons, source, lang):
    from xltools.excel.addin import build as build_addin

    done = build_bundle(platform, output, pythons=pythons or SUPPORTED_PYTHONS, source=source,
                        build_addin=build_addin, lang=lang,
                        progress=lambda key, **params: click.echo(t(key, lang, **params), err=True))
    click.echo(done.message(lang))
