"""Split the master by unit (下发): one progress return per unit, holding the tasks it
leads, those it supports, and those it receives as a member of a collective unit
(各镇（街道） → every 镇 and 街道 of the district's registry).

Each return keeps, on a hidden protected sheet (下发底稿), what it was sent out with,
so that collect takes only what the unit changed.

A return is a form for the unit, in the unit's language whatever the clerk's: Chinese
(texts.DOC_LANG), its titles, labels and 填表说明 as its column headers, status words and
sheet names, which collect reads back, are.  Only what the command says is the clerk's.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from xltools import schema
from xltools.errors import XltoolsError
from xltools.read import load_grids
from xltools.read.context import title_from_lines
from xltools.rules.keys import key_year, normal_text
from xltools.rules.units import UnitRegistry, collective_member_kinds, recipients
from xltools.texts import DOC_LANG, t
from xltools.work.collect import task_name, words
from xltools.work.previous import plain
from xltools.work.returns import SPLIT_BY, LoopError, MasterTable, master_identity, master_units, natural_key, place_of, \
    safe_name
from xltools.work.sentfolder import FolderPlan, SentFolder, plan_folder
from xltools.write.templates import (GUIDE_SHEET, PROGRESS_LAYOUT, PROGRESS_SHEET, heading_row, own_column_key,
                                     plan_title, progress_layout, progress_template, reference_key, save_workbook,
                                     sent_sheet, write_rows)
from xltools.write.cells import put

SPARE_ROWS = 30            # rows below the tasks made ready for typing (inserted rows inherit the format)
_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Part:
    """One task in one unit's return: as lead or supporter, directly or through a
    collective unit (via)."""
    row: dict[str, Any]
    role: str                      # "lead" or "support"
    via: str | None = None
    leads: tuple[str, ...] = ()    # every unit the task went to as a lead (its 下发底稿 lists them)


@dataclass
class SplitSummary:
    folder: Path
    files: list[tuple[str, Path, int, int]] = field(default_factory=list)   # (unit, file, led, supported)
    unassigned: list[str] = field(default_factory=list)                     # keys of tasks with no unit
    # tasks that no unit got to lead: (key, district, seq, first words, units it went to as support)
    no_lead: list[tuple[str, str, Any, str, tuple[str, ...]]] = field(default_factory=list)
    no_members: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)  # (district, collective, kinds)
    # … of those, the collectives that got no return at all (by lead-unit: they only support)
    no_members_unsent: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    plan: FolderPlan | None = None          # where the returns go, what is cleaned and protected
    cleaned: list[str] = field(default_factory=list)                        # earlier untouched returns removed
    dry_run: bool = False                   # nothing written: `files` and `plan` say what would be
    # returns made for a name the registry does not know but finds close to one (a typo?):
    # (district, unit as written, the name suggested, the return's file)
    doubtful: list[tuple[str, str, str, Path]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "unassigned": self.unassigned, "dry_run": self.dry_run,
                "exit_code": self.exit_code,
                "no_lead": [{"key": k, "district": d, "seq": n, "task": w, "sent_as_support": list(to)}
                            for k, d, n, w, to in self.no_lead],
                "no_members": [{"district": d, "unit": u, "kinds": list(k)} for d, u, k in self.no_members],
                "no_members_unsent": [{"district": d, "unit": u, "kinds": list(k)}
                                      for d, u, k in self.no_members_unsent],
                "files": [{"unit": u, "file": str(f), "lead": n, "support": m} for u, f, n, m in self.files],
                "doubtful": [{"district": d, "unit": u, "suggestion": s, "file": str(f)} for d, u, s, f in self.doubtful],
                **({"plan": self.plan.to_dict()} if self.plan else {})}

    @property
    def exit_code(self) -> int:
        """README's table: 1 when a task reached no lead unit (the job finished with problems)."""
        return 1 if self.no_lead else 0

    def message(self, lang: str = "zh") -> str:
        """What the CLI prints and the 拆分下发 button shows."""
        lines = []
        if self.plan is not None and self.plan.protected:
            lines.append(self.plan.protected_line(lang))
        if self.dry_run:
            lines.append(t("split-dry-run", lang, files=len(self.files), folder=self.folder,
                           clean=len(self.plan.clean) if self.plan else 0))
        else:
            lines.append(t("cli-split-done", lang, files=len(self.files), folder=self.folder))
            if self.cleaned:
                lines.append(t("split-cleaned", lang, n=len(self.cleaned)))
        sep = "、" if lang == "zh" else ", "
        for key, district, seq, task, to in self.no_lead:
            named = task_name(district, seq, task, lang)
            lines.append(t("split-no-lead-support", lang, task=named, units=sep.join(to)) if to
                         else t("split-no-lead", lang, task=named))
        for district, unit, kinds in self.no_members:
            lines.append(t("cli-split-no-members", lang, unit=unit, place=place_of(district, lang), kinds=sep.join(kinds)))
        for district, unit, kinds in self.no_members_unsent:
            lines.append(t("cli-split-no-members-unsent", lang, unit=unit, place=place_of(district, lang),
                           kinds=sep.join(kinds)))
        for district, unit, suggestion, path in self.doubtful:
            lines.append(t("cli-split-unit-doubtful", lang, unit=unit, place=place_of(district, lang),
                           suggestion=suggestion, file=path.name))
        return "\n".join(lines)


def split(master: str | Path, folder: str | Path, *, by: str = "lead-unit", registry: UnitRegistry | None = None,
          keep_collective: bool = False, lang: str = "zh", dry_run: bool = False, no_new_folder: bool = False,
          progress: Callable[[int, int, Path], None] | None = None) -> SplitSummary:
    """One progress return per unit (or district).  Collective units are expanded into
    their members from the registry unless keep_collective.  A file in `folder` that
    split did not write, or that changed since, is never touched: the returns then go
    into a new dated sub-folder (sentfolder.plan_folder), or LoopError when
    no_new_folder.  dry_run: the summary says what would be written, cleaned and
    protected, and nothing is written.  `lang` is the summary's; the returns are Chinese."""
    if by not in SPLIT_BY:
        raise LoopError("loop-bad-by", by=by)
    master = Path(master)
    table = MasterTable.read(master, own=True)
    registry = registry or UnitRegistry.default()
    summary = SplitSummary(Path(folder), dry_run=dry_run)
    members = _Members(registry, keep_collective, summary)
    groups = _groups(table.rows, by, members, summary)
    # a collective without members that got no return of its own (it only supports): said as such
    summary.no_members_unsent = [(d, u, k) for d, u, k in summary.no_members if (d, members(d, u)[0][0]) not in groups]
    summary.no_members = [m for m in summary.no_members if m not in summary.no_members_unsent]
    names = _file_names(groups)
    plan = summary.plan = plan_folder(folder, [name for _, name in names.values()], no_new_folder=no_new_folder)
    summary.folder = plan.folder
    for (district, unit), (label, name) in names.items():
        parts = groups[(district, unit)]
        summary.files.append((label, plan.folder / name, sum(p.role == "lead" for p in parts),
                              sum(p.role == "support" for p in parts)))
        if by != "district" and unit and (found := registry.for_district(district or None).slip_of(unit)):
            summary.doubtful.append((district, unit, found, plan.folder / name))
    if dry_run:
        return summary
    titles = _plan_titles(master, table.rows)
    # where the returns come from: collect refuses a return of another master by name
    source = {"master": master_identity(master), "master_name": master.name, "split": uuid.uuid4().hex}
    sent = SentFolder(plan)
    for i, ((district, unit), (label, name)) in enumerate(names.items(), 1):
        path = plan.folder / name
        note = members.note(district, unit, DOC_LANG)
        _write_return(path, unit or None, groups[(district, unit)], registry, titles, note, DOC_LANG, source,
                      before_replace=lambda _tmp, name=name: sent.check(name), own=table.own)
        sent.wrote(name)
        if progress:
            progress(i, len(names), path)
    summary.cleaned = sent.clean()
    return summary


_SOME = re.compile("有关|相关|其他|其它")


class _Members:
    """The units a name in a unit cell stands for: itself, or a collective's members."""

    def __init__(self, registry: UnitRegistry, keep: bool, summary: SplitSummary):
        self.registry, self.keep, self.summary = registry, keep, summary
        self._cache: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
        self._empty: dict[tuple[str, str], tuple[str, ...]] = {}
        self._first: dict[tuple[str, str], str] = {}   # (district, unit as counted) → as first written

    def __call__(self, district: str, name: str) -> list[tuple[str, str | None]]:
        key = (district, name)
        if key not in self._cache:
            registry = self.registry.for_district(district or None)
            kinds = () if self.keep else collective_member_kinds(name)
            named = registry.name(name)
            # who it reaches: the one rule report, remind and 统计 count by
            reached = recipients([named], registry) if kinds else (named,)
            # one return per unit however the rows write it (区住建局, 区住房和城乡建设局, a
            # member of 区政府各部门): named as the district first wrote it (see `written`)
            names = [] if reached == (named,) else [self._first.setdefault((district, r.counted), r.written)
                                                    for r in reached]
            # collectives of every member of the same kinds (各村, 各村（社区）, 各行政村), none listed:
            # one return, named as the first is written; 有关/相关/其他 name some members only
            whole = bool(kinds) and not names and not _SOME.search(name)
            shown = self._first.setdefault((district, kinds) if whole else (district, named.counted), name)
            if kinds and not names and shown == name:
                self._empty[key] = kinds
                self.summary.no_members.append((district, name, kinds))
            self._cache[key] = [(m, name) for m in names] or [(shown, None)]
        return self._cache[key]

    def written(self, district: str, name: str) -> None:
        """A unit the district's rows name themselves: its return is named so, though a
        collective of an earlier row reaches it by the registry's name."""
        if self.keep or not collective_member_kinds(name):
            named = self.registry.for_district(district or None).name(name)
            self._first.setdefault((district, named.counted), name)

    def note(self, district: str, unit: str, lang: str) -> str | None:
        kinds = self._empty.get((district, unit))
        if not kinds:
            return None
        return t("sent-note-collective", lang, name=unit, place=place_of(district, lang), kinds="、".join(kinds))


def _groups(rows: list[dict], by: str, members: _Members, summary: SplitSummary) -> dict[tuple[str, str], list[Part]]:
    """(district, unit) → its parts; a unit is a unit of one district (天桥区's 区财政局 is
    not 长清区's).  By lead-unit, supporting tasks go only to units that lead something."""
    groups: dict[tuple[str, str], list[Part]] = defaultdict(list)
    if by == "district":
        for row in rows:
            groups[(str(row.get(schema.DISTRICT.key) or ""), "")].append(Part(row, "lead"))
        return groups
    expanded: list[tuple[str, str, Part]] = []
    for row in rows:
        for col in (schema.LEAD, schema.SUPPORT):
            for name in master_units(row.get(col.key)):
                members.written(str(row.get(schema.DISTRICT.key) or ""), name)
    for row in rows:
        district = str(row.get(schema.DISTRICT.key) or "")
        named = [(role, u) for role, col in (("lead", schema.LEAD), ("support", schema.SUPPORT))
                 for u in master_units(row.get(col.key))]
        if not named:
            summary.unassigned.append(row[schema.TASK_KEY.key])
        parts = [(unit, Part(row, role, via)) for role, name in named for unit, via in members(district, name)]
        # Named directly before through a collective, lead before support: the first claim wins.
        parts.sort(key=lambda p: (p[1].via is not None, p[1].role != "lead"))
        first: dict[str, Part] = {}
        for unit, part in parts:
            first.setdefault(unit, part)
        leads = tuple(unit for unit, part in first.items() if part.role == "lead")
        expanded += [(district, unit, replace(part, leads=leads)) for unit, part in first.items()]
    leaders = {(d, u) for d, u, p in expanded if p.role == "lead"}
    for district, unit, part in expanded:
        if part.role == "lead" or by == "unit" or (district, unit) in leaders:
            groups[(district, unit)].append(part)
    _no_lead(rows, by, groups, summary)
    return groups


def _no_lead(rows: list[dict], by: str, groups: dict[tuple[str, str], list[Part]], summary: SplitSummary) -> None:
    """Tasks no return holds as a lead task (by unit: none holds at all), each named: a task
    without a lead unit must not go out silently to nobody."""
    led = {id(p.row) for parts in groups.values() for p in parts if p.role == "lead" or by == "unit"}
    for row in rows:
        if id(row) in led:
            continue
        district = str(row.get(schema.DISTRICT.key) or "")
        to = tuple(u for (d, u), parts in groups.items() if d == district and any(p.row is row for p in parts))
        summary.no_lead.append((str(row[schema.TASK_KEY.key]), district, plain(row.get(schema.SEQ.key)),
                                words(schema.task_text(row) or ""), to))


def _file_names(groups: dict) -> dict[tuple[str, str], tuple[str, str]]:
    """(district, unit) → (label, file name), in natural order (区2 before 区10)."""
    several = len({d for d, _ in groups}) > 1
    used: set[str] = set()
    out = {}
    for district, unit in sorted(groups, key=lambda du: (natural_key(du[0]), natural_key(du[1]))):
        label = "-".join(x for x in ((district if several or not unit else ""), unit) if x) or "未识别区县"
        name = safe_name(label)
        while name.lower() in used:          # Windows file names ignore case
            name += "_"
        used.add(name.lower())
        out[(district, unit)] = (label, f"{name}.xlsx")
    return out


def _plan_titles(master: Path, rows: list[dict]) -> dict[str, str]:
    """District → the title of the plan its tasks came from (the source sheet's title
    row), when the source file can still be read."""
    titles: dict[str, str] = {}
    sources = {(str(r.get(schema.DISTRICT.key) or ""), r.get(schema.SOURCE_FILE.key),
                r.get(schema.SOURCE_SHEET.key)) for r in rows}
    for district, source, sheet in sorted(sources, key=str):
        if district in titles or not source:
            continue
        title = source_title(master, source, sheet)
        if title:
            titles[district] = title
    return titles


def source_title(master: Path, source: Any, sheet: Any = None) -> str | None:
    """The title row of a master's source sheet (来源文件 beside the master, or absolute),
    as the plan wrote it; None when the file is gone or has none.  What split's returns
    and the circular name a plan by."""
    if not source:
        return None
    path = Path(str(source)) if Path(str(source)).is_absolute() else Path(master).parent / str(source)
    try:
        grids = load_grids(path, str(sheet) if sheet else None)
    except XltoolsError:
        return None
    return next((x for g in grids if (x := title_from_lines(g.text_lines(limit=6)))), None)


def _blocks(parts: list[Part]) -> list[tuple[str, str | None, list[Part]]]:
    """(role, via, parts) in the order of the return: own lead, own support, then each
    collective's lead and support tasks."""
    order: dict[tuple[str | None, str], list[Part]] = {}
    for via in [None] + list(dict.fromkeys(p.via for p in parts if p.via)):
        for role in ("lead", "support"):
            block = [p for p in parts if p.via == via and p.role == role]
            if block:
                order[(via, role)] = block
    return [(role, via, block) for (via, role), block in order.items()]


def _write_return(path: Path, unit: str | None, parts: list[Part], registry: UnitRegistry, titles: dict[str, str],
                  note: str | None, lang: str, source: dict[str, Any] | None = None,
                  before_replace: Callable[[str], None] | None = None, own: tuple[str, ...] = ()) -> None:
    """A unit's return: its tasks, after them the master's own columns (`own`) that hold a
    value on any of them, for reference (progress_layout); 下发底稿 keeps what they held."""
    sample = parts[0].row
    reference = [h for h in own if any(own_column_key(h) in p.row for p in parts)]
    layout = progress_layout(reference)
    district = sample.get(schema.DISTRICT.key)
    year = key_year(sample.get(schema.TASK_KEY.key))
    blocks = _blocks(parts)
    headed = len(blocks) > 1 or any(via for _, via, _ in blocks)
    last_row = PROGRESS_LAYOUT.first_row + len(parts) + len(blocks) + SPARE_ROWS
    plan = titles.get(str(district or "")) or plan_title(year, district, lang)
    wb = progress_template(registry.for_district(district), unit=unit, year=year, district=district, lang=lang,
                           last_row=last_row, plan=plan, reference=reference)
    ws = wb[PROGRESS_SHEET]
    keys = [c.key for c in PROGRESS_LAYOUT.columns]
    shown = {reference_key(h): own_column_key(h) for h in reference}     # the return's key → the master row's

    def values(part: Part) -> dict[str, Any]:
        return {**{k: part.row.get(k) for k in keys}, **{k: part.row.get(v) for k, v in shown.items()}}
    row = PROGRESS_LAYOUT.first_row
    for n, (role, via, block) in enumerate(blocks):
        if headed:   # headings only when there is more than one kind of task, or a collective to name
            number = _NUMERALS[n] if n < len(_NUMERALS) else str(n + 1)
            heading_row(ws, layout, row, t(f"split-head-{role}" + ("-via" if via else ""), lang, n=number, via=via))
            row += 1
        row += write_rows(ws, layout, [values(p) for p in block], start=row)
    sent_sheet(wb, unit, [{**_sent(p), **{k: p.row.get(v) for k, v in shown.items()}} for _, _, block in blocks
                          for p in block], source, extra=shown)
    if note:
        guide = wb[GUIDE_SHEET]
        put(guide, guide.max_row + 2, 1, note)
    save_workbook(wb, path, stamp=None, keep_version=False, before_replace=before_replace)


def _sent(part: Part) -> dict[str, Any]:
    row = part.row
    done = row.get(schema.DONE_DATE.key)
    return {"key": row.get(schema.TASK_KEY.key), "district": row.get(schema.DISTRICT.key),
            "seq": row.get(schema.SEQ.key), "requirement": normal_text(row.get(schema.REQUIREMENT.key)),
            "role": part.role, "via": part.via, "status": row.get(schema.STATUS.key),
            "progress": row.get(schema.PROGRESS.key),
            "done_date": done.date() if isinstance(done, dt.datetime) else done,
            "leads_sent": "\n".join(part.leads) or None,
            "deadline": row.get(schema.DEADLINE.key)}      # validate on the return tells an edited 完成时限
