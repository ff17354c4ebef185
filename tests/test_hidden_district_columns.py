"""A column a district hid in its own sheet (内部备注: internal notes) is private: merge keeps
it in 汇总 hidden, with its values, and says so in 问题清单; split never sends it to the
units (a hidden column of 汇总 stays in the office); a second merge keeps it hidden."""
from __future__ import annotations

import openpyxl

from xltools.work.loop import split
from xltools.work.merge import merge

HEAD = ["序号", "工作任务", "具体要求", "牵头单位", "配合单位", "完成时限", "备注", "内部备注"]


def district(path, name, hide):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append([f"2026年{name}政务公开工作任务分工"])
    ws.append(HEAD)
    ws.append([1, "公开", "公开财政预算决算", "区财政局", "区审计局", "2026年6月底前", "按季度公开", "王科长跟进"])
    ws.append([2, "公开", "公开重大建设项目批准和实施", "区发改局", None, "2026年9月底前", None, "别外传"])
    if hide:
        ws.column_dimensions["H"].hidden = True
    wb.save(path)
    return path


def headings_and_values(path):
    return {str(c.value) for row in openpyxl.load_workbook(path)["进展报送"].iter_rows() for c in row if c.value}


def test_a_column_a_district_hid_stays_hidden_and_is_never_sent(tmp_path):
    files = [district(tmp_path / "岱岳区.xlsx", "岱岳区", hide=True), district(tmp_path / "宁阳县.xlsx", "宁阳县", hide=False)]
    master = tmp_path / "汇总.xlsx"
    summary = merge(files, master)
    ws = openpyxl.load_workbook(master)["汇总"]
    head = {c.value: c.column_letter for c in ws[1]}
    assert ws.column_dimensions[head["内部备注"]].hidden and not ws.column_dimensions[head["备注"]].hidden
    values = {ws[f"{head['内部备注']}{r}"].value for r in range(2, ws.max_row + 1)}
    assert {"王科长跟进", "别外传"} <= values                      # kept for the office
    issues = [[c.value for c in row] for row in openpyxl.load_workbook(master)["问题清单"].iter_rows()]
    told = [row for row in issues if "own-column-hidden" in row]
    assert len(told) == 1 and "岱岳区" in str(told[0][0]) and "H2" in told[0] and \
        any("内部备注" in str(v) and "隐藏" in str(v) for v in told[0])
    assert summary.files_read
    sent = split(master, tmp_path / "下发")
    assert sent.files
    for _, path, _, _ in sent.files:
        seen = headings_and_values(path)
        assert not {"王科长跟进", "别外传"} & seen and not any("内部备注" in v for v in seen)
    assert any("备注（供参考）" in headings_and_values(path) for _, path, _, _ in sent.files)
    # merged again (the districts' files as they are): still hidden
    merge(files, master)
    ws = openpyxl.load_workbook(master)["汇总"]
    head = {c.value: c.column_letter for c in ws[1]}
    assert ws.column_dimensions[head["内部备注"]].hidden
