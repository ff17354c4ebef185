"""The local page's server, through Flask's test client: who may ask (token, loopback),
which paths (the roots, no `..`, no symlink out), and each action giving what the library
gives — files read back by openpyxl, the dashboard against the master's own numbers."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from xltools.texts import t
from xltools.ui import make_app
from xltools.work.merge import merge
from xltools.work.report import read_report

from conftest import CHANGQING, ROOT, TIANQIAO

TOKEN = "test-token"


@pytest.fixture
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("XLTOOLS_HOME", str(tmp_path / "home"))
    (tmp_path / "in").mkdir()
    for f in (TIANQIAO, CHANGQING):
        shutil.copy(f, tmp_path / "in")
    return tmp_path


@pytest.fixture
def client(root):
    return make_app([root], TOKEN).test_client()


def post(client, url, **data):
    return client.post(f"{url}?token={TOKEN}", json=data)


def wait(client, job: dict) -> dict:
    for _ in range(600):
        job = client.get(f"/api/job/{job['id']}?token={TOKEN}").get_json()
        if job["state"] != "running":
            return job
        time.sleep(0.1)
    raise AssertionError("job did not end")


# ------------------------------------------------------------------ who may ask

def test_token_is_checked_on_every_request(client, root):
    assert client.get("/").status_code == 403
    assert client.get("/?token=wrong").status_code == 403
    assert client.post("/api/validate", json={"path": str(root / "in" / TIANQIAO.name)}).status_code == 403
    page = client.get(f"/?token={TOKEN}")
    assert page.status_code == 200 and "任务工具" in page.get_data(as_text=True)
    assert "httponly" in page.headers["Set-Cookie"].lower()
    # the cookie set by the first visit is enough afterwards
    assert client.post("/api/validate", json={"path": str(root / "in" / TIANQIAO.name)}).status_code == 200


def test_a_non_loopback_address_is_refused(client):
    far = client.get(f"/?token={TOKEN}", environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert far.status_code == 403 and t("ui-not-local") in far.get_data(as_text=True)
    assert client.get(f"/?token={TOKEN}", environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code == 200


def test_paths_outside_the_roots_are_refused(client, root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    shutil.copy(TIANQIAO, outside / "plan.xlsx")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "in" / "file-link.xlsx").symlink_to(outside / "plan.xlsx")
    for path in (str(outside / "plan.xlsx"), str(root / "in" / ".." / ".." / outside.name / "plan.xlsx"),
                 str(root / "link" / "plan.xlsx"), str(root / "in" / "file-link.xlsx"), "/etc/passwd",
                 "in/" + TIANQIAO.name):
        r = post(client, "/api/validate", path=path)
        assert r.status_code == 403, path
        assert "不能使用这个位置" in r.get_json()["error"]
    assert client.get(f"/api/list?token={TOKEN}&dir={outside}").status_code == 403
    assert client.get(f"/api/download?token={TOKEN}&path=/etc/passwd").status_code == 403
    # writing counts too: a merge whose output is outside, or whose folder is a link out
    assert post(client, "/api/merge", folder=str(root / "in"), output=str(outside / "m.xlsx")).status_code == 403
    assert post(client, "/api/merge", folder=str(root / "link")).status_code == 403
    assert not (outside / "m.xlsx").exists()


# ------------------------------------------------------------------ the actions

def test_validate_lists_the_findings_and_writes_the_marked_copy(client, root):
    plan = root / "in" / TIANQIAO.name
    before = plan.read_bytes()
    r = post(client, "/api/validate", path=str(plan)).get_json()
    found = r["report"]["findings"]
    assert r["report"]["stats"]["errors"] == 3 and r["report"]["stats"]["warnings"] == 2
    assert all(f["file"] and f["sheet"] and f["cell"] and f["message"] and f["suggestion"] for f in found)
    copy = Path(post(client, "/api/annotate", path=str(plan)).get_json()["file"])
    assert copy.parent == plan.parent and copy != plan and plan.read_bytes() == before
    wb = openpyxl.load_workbook(copy)
    results = wb[t("results-sheet")]
    rows = list(results.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(found)
    assert {(row[1], row[2]) for row in rows} == {(f["sheet"], f["cell"]) for f in found}
    for f in found:
        cell = wb[f["sheet"]][f["cell"]]
        assert cell.fill.fgColor.rgb.endswith("FFC7CE" if f["severity"] == "error" else "FFEB9C"), f["cell"]
        assert f["message"] in cell.comment.text
    assert client.get(f"/api/download?token={TOKEN}&path={copy}").data == copy.read_bytes()


def test_a_re_merge_names_on_the_page_what_it_could_not_carry(client, root):
    """A picture the office put on 汇总 is not carried into the new master: the page says
    so (as the CLI and 合并记录 do), it is not dropped in silence."""
    from openpyxl.drawing.image import Image
    from PIL import Image as Picture

    master = root / "in" / t("merge-output-name")
    assert wait(client, post(client, "/api/merge", folder=str(root / "in")).get_json())["state"] == "done"
    wb = openpyxl.load_workbook(master)
    picture = root / "p.png"
    Picture.new("RGB", (8, 8), "red").save(picture)
    wb["汇总"].add_image(Image(str(picture)), "B3")
    wb.save(master)
    done = wait(client, post(client, "/api/merge", folder=str(root / "in")).get_json())
    assert done["state"] == "done"
    assert "“汇总”" in done["result"]["message"] and "未带入新汇总表" in done["result"]["message"]


def test_merge_runs_as_a_job_and_asks_before_removing_tasks(client, root):
    job = post(client, "/api/merge", folder=str(root / "in")).get_json()
    done = wait(client, job)
    master = root / "in" / t("merge-output-name")
    assert done["state"] == "done" and done["done"] == done["total"] == 2 and master.exists()
    assert "合并 122 项任务" in done["result"]["message"]
    (root / "in" / CHANGQING.name).unlink()          # 66 tasks would go: refused, shown, nothing written
    before = master.read_bytes()
    refused = wait(client, post(client, "/api/merge", folder=str(root / "in")).get_json())
    assert refused["state"] == "refused" and refused["result"]["removed"] == 66
    assert any("长清区" in line for line in refused["result"]["lines"])
    assert master.read_bytes() == before
    replaced = wait(client, post(client, "/api/merge", folder=str(root / "in"), replace=True).get_json())
    assert replaced["state"] == "done" and "合并 56 项任务" in replaced["result"]["message"]
    history = post(client, "/api/history", path=str(master)).get_json()
    assert len(history["versions"]) == 1                       # the master replaced was kept
    undone = post(client, "/api/undo", path=str(master)).get_json()
    assert master.name in undone["message"] and master.read_bytes() == before


def test_dashboard_is_the_circular_of_the_master(client, root):
    master = root / "m.xlsx"
    merge([root / "in"], master, as_of=__import__("datetime").date(2024, 6, 30))
    d = post(client, "/api/dashboard", path=str(master)).get_json()
    c = read_report(master).circular()
    assert d["total"] == c.total.counts and sum(d["total"].values()) == 122
    assert [(r["name"], r["counts"]) for r in d["by_district"]] == [(r.name, r.counts.counts) for r in c.by_district]
    assert [x["days"] for x in d["overdue"]] == [x.days for x in c.overdue] and all(x["days"] > 0 for x in d["overdue"])
    # a unit's bar leads to exactly the tasks counted in it
    for row in d["by_unit"]:
        lines = [d["lines"][i] for i in d["unit_lines"][row["name"]]]
        assert len(lines) == sum(row["counts"].values())
        assert sum(x["state"] == "overdue" for x in lines) == row["counts"]["overdue"]


def test_the_loop_through_the_page(client, root):
    master = root / "m.xlsx"
    merge([root / "in"], master)
    split = wait(client, post(client, "/api/split", path=str(master)).get_json())
    assert split["state"] == "done" and split["result"]["files"]
    returns = Path(split["result"]["folder"])
    assert returns.parent == root and len(list(returns.glob("*.xlsx"))) == len(split["result"]["files"])
    collected = wait(client, post(client, "/api/collect", path=str(master), folder=str(returns)).get_json())
    assert collected["state"] == "done" and collected["result"]["message"]
    circular = post(client, "/api/report", path=str(master)).get_json()
    assert Path(circular["file"]).suffix == ".docx" and Path(circular["file"]).stat().st_size > 0
    reminders = post(client, "/api/remind", path=str(master)).get_json()
    assert reminders["files"] and all(Path(f["file"]).exists() for f in reminders["files"])
    flagged = post(client, "/api/flag", path=str(root / "in" / TIANQIAO.name)).get_json()
    assert TIANQIAO.name in flagged["message"]
    header = {c.value for row in openpyxl.load_workbook(root / "in" / TIANQIAO.name)["任务分工"].iter_rows(max_row=40)
              for c in row}
    assert {"截止日期", "预警"} <= header
    plan = post(client, "/api/newplan", year=2026, district="天桥区", folder=str(root)).get_json()
    assert Path(plan["file"]).exists() and "2026" in Path(plan["file"]).name


def test_units_view_and_learn(client, root, xlsx):
    units = post(client, "/api/units").get_json()
    assert len(units["units"]) > 50 and not units["exists"]
    learned = post(client, "/api/units/learn", path=str(root / "in" / TIANQIAO.name), save=True).get_json()
    assert learned["saved"] and Path(learned["saved"]).exists()
    assert Path(learned["saved"]).parent == root / "home"


def test_errors_are_one_chinese_line(client, root):
    bad = root / "in" / "坏文件.xlsx"
    bad.write_bytes(b"not a zip")
    r = post(client, "/api/dashboard", path=str(bad))
    assert r.status_code == 400 and "坏文件.xlsx" in r.get_json()["error"] and "Traceback" not in r.get_json()["error"]
    assert post(client, "/api/validate", path="").get_json()["error"] == t("ui-no-path")


# ------------------------------------------------------------------ the command

def test_xltools_ui_prints_its_address_first(root):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XLTOOLS_HOME": str(root / "home")}
    proc = subprocess.Popen([sys.executable, "-c", "from xltools.cli import main; main()", "ui", "--no-browser",
                             "--root", str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and "token=" in url
        assert str(root) in proc.stdout.readline()
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # loopback: never through a proxy
        with direct.open(url, timeout=10) as page:
            assert page.status == 200 and "任务工具" in page.read().decode("utf-8")
        with pytest.raises(urllib.error.HTTPError) as refused:
            direct.open(url.split("?")[0], timeout=10)
        assert refused.value.code == 403
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ------------------------------------------------------------------ since the last merge

def test_dashboard_shows_what_the_last_merge_changed(client, root):
    """The counts before the last merge are those of the version that merge kept, judged
    as of the same day by the same rule; added/removed/changed are the 变更 sheet's."""
    import datetime as dt
    from xltools.work.history import history
    day = dt.date(2024, 6, 30)
    master = root / "m.xlsx"
    merge([root / "in" / TIANQIAO.name], master, as_of=day)
    first = post(client, "/api/dashboard", path=str(master)).get_json()["since"]
    assert first["first"] and first["before"] is None and first["note"] == t("changes-first", n=56)
    assert sum(first["now"].values()) == 56
    merge([root / "in"], master, as_of=day)                       # 长清区 comes in: 66 tasks added
    d = post(client, "/api/dashboard", path=str(master)).get_json()
    since = d["since"]
    kept = history(master).versions[0]
    assert kept.command == "merge" and since["version"] == kept.id and not since["first"]
    # the 变更 sheet, read by openpyxl: one 新增 line per task added
    sheet = openpyxl.load_workbook(master)["变更"]
    kinds = [(r[0], r[1]) for r in sheet.iter_rows(values_only=True) if r[0] in ("新增", "删除", "修改")]
    assert since["added"] == len({k for kind, k in kinds if kind == "新增"}) == 66
    assert since["removed"] == since["changed"] == 0 and len(since["lines"]) == len(kinds)
    assert {x["district"] for x in since["lines"]} == {"长清区"}
    # before: the kept file's 汇总 (openpyxl counts its rows), judged as the dashboard judges now
    rows = [r for r in openpyxl.load_workbook(kept.file)["汇总"].iter_rows(min_row=2, values_only=True) if any(r)]
    assert sum(since["before"].values()) == len(rows) == 56
    assert since["before"] == read_report(kept.file, as_of=day).circular().total.counts
    assert since["now"] == d["total"] and sum(since["now"].values()) == 122
    assert since["now"]["overdue"] > since["before"]["overdue"]   # 长清区's 2022 deadlines are past in 2024
    # undone, the merge no longer counts: the master is the first merge again
    post(client, "/api/undo", path=str(master))
    undone = post(client, "/api/dashboard", path=str(master)).get_json()["since"]
    assert undone["first"] and undone["before"] is None and sum(undone["now"].values()) == 56


# ------------------------------------------------------------------ the registry, edited

def test_units_are_edited_and_saved_with_a_version(client, root):
    from xltools.work.history import history
    from xltools.work.userfiles import registry_path, user_registry
    from xltools.write.files import output_lock
    edits = [{"op": "add", "name": "区新设局", "kind": "部门"},
             {"op": "add", "name": "新城街道", "kind": "街道", "district": "天桥区"},
             {"op": "rename", "name": "区档案馆", "value": "区档案馆（区史志研究中心）"},
             {"op": "alias", "name": "区财政局", "value": "财政局"},
             {"op": "remove", "name": "区医疗保障局"}]
    saved = post(client, "/api/units/edit", edits=edits)
    assert saved.status_code == 200, saved.get_json()
    path = registry_path()
    assert saved.get_json()["file"] == str(path) and path.parent == root / "home"
    rows = {r[1]: r for r in openpyxl.load_workbook(path)["单位名录"].iter_rows(min_row=2, values_only=True)}
    assert rows["区新设局"][3] == "部门" and rows["新城街道"][0] == "天桥区" and rows["新城街道"][3] == "街道"
    assert "区档案馆" not in rows and "区档案馆（区史志研究中心）" in rows
    assert "财政局" in rows["区财政局"][2].split("、") and "区医疗保障局" not in rows
    assert saved.get_json()["count"] == len(rows)
    assert user_registry().resolve("区新设局") is not None            # the page and the CLI read it now
    listed = post(client, "/api/units").get_json()
    assert listed["exists"] and {u["name"] for u in listed["units"]} == set(rows)
    # an edit that cannot be made: the whole save refused, the file as it was, no version
    before = path.read_bytes()
    for bad in ([{"op": "add", "name": "区新设局", "kind": "部门"}], [{"op": "remove", "name": "区不存在局"}],
                [{"op": "alias", "name": "区新设局", "value": "区财政局"}], [{"op": "add", "name": "区x局", "kind": "猫"}],
                [{"op": "rename", "name": "区新设局", "value": ""}], [{"op": "drop", "name": "区新设局"}]):
        r = post(client, "/api/units/edit", edits=bad)
        assert r.status_code == 400 and "Traceback" not in r.get_json()["error"], bad
    assert path.read_bytes() == before and history(path).versions == []
    # a second save keeps the first file as a version (undo puts it back)
    again = post(client, "/api/units/edit", edits=[{"op": "remove", "name": "区新设局"}]).get_json()
    assert again["kept"] and [v.command for v in history(path).versions] == ["units"]
    assert history(path).versions[0].file.read_bytes() == before
    # the same lock as every writer: held by someone else, nothing is written
    after = path.read_bytes()
    with output_lock(path):
        busy = post(client, "/api/units/edit", edits=[{"op": "add", "name": "区另一局", "kind": "部门"}])
    assert busy.status_code == 400 and path.name in busy.get_json()["error"] and path.read_bytes() == after


# ------------------------------------------------------------------ dropped files, opening results

def test_a_dropped_file_is_saved_in_the_chosen_folder(client, root, tmp_path_factory):
    import io
    inbox = root / "in"
    data = TIANQIAO.read_bytes()

    def drop(name, folder, body=data):
        return client.post(f"/api/upload?token={TOKEN}", data={"file": (io.BytesIO(body), name), "folder": folder},
                           content_type="multipart/form-data")
    first = drop("收到的计划.xlsx", str(inbox))
    assert first.status_code == 200 and Path(first.get_json()["path"]) == inbox / "收到的计划.xlsx"
    assert (inbox / "收到的计划.xlsx").read_bytes() == data
    assert not (inbox / "收到的计划.xlsx").stat().st_mode & 0o111             # never executable
    second = drop("收到的计划.xlsx", str(inbox), b"other")                   # the file there stays
    assert Path(second.get_json()["path"]) == inbox / "收到的计划 (2).xlsx"
    # a browser may send a path: only its last part names the file (forward slashes here:
    # how a backslash in the form's header is unescaped differs between Werkzeug versions)
    third = drop("C:/fakepath/收到的计划.xlsx", str(inbox), b"third")
    assert Path(third.get_json()["path"]) == inbox / "收到的计划 (3).xlsx"
    assert (inbox / "收到的计划.xlsx").read_bytes() == data
    assert post(client, "/api/validate", path=first.get_json()["path"]).get_json()["report"]["stats"]["errors"] == 3
    outside = tmp_path_factory.mktemp("elsewhere")
    assert drop("a.xlsx", str(outside)).status_code == 403 and not list(outside.iterdir())
    assert drop("a.xlsx", "").status_code == 400
    assert drop("run.bat", str(inbox)).status_code == 400 and not (inbox / "run.bat").exists()
    assert drop("a.xlsx", str(inbox / TIANQIAO.name)).status_code == 400          # a file, not a folder
    assert not [p for p in inbox.iterdir() if p.name.startswith(".~")]          # no temporary file left


@pytest.fixture
def opened(monkeypatch):
    """The OS boundary replaced: what the page asked the system to open."""
    from xltools.ui import opener
    calls = []
    monkeypatch.setattr(opener, "launch", calls.append)
    return calls


def test_open_hands_only_checked_paths_to_the_system(client, root, opened, tmp_path_factory):
    plan = root / "in" / TIANQIAO.name
    assert client.post("/api/open", json={"path": str(plan)}).status_code == 403       # no token
    outside = tmp_path_factory.mktemp("outside")
    shutil.copy(TIANQIAO, outside / "plan.xlsx")
    (root / "link.xlsx").symlink_to(outside / "plan.xlsx")
    (root / "in" / "run.bat").write_text("calc.exe")
    (root / "in" / "run.desktop").write_text("[Desktop Entry]")
    for path, status in ((str(outside / "plan.xlsx"), 403), (str(root / "in" / ".." / "in" / TIANQIAO.name), 403),
                         (str(root / "link.xlsx"), 403), (str(root / "in" / "run.bat"), 403),
                         (str(root / "in" / "run.desktop"), 403), (str(root / "in" / "无.xlsx"), 404),
                         ("in/" + TIANQIAO.name, 403), ("", 400)):
        r = post(client, "/api/open", path=path)
        assert r.status_code == status, path
    assert opened == []
    assert post(client, "/api/open", path=str(plan)).get_json()["opened"] == str(plan)
    assert post(client, "/api/open", path=str(root / "in")).status_code == 200          # a folder: the file manager
    assert opened == [plan, root / "in"]


def test_launch_runs_the_opener_by_argument_list(monkeypatch, tmp_path):
    from xltools.ui import opener
    seen = []
    monkeypatch.setattr(opener.subprocess, "Popen", lambda *a, **k: seen.append((a, k)))
    monkeypatch.setattr(opener.sys, "platform", "linux")
    monkeypatch.setattr(opener.shutil, "which", lambda name: "/usr/bin/xdg-open" if name == "xdg-open" else None)
    path = tmp_path / "汇总 表;rm -rf ~.xlsx"
    opener.launch(path)
    (args, kwargs), = seen
    assert args == (["/usr/bin/xdg-open", str(path)],) and not kwargs.get("shell")
    monkeypatch.setattr(opener.shutil, "which", lambda name: None)
    with pytest.raises(OSError):
        opener.launch(path)
