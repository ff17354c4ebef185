"""The print setup of every sheet we write: A4 landscape, every column on the page (one
page wide, as many pages down as the rows need), the heading rows on every page, a page
header naming the sheet and a footer with the page number.

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
A4 = 9                                  # Excel's paperSize code


def set_up(ws, *, title_rows: str | None = None, header_center: str | None = "&A",
           header_right: str | None = None, footer_center: str | None = None, landscape: bool = True) -> None:
    """The print setup on an openpyxl worksheet (header and footer in Excel's codes: &A the
    sheet's name, &P the page, &N the pages)."""
    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.paperSize = A4
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
