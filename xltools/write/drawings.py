"""Drawn shapes kept through an openpyxl save.

openpyxl keeps only the pictures and charts of a sheet's drawing: text boxes and other
shapes a clerk drew (Insert > Text Box / Shapes: a note "已报区政府" beside the table),
connectors and groups are dropped when it saves.  Their words were typed by a person,
so every command that saves a workbook through openpyxl (flag, collect, remind --sheet)
passes the package it saved through `carry_drawings` with the original's bytes: each
sheet (matched by name, openpyxl renames parts) gets back the anchors openpyxl did not
write, merged into the drawing openpyxl wrote (its pictures and charts stay), or the
original drawing part whole when openpyxl wrote none.  Parts those anchors refer to (a
picture fill, a picture in a group) are copied with them under names of their own;
external links (a hyperlink on a shape) are carried as relationships.

What cannot be carried is said, never dropped in silence: a picture or chart openpyxl
did not keep in a drawing it wrote (a WMF picture, a chart it cannot read), a drawing
that is not well-formed.  The version kept before the save still holds it.
"""
from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from xltools.findings import Finding
from xltools.read.limits import worksheet_parts

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DRAWING_REL = _R + "/drawing"
# the drawing's objects: anchors, and what Excel wraps in mc:AlternateContent (openpyxl writes neither)
_ANCHORS = {f"{{{_XDR}}}{name}" for name in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")} | {
    f"{{{_MC}}}AlternateContent"}
_PIC, _FRAME, _GROUP = f"{{{_XDR}}}pic", f"{{{_XDR}}}graphicFrame", f"{{{_XDR}}}grpSp"
_CNVPR = f"{{{_XDR}}}cNvPr"
_LINKS = (f"{{{_A}}}stCxn", f"{{{_A}}}endCxn")          # a connector's ends: the ids of the shapes it joins
# CT_Worksheet's (and CT_Chartsheet's) children after <drawing>: it goes before the first of them
_AFTER_DRAWING = {b"legacyDrawing", b"legacyDrawingHF", b"drawingHF", b"picture", b"oleObjects", b"controls",
                  b"webPublishItems", b"tableParts", b"extLst"}
_TAG = re.compile(rb"<(/?)(?:\w+:)?(\w+)[^>]*?(/?)>")       # text and attributes hold no "<" (and ours no ">")
_SHEET_ROOT = re.compile(rb"<(?:\w+:)?(?:worksheet|chartsheet|dialogsheet)\b[^>]*>")
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_END_OF_ROWS = re.compile(rb"</sheetData>|<sheetData\s*/>")


@dataclass(frozen=True)
class DrawingNotKept:
    """What could not be carried into a sheet: `pictures` pictures and charts openpyxl did
    not keep (or objects of a sheet not found again), or (0) its whole drawing, which
    could not be read."""
    sheet: str
    pictures: int = 0

    def finding(self, file: str) -> Finding:
        """Said to the clerk: the sheet, what was not kept, and that the kept version holds it."""
        if self.pictures:
            return Finding("drawing-not-kept", file, sheet=self.sheet,
                           params={"sheet": self.sheet, "count": self.pictures, "file": file})
        return Finding("drawing-unreadable", file, sheet=self.sheet, params={"sheet": self.sheet, "file": file})


def carry_drawings(original: bytes, saved: bytes) -> tuple[bytes, list[DrawingNotKept]]:
    """`saved` (the package openpyxl wrote from `original`) with every drawn shape of
    `original` back in its sheet, and what could not be carried.  `saved` itself when
    there is nothing to carry."""
    with zipfile.ZipFile(io.BytesIO(original)) as old, zipfile.ZipFile(io.BytesIO(saved)) as new:
        if not any(n.startswith("xl/drawings/") for n in old.namelist()):
            return saved, []
        package = _Edits(old, new)
        lost: list[DrawingNotKept] = []
        new_sheets = worksheet_parts(new)
        for sheet, part in worksheet_parts(old).items():
            drawing = _drawing_of(old, part)
            if drawing is None or drawing not in package.old_names:
                continue
            tree = _parse(old.read(drawing))
            if tree is None:
                lost.append(DrawingNotKept(sheet))
                continue
            anchors = [a for a in tree if a.tag in _ANCHORS]
            if not anchors:
                continue
            target = new_sheets.get(sheet)
            if target is None or target not in package.names:
                lost.append(DrawingNotKept(sheet, len(anchors)))
                continue
            written = _drawing_of(new, target)
            if written is None:          # openpyxl wrote no drawing: the original one, whole
                package.add_drawing(target, package.copy_part(drawing))
            else:
                missing = package.merge(drawing, tree, anchors, written)
                if missing:
                    lost.append(DrawingNotKept(sheet, missing))
        return (package.bytes() if package.changed else saved), lost


def _openpyxl_keeps(anchor) -> bool:
    """A picture or a chart: what openpyxl writes again (a group it writes only in part,
    so groups are carried whole and its copy removed)."""
    kind = _object(anchor)
    return kind is not None and (kind.tag == _PIC or kind.tag == _FRAME and any(
        el.get("uri") == _CHART for el in kind.iter(f"{{{_A}}}graphicData")))


def _object(anchor):
    """The drawn object of an anchor (after its from/to/pos/ext), or None."""
    for child in anchor:
        if isinstance(child.tag, str) and child.tag.rpartition("}")[2] not in ("from", "to", "pos", "ext",
                                                                              "clientData"):
            return child
    return None


def _parse(data: bytes):
    """The root of a part, parsed safely (no document type, no entities), or None when it
    is not well-formed."""
    from defusedxml import DefusedXmlException, ElementTree
    from lxml import etree

    try:
        ElementTree.fromstring(data)     # refuses a DTD's entities and external references
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (DefusedXmlException, ElementTree.ParseError, etree.XMLSyntaxError, ValueError):
        return None


def _rels_part(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels"


def _resolve(source: str, target: str) -> str:
    """A relationship's internal target as a part name."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relative(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


def _rels_of(zf: zipfile.ZipFile, part: str) -> list:
    name = _rels_part(part)
    if name not in zf.namelist():
        return []
    root = _parse(zf.read(name))
    return [] if root is None else [r for r in root if r.tag == f"{{{_PKG_R}}}Relationship"]


def _drawing_of(zf: zipfile.ZipFile, sheet_part: str) -> str | None:
    rel = next((r for r in _rels_of(zf, sheet_part) if r.get("Type") == _DRAWING_REL
                and r.get("TargetMode") != "External"), None)
    return _resolve(sheet_part, rel.get("Target", "")) if rel is not None else None


class _Edits:
    """The saved package and the parts changed or added in it."""

    def __init__(self, old: zipfile.ZipFile, new: zipfile.ZipFile):
        self.old, self.new = old, new
        self.old_names = set(old.namelist())
        self.names = set(new.namelist())
        self.parts: dict[str, bytes] = {}           # part → bytes, changed or added
        self.copied: dict[str, str] = {}            # original part → its copy's name
        self.types = _parse(new.read("[Content_Types].xml"))
        self.old_types = _parse(old.read("[Content_Types].xml"))
        self.changed = False

    def read(self, part: str) -> bytes:
        return self.parts[part] if part in self.parts else self.new.read(part)

    def write(self, part: str, data: bytes) -> None:
        self.parts[part] = data
        self.names.add(part)
        self.changed = True

    def rels(self, part: str):
        """The relationships root of a part of the saved package (a new one if it has none)."""
        from lxml import etree

        name = _rels_part(part)
        root = _parse(self.read(name)) if name in self.names else None
        return root if root is not None else etree.Element(f"{{{_PKG_R}}}Relationships", nsmap={None: _PKG_R})

    def copy_part(self, part: str) -> str:
        """Copy a part of the original (and the parts it refers to) into the saved package,
        under a name not taken there; its new name."""
        if part in self.copied:
            return self.copied[part]
        name = self.copied[part] = self._free_name(part)
        self.names.add(name)
        self._copy_type(part, name)
        rels = _rels_of(self.old, part)
        if rels:
            from lxml import etree

            root = etree.Element(f"{{{_PKG_R}}}Relationships", nsmap={None: _PKG_R})
            for rel in rels:
                root.append(self._carried_rel(rel, part, name, rel.get("Id")))
            self.write(_rels_part(name), _xml(root))
        self.write(name, self.old.read(part))
        return name

    def _carried_rel(self, rel, source: str, new_source: str, rid: str):
        """A relationship of `source` (original) as one of `new_source`: an internal target copied."""
        rel = copy.deepcopy(rel)
        rel.set("Id", rid)
        target = _resolve(source, rel.get("Target", ""))
        if rel.get("TargetMode") != "External" and target in self.old_names:
            rel.set("Target", _relative(new_source, self.copy_part(target)))
        return rel

    def _free_name(self, part: str) -> str:
        if part not in self.names:
            return part
        stem, ext = posixpath.splitext(part)
        stem, n = stem.rstrip("0123456789"), 1
        while f"{stem}{n}{ext}" in self.names:
            n += 1
        return f"{stem}{n}{ext}"

    def _copy_type(self, part: str, name: str) -> None:
        """The content type of the copy: the original's Override, or its Default for the extension."""
        if self.types is None or self.old_types is None:
            return
        override = next((t for t in self.old_types if t.get("PartName", "").lower() == "/" + part.lower()), None)
        if override is not None:
            added = copy.deepcopy(override)
            added.set("PartName", "/" + name)
            self.types.append(added)
            return
        ext = posixpath.splitext(name)[1].lstrip(".").lower()
        if any(t.get("Extension", "").lower() == ext for t in self.types):
            return
        default = next((t for t in self.old_types if t.get("Extension", "").lower() == ext), None)
        if default is not None:
            self.types.append(copy.deepcopy(default))

    def add_drawing(self, sheet_part: str, drawing: str) -> None:
        """Point a sheet openpyxl wrote without a drawing at `drawing`."""
        from lxml import etree

        rels = self.rels(sheet_part)
        rid = _free_id(rels)
        etree.SubElement(rels, f"{{{_PKG_R}}}Relationship", Id=rid, Type=_DRAWING_REL,
                         Target=_relative(sheet_part, drawing))
        self.write(_rels_part(sheet_part), _xml(rels))
        body = self.read(sheet_part)
        at = _drawing_place(body)
        self.write(sheet_part, body[:at] + b'<drawing xmlns:r="%s" r:id="%s"/>' % (_R.encode(), rid.encode())
                   + body[at:])

    def merge(self, drawing: str, tree, anchors: list, written: str) -> int:
        """The original's shapes (anchors openpyxl does not keep) added to the drawing
        openpyxl wrote; how many of the original's pictures and charts it lacks."""
        target = _parse(self.read(written))
        if target is None:
            return sum(map(_openpyxl_keeps, anchors))
        have = [a for a in target if a.tag in _ANCHORS]
        missing = max(0, sum(map(_openpyxl_keeps, anchors)) - sum(map(_openpyxl_keeps, have)))
        carried = [copy.deepcopy(a) for a in anchors if not _openpyxl_keeps(a)]
        if not carried:
            return missing
        # a group openpyxl wrote is its partial copy of one carried whole
        for anchor in have:
            if (kind := _object(anchor)) is not None and kind.tag == _GROUP:
                target.remove(anchor)
        root = _with_namespaces(target, tree)
        old_rels = {r.get("Id"): r for r in _rels_of(self.old, drawing)}
        rels = self.rels(written)
        ids: dict[str, str] = {}
        for anchor in carried:
            for el in anchor.iter():
                for key, value in el.attrib.items():
                    if key.startswith(f"{{{_R}}}") and value in old_rels:
                        if value not in ids:
                            ids[value] = _free_id(rels)
                            rels.append(self._carried_rel(old_rels[value], drawing, written, ids[value]))
                        el.set(key, ids[value])
        _renumber(root, carried)
        for el in root.iter(f"{{{_XDR}}}avLst"):      # openpyxl writes a picture's a:avLst in its own namespace
            el.tag = f"{{{_A}}}avLst"
        for anchor in carried:
            root.append(anchor)
        self.write(written, _xml(root))
        if ids:
            self.write(_rels_part(written), _xml(rels))
        return missing

    def bytes(self) -> bytes:
        if self.types is not None:
            self.parts["[Content_Types].xml"] = _xml(self.types)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info in self.new.infolist():
                data = self.parts.pop(info.filename, None)
                zf.writestr(copy.copy(info), data if data is not None else self.new.read(info), compresslevel=3)
            for name, data in self.parts.items():
                zf.writestr(name, data, compresslevel=3)
        return out.getvalue()


def _drawing_place(sheet: bytes) -> int:
    """Where <drawing> goes in a sheet's XML: before the first child of the sheet that the
    schema puts after it, else before the sheet's end tag (children of children, as a
    rule's <extLst>, do not count)."""
    rows = _END_OF_ROWS.search(sheet)
    start = rows or _SHEET_ROOT.search(sheet)
    depth = 0
    for tag in _TAG.finditer(sheet, start.end() if start else 0):
        closing, name, empty = tag.groups()
        if closing:
            if depth == 0:
                return tag.start()
            depth -= 1
        elif depth == 0 and name in _AFTER_DRAWING:
            return tag.start()
        elif not empty:
            depth += 1
    return sheet.rfind(b"</")


def _with_namespaces(target, original):
    """openpyxl's drawing root with the namespace declarations (and mc:Ignorable) of the
    original's that it lacks: the shapes carried may use them by prefix (mc:Choice
    Requires="a14")."""
    from lxml import etree

    nsmap = dict(target.nsmap)
    for prefix, uri in original.nsmap.items():
        if prefix not in nsmap and uri not in nsmap.values():
            nsmap[prefix] = uri
    ignorable = f"{{{_MC}}}Ignorable"
    if nsmap == target.nsmap and original.get(ignorable) is None:
        return target
    root = etree.Element(target.tag, attrib=dict(target.attrib), nsmap=nsmap)
    if original.get(ignorable) is not None and target.get(ignorable) is None and nsmap.get("mc") == _MC:
        root.set(ignorable, original.get(ignorable))
    root.extend(list(target))
    return root


def _renumber(root, carried: list) -> None:
    """Give the carried shapes drawing ids after those of the drawing (ids are unique in a
    drawing); a connector's ends follow the shapes they join, or are let go (it stays drawn)."""
    taken = [int(el.get("id")) for el in root.iter(_CNVPR) if (el.get("id") or "").isdigit()]
    n = max(taken, default=0)
    moved: dict[str, str] = {}
    for anchor in carried:
        for el in anchor.iter(_CNVPR):
            n += 1
            moved[el.get("id")] = str(n)
            el.set("id", str(n))
    for anchor in carried:
        for el in list(anchor.iter(*_LINKS)):
            if el.get("id") in moved:
                el.set("id", moved[el.get("id")])
            else:
                el.getparent().remove(el)


def _free_id(rels) -> str:
    taken = {r.get("Id") for r in rels}
    n = len(taken) + 1
    while f"rId{n}" in taken:
        n += 1
    return f"rId{n}"


def _xml(root) -> bytes:
    from lxml import etree

    return _DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)
