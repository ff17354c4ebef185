"""Click command `ui`: the local page, served on this computer until the window is closed."""
from __future__ import annotations

import sys
import webbrowser

import click

from xltools.cli.common import command, handle_errors, lang_option
from xltools.texts import t


@command("ui")
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="端口（默认自动选一个空闲端口） / port (default: a free one)")
@click.option("--no-browser", is_flag=True, help="不自动打开浏览器 / do not open the browser")
@click.option("--root", "roots", multiple=True, type=click.Path(file_okay=False, exists=True),
              help="页面可以使用的文件夹，可重复（默认为用户主目录） / a folder the page may use, repeatable "
                   "(default: the home folder)")
@lang_option
@handle_errors
def ui_command(port, no_browser, roots, lang):
    import logging

    from werkzeug.serving import make_server

    from xltools.ui import allowed_roots, make_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)   # no English line per request in the clerk's window
    allowed = allowed_roots(roots)
    app = make_app(allowed)
    server = make_server("127.0.0.1", port, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}/?token={app.config['TOKEN']}" + ("&lang=en" if lang == "en" else "")
    click.echo(url)          # the first line: what a launcher or a test reads
    click.echo(t("ui-started", lang, roots="、".join(map(str, allowed))))
    sys.stdout.flush()
    if not no_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
