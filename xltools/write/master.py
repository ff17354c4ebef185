"""The master workbook (汇总表): what a merge writes.

Sheets: 汇总 (one row per task: MASTER_COLUMNS plus the columns people added to an
earlier master, live 预警 formulas and row colours), 统计 (live counts and a chart), 变更
(what changed since the previous merge), 问题清单 (findings and rejected rows), 合并记录
(what was read, with checksums).  Everything that came from a district file is written
as text, never as a formula, and the file is replaced atomically.

This module is the layout: each sheet described as data (`xlsx.Sheet`: columns and
widths, rows as values, looks, freeze pane, filter, colour rules, drop-down, print setup,
hyperlinks, chart); write/xlsx.py turns the descriptions into the package, streaming
the rows (openpyxl's cell objects cost about 25 µs a cell, which made a 300-file merge
slower than a plain pandas script).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from xltools import schema
from xltools.errors import XltoolsError
from xltools.findings import Finding
from xltools.texts import capital, t as _t
from xltools.model import ChangeLog, ExtraColumn, FileRecord, MasterRow, OtherSheet, col_letter, source_names
from xltools.rules.text import text_width
from xltools.write.files import atomic_write, check_not_open
from xltools.write import printing, xlsx
from xltools.write.xlsx import Block, Formula, ListValidation, Look, PrintSetup, Rule, Sheet, quoted
from xltools.rules.units import UnitRegistry, lead_groups
from xltools.rules.divisions import common_place, in_official_order
from xltools.rules.warning import ROW, COUNTED_STATES, UNJUDGED, WARNING_WORDS, row_colours, warning_formula_template

__all__ = ["MasterWorkbook", "MasterError",
           "SHEET_MASTER", "SHEET_STATS", "SHEET_CHANGES", "SHEET_ISSUES", "SHEET_LOG"]

SHEET_MASTER, SHEET_STATS, SHEET_CHANGES, SHEET_ISSUES, SHEET_LOG = "汇总", "统计", "变更", "问题清单", "合并记录"
OUR_SHEETS = (SHEET_MASTER, SHEET_STATS, SHEET_CHANGES, SHEET_ISSUES, SHEET_LOG)  # rewritten by every merge
CARRIED_FORMATS = "xltools-carried-formats"   # a custom property: 汇总 holds conditional formats or lists people made


class MasterError(XltoolsError):
    """The master workbook cannot be written."""


# ------------------------------------------------------------------ looks

PLAIN = Look()                                          # wrapped text in thin borders: our tables
KEY = Look(wrap=False)                                  # 任务编号 on one line: an ID broken in two is misread
# 来源文件 on one line, as LibreOffice prints a link whatever its look: the file's name (not
# its path), in a column as wide as names need (_source_width), never wrapped down the row
LINK = Look(colour="0563C1", underline=True, wrap=False)
HEADER = Look(bold=True, fill="DDEBF7", vertical="center", horizontal="center")
COUNT, TOTAL = Look(wrap=False), Look(bold=True, wrap=False)
META_KEY = Look(bold=True, border=False, wrap=False, vertical=None)
META_VALUE = Look(border=False, wrap=False, vertical=None, horizontal="left")
BARE = Look(border=False, wrap=False, vertical=None)     # sheets people added: values only
_MASTER_LOOKS = {schema.TASK_KEY.key: KEY, schema.SOURCE_FILE.key: LINK}   # 汇总's columns not PLAIN


def _header(texts: list[Any]) -> Block:
    return Block([texts], 1, len(texts), HEADER)


def _meta(pairs: list[tuple[str, Any]]) -> Block:
    """Key–value lines above a table (上次合并, 合并时间 …), then a blank line."""
    return Block([list(p) for p in pairs] + [[]], len(pairs) + 1, 2, [META_KEY, META_VALUE])


def _widths(widths) -> dict[int, float]:
    return {c: w for c, w in enumerate(widths, start=1) if w}


# ------------------------------------------------------------------ the workbook

@dataclass
class MasterWorkbook:
    """Collects rows, issues, changes and file records; `save` writes the .xlsx atomically."""
    as_of: dt.date | None = None            # None: 预警 uses TODAY()
    soon_days: int = schema.DEFAULT_SOON_DAYS
    colours: dict | None = None
    lang: str = "zh"
    rows: list[MasterRow] = field(default_factory=list)
    issues: list[Finding] = field(default_factory=list)      # 问题清单: every layer's findings
    files: list[FileRecord] = field(default_factory=list)
    version: str = ""
    extra_columns: list[ExtraColumn] = field(default_factory=list)
    changes: ChangeLog | None = None        # None: no 变更 sheet
    other_sheets: list[OtherSheet] = field(default_factory=list)  # after ours, as they were
    registry: UnitRegistry | None = None    # whose members a collective lead has (None: the built-in list)
    # what the office added around the data of the master replaced (work/merge.py places it)
    comments: dict[str, list[xlsx.Comment]] = field(default_factory=dict)   # sheet → its comments
    freeze: str | None = "A2"               # 汇总's frozen pane
    kept_rules: list[tuple[str, list[xlsx.KeptRule]]] = field(default_factory=list)   # 汇总, after ours
    kept_validations: list[xlsx.KeptValidation] = field(default_factory=list)         # 汇总, after ours
    not_carried: list[str] = field(default_factory=list)   # what could not be carried, listed in 合并记录

    def layout(self) -> list[schema.Column | tuple[int, ExtraColumn]]:
        """汇总's columns: ours in schema order, each added column right after the one
        of ours it followed in the previous master."""
        extra = list(enumerate(self.extra_columns))
        out: list = [e for e in extra if e[1].after is None]
        for col in schema.MASTER_COLUMNS:
            out.append(col)
            out += [e for e in extra if e[1].after == col.key]
        known = {c.key for c in schema.MASTER_COLUMNS}
        out += [e for e in extra if e[1].after is not None and e[1].after not in known]
        return out

    def letters(self) -> dict[str, str]:
        """Our column key → its letter in 汇总 (moved right by added columns)."""
        return {c.key: col_letter(i) for i, c in enumerate(self.layout()) if isinstance(c, schema.Column)}

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise MasterError("output-suffix", file=str(path))
        check_not_open(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, self.write)
        return path

    def write(self, target: str | Path) -> None:
        """Write the workbook to `target` (not atomically: `save` does that)."""
        sheets = [self._master(), self._stats()] + ([self._changes()] if self.changes else []) + \
                 [self._issues(), self._log()]
        ours = {s.name for s in sheets}
        sheets += [self._other(o) for o in self.other_sheets if o.name not in ours]
        for sheet in sheets:
            sheet.comments = self.comments.get(sheet.name, [])
        # says that 汇总 holds formats people made (the next merge reads them only then)
        carried = {CARRIED_FORMATS: "1"} if self.kept_rules or self.kept_validations else None
        xlsx.write_workbook(target, sheets, carried)

    def link_issues(self) -> list[Finding]:
        """Sources whose 来源文件 hyperlink Excel cannot hold (a path over its length limit,
        links past its limit per sheet): their cells keep the text without a link."""
        letter = self.letters()["source_file"]
        out, seen, kept = [], set(), 0
        for first, _, path in self._link_runs():
            if xlsx.link_target(path) is None:
                if path not in seen:
                    seen.add(path)
                    out.append(Finding("link-too-long", path.as_posix(), SHEET_MASTER, f"{letter}{first}",
                                       params={"limit": xlsx.MAX_LINK}))
                continue
            kept += 1
            if kept == xlsx.MAX_LINKS + 1:
                out.append(Finding("too-many-links", path.as_posix(), SHEET_MASTER, f"{letter}{first}",
                                   params={"limit": xlsx.MAX_LINKS, "row": first}))
        return out

    def _printing(self, sheet: str, title_rows: str | None, area: str | None = None,
                  paper: int = printing.A4, lang: str | None = None) -> PrintSetup:
        """Landscape one page wide; on every page the title and sheet (14 pt, bold), the
        as-of date of the warnings (12 pt), page n of N (Excel's &A, &P, &N codes), in the
        sheet's language (`lang`, else the clerk's)."""
        lang = lang or self.lang
        place = common_place(r.values.get(schema.DISTRICT.key) for r in self.rows) if self.rows else None
        title = _t("print-title-of", lang, place=place) if place else _t("print-title", lang)
        header = (f'&C&"-,Bold"&14{title} — {_t("page-sheet-" + sheet, lang)}'
                  f'&R&12{as_of_label(self.as_of, lang).replace("&", "&&")}')
        return PrintSetup(title_rows, area, header, "&C" + _t("print-page", lang), paper)

    # -------------------------------------------------------------- 汇总

    def _master(self) -> Sheet:
        layout = self.layout()
        keys = [c.key if isinstance(c, schema.Column) else None for c in layout]
        headers = [c.zh if isinstance(c, schema.Column) else c[1].header for c in layout]
        widths = [self._key_width() if c is schema.TASK_KEY else self._source_width() if c is schema.SOURCE_FILE
                  else c.width if isinstance(c, schema.Column)
                  else (c[1].width or _width_for(c[1].header)) for c in layout]
        n = len(self.rows)
        last_row, last_col = max(2, n + 1), col_letter(len(layout) - 1)
        letters = self.letters()
        status_col, warn_col, source_col = letters["status"], letters["warning"], letters["source_file"]
        looks = [_MASTER_LOOKS.get(k, PLAIN) for k in keys]
        rules = [Rule(c.formula, c.fill, c.font) for c in row_colours(warn_col, 2, self.colours)]
        return Sheet(
            SHEET_MASTER,
            # a heading wider than its column (来源工作表) takes two lines
            [Block([headers], 1, len(headers), HEADER, fit=widths),
             # a column on one line (任务编号, 来源文件) does not make its row taller: its lines do not count
             Block(self._master_rows(layout, letters), n, len(layout), looks,
                   fit=[w if look.wrap else None for look, w in zip(looks, widths)], numbered=[keys.index("warning")])],
            widths=_widths(widths), freeze=self.freeze, filter=f"A1:{last_col}{last_row}",
            hidden_columns=frozenset(i for i, c in enumerate(layout, 1) if not isinstance(c, schema.Column)
                                     and c[1].hidden),
            rules=[(f"A2:{last_col}{last_row}", rules)], kept_rules=self.kept_rules,
            # A drop-down of the usual status words; other words (是, √ …) stay allowed.
            validations=[ListValidation(f"{status_col}2:{status_col}{max(last_row, 1000)}",
                                        tuple(schema.STATUS_VALUES))], kept_validations=self.kept_validations,
            links=[(f"{source_col}{a}" if a == b else f"{source_col}{a}:{source_col}{b}", path)
                   for a, b, path in self._link_runs()],
            # every column printed, 完成日期 … 报送时间 and the columns people added included,
            # on A3 (write/printing.py)
            # its headings are the schema's Chinese names (what every reader of 汇总 finds): its page's too
            printing=self._printing("master", "1:1", f"A1:{last_col}{last_row}", printing.MASTER_PAPER, "zh"))

    def _source_width(self) -> float:
        """来源文件 on one line (a link, which LibreOffice does not wrap): as wide as the longest
        file name, between its usual width and SOURCE_WIDTH, so that a name prints whole or
        nearly (the column's width costs the printed 汇总 its scale)."""
        longest = max((text_width(name) for name in self.source_names().values()), default=0)
        return min(max(schema.SOURCE_FILE.width, longest + 1), SOURCE_WIDTH)

    def _key_width(self) -> float:
        """任务编号 is not wrapped: as wide as the longest key (天桥区-2024-001-1a2b3c~2) and no
        wider (every character of width costs the printed 汇总 its scale)."""
        return max([text_width(schema.TASK_KEY.zh)] + [text_width(str(r.values.get("key") or "")) for r in self.rows]) + 2

    def _master_rows(self, layout, letters: dict[str, str]) -> Iterator[list[Any]]:
        """汇总's rows as values: ours by key, the added columns by index, the 预警 formula
        of the row's kind of deadline (one Formula per kind, its row put in by the writer)."""
        keys = [c.key if isinstance(c, schema.Column) else None for c in layout]
        extra = [None if isinstance(c, schema.Column) else c[0] for c in layout]
        columns, extra_columns = list(zip(keys, extra)), any(x is not None for x in extra)
        warning_at, lead_at, support_at = keys.index("warning"), keys.index("lead"), keys.index("support")
        source_at, names, cutoff = keys.index("source_file"), self.source_names(), self._link_cutoff()
        linked: dict[Any, bool] = {}             # source → whether Excel can hold its link
        warnings: dict[tuple, Formula] = {}      # (kind, ongoing) → the 预警 formula
        for r, row in enumerate(self.rows, start=2):
            if extra_columns:
                get, extras = row.values.get, row.extra
                values = [get(k) if k is not None else extras.get(x) for k, x in columns]
            else:
                values = list(map(row.values.get, keys))
            look = (row.kind, row.ongoing)
            if look not in warnings:
                formula = warning_formula_template(letters["due"], letters["status"], kind=row.kind,
                                                   ongoing=row.ongoing, as_of=self.as_of, soon_days=self.soon_days)
                warnings[look] = Formula(formula.replace(ROW, xlsx.ROW))
            values[warning_at] = warnings[look]
            for at, key in ((lead_at, "lead"), (support_at, "support")):
                values[at] = row.value(key)   # the units as the district wrote them, then its remarks
            # the file's name, its path the link's (and 合并记录's); the path where no link holds it
            if values[source_at] is not None and row.source is not None and r < cutoff:
                if row.source not in linked:
                    linked[row.source] = xlsx.link_target(row.source) is not None
                if linked[row.source]:
                    values[source_at] = names.get(values[source_at], values[source_at])
            yield values

    def _link_cutoff(self) -> float:
        """The first 汇总 row whose 来源文件 link is past Excel's limit per sheet (inf: none)."""
        kept = 0
        for first, _, path in self._link_runs():
            if xlsx.link_target(path) is not None:
                kept += 1
                if kept == xlsx.MAX_LINKS + 1:
                    return first
        return float("inf")

    def source_names(self) -> dict[str, str]:
        """来源文件's names of the sources (model.source_names), over the files of 合并记录,
        as readers of 汇总 name them to find their paths again."""
        return source_names([f.path for f in self.files] +
                            [r.values["source_file"] for r in self.rows if r.values.get("source_file")])

    def _link_runs(self) -> list[tuple[int, int, Path]]:
        """(first row, last row, source file) of each run of 汇总 rows from one file: a
        file's rows come together, so one hyperlink serves them all."""
        runs: list[list] = []
        previous: Any = object()
        for r, row in enumerate(self.rows, start=2):
            source = row.source
            if source is previous:
                if source is not None:
                    runs[-1][1] = r
                continue
            previous = source
            if source is None:
                continue
            if runs and runs[-1][1] == r - 1 and runs[-1][2] == source:
                runs[-1][1] = r
            else:
                runs.append([r, r, source])
        return [tuple(run) for run in runs]

    # -------------------------------------------------------------- 统计

    def _stats(self) -> Sheet:
        """Counts by district and state, a stacked bar chart of them, overdue by lead unit:
        all formulas over 汇总, so they follow what people change there.  The headings are
        the clerk's language; the formulas compare with 预警's own (Chinese) words."""
        lang, m, col = self.lang, quoted(SHEET_MASTER), self.letters()
        n = max(2, len(self.rows) + 1)
        rng = {k: f"{m}!${col[k]}$2:${col[k]}${n}" for k in ("district", "lead", "warning")}
        # the columns of the counts: COUNTED_STATES, the one rule the merge summary counts by too
        states = [s for s in COUNTED_STATES if s != UNJUDGED]
        words = [WARNING_WORDS[s] for s in states]
        head = [schema.DISTRICT.header(lang)] + [capital(_t("state-" + s, lang)) for s in COUNTED_STATES] + \
            [_t("h-total", lang)]
        districts = in_official_order(str(r.values.get("district") or "") for r in self.rows)
        total_col, last_word = col_letter(len(head) - 1), col_letter(len(words))
        counts_rows = []
        for i, district in enumerate(districts, start=2):
            counts = [Formula(f'=COUNTIFS({rng["district"]},$A{i},{rng["warning"]},"{word}")') for word in words]
            # 无法判断: total minus every other state (a 预警 cell someone typed over is counted here too)
            counts_rows.append([district, *counts, Formula(f"={total_col}{i}-SUM(B{i}:{last_word}{i})"),
                                Formula(f'=COUNTIFS({rng["district"]},$A{i})')])
        total_row = len(districts) + 2
        total = [_t("h-total", lang)] + [Formula(f"=SUM({c}2:{c}{total_row - 1})") if districts else 0
                                         for c in map(col_letter, range(1, len(head)))]
        chart = None
        if districts:
            chart = xlsx.BarChart(
                _t("chart-title", lang), f"A2:A{total_row - 1}",
                tuple((f"{c}1", f"{c}2:{c}{total_row - 1}", schema.CHART_COLOURS[state])
                      for c, state in zip(map(col_letter, range(1, len(COUNTED_STATES) + 1)), COUNTED_STATES)),
                anchor=(len(head) + 1, 1))
        unit_rows = self._unit_rows(rng)
        width = len(head)
        return Sheet(
            SHEET_STATS,
            [_header(head), Block(counts_rows, len(counts_rows), width, COUNT), Block([total], 1, width, TOTAL),
             Block([[], []], 2, 0),
             Block([[_t("h-lead", lang), _t("h-tasks", lang), head[1], head[2]]], 1, 4, HEADER),
             Block(unit_rows, len(unit_rows), 4, COUNT)],
            # each column as wide as its heading on one line (Not judged), at least 9
            widths={1: 30, **{c: max(9, text_width(h) + 2) for c, h in enumerate(head[1:], 2)}}, freeze="B2",
            chart=chart,
            printing=self._printing("stats", None))

    def _unit_rows(self, rng: dict[str, str]) -> list[list[Any]]:
        """Tasks, overdue and due soon by lead unit and district: the recipients the
        circular and the page count (rules.units.lead_groups: a collective by its members),
        as live formulas.  A unit's row matches, as whole names in 汇总's 、-joined 牵头单位
        cells, every way the district's rows write what reaches it: the unit itself
        (区发改局, 区发展和改革局: one entry) and the collectives it is a member of."""
        registry = self.registry or UnitRegistry.default()
        # a city's hundreds of districts: beyond UNIT_ROWS each unit across them, still live
        groups = lead_groups([(str(r.values.get("district") or ""), r.lead_units) for r in self.rows], registry,
                             most=UNIT_ROWS)
        several = len({str(r.values.get("district") or "") for r in self.rows}) > 1
        rows = []
        for group in sorted(groups, key=lambda g: (-len(g.rows), g.label(several, self.lang))):
            place = f'({rng["district"]}={_string(group.district)})' if group.district is not None else "1"
            if group.counted:
                found = [f'ISNUMBER(FIND({_string("、" + w + "、")},"、"&{rng["lead"]}&"、"))'
                         + _reaching(rng["district"], group.places.get(w)) for w in group.forms]
            else:    # no lead unit: the cells as they are (blank, or a remark only)
                cells = dict.fromkeys(str(self.rows[i].value("lead") or "") for i in group.rows)
                found = [f'({rng["lead"]}={_string(c)})' for c in cells]
            match = f'{place}*' + (found[0] if len(found) == 1 else f'(({"+".join(found)})>0)')
            rows.append([group.label(several, self.lang), Formula(f"=SUMPRODUCT({match}*1)")] +
                        [Formula(f'=SUMPRODUCT({match}*({rng["warning"]}="{WARNING_WORDS[state]}"))')
                         for state in ("overdue", "soon")])
        return rows

    # -------------------------------------------------------------- 变更

    def _changes(self) -> Sheet:
        lang, log = self.lang, self.changes
        previous = log.previous or _t("changes-no-previous" if log.first else "changes-previous-unknown", lang)
        meta = _meta([(_t("h-previous-merge", lang), previous), (_t("h-changes", lang), log.note(lang))])
        top = meta.count + 1
        heads = [_t("h-change-kind", lang), schema.TASK_KEY.header(lang), schema.DISTRICT.header(lang),
                 schema.SEQ.header(lang), _t("h-column", lang), _t("h-old", lang), _t("h-new", lang)]
        widths = (10, 26, 10, 6, 12, 50, 50)
        words = {k: _t(f"change-{k}", lang) for k in ("added", "removed", "changed")}
        values = ([words[c.kind], c.key, c.district, c.seq, c.column, c.old, c.new] for c in log.changes)
        counted = [None] * 5 + list(widths[5:])  # the old and new values decide the height
        return Sheet(SHEET_CHANGES,
                     [meta, _header(heads), Block(values, len(log.changes), len(heads), PLAIN, fit=counted)],
                     widths=_widths(widths), freeze=f"A{top + 1}",
                     filter=f"A{top}:G{max(top + 1, top + len(log.changes))}",
                     printing=self._printing("changes", f"{top}:{top}"))

    # -------------------------------------------------------------- 问题清单

    def _issues(self) -> Sheet:
        lang = self.lang
        keys = ("h-file", "h-sheet", "h-cell", "h-severity", "h-code", "h-message", "h-suggestion")
        widths = (30, 12, 8, 8, 20, 50, 40)
        severity = {s: _t(f"severity-{s}", lang) for s in {i.severity for i in self.issues}}
        # Errors first, then warnings, then notes (skipped sheets, page-break headers…);
        # within each, in file order, so the problems to act on are at the top.
        rank = {"error": 0, "warning": 1, "info": 2}
        ordered = sorted(self.issues, key=lambda i: rank.get(i.severity, 3))
        values = [[i.file, i.sheet, i.cell, severity[i.severity], i.code, i.message(lang), i.suggestion(lang)]
                  for i in ordered]
        return Sheet(SHEET_ISSUES,
                     [_header([_t(k, lang) for k in keys]), Block(values, len(values), len(keys), PLAIN, fit=widths)],
                     widths=_widths(widths), freeze="A2", filter=f"A1:G{max(2, len(values) + 1)}",
                     printing=self._printing("issues", "1:1"))

    # -------------------------------------------------------------- 合并记录

    def _log(self) -> Sheet:
        lang = self.lang
        # as text: a date in the narrow 区县 column below would print as ###
        meta = _meta([(_t("h-merged-at", lang), dt.datetime.now().isoformat(" ", "seconds")),
                      (_t("h-as-of", lang), as_of_words(self.as_of, lang)),
                      (_t("h-soon-days", lang), self.soon_days),
                      (_t("h-version", lang), self.version)])
        top = meta.count + 1
        keys = ("h-file", "h-district", "h-status", "h-rows-read", "h-rows-merged", "h-rows-rejected", "h-size",
                "h-sha256", "h-modified", "h-reason")
        widths = (40, 10, 10, 10, 10, 10, 12, 66, 20, 50)
        values = [[f.path, f.district, _t(f"file-{f.status}", lang), f.rows_read, f.rows_merged, f.rows_rejected,
                   f.size, f.sha256, f.modified, f.reason] for f in self.files]
        # below the files: what the office added to the master replaced that is not in this one
        left = [Block([[], [_t("h-not-carried", lang)]], 2, 1, META_KEY),
                Block([[line] for line in self.not_carried], len(self.not_carried), 1, META_VALUE)] \
            if self.not_carried else []
        return Sheet(SHEET_LOG,
                     [meta, _header([_t(k, lang) for k in keys]), Block(values, len(values), len(keys), PLAIN,
                                                                        fit=widths), *left],
                     widths=_widths(widths), freeze=f"A{top + 1}",
                     filter=f"A{top}:J{max(top + 1, top + len(self.files))}",
                     printing=self._printing("log", f"{top}:{top}"))

    @staticmethod
    def _other(other: OtherSheet) -> Sheet:
        width = max((len(r) for r in other.rows), default=0)
        return Sheet(other.name, [Block(other.rows, len(other.rows), width, BARE)], widths=dict(other.widths),
                     hidden=other.hidden)


def _reaching(districts: str, places: tuple[bool, tuple[str, ...]] | None) -> str:
    """The condition on 区县 of a form that reaches a unit in some districts only (LeadGroup.places)."""
    if places is None:
        return ""
    inside, names = places
    return f'*{"ISNUMBER" if inside else "ISNA"}(MATCH({districts},{{{",".join(map(_string, names))}}},0))'


def _string(text: str) -> str:
    """Text as a string literal inside a formula of ours (never the formula itself)."""
    return '"' + text.replace('"', '""') + '"'


def _width_for(header: Any) -> float:
    """Width of an added column whose width the previous master did not say."""
    return max(12, min(40, text_width(str(header or "")) + 4))


SOURCE_WIDTH = 20  # 来源文件 at its widest: the start of a name (2024年天桥区政务公开…), which tells files apart; every
#                   unit of width more makes the printed 汇总 smaller (tests/test_printing.py)
UNIT_ROWS = 600   # 统计's rows by lead unit and district, three formulas over 汇总 each: beyond, by unit alone



def as_of_words(as_of: dt.date | None, lang: str) -> str:
    """The day the warnings are judged as of, as the master says it (合并记录, page header):
    the day fixed, or the day the file is opened (TODAY())."""
    return as_of.isoformat() if as_of else _t("as-of-today", lang)


# 预警基准日 as 合并记录 and the page headers label it, in each language: label → language
# ("Warnings as of": what an English merge wrote before 预警 was called the due status)
AS_OF_LABELS = {**{_t("h-as-of", lang): lang for lang in ("zh", "en")}, "Warnings as of": "en"}


def as_of_label(as_of: dt.date | None, lang: str) -> str:
    """预警基准日：… as every page's header says it."""
    return _t("labelled", lang, label=_t("h-as-of", lang), text=as_of_words(as_of, lang))
