"""The local page's server: a Flask app on 127.0.0.1 only, a secret token on every
request, every path inside the folders the user allowed.  Each action is one call of the
library function the CLI and the ribbon call; long ones run in a thread (a job the page
polls).  No domain logic here: the library does the reading, the rules, the locks and
the atomic writes."""
from __future__ import annotations

import hmac
import json
import os
import secrets
import tempfile
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import Any, Callable

from flask import Flask, Response, abort, g, jsonify, request, send_file

from xltools.errors import XltoolsError
from xltools.read.limits import MAX_FILE_BYTES
from xltools.texts import DOC_LANG, TEXTS, t
from xltools.ui import opener
from xltools.work.userfiles import registry_path, user_dir, user_registry

__all__ = ["PageError", "make_app", "allowed_roots", "LOOPBACK", "COOKIE"]

HERE = Path(__file__).resolve().parent
LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}
COOKIE = "xltools_token"
SHOWN = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt", ".docx")


class PageError(XltoolsError):
    """A request the page refuses (a path outside the roots, a missing field)."""

    def __init__(self, key: str, status: int = 400, **params):
        self.status = status
        super().__init__(key, **params)


# ------------------------------------------------------------------ where files may be

def allowed_roots(given: list[str] | tuple[str, ...] = ()) -> list[Path]:
    """--root folders (else the home folder), plus the roots saved in ~/.xltools/ui.json."""
    roots = list(given) or [str(Path.home())]
    try:
        roots += json.loads((user_dir() / "ui.json").read_text(encoding="utf-8")).get("roots", [])
    except (OSError, ValueError, AttributeError):
        pass
    out: list[Path] = []
    for r in roots:
        p = Path(os.path.realpath(os.path.expanduser(str(r))))
        if p.is_dir() and p not in out:
            out.append(p)
    return out


def _inside(raw: Any, roots: list[Path], *, exists: bool = True) -> Path:
    """The real path of `raw` (symlinks followed) if it lies in a root; refused otherwise.
    `..` is refused as written, whatever it would resolve to."""
    if not raw or not isinstance(raw, str):
        raise PageError("ui-no-path")
    shown = "、".join(map(str, roots))
    if ".." in Path(raw).parts or not Path(raw).is_absolute() or "\x00" in raw:
        raise PageError("ui-outside", 403, path=raw, roots=shown)
    real = Path(os.path.realpath(raw))
    if not any(real == r or r in real.parents for r in roots):
        raise PageError("ui-outside", 403, path=raw, roots=shown)
    if exists and not real.exists():
        raise PageError("ui-not-found", 404, path=raw)
    if not exists and not real.parent.is_dir():
        raise PageError("ui-not-found", 404, path=str(real.parent))
    return real


# ------------------------------------------------------------------ background jobs

@dataclass
class Job:
    id: str
    state: str = "running"            # running, done, failed, refused
    done: int = 0
    total: int = 0
    file: str = ""
    result: dict = field(default_factory=dict)
    error: str = ""

    def progress(self, done: int, total: int, path) -> None:
        self.done, self.total, self.file = done, total, Path(path).name

    def to_dict(self) -> dict:
        return {"id": self.id, "state": self.state, "done": self.done, "total": self.total, "file": self.file,
                "result": self.result, "error": self.error}


class Jobs:
    def __init__(self):
        self.jobs: dict[str, Job] = {}

    def start(self, work: Callable[[Job], dict], lang: str, refused: type | None = None) -> Job:
        job = Job(uuid.uuid4().hex)
        self.jobs[job.id] = job

        def run():
            try:
                job.result = work(job)
                job.state = "done"
            except XltoolsError as exc:
                job.error = exc.message(lang)
                job.state = "refused" if refused is not None and isinstance(exc, refused) else "failed"
                if job.state == "refused":
                    job.result = {**exc.preview.to_dict(), "lines": exc.preview.task_lines(lang, limit=50)}
            except OSError as exc:
                job.error, job.state = t("file-io", lang, file=exc.filename or "", reason=exc.strerror or str(exc)), \
                    "failed"
            except Exception as exc:  # a bug of ours: one line, never a traceback on the page
                job.error, job.state = t("internal-error", lang, error=f"{type(exc).__name__}: {exc}"), "failed"

        # not a daemon: stopping the server lets a running job finish its atomic write
        threading.Thread(target=run, name=f"xltools-job-{job.id[:8]}").start()
        return job


# ------------------------------------------------------------------ the app

def make_app(roots: list[Path], token: str | None = None) -> Flask:
    app = Flask(__name__, static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=MAX_FILE_BYTES + 2**20, TOKEN=token or secrets.token_urlsafe(24),
                      ROOTS=roots)
    jobs = Jobs()

    def lang() -> str:
        value = (request.get_json(silent=True) or {}).get("lang") if request.is_json else None
        value = value or request.args.get("lang") or request.form.get("lang")
        return "en" if value == "en" else "zh"

    def inside(raw, exists=True) -> Path:
        return _inside(raw, roots, exists=exists)

    @app.before_request
    def guard():
        if request.remote_addr not in LOOPBACK:
            abort(Response(t("ui-not-local", lang()), 403, mimetype="text/plain"))
        given = request.args.get("token") or request.headers.get("X-Token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), app.config["TOKEN"].encode()):
            abort(Response(t("ui-forbidden", lang()), 403, mimetype="text/plain"))
        g.token_in_address = bool(request.args.get("token"))

    @app.after_request
    def headers(resp):
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["X-Frame-Options"] = "DENY"
        resp.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"
        resp.headers["Cache-Control"] = "no-store"
        if g.get("token_in_address"):      # never on a refused request: abort passes here too
            resp.set_cookie(COOKIE, app.config["TOKEN"], httponly=True, samesite="Strict")
        return resp

    @app.errorhandler(XltoolsError)
    def refused(exc):
        return jsonify(error=exc.message(lang())), getattr(exc, "status", 400)

    @app.errorhandler(413)
    def too_big(exc):
        return jsonify(error=t("ui-upload-too-big", lang(), limit=f"{MAX_FILE_BYTES // 2**20} MB")), 413

    @app.errorhandler(PermissionError)
    def no_permission(exc):
        return jsonify(error=t("file-no-permission", lang(), file=exc.filename or "")), 400

    # ---------------------------------------------------------- the page, its files

    @app.get("/")
    def page():
        html = (HERE / "static" / "index.html").read_text(encoding="utf-8")
        texts = {lg: {k: v[i] for k, v in TEXTS.items() if k.startswith("ui-")} for i, lg in enumerate(("zh", "en"))}
        html = html.replace("/*TEXTS*/{}", json.dumps(texts, ensure_ascii=False).replace("</", "<\\/"))
        return Response(html, mimetype="text/html")

    @app.get("/static/<name>")
    def static_file(name):
        if name not in ("app.js", "style.css"):
            abort(404)
        return send_file(HERE / "static" / name)

    @app.get("/api/list")
    def listing():
        if not request.args.get("dir"):
            return jsonify(dir=None, roots=[str(r) for r in roots], entries=[])
        folder = inside(request.args["dir"])
        entries = []
        for p in sorted(folder.iterdir(), key=lambda p: (not p.is_dir(), p.name)):
            if p.name.startswith((".", "~$")):
                continue
            if p.is_dir() or p.suffix.lower() in SHOWN:
                entries.append({"name": p.name, "path": str(p), "dir": p.is_dir()})
        parent = str(folder.parent) if any(folder.parent == r or r in folder.parent.parents for r in roots) else None
        return jsonify(dir=str(folder), parent=parent, roots=[str(r) for r in roots], entries=entries)

    @app.get("/api/download")
    def download():
        path = inside(request.args.get("path"))
        if not path.is_file():
            raise PageError("ui-not-found", 404, path=str(path))
        return send_file(path, as_attachment=True, download_name=path.name)

    @app.post("/api/upload")
    def upload():
        """A dropped file: saved into the folder the user chose (inside the roots), never over
        a file already there, without execute permission; the actions only read it."""
        f = request.files.get("file")
        if f is None or not f.filename:
            raise PageError("ui-bad-request", what="file")
        folder = inside(request.form.get("folder"))
        if not folder.is_dir():
            raise PageError("ui-not-folder", path=str(folder))
        name = PureWindowsPath(f.filename).name            # a browser may send C:\fakepath\name
        if Path(name).suffix.lower() not in SHOWN or name.startswith((".", "~$")):
            raise PageError("ui-bad-request", what=name)
        fd, temp = tempfile.mkstemp(prefix=".~xltools-drop-", suffix=Path(name).suffix, dir=folder)
        os.close(fd)
        try:
            f.save(temp)
            os.chmod(temp, 0o644)
            target, n = folder / name, 1
            while target.exists():                          # the file there stays: 名称 (2).xlsx
                n += 1
                target = folder / f"{Path(name).stem} ({n}){Path(name).suffix}"
            os.replace(temp, target)
        finally:
            Path(temp).unlink(missing_ok=True)
        return jsonify(path=str(target), folder=str(folder))

    @app.post("/api/open")
    def open_here():
        """Open a result with the computer's default program (the page runs on the user's own
        PC): a path inside the roots, of a kind that is a document or a folder, never run."""
        path = inside(body().get("path"))
        if not (path.is_dir() or path.is_file() and path.suffix.lower() in opener.OPENABLE):
            raise PageError("ui-not-openable", 403, path=str(path))
        try:
            opener.launch(path)
        except OSError as exc:
            raise PageError("ui-open-failed", 500, path=str(path), reason=exc.strerror or str(exc)) from None
        return jsonify(opened=str(path))

    @app.get("/api/job/<job_id>")
    def job(job_id):
        found = jobs.jobs.get(job_id)
        if found is None:
            raise PageError("ui-job-unknown", 404)
        return jsonify(found.to_dict())

    # ---------------------------------------------------------- the actions

    def body() -> dict:
        return request.get_json(silent=True) or {}

    @app.post("/api/validate")
    def validate_file():
        from xltools.work.return_check import validate_files   # a return: collect's checks too, as the CLI
        lg, path = lang(), inside(body().get("path"))
        report = validate_files([path], user_registry()).only("error", "warning")
        return jsonify(report=report.to_dict(lg), summary=report.summary(lg))

    @app.post("/api/annotate")
    def annotate():
        from xltools.write.annotated import annotated_copy
        _, out = annotated_copy(inside(body().get("path")), user_registry(), lang())
        return jsonify(file=str(out))

    @app.post("/api/flag")
    def flag():
        from xltools.work.flag import flag_file
        lg, path = lang(), inside(body().get("path"))
        result = flag_file(path, registry=user_registry())
        lines = [result.message(lg)]
        lines += [f"{f.sheet}!{f.cell}  {f.message(lg)} {f.suggestion(lg)}" for f in result.kept]
        lines += [f"{f.sheet}  {f.message(lg)} {f.suggestion(lg)}" for f in result.drawings]
        return jsonify(message="\n".join(lines), file=str(path))

    @app.post("/api/merge")
    def merge_folder():
        from xltools.work.merge import MergeRefused, merge
        lg, b = lang(), body()
        folder = inside(b.get("folder"))
        output = inside(b.get("output") or str(folder / t("merge-output-name", lg)), exists=False)

        def work(job: Job) -> dict:
            s = merge([folder], output, registry=user_registry(), progress=job.progress, lang=lg,
                      replace=bool(b.get("replace")))
            return {"file": str(output), "message": "\n".join([t("ui-merge-summary", lg, read=len(s.files_read),
                                                                   merged=s.rows_merged, rejected=s.rows_rejected,
                                                                   failed=len(s.files_failed), output=output),
                                                                 *s.notes]),
                    "warnings": s.warnings}
        return jsonify(jobs.start(work, lg, MergeRefused).to_dict())

    @app.post("/api/dashboard")
    def dashboard():
        from xltools.work.report import read_report, since_last_merge
        lg = lang()
        master = read_report(inside(body().get("path")), lang=lg, registry=user_registry())
        c = master.circular(lg)
        lines = [{"district": x.district, "seq": x.seq, "task": x.task, "lead": x.lead, "deadline": x.deadline,
                  "due": x.due.isoformat() if x.due else "", "state": x.state, "days": x.days}
                 for x in master.lines]
        since = since_last_merge(master, registry=user_registry(), lang=lg)
        return jsonify(plan=c.plan, as_of=c.as_of.isoformat(), soon_days=c.soon_days, total=c.total.counts,
                       since=since.to_dict(),
                       states={k: t("state-" + k, lg) for k in c.total.counts},
                       by_district=[{"name": r.name, "counts": r.counts.counts} for r in c.by_district],
                       by_unit=[{"name": r.name, "counts": r.counts.counts} for r in c.by_unit],
                       unit_lines=master.unit_lines(lg), lines=lines,
                       overdue=[{"district": x.district, "seq": x.seq, "task": x.task, "lead": x.lead,
                                 "days": x.days} for x in c.overdue])

    @app.post("/api/newplan")
    def newplan():
        from xltools.work.newplan import new_plan
        lg, b = lang(), body()
        year, district = b.get("year"), (b.get("district") or "").strip()
        if not str(year or "").isdigit() or not district:
            raise PageError("ui-bad-request", what=t("ui-year", lg) + "/" + t("ui-district", lg))
        folder = inside(b.get("folder"))
        output = inside(str(folder / t("newplan-name", lg, year=year, district=district)), exists=False)
        summary = new_plan(output, year=int(year), district=district, registry=user_registry(),
                           from_plan=inside(b["from"]) if b.get("from") else None, lang=lg)
        return jsonify(message=summary.message(lg), file=str(output))

    @app.post("/api/split")
    def split_master():
        from xltools.work.loop import split
        lg, b = lang(), body()
        master = inside(b.get("path"))
        folder = inside(b.get("folder") or str(master.parent / t("split-folder", lg, name=master.stem)), exists=False)

        def work(job: Job) -> dict:
            s = split(master, folder, by=b.get("by") or "lead-unit", registry=user_registry(), lang=lg,
                      progress=job.progress)
            return {"message": s.message(lg), "folder": str(folder),
                    "files": [{"unit": u, "file": str(p)} for u, p, _, _ in s.files]}
        return jsonify(jobs.start(work, lg).to_dict())

    @app.post("/api/collect")
    def collect_returns():
        from xltools.work.loop import collect
        lg, b = lang(), body()
        master, folder = inside(b.get("path")), inside(b.get("folder"))

        def work(job: Job) -> dict:
            s = collect([folder], master, lang=lg, progress=job.progress, registry=user_registry())
            return {"message": s.message(lg), "file": str(master)}
        return jsonify(jobs.start(work, lg).to_dict())

    @app.post("/api/report")
    def circular():
        from xltools.work.report import report
        lg, master = lang(), inside(body().get("path"))
        # the documents are for the offices they go to: Chinese (texts.DOC_LANG), named so
        output = inside(str(master.parent / t("report-name", DOC_LANG, name=master.stem)), exists=False)
        s = report(master, output, registry=user_registry())
        n = s.circular.total
        text = t("report-done", lg, file=output, date=s.circular.as_of.isoformat(), total=n.total, done=n["done"],
                 progress=n.in_progress, overdue=n["overdue"], unknown=n["unjudged"])
        return jsonify(message=text + ("" if s.chart else "\n" + t("rp-no-font", lg)), file=str(output))

    @app.post("/api/remind")
    def reminders():
        from xltools.work.report import remind
        lg, master = lang(), inside(body().get("path"))
        folder = inside(str(master.parent / t("remind-folder", DOC_LANG, name=master.stem)), exists=False)
        s = remind(master, folder, sheet=True, lang=lg, registry=user_registry())
        text = (t("remind-done", lg, files=len(s.files), folder=folder, sheet=s.sheet) if s.files
                else t("remind-none", lg, date=s.as_of.isoformat()))
        return jsonify(message=text, folder=str(folder), files=[{"unit": u, "file": str(p)} for u, p, _, _ in s.files])

    @app.post("/api/units")
    def units():
        registry = user_registry()
        from xltools.rules.units import UNIT_KINDS
        return jsonify(file=str(registry_path()), exists=registry_path().exists(), kinds=list(UNIT_KINDS),
                       units=[{"name": u.name, "kind": u.kind, "aliases": "、".join(u.aliases),
                               "district": u.district or ""} for u in registry])

    @app.post("/api/units/edit")
    def units_edit():
        """Add, rename, alias, remove: all the page's pending edits in one save (one version)."""
        from xltools.work.registry import RegistryEdit, edit_registry
        edits = [RegistryEdit.of(e) for e in (body().get("edits") or []) if isinstance(e, dict)]
        if not edits:
            raise PageError("ui-bad-request", what="edits")
        result = edit_registry(registry_path(), edits, user_registry())
        return jsonify(message=t("ui-units-edited" if result.kept else "ui-units-created", lang(), file=result.file,
                                 count=result.count), **result.to_dict())

    @app.post("/api/units/learn")
    def units_learn():
        from xltools.work.learn import learn
        lg, b = lang(), body()
        files = [inside(p) for p in (b.get("paths") or [])] or [inside(b.get("path"))]
        path = registry_path()
        if b.get("save"):
            path.parent.mkdir(parents=True, exist_ok=True)
        result = learn(files, user_registry(), path if b.get("save") else None)
        return jsonify(proposals=result.proposals, saved=str(result.saved or ""), added=result.added,
                       failed=[exc.message(lg) for _, exc in result.files_failed])

    @app.post("/api/history")
    def versions():
        from xltools.work.history import history
        lg, path = lang(), inside(body().get("path"), exists=False)
        found = history(path)
        return jsonify(lines=found.lines(lg), **found.to_dict(lg))

    @app.post("/api/undo")
    def undo_last():
        from xltools.work.history import undo
        lg, path = lang(), inside(body().get("path"), exists=False)
        return jsonify(message=undo(path).message(lg), file=str(path))

    return app
