"""The 督办通报 (progress circular) as a Word document: what it says is a `Circular`
(work/report.py gathers it from a master); this module only lays it out.

Order: title and as-of date; the summary paragraph, whose numbers add up (every task in
exactly one state, 无法判断 included); the table by district and the one by lead unit;
the overdue list; the chart of states per district (or a plain note that no Chinese
font was found here, and no chart)."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xltools.rules.warning import COUNTED_STATES, UNJUDGED
from xltools.schema import CHART_COLOURS
from xltools.texts import capital, t
from xltools.write import document as d

# Every task is in exactly one of the counted states of the 预警 rule (rules.warning:
# the 预警 states and 无法判断), shown in this order.
REPORT_STATES = ("done", "ok", "soon", "ongoing", "overdue", UNJUDGED)
assert set(REPORT_STATES) == set(COUNTED_STATES)
IN_PROGRESS = ("ok", "soon", "ongoing")


@dataclass
class StateCounts:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_STATES, 0))

    def add(self, state: str) -> None:
        self.counts[state] += 1

    def __getitem__(self, state: str) -> int:
        return self.counts[state]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def in_progress(self) -> int:
        return sum(self.counts[s] for s in IN_PROGRESS)

    @property
    def rate(self) -> float:
        """Completion rate in per cent (0 for no task)."""
        return 100.0 * self.counts["done"] / self.total if self.total else 0.0


@dataclass
class CountRow:
    name: str
    counts: StateCounts


@dataclass
class TaskLine:
    """One task as the documents list it."""
    district: str
    seq: Any
    task: str
    lead: str
    deadline: str                 # 完成时限 as written
    due: dt.date | None
    state: str                    # a REPORT_STATES key
    days: int | None              # overdue: days past the due date; otherwise days left
    key: str = ""


@dataclass
class Circular:
    plan: str
    as_of: dt.date
    soon_days: int
    total: StateCounts
    by_district: list[CountRow]
    by_unit: list[CountRow]
    overdue: list[TaskLine]
    level: str = "county"         # what by_district's rows are: county, area or body (report.area_level)


def state_name(state: str, lang: str = "zh") -> str:
    return t("state-" + state, lang)


def state_heading(state: str, lang: str = "zh") -> str:
    """A state as a table's heading or a chart's legend names it (Overdue, 逾期)."""
    return capital(state_name(state, lang))


def rate_text(counts: StateCounts, lang: str = "zh") -> str:
    return t("rp-rate", lang, rate=counts.rate)


def summary_text(c: Circular, lang: str = "zh") -> str:
    n = c.total
    return t("rp-summary", lang, date=d.day_text(c.as_of, lang), plan=c.plan, total=n.total, done=n["done"],
             progress=n.in_progress, ok=n["ok"], soon=n["soon"], ongoing=n["ongoing"], overdue=n["overdue"],
             unknown=n[UNJUDGED], rate=rate_text(n, lang))


def chart_text(c: Circular, lang: str = "zh") -> str:
    """Every character the chart draws: district names, the states in the legend, the
    axis title and the digits of the counts."""
    return "".join([r.name for r in c.by_district] + [state_heading(s, lang) for s in _SHOWN]
                   + [t("rp-chart-y", lang), "0123456789"])


def chart_font_for(c: Circular, lang: str = "zh", chart_font: str | None | bool = True) -> str | None:
    """The font file to draw the chart with: one that has a glyph for every character of
    the chart (else it would show boxes), or None (no chart, and the circular says why).
    chart_font: True to find one on this computer, a font file to check, None/False."""
    text = chart_text(c, lang)
    if chart_font is True:
        return d.find_cjk_font(text)
    return str(chart_font) if chart_font and not d.missing_glyphs(chart_font, text) else None


def write_circular(c: Circular, path: str | Path, *, lang: str = "zh", chart_font: str | None | bool = True) -> bool:
    """Write the circular; True when it holds the chart.  chart_font: a font file, True
    to find one on this computer, None/False for none; a font that cannot draw every
    character of the chart counts as none (the report says so)."""
    doc = d.new_document()
    d.title(doc, t("rp-title", lang, plan=c.plan))
    d.paragraph(doc, t("rp-as-of", lang, date=d.day_text(c.as_of, lang)), align="center")
    d.paragraph(doc)
    d.paragraph(doc, summary_text(c, lang), indent=True, align="justify")
    d.paragraph(doc, t("rp-soon-rule", lang, days=c.soon_days), indent=True, align="justify")

    level = t("rp-level-" + c.level, lang)
    d.heading(doc, t("rp-h-district", lang, level=level))
    _count_table(doc, t("rp-col-" + c.level, lang), c.by_district, c.total, lang)
    d.heading(doc, t("rp-h-unit", lang))
    d.paragraph(doc, t("rp-unit-note", lang), indent=True, align="justify")
    _count_table(doc, t("rp-col-unit", lang), c.by_unit, None, lang)

    d.heading(doc, t("rp-h-overdue", lang))
    if c.overdue:
        _overdue_table(doc, c, lang)
    else:
        d.paragraph(doc, t("rp-no-overdue", lang, date=d.day_text(c.as_of, lang)), indent=True)

    d.heading(doc, t("rp-h-chart", lang, level=level))
    font = chart_font_for(c, lang, chart_font)
    if font:
        d.picture(doc, chart_png(c, font, lang), 150)
    else:
        d.paragraph(doc, t("rp-no-font", lang), indent=True, align="justify")
    d.save_document(doc, path)
    return bool(font)


_SHOWN = REPORT_STATES


# The widest a completion rate is written: its column never breaks "12.5%" before the "%".
_WIDEST_RATE = StateCounts({"done": 1})
NAME_SHARE = 0.3        # the least of the width a table's name column keeps


def _count_table(doc, first: str, rows: list[CountRow], total: StateCounts | None, lang: str) -> None:
    """The name column takes what the number columns leave, at least NAME_SHARE of the
    width and its longest name: each number column as wide as its numbers on one line
    (100.0% included) and its heading on one line, or on two where one-line headings
    would leave the names less.  A name (区数据局（吴兴区）) breaks before its bracket only."""
    header = [first, t("rp-col-total", lang)] + [state_heading(s, lang) for s in _SHOWN] + [t("rp-col-rate", lang)]
    body = [[r.name, r.counts.total] + [r.counts[s] for s in _SHOWN] + [rate_text(r.counts, lang)] for r in rows]
    if total is not None and len(rows) > 1:
        body.append([t("rp-total-row", lang), total.total] + [total[s] for s in _SHOWN] + [rate_text(total, lang)])
    sized = body + [[""] * (len(header) - 1) + [rate_text(_WIDEST_RATE, lang)]]
    fits = [d.Fit(share=1, least=NAME_SHARE, names=True)] + [d.Fit()] * (len(header) - 1)
    d.table(doc, header, body, d.column_widths(header, sized, fits), numeric=tuple(range(1, len(header))),
            names=(0,))


def _overdue_table(doc, c: Circular, lang: str) -> None:
    """The overdue tasks: the place, 序号 and 逾期天数 as wide as they need on one line (a long
    place name wraps between names), 完成时限 on about three lines, the task and its lead
    unit sharing the rest, no unit's name broken where it fits on a line."""
    header = [t(k, lang) for k in ("rp-col-" + c.level, "rp-col-seq", "rp-col-task", "rp-col-unit",
                                   "rp-col-deadline", "rp-col-days")]
    body = [[x.district, x.seq, x.task, x.lead, x.deadline, x.days] for x in c.overdue]
    fits = [d.Fit(most=0.15, names=True), d.Fit(), d.Fit(share=0.64), d.Fit(share=0.36, names=True),
            d.Fit(lines=3, most=0.25), d.Fit(head=2)]
    d.table(doc, header, body, d.column_widths(header, body, fits), numeric=(1, 5), names=(0, 3))


def chart_png(c: Circular, font_file: str, lang: str = "zh") -> bytes:
    """Stacked bars: the tasks of each district by state (matplotlib, no pyplot state)."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(fname=font_file, size=9)
    names = [r.name for r in c.by_district]
    fig = Figure(figsize=(6.2, 3.4), dpi=200)
    ax = fig.add_subplot()
    bottom = [0] * len(names)
    for state in _SHOWN:
        values = [r.counts[state] for r in c.by_district]
        if not any(values):
            continue
        bars = ax.bar(names, values, bottom=bottom, color="#" + CHART_COLOURS[state], label=state_heading(state, lang),
                      width=0.55)
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], label_type="center", fontproperties=prop)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel(t("rp-chart-y", lang), fontproperties=prop)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(prop)
    ax.legend(prop=prop, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
