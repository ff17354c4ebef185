"""collect sets cells of 汇总 in its rows' text (write/splice.py): a row as our writer makes
it (a cell in every column, none with r="…") is edited where its cells stand, any other
row through its cells cut out one by one.  On random rows of every kind (gaps, r="…",
rich text whose <color> starts like a cell, empty rows) both ways give the same text and
the same cell formats, and the text stays well-formed."""
from __future__ import annotations

import random
from xml.parsers import expat

import pytest

from xltools.model import col_letter
from xltools.write.splice import SheetRows, _edited, _SPANS


def _cell(rng: random.Random, r: int, c: int, with_ref: bool) -> bytes:
    ref = f' r="{col_letter(c - 1)}{r}"' if with_ref else ""
    s = f' s="{rng.randint(0, 40)}"' if rng.random() < 0.8 else ""
    kind = rng.choice(["num", "text", "rich", "empty", "formula"])
    if kind == "num":
        return f"<c{ref}{s}><v>{rng.randint(0, 99999)}</v></c>".encode()
    if kind == "text":
        return f'<c{ref}{s} t="inlineStr"><is><t>文字 r="x" {rng.random()}</t></is></c>'.encode()
    if kind == "rich":
        return (f'<c{ref}{s} t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/></rPr><t>红</t></r>'
                f'<r><t>字</t></r></is></c>').encode()
    if kind == "formula":
        return f"<c{ref}{s}><f>A1+1</f><v>2</v></c>".encode()
    return f"<c{ref}{s}/>".encode()


def _row(rng: random.Random, r: int) -> bytes:
    shape = rng.choice(["writer", "writer", "refs", "gaps", "empty"])
    head = f'<row r="{r}" spans="1:12">' if rng.random() < 0.5 else f'<row r="{r}">'
    if shape == "empty":
        return f'<row r="{r}"/>'.encode()
    if shape == "writer":
        cells = [_cell(rng, r, c, False) for c in range(1, rng.randint(1, 12) + 1)]
    elif shape == "refs":
        cells = [_cell(rng, r, c, True) for c in range(1, rng.randint(1, 12) + 1)]
    else:
        cols = sorted(rng.sample(range(1, 15), rng.randint(1, 8)))
        cells = [_cell(rng, r, c, True) for c in cols]
    return head.encode() + b"".join(cells) + b"</row>"


def _reference(rows: SheetRows) -> bytes:
    """The edited text made the other way: every edited row through its cells cut out."""
    pieces, at, xml = [], 0, rows.xml
    for row in sorted(rows.cells):
        start, end = rows._rows()[row]
        old = xml[start:end]
        head = _SPANS.sub(b"", old[:old.find(b">") + 1])
        head = head[:-2] + b">" if head.endswith(b"/>") else head
        pieces += [xml[at:start], head, *_edited(rows._row_cells(row), rows.cells[row], row), b"</row>"]
        at = end
    return b"".join(pieces) + xml[at:]


@pytest.mark.parametrize("seed", range(40))
def test_rows_edited_in_place_are_the_rows_edited_cell_by_cell(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 60)
    xml = b"<sheetData>" + b"".join(_row(rng, r) for r in range(1, n + 1)) + b"</sheetData>"
    here, there = SheetRows(xml=xml), SheetRows(xml=xml)
    for r in rng.sample(range(1, n + 1), rng.randint(1, n)):
        for c in rng.sample(range(1, 16), rng.randint(1, 5)):
            # the format as the file has it, found both ways
            assert here.style_at(r, c) == _style_cut_out(there, r, c), (seed, r, c)
            cell = f'<c s="{rng.randint(0, 9)}"><v>{rng.randint(0, 9)}</v></c>'
            here.put(r, c, cell)
            there.put(r, c, cell)
    edited = here._edited_xml()
    assert edited == _reference(there), seed
    parser = expat.ParserCreate()
    parser.Parse(b'<worksheet>' + edited + b"</worksheet>", True)       # well-formed


def _style_cut_out(rows: SheetRows, r: int, c: int) -> int:
    import re

    cell = rows._row_cells(r).get(c)
    m = re.compile(rb'\ss="(\d+)"').search(cell, 0, cell.find(b">")) if cell else None
    return int(m.group(1)) if m else 0
