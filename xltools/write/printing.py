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
