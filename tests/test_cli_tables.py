"""The terminal's tables fit their words: inspect's column map in English names each
field whole (Responsible units, not Responsib…), and the Chinese one keeps its width."""
from __future__ import annotations

from click.testing import CliRunner

from conftest import TIANQIAO
from xltools.cli.app import cli


def _column_map(lang: str) -> list[str]:
    out = CliRunner().invoke(cli, ["inspect", str(TIANQIAO), "--lang", lang]).output
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("Columns (", "列对应")))
    return lines[start + 1:lines.index("", start)]


def test_the_english_column_map_names_each_field_whole():
    lines = _column_map("en")
    assert any(line.startswith("Responsible units ") for line in lines), lines
    assert any(line.startswith("Requirement ") for line in lines) and not any("…  " in line[:20] for line in lines)


def test_the_chinese_column_map_keeps_its_width():
    head = _column_map("zh")[0]
    assert head.startswith("字段        列")          # 字段 and eight spaces: ten columns wide
