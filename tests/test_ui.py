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
