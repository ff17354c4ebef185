"""A read-only folder: a clear Chinese line and exit 2, never a traceback."""
from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner

from conftest import CHANGQING
from xltools.cli.app import cli


@pytest.fixture
def readonly_dir(tmp_path):
    """A real read-only file system (root ignores file permissions, so chmod would not do)."""
    where = tmp_path / "只读"
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a read-only file system here")
    yield where
    subprocess.run(["umount", str(where)], capture_output=True)


@pytest.mark.parametrize("args", [
    ["merge", str(CHANGQING), "-o", "{ro}/汇总.xlsx"],
    ["new-plan", "--year", "2025", "--district", "长清区", "-o", "{ro}/计划.xlsx"],
    ["units", "export", "{ro}/名录.xlsx"],
])
def test_read_only_folder(readonly_dir, args):
    result = CliRunner().invoke(cli, [a.format(ro=readonly_dir) for a in args])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("错误：无法写入") and str(readonly_dir) in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
