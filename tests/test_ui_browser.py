"""The local page in a real headless Chromium: validate a sheet and see its findings, merge
the examples with the progress bar reaching the end (and the refusal confirmed on the page),
the dashboard's counts equal to the 统计 sheet as LibreOffice computes it, and split,
collect, report and remind through the page; the change since the last merge against the
统计 sheet of the version that merge kept; the 单位名录 edited; a file dropped on a field; a
result opened with the computer's own program.  A screenshot of each page at 1366×768, where
nothing may be cut off, with the folders an office would have (督查室/2026年工作台账)."""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from xltools.schema import WARNING_STATES
from xltools.texts import t

from conftest import CHANGQING, TIANQIAO
from lo import SOFFICE
from ui_browser import Browser, Server, have_browser

pytestmark = pytest.mark.skipif(not have_browser(), reason="chromium, chromedriver or selenium is not installed")


INBOX = "各区报送"          # the folder of the districts' sheets, inside the office's folder
OPENED: list[Path] = []    # what the page asked the system to open (opener.launch replaced)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # the screenshots show an office's folder, not pytest's: <temp>/督查室/2026年工作台账
    top = Path(tempfile.mkdtemp(prefix="xltools-"))
    root = top / "督查室" / "2026年工作台账"
    mp = pytest.MonkeyPatch()
    mp.setenv("XLTOOLS_HOME", str(top / ".xltools"))
    mp.setattr("xltools.ui.opener.launch", OPENED.append)
    (root / INBOX).mkdir(parents=True)
    for f in (TIANQIAO, CHANGQING):
        shutil.copy(f, root / INBOX)
    server = Server([root.parent])
    browser = Browser(server.url)
    # scripts/ui_screenshots.py runs these tests with XLTOOLS_UI_SHOTS=docs/screenshots
    shots = Path(os.environ.get("XLTOOLS_UI_SHOTS") or tmp_path_factory.mktemp("screenshots"))
    yield root, browser, shots
    browser.close()
    server.close()
    mp.undo()
    shutil.rmtree(top, ignore_errors=True)


def master_of(root: Path) -> Path:
    return root / INBOX / t("merge-output-name")


def shot(browser: Browser, shots: Path, name: str) -> None:
    assert browser.cut_off() == [], name
    assert browser.shot(shots / f"{name}.png").stat().st_size > 10_000


def test_validate_shows_the_findings(site):
    root, b, shots = site
    b.tab("validate")
    b.fill("validate-path", root / INBOX / TIANQIAO.name)
    b.click("validate-run")
    b.wait(lambda: len(b.rows("findings")) == 5)
    rows = b.rows("findings")
    assert [r[0] for r in rows].count("错误") == 3 and all(r[1] == TIANQIAO.name and r[3] and r[5] for r in rows)
    assert "3 个错误" in b.text("validate-msg")
    b.js("const s = document.getElementById('validate-severity'); s.value = 'error'; s.dispatchEvent(new Event('change'))")
    assert len(b.rows("findings")) == 3
    b.fill("validate-filter", rows[0][3])          # a cell address: its own findings only
    assert all(r[3] == rows[0][3] for r in b.rows("findings"))
    b.fill("validate-filter", "")
    b.js("const s = document.getElementById('validate-severity'); s.value = ''; s.dispatchEvent(new Event('change'))")
    shot(b, shots, "validate")
    b.click("validate-copy")
    b.wait(lambda: "xltools-结果" in b.text("validate-msg"))


def test_merge_progress_reaches_the_end_and_a_refusal_is_confirmed(site):
    root, b, shots = site
    b.tab("merge")
    b.fill("merge-folder", root / INBOX)
    b.click("merge-run")
    message = b.wait_done("merge-msg")
    assert "合并 122 项任务" in message and master_of(root).exists()
    assert b.el("merge-bar").get_attribute("style").replace(" ", "") == "width:100%;"
    assert b.text("merge-bar") == "2/2"
    shot(b, shots, "merge")
    # the same folder without 长清区: the page shows what would go and asks
    moved = root / CHANGQING.name
    shutil.move(root / INBOX / CHANGQING.name, moved)
    try:
        b.click("merge-run")
        b.wait(lambda: b.el("merge-refused").is_displayed())
        assert "长清区" in b.text("merge-tasks")
        shot(b, shots, "merge-refused")
        b.click("merge-confirm")
        assert "合并 56 项任务" in b.wait(lambda: "合并" in b.text("merge-msg") and b.text("merge-msg"))
    finally:
        shutil.move(moved, root / INBOX / CHANGQING.name)
    b.click("merge-run")                          # back to both files: 66 added, nothing removed
    assert "合并 122 项任务" in b.wait(lambda: "122" in b.text("merge-msg") and b.text("merge-msg"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_dashboard_counts_are_the_stats_sheet(site, tmp_path):
    from test_master_libreoffice import sheets_as_csv
    from xltools.work.history import before_last
    root, b, shots = site
    if before_last(master_of(root), "merge") is None:          # run alone: a merge to compare with
        from xltools.work.merge import merge
        merge([root / INBOX / TIANQIAO.name], master_of(root))
        merge([root / INBOX], master_of(root))
    b.tab("dashboard")
    b.fill("dash-path", master_of(root))
    b.click("dash-run")
    b.wait(lambda: b.el("dash").is_displayed() and b.rows("dash-list"))
    tiles = b.js("return Object.fromEntries([...document.querySelectorAll('.tile')].map("
                 "d => [d.dataset.state, +d.querySelector('b').textContent]))")
    bars = b.js("return Object.fromEntries([...document.querySelectorAll('#dash-districts .barline')].map("
                "d => [d.dataset.name, +d.querySelector('.count').textContent]))")
    stats = sheets_as_csv(master_of(root), tmp_path)["统计"]
    head, total = stats[0], next(r for r in stats if r[0] == "合计")
    for state, label in WARNING_STATES.items():
        assert tiles[state] == int(total[head.index(label)]), label
    assert tiles["unjudged"] == int(total[head.index(t("state-unjudged"))])
    assert tiles["total"] == int(total[-1]) == 122
    districts = {r[0]: int(r[-1]) for r in stats[1:stats.index(total)]}
    assert bars == districts
    overdue = b.rows("dash-list")                 # the overdue list, with days late
    assert len(overdue) == tiles["overdue"] and all(int(r[5]) > 0 for r in overdue)
    # since the last merge: before = the 统计 of the version that merge kept, as LibreOffice
    # computes it (the same day: both masters' 预警 formulas use today); now = this master's
    kept = before_last(master_of(root), "merge")
    (tmp_path / "before").mkdir()
    old = sheets_as_csv(kept.file, tmp_path / "before")["统计"]
    old_total = next(r for r in old if r[0] == "合计")
    before = b.js("return Object.fromEntries([...document.querySelectorAll('#dash-states .tile')].map("
                  "d => [d.dataset.state, +d.dataset.before]))")
    labels = {**WARNING_STATES, "unjudged": t("state-unjudged")}
    for state, label in labels.items():
        assert before[state] == int(old_total[old[0].index(label)]), label
    assert before["total"] == int(old_total[-1]) == 56 and tiles["total"] == 122
    changes = b.js("return Object.fromEntries([...document.querySelectorAll('#since-counts [data-kind]')].map("
                   "d => [d.dataset.kind, +d.querySelector('b').textContent]))")
    assert changes == {"added": 66, "removed": 0, "changed": 0}
    assert b.text("since-summary") == t("ui-change-lines", n=66)
    shot(b, shots, "dashboard")
    b.js("document.querySelector('#dash-districts .barline[data-name=\"长清区\"]').click()")
    assert len(b.rows("dash-list")) == districts["长清区"] and all(r[0] == "长清区" for r in b.rows("dash-list"))
    first_unit = b.js("return document.querySelector('#dash-units .barline')")
    first_unit.click()
    assert len(b.rows("dash-list")) == int(first_unit.find_element("css selector", ".count").text)


def test_split_collect_report_remind_through_the_page(site):
    """On a small master (three units), so that a shared test machine is not kept busy."""
    import datetime as dt
    from conftest import write_xlsx
    from xltools.work.merge import merge
    root, b, shots = site
    (root / "专项任务").mkdir()
    plan = write_xlsx(root / "专项任务" / "2024年天桥区重点工作任务分解表.xlsx", {"任务": [
        ["2024年天桥区重点工作任务分解表"], ["序号", "工作任务", "牵头单位", "完成时限"],
        [1, "完善财政预决算公开", "区财政局", "2024年3月底前"],
        [2, "做好政策解读", "区司法局", "2024年5月底前"],
        [3, "推进数据开放", "区大数据中心", "2024年12月底前"]]})
    master_path = root / "专项任务" / "汇总表.xlsx"
    merge([plan], master_path, as_of=dt.date(2024, 6, 30))
    master = str(master_path)
    b.tab("split")
    b.fill("split-path", master)
    b.click("split-run")
    assert "报送表" in b.wait_done("split-msg") and b.el("split-bar").get_attribute("style").replace(" ", "") == "width:100%;"
    folder = root / "专项任务" / t("split-folder", name=master_path.stem)
    assert len(list(folder.glob("*.xlsx"))) == 3
    shot(b, shots, "split")
    b.tab("collect")
    b.fill("collect-path", master)
    b.fill("collect-folder", folder)
    b.click("collect-run")
    assert b.wait_done("collect-msg") and "出错" not in b.text("collect-msg")
    shot(b, shots, "collect")
    b.tab("report")
    b.fill("report-path", master)
    b.click("report-run")
    assert ".docx" in b.wait_done("report-msg")
    assert (root / "专项任务" / t("report-name", name=master_path.stem)).stat().st_size > 0
    shot(b, shots, "report")
    b.tab("remind")
    b.fill("remind-path", master)
    b.click("remind-run")
    assert ".docx" in b.wait_done("remind-msg")
    assert len(list((root / "专项任务" / t("remind-folder", name=master_path.stem)).glob("*.docx"))) == 2
    shot(b, shots, "remind")
    b.tab("history")
    b.fill("history-path", master)
    b.click("history-run")
    b.wait(lambda: b.text("history-lines"))
    shot(b, shots, "history")


def test_files_are_picked_in_the_allowed_folders(site):
    root, b, shots = site
    b.tab("merge")
    b.fill("merge-folder", "")
    b.js("document.querySelector('.browse[data-for=merge-folder]').click()")
    item = lambda name: b.js("return [...document.querySelectorAll('#picker-list li')].find(li => "
                             "li.textContent.endsWith(arguments[0]))", name)
    b.wait(lambda: item(str(root.parent)))         # first the roots, nothing else
    assert len(b.rows_of("picker-list")) == 1
    item(str(root.parent)).click()
    b.wait(lambda: item(root.name)).click()
    b.wait(lambda: item(INBOX)).click()
    b.wait(lambda: item(TIANQIAO.name))
    shot(b, shots, "picker")
    b.click("picker-choose")
    assert b.el("merge-folder").get_attribute("value") == str(root / INBOX)
    b.tab("validate")
    b.fill("validate-path", root / INBOX / "另一个.xlsx")
    b.js("document.querySelector('.browse[data-for=validate-path]').click()")
    b.wait(lambda: item(TIANQIAO.name)).click()    # a file picker starts in the folder typed, a click chooses
    assert b.el("validate-path").get_attribute("value") == str(root / INBOX / TIANQIAO.name)


def test_the_other_pages_and_english(site):
    root, b, shots = site
    b.tab("units")
    b.click("units-view")
    b.wait(lambda: len(b.rows("units-table")) > 50)
    shot(b, shots, "units")
    for name in ("flag", "newplan"):
        b.tab(name)
        shot(b, shots, name)
    b.click("lang")
    assert b.js("return document.querySelector('#tabs button[data-tab=validate]').textContent") == "Validate"
    b.tab("validate")
    b.fill("validate-path", root / INBOX / TIANQIAO.name)
    b.click("validate-run")
    b.wait(lambda: [r[0] for r in b.rows("findings")].count("Error") == 3)
    b.wait(lambda: "3 error" in b.text("validate-msg"))
    shot(b, shots, "validate-en")
    b.tab("dashboard")
    if b.el("dash").is_displayed():               # the dashboard asks again in English
        b.wait(lambda: "overdue" in b.text("dash-states"))
        shot(b, shots, "dashboard-en")
    b.click("lang")
    assert b.js("return document.querySelector('#tabs button[data-tab=validate]').textContent") == "校验"


def test_the_page_has_a_chinese_font():
    """Screenshots in Chinese need a CJK font on the system (fonts-noto-cjk in .ci/run)."""
    found = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    assert found.strip()


def drop_file(b: Browser, field: str, path: Path, name: str) -> None:
    """What a person's drag and drop gives the page: a drop event with the file's bytes."""
    b.js("""const [field, name, data] = arguments;
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name));
            document.getElementById(field).closest('.row').dispatchEvent(
              new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));""",
         field, name, base64.b64encode(path.read_bytes()).decode())


def test_a_dropped_file_is_saved_in_the_chosen_folder_and_read(site):
    root, b, shots = site
    folder = root / "收到的文件"
    folder.mkdir(exist_ok=True)
    b.fill("drop-folder", folder)
    b.tab("validate")
    b.fill("validate-path", "")
    drop_file(b, "validate-path", root / INBOX / TIANQIAO.name, "天桥区报来的表.xlsx")
    # saved, then validated: the findings are the dropped file's
    b.wait(lambda: [r[1] for r in b.rows("findings")] == ["天桥区报来的表.xlsx"] * 5)
    assert b.el("validate-path").get_attribute("value") == str(folder / "天桥区报来的表.xlsx")
    assert (folder / "天桥区报来的表.xlsx").read_bytes() == (root / INBOX / TIANQIAO.name).read_bytes()
    b.tab("flag")                                          # any field takes a dropped file
    drop_file(b, "flag-path", root / INBOX / TIANQIAO.name, "天桥区报来的表.xlsx")
    b.wait(lambda: b.el("flag-path").get_attribute("value") == str(folder / "天桥区报来的表 (2).xlsx"))
    b.tab("merge")                                         # a folder field: the folder the files went to
    b.fill("merge-folder", "")
    drop_file(b, "merge-folder", root / INBOX / CHANGQING.name, CHANGQING.name)
    b.wait(lambda: b.el("merge-folder").get_attribute("value") == str(folder))
    assert (folder / CHANGQING.name).exists()
    shutil.rmtree(folder)


def test_a_result_opens_with_the_computers_program(site):
    root, b, shots = site
    b.tab("report")
    b.fill("report-path", master_of(root) if master_of(root).exists() else root / "专项任务" / "汇总表.xlsx")
    b.click("report-run")
    assert ".docx" in b.wait_done("report-msg")
    OPENED.clear()
    b.js("document.querySelector('#report-msg .open-here').click()")
    b.wait(lambda: OPENED)
    assert OPENED[0].suffix == ".docx" and OPENED[0].parent == Path(b.el("report-path").get_attribute("value")).parent
    assert OPENED[0].name in b.wait(lambda: b.js("return document.querySelector('#report-msg .note').textContent"))
    assert b.js("return document.querySelector('#report-msg a.open').href").count("/api/download?path=") == 1


def test_units_are_edited_on_the_page(site):
    import openpyxl
    from xltools.work.userfiles import registry_path
    root, b, shots = site
    b.tab("units")
    b.click("units-view")
    b.wait(lambda: len(b.rows("units-table")) > 50)
    b.fill("unit-add-name", "区新设局")
    b.click("unit-add")
    row = lambda name: b.js("return document.querySelector('#units-table tr[data-name=\"' + arguments[0] + '\"]')", name)
    b.wait(lambda: row("区新设局"))
    row("区档案馆").find_element("css selector", "button.rename").click()
    box = row("区档案馆").find_element("css selector", ".actions input")
    box.send_keys("区档案馆（区史志研究中心）")
    row("区档案馆").find_element("css selector", ".actions button.ok").click()
    b.wait(lambda: row("区档案馆（区史志研究中心）"))
    row("区医疗保障局").find_element("css selector", "button.remove").click()
    assert "区新设局" in b.text("units-edits") and not b.el("units-pending").get_attribute("hidden")
    b.js("window.scrollTo(0, 0)")                    # the edits waiting to be saved, above the list
    shot(b, shots, "units-edit")
    b.click("units-edit-save")
    assert "单位名录已保存" in b.wait_done("units-msg")
    names = {r[1] for r in openpyxl.load_workbook(registry_path())["单位名录"].iter_rows(min_row=2, values_only=True)}
    assert {"区新设局", "区档案馆（区史志研究中心）"} <= names and not names & {"区档案馆", "区医疗保障局"}
    assert b.el("units-pending").get_attribute("hidden") is not None and not row("区档案馆")
