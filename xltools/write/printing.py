"""The print setup of every sheet we write: landscape, every column on the page (one page
wide, as many pages down as the rows need), the heading rows on every page, a page header
naming the sheet and a footer with the page number.

Paper: A4, except the master's 汇总.  Its twenty columns (the task, its units and deadline,
the progress, and the columns that trace each row to its file and return) on one A4 width
printed at about 40 % (11 pt text as 4.5 pt: unreadable).  Offices print such ledgers on A3,
which their copiers take: on A3, with the tracing columns (来源文件, 来源工作表, 任务编号 …)
no wider than they need, every column prints at about two thirds of its size (Excel's
column widths; tests/test_printing.py measures it through LibreOffice).  Where only A4
is at hand, Excel's and WPS's print dialog shrink the A3 page onto it.

The margins give the header and the footer bands of their own: the header prints from
HEADER inches below the paper's edge, the rows start at TOP, and the space between holds
one line of header text (Excel, like LibreOffice, prints the header inside the top margin:
a header margin equal to the top margin put the title behind the first row).  write/xlsx.py
writes these numbers into the package; `set_up` puts them on an openpyxl worksheet."""
from __future__ import annotations

# inches, as Excel's <pageMargins> holds them
LEFT = RIGHT = 0.4
TOP = BOTTOM = 0.9
HEADER = FOOTER = 0.3
A4, A3 = 9, 8                           # Excel's paperSize codes
MASTER_PAPER = A3                       # 汇总: see above


def set_up(ws, *, title_rows: str | None = None, header_center: str | None = "&A",
           header_right: str | None = None, footer_center: str | None = None, landscape: bool = True,
           paper: int = A4) -> None:
    """The print setup on an openpyxl worksheet (header and footer in Excel's codes: &A the
    sheet's name, &P the page, &N the pages)."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.paperSize = paper
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    m = ws.page_margins
    m.left, m.right, m.top, m.bottom, m.header, m.footer = LEFT, RIGHT, TOP, BOTTOM, HEADER, FOOTER
    if header_center:
        ws.oddHeader.center.text = header_center
    if header_right:
        ws.oddHeader.right.text = header_right
    if footer_center:
        ws.oddFooter.center.text = footer_center


# paper (width, height) in inches, portrait, by Excel's paperSize code
PAPER_INCHES = {1: (8.5, 11.0), 5: (8.5, 14.0), 8: (11.69, 16.54), 9: (8.27, 11.69), 11: (5.83, 8.27),
                12: (10.12, 14.33), 13: (7.17, 10.12)}
_DIGIT_PX, _DPI = 7, 96                 # Excel's width unit: the widest digit of the default font, in pixels


def pages_across(ws, columns) -> int:
    """How many pages wide these columns print at the sheet's own scale (its paper, which
    is A4 where the file names none, as in Chinese offices; orientation, side margins,
    zoom), Excel and LibreOffice starting a new page at the first column that does not fit."""
    paper = PAPER_INCHES.get(ws.page_setup.paperSize or A4, PAPER_INCHES[A4])
    across = paper[1] if ws.page_setup.orientation == "landscape" else paper[0]
    margins = ws.page_margins
    room = across - (margins.left or 0) - (margins.right or 0)
    scale = (ws.page_setup.scale or 100) / 100
    widths = _column_widths(ws)
    default = ws.sheet_format.defaultColWidth or (ws.sheet_format.baseColWidth or 8) + 5 / _DIGIT_PX
    pages, used = 1, 0.0
    for c in columns:
        inches = widths.get(c, default) * _DIGIT_PX / _DPI * scale
        if used and used + inches > room:
            pages, used = pages + 1, 0.0
        used += inches
    return pages


def _column_widths(ws) -> dict[int, float]:
    """Each column's width as the file gives it (0 for a hidden column)."""
    from openpyxl.utils import column_index_from_string

    out = {}
    for letter, dim in ws.column_dimensions.items():
        first = dim.min or column_index_from_string(letter)
        for c in range(first, (dim.max or first) + 1):
            if dim.hidden:
                out[c] = 0.0
            elif dim.width:
                out[c] = dim.width
    return out
