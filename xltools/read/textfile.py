"""Text and Word files as grids: a line per row, a Word table row per row (with its
gridSpan/vMerge merges), so the same parser sees them.  Word XML is parsed with
defusedxml only.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from xltools.errors import UnreadableFile, Words
from xltools.read.grid import Grid

_ARTIFACT = re.compile(r"\[bookmark:[^\]]*\]")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def load_text_grid(path: Path) -> Grid:
    if path.suffix.lower() == ".docx":
        rows, merges = _docx_rows(path)
        return Grid(path, path.stem, rows, merges)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    return Grid(path, path.stem, [[_ARTIFACT.sub("", line).strip()] for line in text.splitlines()], [])


def _docx_rows(path: Path) -> tuple[list[list[str]], list]:
    """Paragraphs as one-cell rows; table rows as rows, with Word's merged cells
    (gridSpan across, vMerge down) as merged ranges."""
    from defusedxml import DefusedXmlException, ElementTree  # never parse district XML without defusedxml

    try:
        with zipfile.ZipFile(path) as zf:
            root = ElementTree.fromstring(zf.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise UnreadableFile("file-corrupt", file=str(path), reason=str(exc)[:80]) from None
    except DefusedXmlException:  # entity expansion or external entities: refused, never expanded
        raise UnreadableFile("file-corrupt", file=str(path), reason=Words("reason-unsafe-xml")) from None
    rows: list[list[str]] = []
    merges: list[list[int]] = []
    body = root.find(f"{W}body")
    for block in (body if body is not None else []):
        if block.tag == f"{W}p":
            rows.append([_text(block)])
        elif block.tag == f"{W}tbl":
            open_down: dict[int, list[int]] = {}   # column → the merge a vMerge continues
            for tr in block.iter(f"{W}tr"):
                r, row = len(rows), []
                for tc in tr.findall(f"{W}tc"):
                    c = len(row)
                    span = int(_prop(tc, "gridSpan") or 1)
                    vmerge = _prop(tc, "vMerge")
                    if vmerge == "continue" and c in open_down:
                        open_down[c][2] = r
                        row.extend([""] * span)
                        continue
                    row.extend(["\n".join(_text(p) for p in tc.iter(f"{W}p")).strip()] + [""] * (span - 1))
                    merge = [r, c, r, c + span - 1]
                    if span > 1 or vmerge == "restart":
                        merges.append(merge)
                    if vmerge == "restart":
                        open_down[c] = merge
                    else:
                        open_down.pop(c, None)
                rows.append(row)
    return rows, [tuple(m) for m in merges]


def _text(element) -> str:
    """A paragraph's text; a line break typed inside it (Shift+Enter: w:br, w:cr) is a new line,
    a tab a space (a page break inside a paragraph is neither)."""
    parts = []
    for el in element.iter():
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}cr" or (el.tag == f"{W}br" and el.get(f"{W}type") in (None, "textWrapping")):
            parts.append("\n")
        elif el.tag == f"{W}tab":
            parts.append(" ")
    return "".join(parts).strip()


def _prop(tc, name: str) -> str | None:
    """A w:tcPr property's w:val; a bare <w:vMerge/> means "continue"."""
    el = tc.find(f"{W}tcPr/{W}{name}")
    if el is None:
        return None
    return el.get(f"{W}val") or ("continue" if name == "vMerge" else None)
