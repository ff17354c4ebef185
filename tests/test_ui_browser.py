"""The local page in a real headless Chromium: validate a sheet and see its findings, merge
the examples with the progress bar reaching the end (and the refusal confirmed on the page),
the dashboard's counts equal to the 统计 sheet as LibreOffice computes it, and split,
collect, report and remind through the page.  A screenshot of each page at 1366×768, where
nothing may be cut off."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from xltools.schema import WARNING_STATES
from xltools.texts import t

from conftest import CHANGQING, TIANQIAO
from lo import SOFFICE
from ui_browser import Browser, Server, have_browser

pytestmark = pytest.mark.skipif(not have_browser(), reason="chromium, chromedriver or selenium is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("page")
    mp = pytest.MonkeyPatch()
    mp.setenv("XLTOOLS_HOME", str(root / "home"))
    (root / "in").mkdir()
    for f in (TIANQIAO, CHANGQING):
        shutil.copy(f, root / "in")
    server = Server([root])
    browser = Browser(server.url)
    # scripts/ui_screenshots.py runs these tests with XLTOOLS_UI_SHOTS=docs/screenshots
    shots = Path(os.environ.get("XLTOOLS_UI_SHOTS") or tmp_path_factory.mktemp("screenshots"))
    yield root, browser, shots
    browser.close()
    server.close()
    mp.undo()


def master_of(root: Path) -> Path:
    return root / "in" / t("merge-output-name")


def shot(browser: Browser, shots: Path, name: str) -> None:
    assert browser.cut_off() == [], name
    assert browser.shot(shots / f"{name}.png").stat().st_size > 10_000


def test_validate_shows_the_findings(site):
    root, b, shots = site
    b.tab("validate")
    b.fill("validate-path", root / "in" / TIANQIAO.name)
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
    b.fill("merge-folder", root / "in")
    b.click("merge-run")
    message = b.wait_done("merge-msg")
    assert "合并 122 项任务" in message and master_of(root).exists()
    assert b.el("merge-bar").get_attribute("style").replace(" ", "") == "width:100%;"
    assert b.text("merge-bar") == "2/2"
    shot(b, shots, "merge")
    # the same folder without 长清区: the page shows what would go and asks
    moved = root / CHANGQING.name
    shutil.move(root / "in" / CHANGQING.name, moved)
    try:
        b.click("merge-run")
        b.wait(lambda: b.el("merge-refused").is_displayed())
        assert "长清区" in b.text("merge-tasks")
        shot(b, shots, "merge-refused")
        b.click("merge-confirm")
        assert "合并 56 项任务" in b.wait(lambda: "合并" in b.text("merge-msg") and b.text("merge-msg"))
    finally:
        shutil.move(moved, root / "in" / CHANGQING.name)
    b.click("merge-run")                          # back to both files: 66 added, nothing removed
    assert "合并 122 项任务" in b.wait(lambda: "122" in b.text("merge-msg") and b.text("merge-msg"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_dashboard_counts_are_the_stats_sheet(site, tmp_path):
    from test_master_libreoffice import sheets_as_csv
    root, b, shots = site
    if not master_of(root).exists():
        from xltools.work.merge import merge
        merge([root / "in"], master_of(root))
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
    (root / "small").mkdir()
    plan = write_xlsx(root / "small" / "2024年天桥区重点工作任务分解表.xlsx", {"任务": [
        ["2024年天桥区重点工作任务分解表"], ["序号", "工作任务", "牵头单位", "完成时限"],
        [1, "完善财政预决算公开", "区财政局", "2024年3月底前"],
        [2, "做好政策解读", "区司法局", "2024年5月底前"],
        [3, "推进数据开放", "区大数据中心", "2024年12月底前"]]})
    master_path = root / "small" / "汇总表.xlsx"
    merge([plan], master_path, as_of=dt.date(2024, 6, 30))
    master = str(master_path)
    b.tab("split")
    b.fill("split-path", master)
    b.click("split-run")
    assert "报送表" in b.wait_done("split-msg") and b.el("split-bar").get_attribute("style").replace(" ", "") == "width:100%;"
    folder = root / "small" / t("split-folder", name=master_path.stem)
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
    assert (root / "small" / t("report-name", name=master_path.stem)).stat().st_size > 0
    shot(b, shots, "report")
    b.tab("remind")
    b.fill("remind-path", master)
    b.click("remind-run")
    assert ".docx" in b.wait_done("remind-msg")
    assert len(list((root / "small" / t("remind-folder", name=master_path.stem)).glob("*.docx"))) == 2
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
    b.wait(lambda: item(str(root)))                # first the roots, nothing else
    assert len(b.rows_of("picker-list")) == 1
    item(str(root)).click()
    b.wait(lambda: item("in")).click()
    b.wait(lambda: item(TIANQIAO.name))
    shot(b, shots, "picker")
    b.click("picker-choose")
    assert b.el("merge-folder").get_attribute("value") == str(root / "in")
    b.tab("validate")
    b.fill("validate-path", root / "in" / "另一个.xlsx")
    b.js("document.querySelector('.browse[data-for=validate-path]').click()")
    b.wait(lambda: item(TIANQIAO.name)).click()    # a file picker starts in the folder typed, a click chooses
    assert b.el("validate-path").get_attribute("value") == str(root / "in" / TIANQIAO.name)


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
    b.fill("validate-path", root / "in" / TIANQIAO.name)
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
