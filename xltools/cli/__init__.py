"""The command line: one module per command group, each command one library call.

`xltools.cli:main` is the console script; `python -m xltools.cli` runs the same.
"""
from xltools.cli.app import cli, main

__all__ = ["cli", "main"]
