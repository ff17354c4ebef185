"""Build and install the Excel add-in (xltools.xlam).

`build` starts from the custom-add-in template shipped inside the installed xlwings
package (the file `xlwings quickstart NAME --addin --ribbon` copies), and writes
xltools.xlam with

* our ribbon: the template's customUI part is replaced by ribbon.ribbon_xml();
* our VBA: the template's VBA project (vbaProject.bin, an OLE compound file) is
  rewritten with the standard library only: project name "xltools", the template's
  ribbon module replaced by macros/xltools_ribbon.bas (one generic callback), a module
  of worksheet-function wrappers generated from udfs.UDFS, and PROJECT_NAME in xlwings'
  own module set to "xltools" (so its config file is ~/.xltools/xltools.conf).  The
  template's VBA project holds no compiled code (its _VBA_PROJECT stream is the 7-byte
  "version independent" form), so Excel compiles the sources on first load;
* the template's (inactive) config sheet renamed to _xltools.conf.

No xlwings file is stored in this repository: the template is read from the installed
package every time.  `install` builds into Excel's add-in start-up folder and writes the
interpreter into xlwings' per-project config file.
"""
from __future__ import annotations

import io
import math
import os
import re
import struct
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from xltools.errors import Words, XltoolsError

ADDIN_NAME = "xltools.xlam"
PROJECT_NAME = "xltools"
FUNCTIONS_MODULE = "XltoolsFunctions"  # worksheet-function wrappers (Windows)
TEMPLATE_RIBBON_MODULE = "RibbonMyAddin"
TEMPLATE_FILE = "quickstart_addin_ribbon.xlam"
CUSTOMUI_PART = "customUI/customUI.xml"
VBA_PART = "xl/vbaProject.bin"
MACROS = Path(__file__).resolve().parents[2] / "macros"   # in a source checkout only


class AddinError(XltoolsError):
    """A build or install problem a person can act on (text in texts/excel.py)."""


# ====================================================================== MS-OVBA compression
# MS-OVBA 2.4.1: a container is 0x01 followed by chunks of at most 4096 decompressed bytes.

def ovba_decompress(data: bytes) -> bytes:
    if not data or data[0] != 1:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        size = (header & 0x0FFF) + 3
        compressed = header & 0x8000
        chunk_end = min(pos + size, len(data))
        pos += 2
        start = len(out)
        if not compressed:
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bits = _offset_bits(len(out) - start)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def _offset_bits(position: int) -> int:
    """Bits of a copy token used for the offset, at `position` in the decompressed chunk."""
    return max(math.ceil(math.log2(position)) if position > 1 else 0, 4)


def ovba_compress(data: bytes) -> bytes:
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        body = _compress_chunk(chunk)
        if len(body) > 4096 and len(chunk) == 4096:   # incompressible: store it raw
            out += struct.pack("<H", 0x3000 | 4095) + chunk
            continue
        if len(body) > 4096:
            raise ValueError("VBA source chunk does not compress")
        out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    pos, n = 0, len(chunk)
    heads: dict[bytes, list[int]] = {}
    while pos < n:
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            bits = _offset_bits(pos)
            max_len, max_off = (0xFFFF >> bits) + 3, 1 << bits
            best_len = best_off = 0
            for cand in reversed(heads.get(chunk[pos:pos + 3], ())):
                if pos - cand > max_off:
                    break
                length = 0
                while length < max_len and pos + length < n and chunk[cand + length] == chunk[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_off = length, pos - cand
                    if length == max_len:
                        break
            step = best_len if best_len >= 3 else 1
            if best_len >= 3:
                flags |= 1 << bit
                body += struct.pack("<H", ((best_off - 1) << (16 - bits)) | (best_len - 3))
            else:
                body.append(chunk[pos])
            for p in range(pos, pos + step):
                heads.setdefault(chunk[p:p + 3], []).append(p)
            pos += step
        body[flag_at] = flags
    return bytes(body)


# ====================================================================== OLE compound files
# MS-CFB, version 3 (512-byte sectors).  Only what a VBA project needs: storages and streams.

_SIG = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def cfb_read(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file as {"Storage/Stream": bytes}."""
    if data[:8] != _SIG:
        raise ValueError("not an OLE compound file")
    sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)

    def sector(i: int) -> bytes:
        off = (i + 1) * sector_size
        return data[off:off + sector_size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    d = first_difat
    while d not in (ENDOFCHAIN, FREESECT) and n_difat:
        vals = struct.unpack(f"<{sector_size // 4}I", sector(d))
        fat_sectors += vals[:-1]
        d, n_difat = vals[-1], n_difat - 1
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat += struct.unpack(f"<{sector_size // 4}I", sector(s))

    def chain(start: int) -> bytes:
        out, seen = bytearray(), set()
        while start not in (ENDOFCHAIN, FREESECT) and start not in seen:
            seen.add(start)
            out += sector(start)
            start = fat[start]
        return bytes(out)

    dirdata = chain(first_dir)
    entries = []
    for off in range(0, len(dirdata), 128):
        e = dirdata[off:off + 128]
        name_len = struct.unpack_from("<H", e, 64)[0]
        name = e[:max(name_len - 2, 0)].decode("utf-16-le")
        kind = e[66]
        left, right, child = struct.unpack_from("<III", e, 68)
        start, size = struct.unpack_from("<IQ", e, 116)
        if sector_size == 512:
            size &= 0xFFFFFFFF
        entries.append((name, kind, left, right, child, start, size))
    root = entries[0]
    ministream = chain(root[5])[:root[6]]
    minifat: list[int] = []
    if n_minifat:
        raw = chain(first_minifat)
        minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw))

    def mini_chain(start: int, size: int) -> bytes:
        out = bytearray()
        while start not in (ENDOFCHAIN, FREESECT) and len(out) < size:
            out += ministream[start * mini_size:(start + 1) * mini_size]
            start = minifat[start]
        return bytes(out[:size])

    streams: dict[str, bytes] = {}

    def walk(index: int, prefix: str) -> None:
        if index == NOSTREAM or index >= len(entries):
            return
        name, kind, left, right, child, start, size = entries[index]
        walk(left, prefix)
        walk(right, prefix)
        if kind == 1:      # storage
            walk(child, prefix + name + "/")
        elif kind == 2:    # stream
            streams[prefix + name] = mini_chain(start, size) if size < cutoff else chain(start)[:size]

    walk(root[4], "")
    return streams


def _cfb_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4: siblings are ordered by name length, then by upper-cased name."""
    return len(name), name.upper()


_SS, _MS, _CUTOFF = 512, 64, 4096   # sector, mini sector, mini stream cutoff (bytes)


@dataclass
class _Node:
    name: str
    kind: int                      # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    red: bool = False
    start: int = ENDOFCHAIN
    index: int = 0


def cfb_write(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ({"Storage/Stream": bytes}); storages are implied."""
    nodes = _cfb_nodes(streams)
    _cfb_trees(nodes)
    ministream, minifat = _mini_stream(nodes)
    sectors: list[bytes] = []
    fat: list[int] = []

    def put(data: bytes) -> int:
        """Append `data` as a chain of sectors; its first sector."""
        first = len(sectors)
        count = max(-(-len(data) // _SS), 1)
        for i in range(count):
            sectors.append(data[i * _SS:(i + 1) * _SS].ljust(_SS, b"\0"))
            fat.append(first + i + 1 if i < count - 1 else ENDOFCHAIN)
        return first

    for node in nodes:
        if node.kind == 2 and len(node.data) >= _CUTOFF:
            node.start = put(node.data)
    nodes[0].start = put(bytes(ministream)) if ministream else ENDOFCHAIN
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat) if minifat else b""
    if minifat_bytes:
        minifat_bytes += struct.pack("<I", FREESECT) * ((-len(minifat_bytes) // 4) % (_SS // 4))
        first_minifat, n_minifat = put(minifat_bytes), len(minifat_bytes) // _SS
    else:
        first_minifat, n_minifat = ENDOFCHAIN, 0
    first_dir = put(_directory(nodes, len(ministream)))
    n_fat, difat = _fat_sectors(sectors, fat)
    header = (_SIG + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, _CUTOFF, first_minifat, n_minifat, ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    return header + b"".join(sectors)


def _cfb_nodes(streams: dict[str, bytes]) -> list[_Node]:
    """The directory entries, root first, numbered depth-first."""
    root = _Node("Root Entry", 5)
    for path, data in streams.items():
        parent = root
        *dirs, leaf = path.split("/")
        for d in dirs:
            found = next((c for c in parent.children if c.name == d and c.kind == 1), None)
            if found is None:
                found = _Node(d, 1)
                parent.children.append(found)
            parent = found
        parent.children.append(_Node(leaf, 2, data))
    nodes: list[_Node] = []

    def number(node: _Node) -> None:
        node.index = len(nodes)
        nodes.append(node)
        for c in node.children:
            number(c)

    number(root)
    return nodes


def _cfb_trees(nodes: list[_Node]) -> None:
    """Each storage's children as a balanced red-black binary search tree."""
    def tree(items: list[_Node], depth: int, depths: dict) -> int:
        if not items:
            return NOSTREAM
        mid = len(items) // 2
        node = items[mid]
        depths[node.index] = depth
        node.left = tree(items[:mid], depth + 1, depths)
        node.right = tree(items[mid + 1:], depth + 1, depths)
        return node.index

    for node in nodes:
        if node.kind in (1, 5) and node.children:
            depths: dict[int, int] = {}
            node.child = tree(sorted(node.children, key=lambda c: _cfb_key(c.name)), 0, depths)
            deepest = max(depths.values())
            # red-black colouring of a tree balanced this way: the deepest level red, the rest black
            for i, dep in depths.items():
                nodes[i].red = dep == deepest and dep > 0


def _mini_stream(nodes: list[_Node]) -> tuple[bytearray, list[int]]:
    """Small streams packed into the mini stream, and its allocation table."""
    ministream, minifat = bytearray(), []
    for node in nodes:
        if node.kind != 2 or len(node.data) >= _CUTOFF or not node.data:
            continue
        node.start = len(ministream) // _MS
        count = -(-len(node.data) // _MS)
        minifat += [node.start + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
        ministream += node.data + b"\0" * (count * _MS - len(node.data))
    return ministream, minifat


def _directory(nodes: list[_Node], ministream_size: int) -> bytes:
    def entry(node: _Node) -> bytes:
        name = node.name.encode("utf-16-le")
        size = len(node.data) if node.kind == 2 else (ministream_size if node.kind == 5 else 0)
        start = node.start if size else (ENDOFCHAIN if node.kind in (2, 5) else 0)
        return (name.ljust(64, b"\0") + struct.pack("<HBB", len(name) + 2, node.kind, 0 if node.red else 1)
                + struct.pack("<III", node.left, node.right, node.child) + b"\0" * 16 + b"\0" * 4
                + b"\0" * 16 + struct.pack("<IQ", start, size))

    empty = (b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM)
             + b"\0" * 36 + struct.pack("<IQ", 0, 0))
    data = b"".join(entry(n) for n in nodes)
    return data + empty * ((-len(data) // 128) % (_SS // 128))


def _fat_sectors(sectors: list[bytes], fat: list[int]) -> tuple[int, list[int]]:
    """Append the FAT (its sectors describe themselves too: grow until they fit); the
    number of FAT sectors and the header's DIFAT."""
    n_fat = 1
    while (len(sectors) + n_fat) > n_fat * (_SS // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("VBA project too large for this writer")
    fat_start = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREESECT] * (n_fat * (_SS // 4) - len(fat))
    for i in range(n_fat):
        sectors.append(struct.pack(f"<{_SS // 4}I", *fat[i * (_SS // 4):(i + 1) * (_SS // 4)]))
    return n_fat, [fat_start + i for i in range(n_fat)] + [FREESECT] * (109 - n_fat)


# ====================================================================== the VBA project
# MS-OVBA 2.3.4.2: the dir stream is a list of records (id, size, data).  PROJECTVERSION
# (0x0009) is the one record whose size field does not count its data.

R_PROJECTNAME, R_MODULECOUNT, R_MODULENAME, R_MODULENAME_U = 0x0004, 0x000F, 0x0019, 0x0047
R_STREAMNAME, R_STREAMNAME_U, R_DOCSTRING, R_DOCSTRING_U = 0x001A, 0x0032, 0x001C, 0x0048
R_OFFSET, R_HELP, R_COOKIE, R_PROCEDURAL, R_MODULE_END, R_CODEPAGE = 0x0031, 0x001E, 0x002C, 0x0021, 0x002B, 0x0003


def _records(data: bytes) -> list[tuple[int, bytes]]:
    out, pos = [], 0
    while pos + 6 <= len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        pos += 6
        if rid == 0x0009:
            size = 6
        out.append((rid, data[pos:pos + size]))
        pos += size
    return out


def _pack(records: list[tuple[int, bytes]]) -> bytes:
    out = bytearray()
    for rid, data in records:
        out += struct.pack("<HI", rid, 4 if rid == 0x0009 else len(data)) + data
    return bytes(out)


@dataclass
class VBAModule:
    name: str
    source: str          # as VBA stores it: Attribute lines first, CRLF line ends
    procedural: bool = True


class VBAProject:
    """A VBA project read from a vbaProject.bin, edited, and written back."""

    def __init__(self, data: bytes):
        self.streams = cfb_read(data)
        self.records = _records(ovba_decompress(self.streams["VBA/dir"]))
        self.codepage = next((struct.unpack("<H", d)[0] for r, d in self.records if r == R_CODEPAGE), 1252)
        self.encoding = f"cp{self.codepage}"
        head_end = next(i for i, (r, _) in enumerate(self.records) if r == R_MODULECOUNT)
        self.head = self.records[:head_end]
        self.cookie = self.records[head_end + 1]
        self.modules: list[list[tuple[int, bytes]]] = []
        current: list[tuple[int, bytes]] = []
        for rec in self.records[head_end + 2:]:
            if rec[0] == 0x0010:      # end of dir
                break
            current.append(rec)
            if rec[0] == R_MODULE_END:
                self.modules.append(current)
                current = []
        self.project_text = self.streams["PROJECT"].decode(self.encoding)

    # -------------------------------------------------------------- reading
    @staticmethod
    def _field(module: list[tuple[int, bytes]], rid: int) -> bytes | None:
        return next((d for r, d in module if r == rid), None)

    def module_names(self) -> list[str]:
        return [self._field(m, R_MODULENAME).decode(self.encoding) for m in self.modules]

    def _find(self, name: str) -> list[tuple[int, bytes]]:
        for m in self.modules:
            if self._field(m, R_MODULENAME).decode(self.encoding) == name:
                return m
        raise KeyError(name)

    def source(self, name: str) -> str:
        m = self._find(name)
        stream = self._field(m, R_STREAMNAME).decode(self.encoding)
        offset = struct.unpack("<I", self._field(m, R_OFFSET))[0]
        return ovba_decompress(self.streams["VBA/" + stream][offset:]).decode(self.encoding)

    @property
    def name(self) -> str:
        return next(d for r, d in self.head if r == R_PROJECTNAME).decode(self.encoding)

    # -------------------------------------------------------------- editing
    def set_name(self, name: str) -> None:
        self.head = [(r, name.encode(self.encoding) if r == R_PROJECTNAME else d) for r, d in self.head]
        self.project_text = re.sub(r'(?m)^Name="[^"]*"', f'Name="{name}"', self.project_text)

    def set_source(self, name: str, source: str) -> None:
        m = self._find(name)
        stream = self._field(m, R_STREAMNAME).decode(self.encoding)
        self.streams["VBA/" + stream] = ovba_compress(source.encode(self.encoding))
        self.modules[self.modules.index(m)] = [(r, struct.pack("<I", 0) if r == R_OFFSET else d) for r, d in m]

    def remove(self, name: str) -> None:
        m = self._find(name)
        stream = self._field(m, R_STREAMNAME).decode(self.encoding)
        self.modules.remove(m)
        self.streams.pop("VBA/" + stream, None)
        self.project_text = re.sub(rf"(?m)^(Module|Class|Document|BaseClass)={re.escape(name)}(/.*)?\r?\n", "",
                                   self.project_text)
        self.project_text = re.sub(rf"(?m)^{re.escape(name)}=.*\r?\n", "", self.project_text)

    def add(self, module: VBAModule) -> None:
        """A standard module (its name is also its stream name)."""
        if module.name in self.module_names():
            self.remove(module.name)
        enc, uni = module.name.encode(self.encoding), module.name.encode("utf-16-le")
        self.modules.append([(R_MODULENAME, enc), (R_MODULENAME_U, uni), (R_STREAMNAME, enc), (R_STREAMNAME_U, uni),
                             (R_DOCSTRING, b""), (R_DOCSTRING_U, b""), (R_OFFSET, struct.pack("<I", 0)),
                             (R_HELP, struct.pack("<I", 0)), (R_COOKIE, struct.pack("<H", 0xFFFF)),
                             (R_PROCEDURAL if module.procedural else 0x0022, b""), (R_MODULE_END, b"")])
        self.streams["VBA/" + module.name] = ovba_compress(module.source.encode(self.encoding))
        # PROJECT stream: the module line goes with the others, before Name=
        self.project_text = re.sub(r'(?m)^(Name=)', f"Module={module.name}\r\n\\1", self.project_text, count=1)
        self.project_text = self.project_text.rstrip("\r\n") + f"\r\n{module.name}=0, 0, 0, 0, C\r\n"

    # -------------------------------------------------------------- writing
    def to_bytes(self) -> bytes:
        records = self.head + [(R_MODULECOUNT, struct.pack("<H", len(self.modules))), self.cookie]
        for m in self.modules:
            records += m
        records.append((0x0010, b""))
        self.streams["VBA/dir"] = ovba_compress(_pack(records))
        self.streams["PROJECT"] = self.project_text.encode(self.encoding)
        wm = bytearray()
        for name in self.module_names():
            wm += name.encode(self.encoding) + b"\0" + name.encode("utf-16-le") + b"\0\0"
        self.streams["PROJECTwm"] = bytes(wm + b"\0\0")
        return cfb_write(self.streams)


def module_name_of(bas_source: str) -> str:
    m = re.search(r'^Attribute VB_Name = "([^"]+)"', bas_source, re.M)
    if not m:
        raise ValueError('a .bas module must start with Attribute VB_Name = "…"')
    return m.group(1)


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# ====================================================================== build

def template_path() -> Path:
    import xlwings
    path = Path(xlwings.__file__).parent / TEMPLATE_FILE
    if not path.exists():
        raise AddinError("addin-no-template", file=str(path), version=xlwings.__version__)
    return path


def _checkout() -> bool:
    """True when running from the repository (macros/ beside the package), not from an
    installed copy, which generates the same texts from commands.py."""
    return (MACROS.parent / "setup.cfg").exists() and (MACROS.parent / "xltools").is_dir()


def ribbon_source() -> str:
    """The generic ribbon callback, as kept in macros/ (falls back to the copy generated
    from commands.py when xltools is installed without the repository)."""
    path = MACROS / "xltools_ribbon.bas"
    if _checkout() and path.exists():
        return path.read_text(encoding="utf-8")
    from xltools.excel.ribbon import callback_bas
    return callback_bas()


def customui_xml() -> str:
    path = MACROS / "customUI.xml"
    if _checkout() and path.exists():
        return path.read_text(encoding="utf-8")
    from xltools.excel.ribbon import ribbon_xml
    return ribbon_xml()


def build_vba_project(template_bin: bytes) -> bytes:
    from xltools.excel.udfs import vba_wrappers

    project = VBAProject(template_bin)
    names = project.module_names()
    for needed in ("xlwings", TEMPLATE_RIBBON_MODULE):
        if needed not in names:
            raise AddinError("addin-bad-template", file=TEMPLATE_FILE, reason=Words("reason-no-vba-module", name=needed))
    xlwings_src = project.source("xlwings")
    patched, n = re.subn(r'(?m)^(Public Const PROJECT_NAME As String = )"[^"]*"', rf'\1"{PROJECT_NAME}"', xlwings_src)
    if n != 1:
        raise AddinError("addin-bad-template", file=TEMPLATE_FILE, reason=Words("reason-no-constant", name="PROJECT_NAME"))
    project.set_source("xlwings", patched)
    project.remove(TEMPLATE_RIBBON_MODULE)
    callback = _crlf(ribbon_source())
    project.add(VBAModule(module_name_of(callback), callback))
    project.add(VBAModule(FUNCTIONS_MODULE, _crlf(vba_wrappers(FUNCTIONS_MODULE))))
    # The project ID stays the template's: the protection fields (CMG/DPB/GC) are
    # encrypted with a key derived from it (MS-OVBA 2.4.3).
    project.set_name(PROJECT_NAME)
    return project.to_bytes()


def _addin_target(output: str | Path | None) -> Path:
    if not output:
        return Path.cwd() / ADDIN_NAME
    path = Path(output)
    if path.is_dir() or str(output).endswith(("/", "\\")) or path.suffix.lower() != ".xlam":
        return path / ADDIN_NAME
    return path


def build(output: str | Path | None = None, template: str | Path | None = None) -> Path:
    """Write xltools.xlam (to `output`, a file or folder) and return its path.  A name
    that is not an .xlam file (addin_en/, addin_en) is a folder, made if need be."""
    template = Path(template) if template else template_path()
    output = _addin_target(output)
    with zipfile.ZipFile(template) as zin:
        names = zin.namelist()
        for part in (CUSTOMUI_PART, VBA_PART, "xl/workbook.xml"):
            if part not in names:
                raise AddinError("addin-bad-template", file=str(template), reason=Words("reason-no-part", name=part))
        parts = {name: zin.read(name) for name in names}
    parts[CUSTOMUI_PART] = customui_xml().encode("utf-8")
    parts[VBA_PART] = build_vba_project(parts[VBA_PART])
    parts["xl/workbook.xml"] = re.sub(rb'name="_[^"]*\.conf"', f'name="_{PROJECT_NAME}.conf"'.encode(),
                                      parts["xl/workbook.xml"])
    parts["docProps/core.xml"] = _core_props(parts.get("docProps/core.xml", b""))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in names:  # [Content_Types].xml first, as in the template
            zout.writestr(name, parts[name])
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".~{output.name}.tmp")
    tmp.write_bytes(buf.getvalue())
    try:
        os.replace(tmp, output)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise AddinError("addin-locked", file=str(output)) from None
    return output


def _core_props(xml: bytes) -> bytes:
    if not xml:
        return xml
    xml = re.sub(rb"<dc:title\s*/>|<dc:title>[^<]*</dc:title>", "<dc:title>xltools 任务工具</dc:title>".encode(), xml)
    xml = re.sub(rb"<dc:creator>[^<]*</dc:creator>", b"<dc:creator>xltools</dc:creator>", xml)
    return re.sub(rb"<cp:lastModifiedBy>[^<]*</cp:lastModifiedBy>", b"<cp:lastModifiedBy>xltools</cp:lastModifiedBy>",
                  xml)


# ====================================================================== install

def startup_dir(platform: str | None = None, home: Path | None = None) -> Path:
    """Where Excel loads add-ins from at start-up, without asking Excel.

    Windows: %APPDATA%\\Microsoft\\Excel\\XLSTART (every .xlam there is opened at start-up).
    macOS: the Excel sandbox's Startup.localized folder."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return base / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized"
                / "Startup.localized" / "Excel")
    raise AddinError("addin-no-startup", reason=Words("reason-no-excel", platform=platform), file=ADDIN_NAME)


def config_path(platform: str | None = None, home: Path | None = None) -> Path:
    """xlwings' per-project user config (GetConfigFilePath in its VBA, PROJECT_NAME=xltools)."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform == "darwin":
        return home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{PROJECT_NAME}.conf"
    base = Path(os.environ.get("USERPROFILE") or home) if platform.startswith("win") else home
    return base / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf"


def interpreter(platform: str | None = None) -> str:
    """The Python that has xltools installed (pythonw.exe on Windows: no console window)."""
    platform = platform or sys.platform
    exe = Path(sys.executable)
    if platform.startswith("win") and exe.name.lower() == "python.exe" and (exe.parent / "pythonw.exe").exists():
        return str(exe.parent / "pythonw.exe")
    return str(exe)


def write_config(path: Path, settings: dict[str, str]) -> Path:
    """Set keys in an xlwings .conf file ("KEY","value" per line), keeping other keys."""
    lines = []
    if path.exists():
        keys = {f'"{k}"' for k in settings}
        lines = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and line.split(",")[0] not in keys]
    lines += [f'"{k}","{v}"' for k, v in settings.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class Installed:
    addin: Path
    config: Path
    python: str


def excel_startup_dir(platform: str | None = None) -> Path:
    """Excel's own answer when Excel is here (xlwings asks it, as `xlwings addin install`
    does), else the usual location."""
    platform = platform or sys.platform
    if platform == sys.platform and (platform.startswith("win") or platform == "darwin"):
        try:
            from xlwings.cli import get_addin_dir
            return Path(get_addin_dir())
        except Exception:
            pass
    return startup_dir(platform)


def _close_open_copies() -> None:
    """Excel keeps a loaded add-in open (and locked on Windows): close it before replacing it."""
    try:
        import xlwings as xw
        for app in xw.apps:
            try:
                app.books[ADDIN_NAME].close()
            except Exception:
                pass
    except Exception:
        pass


def install(directory: str | Path | None = None, *, platform: str | None = None,
            python: str | None = None) -> Installed:
    """Build xltools.xlam into Excel's start-up folder and point the add-in at this Python."""
    platform = platform or sys.platform
    target = Path(directory) if directory else excel_startup_dir(platform)
    python = python or interpreter(platform)
    if platform == sys.platform and (platform.startswith("win") or platform == "darwin"):
        _close_open_copies()
    addin = build(target / ADDIN_NAME)
    key = "INTERPRETER_MAC" if platform == "darwin" else "INTERPRETER_WIN"
    config = write_config(config_path(platform), {key: python})
    if platform == "darwin" and sys.platform == "darwin":
        _install_mac_runpython()
    return Installed(addin, config, python)


def _install_mac_runpython() -> None:
    """RunPython on macOS needs xlwings' AppleScript in Excel's script folder
    (what `xlwings runpython install` does)."""
    from xlwings.cli import runpython_install
    runpython_install(None)
