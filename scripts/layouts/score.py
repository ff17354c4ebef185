"""Score the reader on generated sheets: each file read with `read_plan`, checked with
`validate_plan` (what `validate` does per file), its tasks matched to the truth by the row
they start on.

A task is right when its requirement (spacing aside), its units (lead and cooperating, as
written, spaces trimmed) and its deadline (due date, ongoing, kind, stages) are all right.
A unit the reader shows that is not in the cell's own text is "not written" (a name
rewritten into another name counts as wrong, and is also counted on its own).  Per sheet:
the planted problems found at their cell, the false errors (error findings not planted),
and the extra tasks (rows read as tasks that are none: headings, bands, totals).
Everything is counted per feature, so a weak feature shows by name.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

from layouts.vocab import fold

UNKNOWN = {"unknown-unit", "unknown-unit-nosuggest"}
THRESHOLD_FEATURE, THRESHOLD_OVERALL, MAX_FALSE_ERRORS = 0.97, 0.99, 1.0


def _same(code: str, found: str) -> bool:
    return found == code or (code == "unknown-unit" and found in UNKNOWN)


def _iso(d: Any) -> str | None:
    if isinstance(d, dt.datetime):
        d = d.date()
    return d.isoformat() if isinstance(d, dt.date) else (str(d) if d else None)


def due_wrong(deadline, due: dict) -> str | None:
    """Why the deadline read is not the truth, or None when it is right."""
    got_due = _iso(deadline.due) if deadline else None
    ongoing = bool(deadline and deadline.ongoing)
    kind = deadline.kind.value if deadline else None
    said = f"read {kind}/{got_due}{'/ongoing' if ongoing else ''} from {deadline.raw if deadline else None!r}"
    if due["kind"] == "problem":
        return None if got_due is None else said
    if due["kind"] in ("recurring", "relative") and kind != due["kind"]:
        return said
    if due["kind"] == "ongoing" and not (ongoing and got_due is None):
        return said
    if due["due"] is not None and (got_due, ongoing) != (due["due"], due["ongoing"]):
        return said + f", want {due['due']}{'/ongoing' if due['ongoing'] else ''}"
    if due["stages"]:
        stages = [_iso(s) for s in (getattr(deadline, "stages", None) or ())]
        if stages != due["stages"]:
            return said + f", stages {stages} want {due['stages']}"
    return None


def score_file(path: Path, truth: dict) -> dict:
    """One generated file against its truth (SheetTruth as a dict)."""
    from xltools.check.validate import validate_plan
    from xltools.errors import XltoolsError
    from xltools.read import read_plan

    out: dict[str, Any] = {"file": truth["file"], "features": truth["features"], "tasks": [], "extra": [],
                           "planted": [], "false_errors": [], "unreadable": None}
    try:
        plan = read_plan(path)
        findings = validate_plan(plan)
    except XltoolsError as exc:
        plan, findings = None, []
        out["unreadable"] = str(exc.args[0] if exc.args else exc)
    except Exception as exc:   # a crash of the reader: every task of the sheet is wrong
        plan, findings = None, []
        out["unreadable"] = f"crash {type(exc).__name__}: {exc}"
    read = {t.row: t for t in (plan.tasks if plan else [])}
    rows = {t["row"] for t in truth["tasks"]}
    for exp in truth["tasks"]:
        got = read.get(exp["row"])
        why: list[str] = []
        written = True
        if got is None:
            why.append("not read")
            req_ok = units_ok = due_ok = False
        else:
            req_ok = fold(got.requirement) == fold(exp["requirement"])
            if not req_ok:
                why.append(f"requirement {str(got.requirement)[:30]!r}")
            # the units as the reader keeps them written (what the master shows)
            lead = [u.written.strip() for u in got.lead_units]
            support = [u.written.strip() for u in got.support_units]
            units_ok = (lead, support) == (exp["lead"], exp["support"])
            if not units_ok:
                why.append(f"units {lead}/{support} want {exp['lead']}/{exp['support']}")
            source = fold(exp["units_text"])
            written = all(fold(u) in source for u in lead + support)
            dw = due_wrong(got.deadline, exp["due"])
            due_ok = dw is None
            if dw:
                why.append(f"deadline {dw}")
        out["tasks"].append({"row": exp["row"], "features": exp["features"], "req": req_ok, "units": units_ok,
                             "due": due_ok, "written": written, "why": "; ".join(why)})
    out["extra"] = sorted(r for r in read if r not in rows)
    for p in truth["problems"]:
        found = any(_same(p["code"], f.code) and f.cell == p["cell"] for f in findings)
        near = [(f.code, f.cell) for f in findings if f.row == int(p["cell"].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
        out["planted"].append({**p, "found": found, "near": near})
    for f in findings:
        if f.severity == "error" and not any(_same(p["code"], f.code) and f.cell == p["cell"]
                                             for p in truth["problems"]):
            out["false_errors"].append([f.code, f.cell, f.value])
    return out


# ---------------------------------------------------------------- per feature

def _new() -> dict:
    return {"tasks": 0, "right": 0, "req": 0, "units": 0, "due": 0, "written": 0, "sheets": 0, "false_errors": 0,
            "extra": 0, "planted": 0, "found": 0, "examples": []}


def aggregate(results: list[dict], examples: int = 3) -> dict:
    """{"overall": counts, "features": {name: counts}}: counts of tasks right (and each field
    right), units all written, sheets, false errors, extra tasks, planted problems found."""
    overall, per = _new(), defaultdict(_new)
    for res in results:
        sheet_feats = set(res["features"])
        every = sheet_feats | {f for t in res["tasks"] for f in t["features"]}
        for name in list(every) + [None]:
            c = overall if name is None else per[name]
            c["sheets"] += 1
            c["false_errors"] += len(res["false_errors"])
            c["extra"] += len(res["extra"])
            c["planted"] += len(res["planted"])
            c["found"] += sum(p["found"] for p in res["planted"])
            for p in res["planted"]:
                if not p["found"] and len(c["examples"]) < examples and name is not None \
                        and (name == f"plant:{p['code']}" or not name.startswith("plant:")):
                    c["examples"].append(f"{res['file']} {p['cell']}: {p['code']} not found (there: {p['near']})")
            if name is not None and res["false_errors"] and len(c["examples"]) < examples \
                    and not name.startswith("plant:"):
                c["examples"].append(f"{res['file']}: false errors {res['false_errors'][:3]}")
        for t in res["tasks"]:
            ok = t["req"] and t["units"] and t["due"]
            for name in (sheet_feats | set(t["features"])) | {None}:
                c = overall if name is None else per[name]
                c["tasks"] += 1
                c["right"] += ok
                c["req"] += t["req"]
                c["units"] += t["units"]
                c["due"] += t["due"]
                c["written"] += t["written"]
                if not ok and name is not None and len(c["examples"]) < examples:
                    c["examples"].append(f"{res['file']} row {t['row']}: {t['why']}")
    return {"overall": overall, "features": dict(sorted(per.items()))}


def rate(c: dict) -> float:
    return c["right"] / c["tasks"] if c["tasks"] else 1.0


def passes(c: dict, threshold: float = THRESHOLD_FEATURE) -> bool:
    """A feature holds when ≥ 97% of its tasks are right (the issue's bar per feature)."""
    return rate(c) >= threshold


def table(agg: dict) -> str:
    """The per-feature table as Markdown, weakest first."""
    o = agg["overall"]
    lines = ["| feature | tasks | right | requirement | units | due | units not written | sheets | false errors/sheet "
             "| planted found |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]

    def row(name: str, c: dict) -> str:
        n = c["tasks"] or 1
        mark = "" if passes(c) else " ✗"
        return (f"| {name}{mark} | {c['tasks']} | {rate(c):.3f} | {c['req'] / n:.3f} | {c['units'] / n:.3f} | "
                f"{c['due'] / n:.3f} | {c['tasks'] - c['written']} | {c['sheets']} | "
                f"{c['false_errors'] / max(c['sheets'], 1):.2f} | {c['found']}/{c['planted']} |")

    lines.append(row("**overall**", o))
    for name, c in sorted(agg["features"].items(), key=lambda kv: (rate(kv[1]), kv[0])):
        lines.append(row(name, c))
    return "\n".join(lines)
