"""What units really type into a return (the second new-user trial): a day without its
year, status words one key off (以完成, 进行终), 延期, a date in the form they use
(2024.5.28); and how collect prints its lines: cell by cell, no empty places.  Returns
made by split, typed into with openpyxl as a unit would; the master read back with
python-calamine."""
from __future__ import annotations

import datetime as dt

import pytest
import python_calamine as pc
from click.testing import CliRunner

from conftest import TIANQIAO
from loop_fixtures import copy_loop, edit, split_master
from xltools import schema
from xltools.check.validate import completion_day
from xltools.cli.app import cli
from xltools.work.loop import collect

D = dt.date
NOW = dt.datetime(2024, 6, 5, 8, 0)        # the plan is 2024's


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("typed")
    return base, split_master(base, [TIANQIAO])


@pytest.fixture
def loop(built, tmp_path):
    return copy_loop(*built, tmp_path)


def by_seq(path):
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("汇总").to_python()
    return {r[rows[0].index("序号")]: dict(zip(rows[0], r)) for r in rows[1:]}


@pytest.mark.parametrize("typed, day", [
    ("5月20日", D(2024, 5, 20)), ("5月20号", D(2024, 5, 20)), ("５月２０日", D(2024, 5, 20)),
    (" 1月3日 ", D(2024, 1, 3)),
    ("9月30日", None),            # after the report: not this year's; before the plan: not last year's
    ("2月30日", None),            # no such day
    ("5月", None), ("月底", None),
])
def test_a_day_without_its_year_is_the_latest_in_the_plan_up_to_the_report(typed, day):
    got, problem, detail = completion_day(typed, (D(2024, 1, 1), D(2024, 6, 5)))
    assert got == day and (detail.get("year_added") is True) == (day is not None)
    assert (problem is None) == (day is not None)
    # reported in January, the year before is the plan's: its December is meant
    assert completion_day("12月28日", (D(2024, 1, 1), D(2025, 1, 10)))[0] == D(2024, 12, 28)
    assert completion_day(typed)[0] is None          # with no span: no year is guessed


@pytest.mark.parametrize("typed, guess", [("以完成", "已完成"), ("进行终", "进行中"), ("未开使", "未开始"),
                                          ("巳完成", "已完成"), ("搁置", None), ("延期", None), ("完", None)])
def test_a_status_one_key_off_gets_a_suggestion_never_a_value(typed, guess):
    assert schema.status_value(typed) is None        # never read as a status
    assert schema.status_guess(typed) == guess


def test_returns_as_units_fill_them(loop):
    master, out, files = loop
    path = next(p for label, p in files.items() if "区财政局" in label)
    seqs = {}

    def typed(ws, head, rows):
        a, b, c, d, e = list(rows)[:5]
        seqs.update(a=a, b=b, c=c, d=d, e=e)
        cell = lambda seq, name: ws.cell(rows[seq], head[name])   # noqa: E731
        cell(a, "状态").value, cell(a, "完成日期").value = "已完成", "5月20日"
        cell(b, "状态").value, cell(b, "完成日期").value = "以完成", "2024.5.28"
        cell(c, "状态").value = "进行终"
        cell(d, "状态").value = "延期"
        cell(e, "完成日期").value = "9月30日"
    edit(path, typed)
    before = by_seq(master)
    result = collect([path], master, now=NOW)
    after = by_seq(master)
    a, b, c, d, e = (seqs[k] for k in "abcde")

    # 5月20日 is the plan year's, written as a date, and said
    assert (after[a]["状态"], after[a]["完成日期"]) == ("已完成", D(2024, 5, 20))
    (added,) = result.findings_of("collect-date-year-added")
    assert added.value == "5月20日" and "2024-05-20" in added.message()
    # a status one key off: not written, the suggestion said; its date waits with it, quoted as typed
    for seq in (b, c, d):
        assert after[seq]["状态"] == before[seq]["状态"]
    unknown = {f.value: f.message() for f in result.findings_of("collect-unknown-status")}
    assert "是否为“已完成”？" in unknown["以完成"] and "是否为“进行中”？" in unknown["进行终"]
    assert "是否为" not in unknown["延期"]          # late, or put off? asked, not guessed
    (held,) = result.findings_of("collect-date-held")
    assert held.value == "2024.5.28" and "2024.5.28" in held.message()
    assert after[b]["完成日期"] == before[b]["完成日期"]
    # a day later than the report is no completion date; the example is the plan year's
    assert after[e]["完成日期"] == before[e]["完成日期"]
    (late,) = result.findings_of("collect-date-no-year")
    assert late.value == "9月30日" and "没有写年份" in late.message() and "2024年6月30日" in late.suggestion()
    assert "2024-06-30" in late.suggestion("en") and not result.findings_of("collect-not-a-date")

    # printed in the order of the cells, no empty place where a line has no cell
    res = CliRunner().invoke(cli, ["collect", str(path), "--into", str(master)])
    lines = [x for x in res.output.splitlines() if x.startswith(f"  {path.name}")]
    rows = [int("".join(ch for ch in x.split()[1] if ch.isdigit())) for x in lines if x.split()[1][0].isalpha()]
    assert rows == sorted(rows) and len(rows) >= 4
    assert not any(" 　" in x or "　：" in x for x in res.output.splitlines())


def test_a_return_of_last_year_is_refused_saying_what_to_do(loop, tmp_path):
    from conftest import CHANGQING
    from xltools.work.loop import split
    from xltools.work.merge import merge

    master, out, files = loop
    older = tmp_path / "往年" / "汇总2022.xlsx"
    merge([CHANGQING], older)
    last_year = split(older, tmp_path / "往年下发").files[0][1]
    edit(last_year, lambda ws, head, rows: setattr(ws.cell(rows[next(iter(rows))], head["进展情况"]), "value", "今年的进展"))
    result = collect([last_year], master, now=NOW)
    (refused,) = result.findings_of("collect-other-year")
    assert "交回的是 2022 年度的报送表" in refused.message() and refused.params["unit"] in refused.message()
    assert "本次下发的 2024 年度报送表中重新填写" in refused.suggestion()    # not: collect it into 2022's
    res = CliRunner().invoke(cli, ["collect", str(last_year), "--into", str(master)])
    assert res.exit_code == 1 and f"  {last_year.name}：“{refused.params['unit']}”交回的是" in res.output
    assert "　：" not in res.output and " ：" not in res.output


def test_validate_on_a_return_says_whose_it_is_and_of_which_year(loop):
    master, out, files = loop
    path = next(p for label, p in files.items() if "区财政局" in label)
    for lang, words in (("zh", ("这是“区财政局”的报送表", "“汇总.xlsx”", "2024 年度")),
                        ("en", ("区财政局's return", "'汇总.xlsx'", "tasks of 2024"))):
        res = CliRunner().invoke(cli, ["validate", str(path), "--lang", lang])
        assert res.exit_code == 0, res.output
        line = next(x for x in res.output.splitlines() if words[0] in x)
        assert all(w in line for w in words)


def test_a_deadline_sent_as_a_date_cell_is_the_same_deadline_in_its_shown_form(loop):
    """A return split before 完成时限 was written as the sheet shows it holds the day as a
    date cell (or its ISO text): the same day, not an edit of the task.  A new deadline
    typed over it is still told to the clerk."""
    from xltools.rules.deadlines import parse_deadline
    master, _, returns = loop
    path = next(p for label, p in returns.items() if "区财政局" in label)
    seen = {}

    def change(ws, head, rows):
        dated = [(seq, r) for seq, r in rows.items()
                 if (d := parse_deadline(ws.cell(r, head["完成时限"]).value)).due and d.kind == "date"
                 and not d.stages and "年" in str(ws.cell(r, head["完成时限"]).value)]
        assert len(dated) >= 3, dated
        (a, ra), (b, rb), (c, rc) = dated[:3]
        day = parse_deadline(ws.cell(ra, head["完成时限"]).value).due
        ws.cell(ra, head["完成时限"]).value = dt.datetime.combine(day, dt.time())      # a date cell
        ws.cell(rb, head["完成时限"]).value = parse_deadline(ws.cell(rb, head["完成时限"]).value).due.isoformat()
        ws.cell(rc, head["完成时限"]).value = "申请延期至2025年3月底前"
        for r in (ra, rb, rc):
            ws.cell(r, head["进展情况"]).value = "按计划推进"
        seen.update(kept=(a, b), moved=c)
    edit(path, change)
    result = collect([path], master, now=NOW)
    edited = result.findings_of("collect-text-edited")
    assert [f.value for f in edited] == ["申请延期至2025年3月底前"], [(f.cell, f.value) for f in edited]
    assert {by_seq(master)[s]["进展情况"] for s in (*seen["kept"], seen["moved"])} == {"按计划推进"}
