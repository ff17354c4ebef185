"""A file is read by what its bytes are, not by its name: an .xlsx saved as .xls (or the
other way round) is read with a note, WPS's .et is read as the .xls it is, an encrypted
workbook is called encrypted and nothing else is."""
from __future__ import annotations

import shutil
import zipfile

import pytest
from click.testing import CliRunner

from conftest import TIANQIAO
from lo import convert, needs_soffice
from xltools.cli.app import cli
from xltools.read import read_plan
from xltools.read.loaders import content_kind


def tasks_of(path):
    plan = read_plan(path)
    return [(t.seq, t.requirement, t.leads_written, t.due) for t in plan.tasks], [n.code for n in plan.notes]


@pytest.fixture(scope="module")
def as_xls(tmp_path_factory):
    return convert(TIANQIAO, "xls", tmp_path_factory.mktemp("xls"))


def test_an_xlsx_named_xls_is_read_with_a_note(tmp_path):
    expected, _ = tasks_of(TIANQIAO)
    misnamed = shutil.copy(TIANQIAO, tmp_path / "天桥区任务.xls")
    assert content_kind(misnamed) == "xlsx"
    got, notes = tasks_of(misnamed)
    assert got == expected and "file-misnamed" in notes


@needs_soffice
def test_an_xls_named_xlsx_is_not_said_to_have_a_password(as_xls, tmp_path):
    expected, _ = tasks_of(as_xls)
    assert len(expected) > 50
    misnamed = shutil.copy(as_xls, tmp_path / "天桥区任务.xlsx")
    assert content_kind(misnamed) == "xls"
    got, notes = tasks_of(misnamed)
    assert got == expected and "file-misnamed" in notes


@needs_soffice
def test_wps_et_is_read_as_the_xls_it_is(as_xls, tmp_path):
    et = shutil.copy(as_xls, tmp_path / "2024年天桥区政务公开重点工作任务分工.et")
    got, notes = tasks_of(et)
    assert got == tasks_of(as_xls)[0] and "file-misnamed" not in notes


def test_something_else_named_xlsx_is_one_chinese_line(tmp_path):
    fake = tmp_path / "通知.xlsx"
    with zipfile.ZipFile(fake, "w") as zf:      # a zip, but no workbook in it (a .docx, say)
        zf.writestr("word/document.xml", "<w:document/>")
    assert content_kind(fake) == "other"
    result = CliRunner().invoke(cli, ["inspect", str(fake)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "通知.xlsx" in lines[0] and "不是任何一种表格格式" in lines[0]
    assert "Traceback" not in result.output and "Cfb" not in result.output


def test_a_csv_named_xlsx_is_read_as_csv(tmp_path):
    rows = ["2024年天桥区政务公开重点工作任务分工", "序号,工作任务,具体要求,责任单位,完成时限",
            "1,一、公开,做好财政预决算公开,区财政局,2024年9月底前", "2,一、公开,做好政策解读,区政府办公室,长期坚持"]
    fake = tmp_path / "导出.xlsx"
    fake.write_bytes("\r\n".join(rows).encode("gb18030"))   # WPS saves csv in GBK
    assert content_kind(fake) == "text"
    plan = read_plan(fake)
    assert [(t.seq, t.requirement, t.leads_written) for t in plan.tasks] == [
        (1, "做好财政预决算公开", ("区财政局",)), (2, "做好政策解读", ("区政府办公室",))]
    assert "file-misnamed" in [n.code for s in plan.sheets for n in s.findings] + [n.code for n in plan.notes]
