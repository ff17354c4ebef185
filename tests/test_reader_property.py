"""Property: whatever layout an office picks (synonym headers, title rows, merged
section cells, header repeated at page breaks, column order), the tasks read back are
the tasks written."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_xlsx
from xltools import UnitRegistry, read_plan
from xltools.check.validate import validate_plan

REGISTRY = UnitRegistry.default()
UNITS = sorted(n for n in REGISTRY.names(["部门"]) if n.startswith("区"))[:30]   # a 区 plan's own bodies: a township office
# written bare in a 区 plan is the 区's body of that name where one exists (人民武装部 → 区人民武装部)
HEADERS = {
    "seq": ["序号", "编号"],
    "section": ["工作任务", "重点任务", "任务名称"],
    "requirement": ["具体要求", "具  体  要  求", "工作内容", "任务内容", "具体措施"],
    "units": ["责任单位", "责任部门", "承办单位"],
    "deadline": ["完成时限", "完成时间", "时间节点", "截止时间"],
}
DEADLINES = {"12月底前": dt.date(2024, 12, 31), "2024年6月30日前": dt.date(2024, 6, 30),
             "2024年9月底前": dt.date(2024, 9, 30), "上半年": dt.date(2024, 6, 30), "长期坚持": None}

task_st = st.fixed_dictionaries({
    "requirement": st.text(alphabet="做好信息公开工作推进落实加强", min_size=2, max_size=20).map(lambda s: s + "。"),
    "units": st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True),
    "deadline": st.sampled_from(sorted(DEADLINES)),
})
layout_st = st.fixed_dictionaries({
    "titles": st.integers(1, 3),  # the title carries the plan year
    "order": st.permutations(["section", "requirement", "units", "deadline"]),
    "headers": st.fixed_dictionaries({k: st.sampled_from(v) for k, v in HEADERS.items()}),
    "sep": st.sampled_from(["、", "\n", "，"]),
    "page": st.integers(2, 6),          # a repeated header after every N tasks
    "merge_sections": st.booleans(),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sections=st.lists(st.lists(task_st, min_size=1, max_size=4), min_size=1, max_size=3), layout=layout_st)
def test_any_layout_reads_back(tmp_path_factory, sections, layout):
    columns = ["seq"] + layout["order"]
    header = [layout["headers"][k] for k in columns]
    rows: list[list] = [["附件"]] + [["2024年某某区重点工作任务分解表"]] * layout["titles"] + [header]
    merges, expected, n = [], [], 0
    for s, tasks in enumerate(sections):
        section = f"{'一二三'[s]}、第{s + 1}部分"
        start = len(rows) + 1
        for i, task in enumerate(tasks):
            n += 1
            if n > 1 and (n - 1) % layout["page"] == 0:
                rows.append(header)
                if layout["merge_sections"] and len(rows) - start > 1:
                    merges.append((start, len(rows) - 1))
                start = len(rows) + 1
            values = {"seq": n, "section": section if (i == 0 or len(rows) + 1 == start) else None,
                      "requirement": task["requirement"], "units": layout["sep"].join(task["units"]),
                      "deadline": task["deadline"]}
            rows.append([values[k] for k in columns])
            expected.append((n, section, task["requirement"], tuple(task["units"]), DEADLINES[task["deadline"]]))
        if layout["merge_sections"] and len(rows) + 1 - start > 1:
            merges.append((start, len(rows)))
    col = "ABCDE"[columns.index("section")]
    path = tmp_path_factory.mktemp("prop") / "plan.xlsx"
    write_xlsx(path, {"任务": rows}, {"任务": [f"{col}{a}:{col}{b}" for a, b in merges]})
    sheet, = read_plan(path, registry=REGISTRY).sheets
    assert sheet.header_row == 2 + layout["titles"] and sheet.year == 2024
    got = [(t.seq, t.section, t.requirement, t.lead_entries, t.due) for t in sheet.tasks]
    assert got == expected


CN = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# numbering scheme → (heading labels of section s, label of task i (global) / j (in its section), seq read)
SCHEMES = {
    "1,2,3": (None, lambda s, i, j: i, lambda s, i, j: i),
    "文本": (None, lambda s, i, j: str(i), lambda s, i, j: i),
    "1.": (None, lambda s, i, j: f"{i}.", lambda s, i, j: i),
    "（1）": (None, lambda s, i, j: f"（{i}）", lambda s, i, j: i),
    "①": (None, lambda s, i, j: CIRCLED[i - 1], lambda s, i, j: i),
    "1+1.1": (lambda s: [s], lambda s, i, j: f"{s}.{j}", lambda s, i, j: f"{s}.{j}"),
    "1.1.1": (lambda s: [str(s), f"{s}.1"], lambda s, i, j: f"{s}.1.{j}", lambda s, i, j: f"{s}.1.{j}"),
    "一、+（一）": (lambda s: [f"{CN[s - 1]}、"], lambda s, i, j: f"（{CN[j - 1]}）", lambda s, i, j: j),
    "一、+1": (lambda s: [f"{CN[s - 1]}、"], lambda s, i, j: i, lambda s, i, j: i),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sections=st.lists(st.lists(task_st, min_size=1, max_size=4), min_size=1, max_size=3),
       scheme=st.sampled_from(sorted(SCHEMES)), combined=st.booleans(), sep=st.sampled_from(["\n", "；", ""]))
def test_any_numbering_reads_back(tmp_path_factory, sections, scheme, combined, sep):
    """Any numbering scheme, headings over their groups, the requirement under 工作任务及具体要求
    or not, units and deadline in one 责任单位及完成时限 column or two: the tasks read back
    are the tasks written, headings are sections, and no numbering finding is made up."""
    headings, task_label, read_seq = SCHEMES[scheme]
    header = ["序号", "工作任务及具体要求" if combined else "具体要求"]
    header += ["责任单位及完成时限"] if combined else ["责任单位", "完成时限"]
    rows: list[list] = [["2024年某某区重点工作任务分解表"], header]
    expected, i = [], 0
    for s, tasks in enumerate(sections, start=1):
        title = f"第{s}部分工作"
        for label_ in (headings(s) if headings else []):
            rows.append([label_, title] + [None] * (len(header) - 2))
        for j, task in enumerate(tasks, start=1):
            i += 1
            units = "、".join(task["units"])
            cells = [f"{units}{sep}{task['deadline']}"] if combined else [units, task["deadline"]]
            rows.append([task_label(s, i, j), task["requirement"], *cells])
            expected.append((read_seq(s, i, j), title if headings else None, task["requirement"],
                             tuple(task["units"]), DEADLINES[task["deadline"]]))
    path = tmp_path_factory.mktemp("num") / "plan.xlsx"
    write_xlsx(path, {"任务": rows})
    plan = read_plan(path, registry=REGISTRY)
    sheet, = plan.sheets
    got = [(t.seq, t.section, t.requirement, t.lead_entries, t.due) for t in sheet.tasks]
    assert got == expected
    assert not {"empty-task", "missing-seq", "seq-gap", "seq-duplicate", "joined-split-row",
                "missing-units", "missing-deadline"} & {f.code for f in validate_plan(plan, REGISTRY)}
