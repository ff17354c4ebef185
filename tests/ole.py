"""oletools' olevba, a VBA reader written by others (test extra): skipped when absent."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

try:
    with warnings.catch_warnings():   # oletools' own pyparsing deprecation warnings
        warnings.simplefilter("ignore")
        from oletools import olevba
except ImportError:
    olevba = None
needs_oletools = pytest.mark.skipif(olevba is None, reason="oletools is not installed")


def olevba_modules(path: Path) -> dict[str, str]:
    """Each VBA module's source in an Office file or a vbaProject.bin, as olevba reads it."""
    parser = olevba.VBA_Parser(str(path))
    try:
        return {vba_name.rsplit(".", 1)[0]: code for _, _, vba_name, code in parser.extract_macros()}
    finally:
        parser.close()
