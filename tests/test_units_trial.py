"""What a new user's trial on county, county-level-city, city and province sheets found
about unit names and messages (helper h-units).  Each test failed before its fix."""
from __future__ import annotations

import re

from click.testing import CliRunner

from tests.conftest import write_xlsx
from xltools import validate
from xltools.cli.app import cli
from xltools.read.registry import load_registry


def _county(tmp_path, name="2025年嘉祥县政务公开工作要点.xlsx"):
    return write_xlsx(tmp_path / name, {"Sheet1": [
        ["2025年嘉祥县政务公开工作要点任务分解表"], ["序号", "具体措施", "责任单位", "完成时限"],
        [1, "公开镇村财务。", "梁宝寺镇、马村镇", "2025年6月底前"],
        [2, "建设示范点。", "县融创局", "2025年9月底前"],
        [3, "推进村务公开。", "大张楼镇前进村", "2025年9月底前"]]})


# ---------------------------------------------------------------- 1. how to add a county's own units

def test_unknown_units_of_a_county_say_how_to_add_them_and_the_advice_works(tmp_path):
    plan = _county(tmp_path)
    found = [f for f in validate([plan]).findings if f.code.startswith("unknown-unit")]
    assert {f.value for f in found} >= {"梁宝寺镇", "马村镇", "县融创局"}
    for f in found:
        zh, en = f.suggestion("zh"), f.suggestion("en")
        assert f"xltools units learn \"{plan}\" -o 单位名录.xlsx" in zh and "--registry 单位名录.xlsx" in zh
        assert "单位名录" in zh and "从文件学习新单位" in zh                # the local page's way
        assert f"xltools units learn \"{plan}\" -o 单位名录.xlsx" in en and "--registry 单位名录.xlsx" in en
        assert not re.search(r"[\u4e00-\u9fff]", en.replace(str(plan), "").replace("单位名录.xlsx", ""))
        assert len(zh) - len(str(plan)) < 120          # short: said once per unknown unit
    # the advice, followed, makes them known
    registry = tmp_path / "单位名录.xlsx"
    runner = CliRunner()
    done = runner.invoke(cli, ["units", "learn", str(plan), "-o", str(registry)])
    assert done.exit_code == 0, done.output
    assert not [f for f in validate([plan], load_registry(registry)).findings if f.code.startswith("unknown-unit")]
    again = runner.invoke(cli, ["validate", str(plan), "--registry", str(registry)])
    assert "单位名录中" not in again.output


def test_a_cell_check_in_excel_points_to_the_registry_button_not_a_command():
    from xltools.excel.udfs import XT_UNIT_CHECK
    said = XT_UNIT_CHECK("县火星局")
    assert "“单位名录”按钮" in said and "xltools units learn" not in said and "?" not in said


# ---------------------------------------------------------------- 2. one body at every level

# A body as each level writes it (a province's 厅 where a county's is a 局), in its usual
# spellings; each is a registry entry at every level: 省, 市 (a city), 区, 县, 旗, 市 (a county-level city).
LEVELS = {"省": "山东省", "市": "济宁市", "区": "天桥区", "县": "嘉祥县", "旗": "达拉特旗", "县级市": "邹城市"}
BODIES = {
    "工业和信息化": ("经信局", "经济和信息化局", "工信局", "工业和信息化局"),
    "文化和旅游": ("文化广电和旅游局", "文化广电旅游局", "文化广电体育和旅游局", "文旅局", "文化和旅游局"),
    "政务服务": ("政务服务管理局", "政务服务中心", "政务服务局", "政务服务和大数据管理局"),
    "行政审批": ("行政审批局", "行政审批服务局"),
    "新闻办": ("政府新闻办", "政府新闻办公室", "人民政府新闻办公室"),
    "12345": ("12345热线", "12345热线办", "12345热线办公室", "12345政务服务便民热线"),
}
_PROVINCE_ORGAN = {"工业和信息化": "厅", "文化和旅游": "厅"}    # 省经信厅, 省文化和旅游厅


def _spelt(level: str, field: str, body: str) -> str:
    if level == "省" and field in _PROVINCE_ORGAN:
        body = body[:-1] + _PROVINCE_ORGAN[field]
    return ("市" if level == "县级市" else level) + body


def _unknown_bodies() -> list[str]:
    from xltools.rules.units import UnitRegistry
    out = []
    for level, place in LEVELS.items():
        registry = UnitRegistry.default(place)
        out += [f"{place}: {name}" for field, bodies in BODIES.items() for body in bodies
                if registry.resolve(name := _spelt(level, field, body)) is None]
    return out


def test_the_same_body_is_known_at_every_level_in_every_spelling():
    # before: 98 of 132 unknown (县经信局, 市文化广电和旅游局, 市政务服务管理局, 省政府新闻办, 县12345热线办 among them)
    assert _unknown_bodies() == []


def test_a_body_is_counted_as_one_entry_however_a_level_spells_it():
    from xltools.rules.units import UnitRegistry
    county = UnitRegistry.default("嘉祥县")
    assert {county.resolve(n).name for n in ("县经信局", "县工信局", "县经济和信息化局")} == {"县工业和信息化局"}
    assert {county.resolve(n).name for n in ("县文旅局", "县文化广电和旅游局")} == {"县文化和旅游局"}
    assert {county.resolve(n).name for n in ("县12345热线办", "县12345热线")} == {county.resolve("县12345热线办公室").name}
    city = UnitRegistry.default("济宁市")
    assert city.resolve("市经信局").name == "市工业和信息化局"        # the city's own body, not the county's
    assert city.resolve("市文化广电和旅游局").name == "市文化和旅游局"
    province = UnitRegistry.default("山东省")
    assert province.resolve("省经信厅").name == "省工业和信息化厅"
    # one body, two plates: the government's 新闻办 is its party committee's 宣传部, at every level
    assert province.resolve("省政府新闻办").name == "省委宣传部" and county.resolve("县政府新闻办").name == "县委宣传部"
    assert city.resolve("市政务服务管理局").name == "市行政审批服务局" == city.resolve("市审批局").name
    # a field the province has a body of is never a county body behind 省 (省公安厅, not a 公安分局)
    assert province.resolve("省公安分局") is None and province.resolve("省财政局") is None


# ---------------------------------------------------------------- 3. the circular shows what the district wrote

def test_the_circular_shows_a_unit_as_the_district_wrote_it_though_a_collective_reached_it_first(tmp_path):
    import datetime as dt

    import docx

    from xltools.work.merge import merge
    from xltools.work.report import read_report, report
    plan = write_xlsx(tmp_path / "2024年天桥区政务公开重点工作任务分工.xlsx", {"Sheet1": [
        ["2024年天桥区政务公开重点工作任务分工"], ["序号", "工作任务", "责任单位", "完成时限"],
        [1, "全面梳理公开事项。", "区政府各部门（单位）", "2024年6月底前"],
        [2, "公开就业政策。", "区人社局", "2024年6月底前"],
        [3, "公开救助政策。", "区民政局牵头，区人社局配合", "2024年6月底前"]]})
    master = tmp_path / "汇总.xlsx"
    merge([plan], master, as_of=dt.date(2024, 12, 20))
    out = tmp_path / "通报.docx"
    report(master, out, as_of=dt.date(2024, 12, 20), chart_font=False)
    names = [row.cells[0].text for row in docx.Document(str(out)).tables[1].rows[1:]]
    assert "区人社局" in names and "区人力资源和社会保障局" not in names       # counted as one, shown as written
    assert "区民政局" in names and "区财政局" in names     # a member only the collective reaches: the registry's name
    counts = {row.cells[0].text: int(row.cells[1].text) for row in docx.Document(str(out)).tables[1].rows[1:]}
    assert counts["区人社局"] == 2 and counts["区民政局"] == 2
    reminded = {r.unit for r in read_report(master, as_of=dt.date(2024, 12, 20)).reminders(dt.date(2024, 12, 27))}
    assert "区人社局" in reminded and "区人力资源和社会保障局" not in reminded


# ---------------------------------------------------------------- 4. English without Chinese punctuation

# Chinese punctuation belongs to Chinese words: in English it is allowed only inside a run of
# Chinese a text quotes (表头 '[责任单位：…]', 各镇（街道）) or as the separator it names (separated by 、).
_FULL_WIDTH = re.compile(r"[：，。（）；！？“”‘’【】《》]")
_CHINESE_RUN = re.compile(r"[\u4e00-\u9fff：，。（）；、！？“”‘’【】《》…]*[\u4e00-\u9fff][\u4e00-\u9fff：，。（）；、！？“”‘’【】《》…]*")
_NAMED_SEPARATOR = re.compile(r"(?<![^\s(])、(?=[\s;.,)]|$)")


def _glitches(english: str) -> list[str]:
    bare = _NAMED_SEPARATOR.sub("", _CHINESE_RUN.sub("", english))
    return _FULL_WIDTH.findall(bare) + re.findall("、", bare)


def test_no_english_text_holds_chinese_punctuation():
    from xltools.texts import FINDINGS, TEXTS
    english = {k: en for k, (_, en) in TEXTS.items()}
    english |= {f"{k}/{i}": en for k, (_, *pair) in FINDINGS.items() for i, en in enumerate(pair[1])}
    assert {k: en for k, en in english.items() if _glitches(en)} == {}
    assert _glitches("Suggestion：do it") and not _glitches("separated by 、.") and not _glitches("'[责任单位：…]'")
    # nor does code put Chinese punctuation after a text in either language: f"{t('severity-error', lang)}："
    from tests.conftest import ROOT
    glued = re.compile(r"\b_?t\([^()]*(?:\([^()]*\)[^()]*)*\)\}[：，。；、]")
    found = [f"{p.relative_to(ROOT)}:{i}" for p in sorted((ROOT / "xltools").rglob("*.py"))
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if glued.search(line)]
    assert found == []


def test_what_english_commands_and_files_say_holds_no_chinese_punctuation(tmp_path):
    import datetime as dt

    import openpyxl

    from xltools.work.merge import merge
    from xltools.write.annotated import annotated_copy
    plan = _county(tmp_path)
    said = CliRunner().invoke(cli, ["--lang", "en", "validate", str(plan)]).output
    assert "Suggestion: " in said and not _glitches(said.replace(str(plan), ""))
    _, copy = annotated_copy(plan, lang="en")
    notes = [c.comment.text for row in openpyxl.load_workbook(copy)["Sheet1"].iter_rows() for c in row if c.comment]
    assert notes and not [n for n in notes if _glitches(n)]
    master = tmp_path / "master.xlsx"
    merge([plan], master, as_of=dt.date(2025, 3, 1), lang="en")
    # 统计 is English (汇总 is Chinese, its headings the schema's, and its page header with them)
    header = openpyxl.load_workbook(master)["统计"].oddHeader.right.text
    assert "2025-03-01" in header and not _glitches(header)


def _two_district_master(tmp_path):
    import datetime as dt

    from tests.conftest import EXAMPLES
    from xltools.work.merge import merge
    master = tmp_path / "汇总.xlsx"
    merge(sorted(EXAMPLES.glob("*.xlsx")), master, as_of=dt.date(2024, 12, 20), soon_days=8)
    return master


def test_an_english_title_breaks_between_words_and_a_chinese_one_never_inside_a_number():
    from xltools.write.document import title_lines
    for text in ("Progress of the work tasks of 2024年天桥区、2022年长清区: circular",
                 "Progress of the government affairs disclosure key tasks of the province: circular",
                 "关于2024年天桥区、2022年长清区政务公开重点工作任务分工落实情况的通报"):
        lines = title_lines(text)
        assert len(lines) > 1 and "".join(lines).replace(" ", "") == text.replace(" ", "")
        at = 0
        for a, b in zip(lines, lines[1:]):
            at = text.index(a, at) + len(a)           # where the line ends in the title
            assert text[at].isspace() or not (text[at - 1].isascii() and text[at].isascii()), (a, b)  # not in a word
            assert not re.match(r"[:;,.)、，。：；）]", b), (a, b)      # no line begins with a closing mark


def test_the_english_circular_never_breaks_a_heading_word(tmp_path):
    import shutil
    import subprocess

    import pytest

    from tests.lo import SOFFICE, convert
    from xltools.work.report import report
    if SOFFICE is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and pdftotext are needed to see the page")
    out = tmp_path / "circular.docx"
    report(_two_district_master(tmp_path), out, doc_lang="en", chart_font=False)
    text = subprocess.run(["pdftotext", str(convert(out, "pdf", tmp_path)), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = text.split()
    for heading in ("Tasks", "Done", "Ongoing", "Overdue", "done", "District", "judged"):
        assert heading in words, heading
    assert not re.search(r"\b202\s+4年", text)


# ---------------------------------------------------------------- 5. merge's own lock is no input

def test_a_merge_into_a_folder_inside_its_input_folder_does_not_list_its_own_lock(tmp_path):
    folder = tmp_path / "各区报送"
    folder.mkdir()
    _county(folder)
    output = folder / "out" / "汇总.xlsx"
    runner = CliRunner()
    for _ in range(2):                 # the second run: the master, its version and its lock beside it
        done = runner.invoke(cli, ["merge", str(folder), "-o", str(output), "--replace"])
        assert done.exit_code in (0, 1), done.output
        assert ".lock" not in done.output and ".xltools-versions" not in done.output
    from xltools.write.files import lock_path
    assert lock_path(output) == output.with_name("汇总.xlsx.lock")
    lock_path(output).write_text("1\nanother-computer\n")     # a lock left beside it: still not an input
    from xltools.work.merge import collect_inputs
    files, skipped = collect_inputs([folder], output)
    assert [p.name for p in files] == ["2025年嘉祥县政务公开工作要点.xlsx"]
    assert [p.name for p, _ in skipped] == ["汇总.xlsx"]           # its own output: said, as before
