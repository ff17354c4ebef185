"""The xltools command group: every command group registered here, `main` for the
console script.  Each command opens its input, makes one library call, and turns the
library's known errors into one Chinese line and an exit code."""
from __future__ import annotations

import gc
import sys

import click

from xltools.cli.common import group, lang_default, lang_option
from xltools.texts import t
from xltools.version import __version__
from xltools.cli.addin import addin_group
from xltools.cli.bundle import bundle_command
from xltools.cli.check import inspect, validate_cmd
from xltools.cli.history import history_command, undo_command
from xltools.cli.loop import collect_command, split_command
from xltools.cli.merge import flag_command, merge_command
from xltools.cli.report import remind_command, report_command
from xltools.cli.templates import new_plan_command
from xltools.cli.units import units_group
from xltools.cli.ui import ui_command


@group("xltools", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xltools", message="%(prog)s %(version)s")  # no words to translate
@lang_option
def cli(lang):
    """Help text: texts/cli.py "help-…".  --lang here is the default of every command."""


for _command in (inspect, validate_cmd, units_group, merge_command, flag_command, new_plan_command, split_command,
                 collect_command, report_command, remind_command, history_command, undo_command, addin_group,
                 bundle_command, ui_command):
    cli.add_command(_command)


def main(argv=None):
    try:
        cli.main(args=argv, prog_name="xltools", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo(t("interrupted", lang_default()), err=True)
        sys.exit(130)
    finally:
        # The process ends here, its outputs committed and closed.  Python's collections
        # at exit would walk every object still alive (tens of milliseconds after a big
        # merge) only for the system to free the memory anyway: leave them be.
        gc.freeze()


if __name__ == "__main__":
    main()
