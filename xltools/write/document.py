"""What every Word document xltools writes looks like: an official document (公文) after
GB/T 9704 as far as python-docx allows — A4 portrait, the text block 156 × 225 mm,
方正小标宋 titles, 黑体 headings, 仿宋 body text, page numbers "— 1 —" outside
(odd pages right, even pages left) — and the fonts found on this computer.

Fonts: each role names the official font first and the usual stand-ins after it.  The
first one installed here is used; when none is, the official name is kept, so Word on
the recipient's computer still picks the font the office has.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from xltools.texts import t
from xltools.write.files import atomic_write

# role → ((name written into the document, names the font may be installed under), …)
FONTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "title": (("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
              ("华文中宋", "STZhongsong"), ("宋体", "SimSun"), ("Noto Serif CJK SC",), ("Source Han Serif SC",)),
    "heading": (("黑体", "SimHei"), ("Noto Sans CJK SC",), ("Source Han Sans SC",), ("WenQuanYi Zen Hei",)),
    "body": (("仿宋_GB2312", "FangSong_GB2312"), ("仿宋", "FangSong"), ("华文仿宋", "STFangsong"),
             ("Noto Serif CJK SC",), ("Source Han Serif SC",)),
    "number": (("宋体", "SimSun"), ("Noto Serif CJK SC",), ("Times New Roman",)),
}
# Point sizes of the Chinese type sizes (字号).
ER_HAO, SAN_HAO, SI_HAO, XIAO_SI, WU_HAO = 22, 16, 14, 12, 10.5
LINE_PT = 28.9          # 22 lines in the 225 mm text block
_MM = 36000             # EMU per millimetre


@functools.lru_cache(maxsize=1)
def installed_fonts() -> frozenset[str]:
    """Family names of the fonts on this computer (as matplotlib finds them)."""
    from matplotlib import font_manager

    return frozenset(f.name for f in font_manager.fontManager.ttflist)


def font_for(role: str) -> str:
    """The font a role uses: the first of its list installed here, else the official one."""
    have = installed_fonts()
    for names in FONTS[role]:
        if any(n in have for n in names):
            return names[0]
    return FONTS[role][0][0]


_PROBE = "逾期临期已完成"


@functools.lru_cache(maxsize=None)
def _characters(font_file: str) -> frozenset[int]:
    """The characters a font file has glyphs for (its cmap; in a collection the first
    font, the one matplotlib draws with).  Empty when the file cannot be read."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(font_file, fontNumber=0, lazy=True) as font:
            return frozenset(c for c, glyph in (font.getBestCmap() or {}).items() if glyph != ".notdef")
    except Exception:       # not a font, a broken or unsupported file: it draws nothing
        return frozenset()


def missing_glyphs(font_file: str | Path, text: str) -> str:
    """The characters of `text` the font cannot draw (they would come out as boxes), each once."""
    have = _characters(str(font_file))
    return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in have}))


@functools.lru_cache(maxsize=16)
def find_cjk_font(text: str = _PROBE) -> str | None:
    """The file of a font that has a glyph for every character of `text`, for charts:
    the heading, body and title fonts first, then any installed font.  None when no font
    here can draw all of it (a fallback font without Chinese is never taken)."""
    from matplotlib import font_manager

    wanted = [n for role in ("heading", "body", "title") for names in FONTS[role] for n in names]
    rank = {n: i for i, n in enumerate(wanted)}
    entries = sorted(font_manager.fontManager.ttflist,
                     key=lambda f: (rank.get(f.name, len(rank)), "CJK" not in f.name, f.name, f.fname))
    for entry in entries:
        if not missing_glyphs(entry.fname, text):
            return entry.fname
    return None


def day_text(day: dt.date, lang: str = "zh") -> str:
    return t("rp-date", lang, y=day.year, m=day.month, d=day.day)


# ------------------------------------------------------------------ the document

def new_document():
    """An empty A4 portrait document with GB/T 9704 margins, styles and page numbers."""
    import docx
    from docx.enum.section import WD_ORIENT

    doc = docx.Document()
    _drop_styles_with_effects(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = 210 * _MM, 297 * _MM
    # 天头 37 mm, 订口 28 mm, text block 156 × 225 mm
    section.top_margin, section.left_margin = 37 * _MM, 28 * _MM
    section.right_margin, section.bottom_margin = 26 * _MM, 35 * _MM
    section.footer_distance = 21 * _MM    # the number's line 7 mm below the text block
    section.header_distance = 15 * _MM
    normal = doc.styles["Normal"]
    _set_font(normal.font, font_for("body"), SAN_HAO)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = 0
    fmt.line_spacing = _pt(LINE_PT)
    _page_numbers(doc, section)
    return doc


def _drop_styles_with_effects(doc) -> None:
    """python-docx's template carries Word 2010's stylesWithEffects.xml, a copy of the
    styles that would no longer match ours (the header and footer styles we add, our
    fonts): Word 2013 on neither writes nor needs it, Word 2010 rebuilds it when absent."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rid)


def _pt(value: float):
    from docx.shared import Pt

    return Pt(value)


def _set_font(font, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """A run's or style's font, East Asian text included (python-docx sets only the
    Latin name by itself)."""
    from docx.oxml.ns import qn

    font.name = name
    if size is not None:
        font.size = _pt(size)
    if bold is not None:
        font.bold = bold
    rpr = font._element.get_or_add_rPr()   # a run or a style
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        rfonts.set(qn(attr), name)


def paragraph(doc, text: str = "", *, role: str = "body", size: float = SAN_HAO, bold: bool = False,
              align: str | None = None, indent: bool = False):
    """One paragraph in a role's font; `indent` = the usual two-character first-line indent."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        _set_font(run.font, font_for(role), size, bold)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    if indent:
        p.paragraph_format.first_line_indent = _pt(2 * size)
    return p


TEXT_MM = 156           # the width of the text block
CELL_MARGIN_MM = 1.0    # left and right inside a table cell (Word's own 1.9 mm leaves a narrow column no room)
_PT_MM = 25.4 / 72


_WIDE_MARKS = "—…‘’“”"       # below U+2E80, yet a whole em in a Chinese font
_WIDE = "\u2e80-\U0010ffff" + _WIDE_MARKS   # as a regular expression's class: Chinese characters and punctuation


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or ch in _WIDE_MARKS


def _em(ch: str) -> float:
    """How wide a character is set, in ems, erring wide: a Chinese character (or full-width
    mark) one; a digit or sign about half of one; a Latin letter more (0.6 to 0.7 in the
    Noto and Source Han fonts): a word that does not fit its column is broken inside it."""
    if _wide(ch):
        return 1.0
    if "A" <= ch <= "Z":
        return 0.72
    return 0.62 if "a" <= ch <= "z" else 0.55


AUTOSPACE = 0.25      # ems Word and LibreOffice put between Chinese and Latin letters or digits (2026 年)


def text_mm(text: str, size: float = WU_HAO) -> float:
    """How wide `text` is set on one line at `size` points (see `_em`), with the space the
    programs add where Chinese meets a Latin letter or a digit."""
    text = str(text)
    meets = sum(1 for a, b in zip(text, text[1:]) if _wide(a) != _wide(b) and (b if _wide(a) else a).isalnum())
    return (sum(map(_em, text)) + AUTOSPACE * meets) * size * _PT_MM


_PIECE = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+")   # a wide character, or a word or number (never broken)
# A cell of names (units, places) breaks between names: after 、，, or at a space; a name
# too long for a line of its own, before a bracket (区政府办公室 / （区大数据中心）).
_NAME = re.compile(r"[^\s、，,；;]+[、，,；;]*|[、，,；;]+")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]?[、，,；;]*|[^（(]+")


def _pieces(text: str, names: bool) -> list[tuple[str, bool]]:
    """(piece, whether a space stands before it): what a line never breaks inside."""
    return [(m.group(), m.start() > 0 and text[m.start() - 1].isspace())
            for m in (_NAME if names else _PIECE).finditer(text)]


def _fill(text: str, width: float, size: float, names: bool = False) -> list[str]:
    """`text` on lines of `width` mm, filled greedily, breaking only between pieces (and at
    the line breaks it holds)."""
    out: list[str] = []
    for part in text.split("\n"):
        lines = [""]
        for piece, spaced in _pieces(part, names):
            whole = not names or text_mm(piece, size) <= width
            for k, bit in enumerate([piece] if whole else _BRACKETED.findall(piece)):
                longer = lines[-1] + (" " if spaced and not k and lines[-1] else "") + bit
                if lines[-1] and text_mm(longer, size) > width:
                    lines.append(bit)
                else:
                    lines[-1] = longer
        out += lines
    return out


def _widest(text: str, size: float, names: bool = False) -> float:
    """The narrowest line that breaks no piece (no name's part between brackets)."""
    bits = [bit for piece, _ in _pieces(text, names) for bit in (_BRACKETED.findall(piece) if names else [piece])]
    return max((text_mm(bit, size) for bit in bits), default=0.0)


def cell_mm(texts: Iterable, size: float = WU_HAO, lines: int = 1, names: bool = False) -> float:
    """The narrowest column in which each of `texts` takes at most `lines` lines, never
    breaking a word or a number (100.0% stays whole), nor, with `names`, a unit's or a
    place's name (区数据局 (吴兴区) may break before the bracket only)."""
    need = 0.0
    for text in dict.fromkeys("" if x is None else str(x) for x in texts):
        low, high = _widest(text, size, names), text_mm(text, size) + 0.25   # fits / needs more lines
        if len(_fill(text, max(low, need), size, names)) <= lines:
            need = max(need, low)
            continue
        low = max(low, need)
        while high - low > 0.25:          # the fewest lines grow with the width: halve the gap
            mid = (low + high) / 2
            low, high = (low, mid) if len(_fill(text, mid, size, names)) <= lines else (mid, high)
        need = max(need, high)
    return need + 2 * CELL_MARGIN_MM + 0.5   # 0.5 mm: fonts differ a little from the estimate


def names_text(text, width_mm: float, size: float = WU_HAO) -> str:
    """A cell of names as it is laid out in a column `width_mm` wide: a line break before
    each name that would not fit on the line, so that Word, which breaks Chinese text
    between any two characters, never breaks a name that fits on a line of its own."""
    text = "" if text is None else str(text)
    return "\n".join(_fill(text, width_mm - 2 * CELL_MARGIN_MM - 0.5, size, names=True))


UNBROKEN = 10 ** 6    # lines enough for any text: cell_mm's width then only keeps words and names whole


@dataclass(frozen=True)
class Fit:
    """How one column of a table is sized (see `column_widths`)."""
    head: int = 1            # lines its heading may take
    lines: int = 1           # lines each value may take
    most: float = 1.0        # the most of the text block's width it takes, unless a word needs more
    share: float = 0.0       # > 0: no width of its own, this share of what the other columns leave
    least: float = 0.0       # … yet at least this much of the text block's width
    names: bool = False      # its values are names of units or places: broken between names only


def column_widths(header: Sequence[str], body: Sequence[Sequence], fits: Sequence[Fit],
                  total: float = TEXT_MM, size: float = WU_HAO) -> list[float]:
    """The widths (mm) of a table's columns, adding up to `total`.  A column of its own is
    as wide as its heading on `head` lines and each value on `lines` lines, at most `most`;
    the shared columns divide what is left.  No column is narrower than its longest word
    or number, nor a column of names than its longest name.  When the shared columns would
    get less than they need, the headings take one line more (Days / overdue)."""
    columns = [[row[i] for row in body] for i in range(len(header))]
    shares = sum(f.share for f in fits) or 1.0
    for extra in (0, 1):
        head = [cell_mm([h], size, f.head + extra) for h, f in zip(header, fits)]
        floor = [max(h, cell_mm(values, size, UNBROKEN, f.names)) for h, values, f in zip(head, columns, fits)]
        widths = [0.0 if f.share else max(floor[i], min(max(head[i], cell_mm(columns[i], size, f.lines, f.names)),
                                                         f.most * total))
                  for i, f in enumerate(fits)]
        rest = total - sum(widths)
        if all(rest * f.share / shares >= max(floor[i], f.least * total) for i, f in enumerate(fits) if f.share):
            break
    # (columns whose words alone overfill the block: the shared ones keep their words whole, wider than the block)
    return [max(rest * f.share / shares, floor[i]) if f.share else w for i, (f, w) in enumerate(zip(fits, widths))]


def title_lines(text: str, size: float = ER_HAO, width_mm: float = TEXT_MM) -> list[str]:
    """A title broken into lines of about equal length, so that none is left with a word
    or a single character on it (GB/T 9704: 回行时…排列对称): each break at the word end
    (、 ， 的 关于 年度 任务, before 落实) nearest the even point, where one is close by."""
    total = text_mm(text, size)
    if total <= width_mm:
        return [text]
    n = int(-(-total // width_mm))
    while True:
        lines = _even_lines(text, n, size, width_mm)
        if all(text_mm(line, size) <= width_mm for line in lines):
            return lines
        n += 1


_CLOSING = ":;,.!?%)]}、，。：；！？）】》”’"     # never begins a line
_OPENING = "([{（【《“‘"                         # never ends one


def _may_break(text: str, i: int) -> bool:
    """Whether a line may end before text[i]: between Chinese characters, at a space, never
    inside a word or a number (202|4年, circu|lar) nor before a closing or after an opening mark."""
    a, b = text[i - 1], text[i]
    if b in _CLOSING or a in _OPENING:
        return False
    return a.isspace() or b.isspace() or _wide(a) or _wide(b)


def _even_lines(text: str, n: int, size: float, width_mm: float) -> list[str]:
    out, rest = [], text
    while n > 1:
        goal = text_mm(rest, size) / n
        widths, acc = [], 0.0
        for ch in rest:
            acc += text_mm(ch, size)
            widths.append(acc)
        breaks = [i for i in range(1, len(rest)) if _may_break(rest, i)] or list(range(1, len(rest)))
        even = next((i for i in breaks if widths[i - 1] >= goal), breaks[-1])
        near = [i for i in breaks if rest[i - 1] in "、，的" or rest[:i] == "关于"
                or rest[i - 2:i] in ("年度", "任务") or rest[i:i + 2] == "落实"]
        near = [i for i in near if abs(widths[i - 1] - goal) <= 0.3 * width_mm and widths[i - 1] <= width_mm
                and text_mm(rest[i:], size) <= width_mm * (n - 1)]
        cut = min(near, key=lambda i: abs(widths[i - 1] - goal)) if near else even
        while widths[cut - 1] > width_mm and cut != breaks[0]:
            cut = max(i for i in breaks if i < cut)
        out.append(rest[:cut].rstrip())
        rest, n = rest[cut:].lstrip(), n - 1
    return out + [rest]


def title(doc, text: str) -> None:
    p = paragraph(doc, role="title", size=ER_HAO, align="center")
    p.paragraph_format.line_spacing = _pt(ER_HAO * 1.6)
    lines = title_lines(text)
    for i, line in enumerate(lines):
        run = p.add_run(line)
        _set_font(run.font, font_for("title"), ER_HAO)
        if i < len(lines) - 1:
            run.add_break()


def heading(doc, text: str) -> None:
    """A heading, kept on the page of what follows it (never alone at the foot of a page)."""
    paragraph(doc, text, role="heading", indent=True).paragraph_format.keep_with_next = True


def table(doc, header: Sequence[str], rows: Iterable[Sequence], widths_mm: Sequence[float],
          numeric: Sequence[int] = (), size: float = WU_HAO, names: Sequence[int] = ()):
    """A bordered table with a header row repeated on every page and no row broken across
    two pages; narrow cell margins; `numeric` columns are centred; in `names` columns a
    line breaks between names only (names_text)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    rows = list(rows)
    tbl = doc.add_table(rows=1 + len(rows), cols=len(header))
    tbl.style = "Table Grid"
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False      # <w:tblLayout w:type="fixed"/>, where CT_TblPr puts it
    _cell_margins(tbl)
    body = font_for("body")
    for r, values in enumerate([list(header)] + [list(v) for v in rows]):
        row = tbl.rows[r]
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))       # a row is never broken across two pages
        if r == 0:   # repeat the header on each page (after cantSplit: the schema's order)
            trpr.append(OxmlElement("w:tblHeader"))
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = int(widths_mm[c] * _MM)
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing = 1.0
            p.paragraph_format.first_line_indent = 0
            if r == 0 or c in numeric:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            text = "" if value is None else str(value)
            run = p.add_run(names_text(text, widths_mm[c], size) if r and c in names else text)
            _set_font(run.font, font_for("heading") if r == 0 else body, size)
    for c, width in enumerate(widths_mm):   # Word reads the grid, LibreOffice the cells
        tbl.columns[c].width = int(width * _MM)
    return tbl


def _cell_margins(tbl) -> None:
    """<w:tblCellMar> with CELL_MARGIN_MM left and right, after <w:tblLayout> (the schema's order)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(CELL_MARGIN_MM / 25.4 * 1440)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl._tbl.tblPr.find(qn("w:tblLayout")).addnext(mar)     # tbl.autofit = False wrote it


def picture(doc, png: bytes, width_mm: float) -> None:
    import io

    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = 1.0
    p.add_run().add_picture(io.BytesIO(png), width=int(width_mm * _MM))


def _page_numbers(doc, section) -> None:
    """"— N —" in 四号 宋体: odd pages at the right, even pages at the left, one
    character in from the edge of the text block."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                      WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.alignment = align
        fmt = p.paragraph_format
        fmt.line_spacing = 1.0
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = _pt(SI_HAO)
        else:
            fmt.left_indent = _pt(SI_HAO)
        _number_run(p, "— ")
        _field(p, "PAGE")
        _number_run(p, " —")


def _number_run(p, text: str):
    run = p.add_run(text)
    _set_font(run.font, font_for("number"), SI_HAO)
    return run


def _field(p, code: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        run = _number_run(p, "")
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {code} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def save_document(doc, path: str | Path) -> Path:
    """Saved atomically (a reader sees the old file or the new one, never half)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, doc.save)
    return path
