"""The add-in's VBA project (xl/vbaProject.bin) as bytes: read, edit, write back.

Why this module exists.  A vbaProject.bin is a compound file [MS-CFB] whose streams hold
a VBA project [MS-OVBA].  The add-in is built from VBA kept as text, so that no binary is
stored in the repository; that means writing one.  Reading goes through olefile.  No
maintained Python library writes a compound file whose streams change size or number:
olefile only overwrites a stream with data of the same length; compoundfiles and libcfbf
only read; pycfb 0.0.x calls itself naive; ms-cfb 0.0.x (and ms-ovba, built on it) is
unfinished (DIFAT "not fully implemented") and writes scratch files into the current
folder; msoffcrypto-tool's writer is an internal fixed layout for encrypted packages;
cfbwrite is AGPL (xltools is MIT); XlsxWriter only copies a vbaProject.bin it is given.
For the VBA compression, oletools only decompresses, and ms-ovba-compression 1.0.1 does
not round-trip data longer than one 4096-byte chunk (xlwings' module is 50 KB).

So this module writes, and keeps to what the add-in needs (the template's project with a
few modules changed):

* [MS-OVBA] 2.4.1 compression, and its inverse (here rather than olevba's, so that the
  add-in's runtime does not need oletools and its dependencies);
* [MS-CFB] version 3 (512-byte sectors): storages and streams, at most 109 FAT sectors
  (about 7 MB; the project is about 50 KB), no CLSIDs, timestamps or DIFAT sectors;
* [MS-OVBA] 2.3.4.2 dir stream, 2.3.1 PROJECT and 2.3.3 PROJECTwm streams: rename the
  project, replace a module's source, remove a module, add a standard module.

tests/test_vba_binary.py reads our output back with olefile (strictly) and olevba and
holds the compression to the specification's examples; test_excel_addin.py has
LibreOffice import the built add-in's modules.
"""
from __future__ import annotations

import io
import re
import struct

import olefile

# ====================================================================== [MS-OVBA] 2.4.1 compression
# A container is 0x01 followed by chunks, each holding at most 4096 decompressed bytes.

CHUNK = 4096


def _offset_bits(position: int) -> int:
    """Bits of a copy token that hold the offset, at `position` in the decompressed chunk."""
    return max((position - 1).bit_length(), 4)


def decompress(data: bytes) -> bytes:
    if not data or data[0] != 1:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        chunk_end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        start = len(out)
        if not header & 0x8000:           # a raw chunk
            out += data[pos:pos + CHUNK]
            pos += CHUNK
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
                offset = (token >> (16 - bits)) + 1
                for _ in range((token & (0xFFFF >> bits)) + 3):
                    out.append(out[-offset])
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A container for `data`.  ValueError when a last chunk shorter than 4096 bytes does
    not compress (only random data: MS-OVBA stores only whole chunks raw)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) - 1)) + body
        elif len(chunk) == CHUNK:
            out += struct.pack("<H", 0x3000 | (CHUNK - 1)) + chunk
        else:
            raise ValueError("VBA source chunk does not compress")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    pos, n = 0, len(chunk)
    seen: dict[bytes, list[int]] = {}       # where each 3-byte prefix occurred
    while pos < n:
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= n:
                break
            bits = _offset_bits(pos)
            max_len, max_off = (0xFFFF >> bits) + 3, 1 << bits
            best_len = best_off = 0
            for cand in reversed(seen.get(chunk[pos:pos + 3], ())):
                if pos - cand > max_off:
                    break
                length = 0
                while length < max_len and pos + length < n and chunk[cand + length] == chunk[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_off = length, pos - cand
                    if length == max_len:
                        break
            if best_len >= 3:
                body[flag_at] |= 1 << bit
                body += struct.pack("<H", ((best_off - 1) << (16 - bits)) | (best_len - 3))
            else:
                best_len = 1
                body.append(chunk[pos])
            for p in range(pos, pos + best_len):
                seen.setdefault(chunk[p:p + 3], []).append(p)
            pos += best_len
    return bytes(body)


# ====================================================================== [MS-CFB] compound files

def read_streams(data: bytes) -> dict[str, bytes]:
    """Every stream of a compound file, as {"Storage/Stream": bytes}."""
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}


SECTOR, MINI, CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_ENTRY = struct.Struct("<64sHBBIII16sIQQIQ")     # 2.6.1 directory entry, 128 bytes
_STORAGE, _STREAM, _ROOT = 1, 2, 5


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        self.name, self.kind, self.data = name, kind, data
        self.children: list[_Entry] = []
        self.left = self.right = self.child = NOSTREAM
        self.red = False
        self.start = ENDOFCHAIN
        self.index = 0

    def pack(self, ministream_size: int) -> bytes:
        name = self.name.encode("utf-16-le")
        size = ministream_size if self.kind == _ROOT else len(self.data)
        return _ENTRY.pack(name, len(name) + 2, self.kind, 0 if self.red else 1, self.left, self.right, self.child,
                           b"", 0, 0, 0, self.start if size else (0 if self.kind == _STORAGE else ENDOFCHAIN), size)


def _chain(first: int, count: int) -> list[int]:
    return [first + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]


def write_compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ({"Storage/Stream": bytes}); storages are implied."""
    entries = _directory_tree(streams)
    ministream, minifat = bytearray(), []
    for e in entries:
        if e.kind == _STREAM and 0 < len(e.data) < CUTOFF:
            e.start, count = len(ministream) // MINI, -(-len(e.data) // MINI)
            minifat += _chain(e.start, count)
            ministream += e.data.ljust(count * MINI, b"\0")
    sectors: list[bytes] = []
    fat: list[int] = []

    def put(data: bytes) -> int:
        """Append `data` as a chain of sectors; its first sector."""
        first, count = len(sectors), -(-len(data) // SECTOR)
        sectors.extend(data[i:i + SECTOR].ljust(SECTOR, b"\0") for i in range(0, len(data), SECTOR))
        fat.extend(_chain(first, count))
        return first

    for e in entries:
        if e.kind == _STREAM and len(e.data) >= CUTOFF:
            e.start = put(e.data)
    if ministream:
        entries[0].start = put(bytes(ministream))
        minifat += [FREESECT] * (-len(minifat) % (SECTOR // 4))
        first_minifat, n_minifat = put(struct.pack(f"<{len(minifat)}I", *minifat)), len(minifat) * 4 // SECTOR
    else:
        first_minifat, n_minifat = ENDOFCHAIN, 0
    directory = b"".join(e.pack(len(ministream)) for e in entries)
    unused = _ENTRY.pack(b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"", 0, 0, 0, 0, 0)
    directory += unused * (-len(entries) % (SECTOR // 128))
    first_dir = put(directory)
    # the FAT describes its own sectors too: n sectors of 128 entries cover the others and themselves
    n_fat = max(1, -(-len(sectors) // (SECTOR // 4 - 1)))
    if n_fat > 109:
        raise ValueError("VBA project too large for this writer")
    fat_at = list(range(len(sectors), len(sectors) + n_fat))
    fat += [FATSECT] * n_fat
    fat += [FREESECT] * (n_fat * SECTOR // 4 - len(fat))
    sectors.append(struct.pack(f"<{len(fat)}I", *fat))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII109I", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", b"", 0x3E, 3, 0xFFFE,
                         9, 6, b"", 0, n_fat, first_dir, 0, CUTOFF, first_minifat, n_minifat, ENDOFCHAIN, 0,
                         *fat_at, *[FREESECT] * (109 - n_fat))
    return header + b"".join(sectors)


def _directory_tree(streams: dict[str, bytes]) -> list[_Entry]:
    """The directory entries, root first, numbered depth-first; each storage's children
    form a red-black tree (2.6.4), here a balanced one: its deepest level red, the rest black."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        parent = root
        *storages, name = path.split("/")
        for s in storages:
            found = next((c for c in parent.children if c.name == s and c.kind == _STORAGE), None)
            if found is None:
                found = _Entry(s, _STORAGE)
                parent.children.append(found)
            parent = found
        parent.children.append(_Entry(name, _STREAM, data))
    entries: list[_Entry] = []

    def number(e: _Entry) -> None:
        e.index = len(entries)
        entries.append(e)
        for c in e.children:
            number(c)

    def tree(items: list[_Entry], depth: int, depths: dict[_Entry, int]) -> int:
        if not items:
            return NOSTREAM
        mid = len(items) // 2
        depths[items[mid]] = depth
        items[mid].left = tree(items[:mid], depth + 1, depths)
        items[mid].right = tree(items[mid + 1:], depth + 1, depths)
        return items[mid].index

    number(root)
    for e in entries:
        if e.children:
            depths: dict[_Entry, int] = {}
            # siblings are ordered by name length, then by upper-cased name
            e.child = tree(sorted(e.children, key=lambda c: (len(c.name), c.name.upper())), 0, depths)
            deepest = max(depths.values())
            for c, depth in depths.items():
                c.red = 0 < depth == deepest
    return entries


# ====================================================================== [MS-OVBA] the VBA project
# 2.3.4.2: the dir stream is a list of records (id, size, data).  PROJECTVERSION (0x0009)
# is the one record whose size field does not count its data.

R_CODEPAGE, R_PROJECTNAME, R_PROJECTVERSION, R_MODULECOUNT, R_DIR_END = 0x0003, 0x0004, 0x0009, 0x000F, 0x0010
R_MODULENAME, R_MODULENAME_U, R_STREAMNAME, R_STREAMNAME_U = 0x0019, 0x0047, 0x001A, 0x0032
R_DOCSTRING, R_DOCSTRING_U, R_OFFSET, R_HELP, R_COOKIE = 0x001C, 0x0048, 0x0031, 0x001E, 0x002C
R_PROCEDURAL, R_MODULE_END = 0x0021, 0x002B

Record = tuple[int, bytes]


def _records(data: bytes) -> list[Record]:
    out, pos = [], 0
    while pos + 6 <= len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        size = 6 if rid == R_PROJECTVERSION else size
        out.append((rid, data[pos + 6:pos + 6 + size]))
        pos += 6 + size
    return out


def _pack(records: list[Record]) -> bytes:
    return b"".join(struct.pack("<HI", rid, 4 if rid == R_PROJECTVERSION else len(data)) + data
                    for rid, data in records)


def _field(module: list[Record], rid: int) -> bytes:
    return next(d for r, d in module if r == rid)


class VBAProject:
    """A VBA project read from a vbaProject.bin, edited, and written back."""

    def __init__(self, data: bytes):
        self.streams = read_streams(data)
        records = _records(decompress(self.streams["VBA/dir"]))
        self.encoding = "cp%d" % next((struct.unpack("<H", d)[0] for r, d in records if r == R_CODEPAGE), 1252)
        count_at = next(i for i, (r, _) in enumerate(records) if r == R_MODULECOUNT)
        self.head, self.cookie = records[:count_at], records[count_at + 1]
        self.modules: list[list[Record]] = [[]]
        for rec in records[count_at + 2:]:
            if rec[0] == R_DIR_END:
                break
            self.modules[-1].append(rec)
            if rec[0] == R_MODULE_END:
                self.modules.append([])
        self.modules.pop()
        self.project_text = self.streams["PROJECT"].decode(self.encoding)

    @property
    def name(self) -> str:
        return _field(self.head, R_PROJECTNAME).decode(self.encoding)

    def module_names(self) -> list[str]:
        return [_field(m, R_MODULENAME).decode(self.encoding) for m in self.modules]

    def _find(self, name: str) -> tuple[list[Record], str]:
        """A module's records and the path of its stream."""
        m = self.modules[self.module_names().index(name)]
        return m, "VBA/" + _field(m, R_STREAMNAME).decode(self.encoding)

    def source(self, name: str) -> str:
        m, stream = self._find(name)
        offset = struct.unpack("<I", _field(m, R_OFFSET))[0]
        return decompress(self.streams[stream][offset:]).decode(self.encoding)

    def set_name(self, name: str) -> None:
        self.head = [(r, name.encode(self.encoding) if r == R_PROJECTNAME else d) for r, d in self.head]
        self.project_text = re.sub(r'(?m)^Name="[^"]*"', f'Name="{name}"', self.project_text)

    def set_source(self, name: str, source: str) -> None:
        """The module's source (compiled code, if any, is dropped: Excel compiles on load)."""
        m, stream = self._find(name)
        self.streams[stream] = compress(source.encode(self.encoding))
        self.modules[self.modules.index(m)] = [(r, struct.pack("<I", 0) if r == R_OFFSET else d) for r, d in m]

    def remove(self, name: str) -> None:
        m, stream = self._find(name)
        self.modules.remove(m)
        del self.streams[stream]
        self.project_text = re.sub(rf"(?m)^(Module|Class|Document|BaseClass)={re.escape(name)}(/.*)?\r?\n", "",
                                   self.project_text)
        self.project_text = re.sub(rf"(?m)^{re.escape(name)}=.*\r?\n", "", self.project_text)

    def add(self, name: str, source: str) -> None:
        """A standard module (its name is also its stream's), replacing one of that name."""
        if name in self.module_names():
            self.remove(name)
        enc, uni = name.encode(self.encoding), name.encode("utf-16-le")
        self.modules.append([(R_MODULENAME, enc), (R_MODULENAME_U, uni), (R_STREAMNAME, enc), (R_STREAMNAME_U, uni),
                             (R_DOCSTRING, b""), (R_DOCSTRING_U, b""), (R_OFFSET, struct.pack("<I", 0)),
                             (R_HELP, struct.pack("<I", 0)), (R_COOKIE, struct.pack("<H", 0xFFFF)),
                             (R_PROCEDURAL, b""), (R_MODULE_END, b"")])
        self.streams["VBA/" + name] = compress(source.encode(self.encoding))
        # PROJECT stream: the module line goes with the others (before Name=), its window line last
        self.project_text = re.sub(r"(?m)^(Name=)", f"Module={name}\r\n\\1", self.project_text, count=1)
        self.project_text = self.project_text.rstrip("\r\n") + f"\r\n{name}=0, 0, 0, 0, C\r\n"

    def to_bytes(self) -> bytes:
        records = self.head + [(R_MODULECOUNT, struct.pack("<H", len(self.modules))), self.cookie]
        records += [rec for m in self.modules for rec in m] + [(R_DIR_END, b"")]
        self.streams["VBA/dir"] = compress(_pack(records))
        self.streams["PROJECT"] = self.project_text.encode(self.encoding)
        self.streams["PROJECTwm"] = b"".join(name.encode(self.encoding) + b"\0" + name.encode("utf-16-le") + b"\0\0"
                                             for name in self.module_names()) + b"\0\0"
        return write_compound_file(self.streams)
