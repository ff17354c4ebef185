"""The xltools command group: every command group registered here, `main` for the
console script.  Each command opens its input, makes one library call, and turns the
library's known errors into one Chinese line and an exit code."""
from __future__ import annotations

import gc
import importlib
import sys

import click

from xltools.cli.common import Group, group, lang_default, lang_option
from xltools.texts import t
from xltools.version import __version__


# Each command's module is imported only when that command runs (or help lists it): a
# merge should not pay for the imports of collect, the page or the add-in build.
COMMANDS = {
    "inspect": "check:inspect", "validate": "check:validate_cmd", "units": "units:units_group",
    "merge": "merge:merge_command", "flag": "merge:flag_command", "new-plan": "templates:new_plan_command",
    "split": "loop:split_command", "collect": "loop:collect_command", "report": "report:report_command",
    "remind": "report:remind_command", "history": "history:history_command", "undo": "history:undo_command",
    "addin": "addin:addin_group", "bundle": "bundle:bundle_command", "ui": "ui:ui_command",
}


class LazyGroup(Group):
    def list_commands(self, ctx):
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx, name):
        if name not in self.commands and name in COMMANDS:
            module, attr = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(f"xltools.cli.{module}"), attr), name)
        return super().get_command(ctx, name)


@group("xltools", cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xltools", message="%(prog)s %(version)s")  # no words to translate
@lang_option
def cli(lang):
    """Help text: texts/cli.py "help-…".  --lang here is the default of every command."""


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
