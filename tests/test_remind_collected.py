"""What collect recorded reaches the units (a user's two findings on remind):

- a task led by a collective (牵头单位 = 各街道办事处) is complete only when every 街道 split
  sent it to has reported it complete; the others' word is listed, not lost;
- a unit whose 已完成 collect refused (no 完成日期, an impossible date, a status not in
  the list) is told in its 催办单, and in the master's 催办 sheet, why, in collect's words,
  with the return and cell; a unit whose 已完成 waits for the other leads is not chased.

天桥区's and 长清区's plans merged, split by the default registry, returns typed into with
openpyxl as a unit would, collected, reminded; the master read back with python-calamine,
the 催办单 with python-docx."""
from __future__ import annotations

import datetime as dt
import json

import docx
import openpyxl
import pytest
import python_calamine as pc
from click.testing import CliRunner

from conftest import CHANGQING, TIANQIAO
from loop_fixtures import copy_loop, fill, set_master, split_master
from xltools.cli.app import cli
from xltools.work.loop import LOG_SHEET, collect
from xltools.work.report import remind
from xltools.write.templates import SENT_SHEET

D = dt.date
NOW = dt.datetime(2024, 6, 5, 8, 0)
AS_OF = D(2025, 1, 15)           # every 2024 task is overdue by then
STREETS_TASK, ALONE = 10, 11     # 天桥区's 序号 the fixture sets: led by 各街道办事处 / by 区财政局 alone


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    def units(master):
        set_master(master, {("天桥区", seq): {"牵头单位": lead, "配合单位": None, "状态": "进行中"}
                            for seq, lead in ((STREETS_TASK, "各街道办事处"), (ALONE, "区财政局"))})

    base = tmp_path_factory.mktemp("remind")
    return base, split_master(base, [TIANQIAO, CHANGQING], units)


@pytest.fixture
def loop(built, tmp_path):
    return copy_loop(*built, tmp_path)


def streets(files: dict) -> dict[str, object]:
    """天桥区's 街道 returns (the 牵头单位 各街道办事处 reaches each of them)."""
    return {label.split("-", 1)[1]: p for label, p in files.items() if label.startswith("天桥区-")
            and label.endswith("街道")}


def row_of(master, seq, district="天桥区"):
    rows = pc.CalamineWorkbook.from_path(str(master)).get_sheet_by_name("汇总").to_python()
    head = rows[0]
    return next(dict(zip(head, r)) for r in rows[1:] if r[head.index("区县")] == district
                and r[head.index("序号")] == seq)


def doc_text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def reminder_of(summary, unit):
    return next(path for label, path, _, _ in summary.files if label == f"天桥区-{unit}")


def test_split_lists_every_street_a_collective_task_went_to(loop):
    master, out, files = loop
    mine = streets(files)
    assert len(mine) >= 10
    ws = openpyxl.load_workbook(mine["北园街道"])[SENT_SHEET]
    head = [c.value for c in ws[2]]
    sent = {row[0]: dict(zip(head, row)) for row in ws.iter_rows(min_row=3, values_only=True)}
    task = next(v for v in sent.values() if v["seq"] == STREETS_TASK)
    assert (task["role"], task["via"]) == ("lead", "各街道办事处")
    assert sorted(task["leads_sent"].split("\n")) == sorted(mine)
    finance = openpyxl.load_workbook(files["天桥区-区财政局"])[SENT_SHEET]
    alone = next(row for row in finance.iter_rows(min_row=3, values_only=True) if row[head.index("seq")] == ALONE)
    assert alone[head.index("leads_sent")] == "区财政局"              # led by one unit: its word decides


def test_a_collective_task_is_complete_only_when_every_street_says_so(loop):
    master, out, files = loop
    mine = streets(files)
    first, second, *rest = sorted(mine)
    fill(mine[first], STREETS_TASK, 状态="已完成", 完成日期=D(2024, 5, 10), 进展情况="本街道已完成")
    fill(mine[second], STREETS_TASK, 状态="已完成", 完成日期=D(2024, 5, 20))
    result = collect([out], master, now=NOW)
    row = row_of(master, STREETS_TASK)
    assert (row["状态"], row["完成日期"]) == ("进行中", "")        # one street's word no longer completes it
    assert row["进展情况"] == "本街道已完成"                         # what a street typed is still taken
    partly = result.findings_of("collect-leads-done-partly")
    assert {f.params["unit"] for f in partly} == {first, second}
    said = partly[0].params
    assert (said["total"], said["n"]) == (len(mine), 2)
    assert set(said["waiting"].split("、")) == set(rest)                # who has not: named
    assert f"{len(mine)}个牵头单位中2个已报完成" in partly[0].message()
    log = pc.CalamineWorkbook.from_path(str(master)).get_sheet_by_name(LOG_SHEET).to_python()
    assert any(rest[-1] in str(line[-1]) and "2个已报完成" in str(line[-1]) for line in log[1:])

    for unit in rest[:-1]:
        fill(mine[unit], STREETS_TASK, 状态="已完成", 完成日期=D(2024, 6, 1))
    collect([out], master, now=NOW)
    assert row_of(master, STREETS_TASK)["状态"] == "进行中"          # one street still to say it
    fill(mine[rest[-1]], STREETS_TASK, 状态="已完成", 完成日期=D(2024, 6, 3))
    collect([out], master, now=NOW)
    row = row_of(master, STREETS_TASK)
    assert (row["状态"], row["完成日期"]) == ("已完成", D(2024, 6, 3))       # the latest date


def test_returns_that_do_not_list_the_streets_fall_back_to_the_registry(loop):
    master, out, files = loop
    mine = streets(files)
    for path in mine.values():          # returns split before leads_sent existed
        wb = openpyxl.load_workbook(path)
        ws = wb[SENT_SHEET]
        col = [c.value for c in ws[2]].index("leads_sent") + 1
        for r in range(3, ws.max_row + 1):
            ws.cell(r, col).value = None
        wb.save(path)
    one = sorted(mine)[0]
    fill(mine[one], STREETS_TASK, 状态="已完成", 完成日期=D(2024, 5, 10))
    result = collect([out], master, now=NOW)
    assert row_of(master, STREETS_TASK)["状态"] == "进行中"
    assert result.findings_of("collect-leads-done-partly")[0].params["total"] == len(mine)


def test_a_street_typing_its_name_otherwise_is_still_that_street(loop):
    master, out, files = loop
    mine = streets(files)
    for unit, path in mine.items():
        wb = openpyxl.load_workbook(path)
        wb["进展报送"]["C2"].value = "天桥区" + unit             # 报送单位 as the office writes its name
        wb.save(path)
        fill(path, STREETS_TASK, 状态="已完成", 完成日期=D(2024, 5, 10))
    collect([out], master, now=NOW)
    assert row_of(master, STREETS_TASK)["状态"] == "已完成"


def test_the_reminder_says_why_a_reported_completion_was_not_taken(loop, tmp_path):
    master, out, files = loop
    finance = files["天桥区-区财政局"]
    fill(finance, ALONE, 状态="已完成", 进展情况="已完成公开")          # no 完成日期
    result = collect([out], master, now=NOW)
    refused = result.findings_of("collect-done-without-date")
    assert [f.params["unit"] for f in refused] == ["区财政局"]
    assert row_of(master, ALONE)["状态"] == "进行中"
    summary = remind(master, tmp_path / "催办", as_of=AS_OF, sheet=True)
    text = doc_text(reminder_of(summary, "区财政局"))
    assert "你单位此前报送的以下内容未被采纳" in text
    assert (f"第{ALONE}项：你单位报送的“已完成”未被采纳：状态填了“已完成”，但没有有效的完成日期" in text)
    assert f"（报送表“{finance.name} {refused[0].cell}”）" in text
    sheet = pc.CalamineWorkbook.from_path(str(master)).get_sheet_by_name("催办").to_python()
    head = sheet[0]
    mine = [dict(zip(head, r)) for r in sheet[1:] if r[head.index("牵头单位")] == "区财政局"
            and r[head.index("区县")] == "天桥区"]
    assert len(mine) > 1
    told = [r for r in mine if r["未采纳的报送"]]
    assert [r["序号"] for r in told] == [ALONE]
    assert "没有有效的完成日期" in told[0]["未采纳的报送"] and refused[0].cell in told[0]["未采纳的报送"]

    # the command says which reminders tell of a refusal; --json counts them
    res = CliRunner().invoke(cli, ["remind", str(master), "-o", str(tmp_path / "催办cli"), "--as-of", AS_OF.isoformat()])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("天桥区-区财政局："))
    assert lines[at + 1].strip() == "其中 1 项写明了该单位报送而未被采纳的内容及原因（见收集记录）"
    assert sum("未被采纳" in line for line in lines) == 1
    res = CliRunner().invoke(cli, ["remind", str(master), "-o", str(tmp_path / "催办json"), "--as-of",
                                   AS_OF.isoformat(), "--json"])
    counts = {f["unit"]: f["refused"] for f in json.loads(res.output)["files"]}
    assert counts["天桥区-区财政局"] == 1 and sum(counts.values()) == 1

    # corrected and collected again: complete, and nobody is told of the old refusal
    fill(finance, ALONE, 完成日期=D(2024, 5, 30))
    collect([out], master, now=NOW)
    assert row_of(master, ALONE)["状态"] == "已完成"
    again = remind(master, tmp_path / "催办2", as_of=AS_OF)
    assert "未被采纳" not in doc_text(reminder_of(again, "区财政局"))


def test_an_impossible_date_and_an_unknown_status_are_told_too(loop, tmp_path):
    master, out, files = loop
    mine = streets(files)
    first, second = sorted(mine)[:2]
    fill(mine[first], STREETS_TASK, 状态="已完成", 完成日期="2024年2月30日")
    fill(mine[second], STREETS_TASK, 状态="搞定了")
    collect([out], master, now=NOW)
    summary = remind(master, tmp_path / "催办", as_of=AS_OF)
    one = doc_text(reminder_of(summary, first))
    assert "你单位报送的“2024年2月30日”未被采纳：完成日期“2024年2月30日”不是有效日期" in one
    two = doc_text(reminder_of(summary, second))
    assert "你单位报送的“搞定了”未被采纳：状态“搞定了”不是可选的写法" in two
    other = doc_text(reminder_of(summary, sorted(mine)[2]))
    assert "未被采纳" not in other                               # only the unit that typed it is told


def test_a_street_whose_completion_waits_for_the_others_is_not_chased(loop, tmp_path):
    master, out, files = loop
    mine = streets(files)
    done, waiting = sorted(mine)[0], sorted(mine)[1]
    fill(mine[done], STREETS_TASK, 状态="已完成", 完成日期=D(2024, 5, 10))
    collect([out], master, now=NOW)
    summary = remind(master, tmp_path / "催办", as_of=AS_OF, sheet=True)
    sheet = pc.CalamineWorkbook.from_path(str(master)).get_sheet_by_name("催办").to_python()
    head = sheet[0]
    chased = {r[head.index("牵头单位")] for r in sheet[1:] if r[head.index("区县")] == "天桥区"
              and r[head.index("序号")] == STREETS_TASK}
    assert waiting in chased and done not in chased
    assert chased == set(mine) - {done}
    assert f"\n{STREETS_TASK}\n" not in "\n" + "\n".join(
        c.text for t in docx.Document(str(reminder_of(summary, done))).tables for r in t.rows for c in r.cells[:1]) + "\n"


def test_an_english_reminder_gives_collects_reason_in_english_or_says_it_is_quoted(loop, tmp_path):
    """The log (收集记录) is Chinese: an English 催办单 says the reason again in English when
    the logged line reads back as one finding of values only (the 已完成 without a date);
    a reason with collect's own Chinese words inside (why 2月30日 is no date) is quoted and
    labelled as recorded.  An English log read for a Chinese letter: said in Chinese."""
    master, out, files = loop
    finance = files["天桥区-区财政局"]
    fill(finance, ALONE, 状态="已完成", 进展情况="已完成公开")          # no 完成日期
    mine = streets(files)
    first = sorted(mine)[0]
    fill(mine[first], STREETS_TASK, 状态="已完成", 完成日期="2024年2月30日")
    collect([out], master, now=NOW)
    res = CliRunner().invoke(cli, ["remind", str(master), "-o", str(tmp_path / "en"), "--as-of", AS_OF.isoformat(),
                                   "--doc-lang", "en"])
    assert res.exit_code == 0, res.output
    letters = {p.stem: doc_text(p) for p in (tmp_path / "en").glob("*.docx")}
    finance_letter = next(text for name, text in letters.items() if "区财政局" in name)
    line = next(x for x in finance_letter.splitlines() if x.startswith(f"No. {ALONE}:"))
    assert ("Your report '已完成' was not taken: Status '已完成' without a valid completion date: the status is not "
            "written to the master. Fill in the completion date as well") in line, line
    assert "没有有效的完成日期" not in line and "as recorded" not in line and finance.name in line
    street = next(text for name, text in letters.items() if first in name)
    line = next(x for x in street.splitlines() if x.startswith(f"No. {STREETS_TASK}:"))
    assert ("Your report '2024年2月30日' was not taken; the reason, as recorded in the office's collection log (in "
            "Chinese): 完成日期“2024年2月30日”不是有效日期") in line, line
    # the Chinese letter as before: collect's words as the log has them
    zh = remind(master, tmp_path / "zh", as_of=AS_OF)
    assert "你单位报送的“已完成”未被采纳：状态填了“已完成”，但没有有效的完成日期" in doc_text(reminder_of(zh, "区财政局"))


def test_a_chinese_reminder_from_an_english_log(loop, tmp_path):
    master, out, files = loop
    fill(files["天桥区-区财政局"], ALONE, 状态="已完成")
    collect([out], master, now=NOW, lang="en")
    log = pc.CalamineWorkbook.from_path(str(master)).get_sheet_by_name(LOG_SHEET).to_python()
    assert "Note" in log[0] and any("without a valid completion date" in str(c) for r in log for c in r)
    text = doc_text(reminder_of(remind(master, tmp_path / "zh", as_of=AS_OF), "区财政局"))
    assert f"第{ALONE}项：你单位报送的“已完成”未被采纳：状态填了“已完成”，但没有有效的完成日期：状态不写入汇总表。" in text, text
    assert "without" not in text
