"""A corpus of hostile and damaged inputs, made by code (no committed binaries).

Each `make_*` writes one case into a folder and returns the path(s) a test needs.
Run as a script to write the whole corpus somewhere to look at:
    python tests/hostile.py /tmp/hostile
"""
from __future__ import annotations

import csv
import os
import struct
import sys
import zipfile
from pathlib import Path

import openpyxl

TITLE = "2024年天桥区政务公开重点工作任务分解表"
HEADER = ("序号", "工作任务", "具体要求", "责任单位", "完成时限")
UNIT = "区人力资源和社会保障局"
GOOD_ROWS = [[i, "一、推进政务公开", f"第{i}项要求：按时公开信息。", UNIT, "2024年12月底前"] for i in range(1, 4)]


def book(path: Path, rows=GOOD_ROWS, title: str = TITLE, sheet: str = "任务分解表") -> Path:
    """A plain district workbook: title, header, rows (strings written as text)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.append(list(HEADER))
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def make_illegal_chars_csv(folder: Path) -> Path:
    """U+FFFE / U+FFFF / control characters in a CSV: they used to reach the sheet XML."""
    path = folder / "2024年天桥区任务.csv"
    rows = [[TITLE], list(HEADER),
            [1, "一、推进政务公开", "公开\ufffe预算\uffff信息", UNIT, "2024年12月底前"],
            [2, "一、推进政务公开", "公开\x01决算\x0b信息", UNIT, "2024年12月底前"],
            [3, "一、推进政务公开", "公开政策解读", UNIT, "2024年12月底前"],
            [4, "一、推进政务公开", "公开办事指南", UNIT, "2024年12月底前"]]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def make_illegal_chars_xlsx(folder: Path) -> Path:
    """U+FFFE and U+FFFF written raw into the sheet XML, as some converters do (python-calamine reads them)."""
    rows = [r[:] for r in GOOD_ROWS]
    rows[0][2] = "公开@FFFE@预算@FFFF@信息"
    path = book(folder / "2024年天桥区任务.xlsx", rows)
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda xml: xml.replace(b"@FFFE@", "\ufffe".encode()).replace(b"@FFFF@", "\uffff".encode()))
    return path


def _rewrite(path: Path, part: str, change) -> None:
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            out.writestr(info, change(data) if info.filename == part else data)
    tmp.replace(path)


def make_many(folder: Path, files: int = 12, rows: int = 1500) -> list[Path]:
    """Enough work for a merge to be interrupted in the middle."""
    out = []
    for n in range(files):
        body = [[i, "一、推进政务公开", f"第{n}号文件第{i}项要求：按时公开信息。", UNIT, "2024年12月底前"]
                for i in range(1, rows + 1)]
        out.append(book(folder / f"2024年天桥区任务-{n:02}.xlsx", body))
    return out


def make_stray_cell(folder: Path, ref: str = "XFD1048576") -> Path:
    """Three good tasks and one value far away (a stray keystroke, a pasted space)."""
    path = book(folder / f"2024年天桥区任务-{ref}.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active[ref] = "x"
    wb.save(path)
    return path


def make_ratio_bomb(folder: Path, megabytes: int = 64) -> Path:
    """A small .xlsx whose shared strings expand a thousandfold (a zip bomb)."""
    path = book(folder / "2024年天桥区任务-bomb.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("xl/padding.xml", "w") as fh:
        block = b" " * (1 << 20)
        for _ in range(megabytes):
            fh.write(block)
    return path


def make_declared_huge(folder: Path) -> Path:
    """A zip directory declaring a 3 GB sheet: refused from the directory, before reading."""
    path = book(folder / "2024年天桥区任务-huge.xlsx")
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # central directory entries: uncompressed size at +24, name at +46
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + n] == name:
            struct.pack_into("<I", data, at + 24, 3_000_000_000)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def make_long_text(folder: Path) -> Path:
    """A 40,000-character requirement and one of 20,000 Ext-B characters (40,000 UTF-16 units)."""
    rows = [r[:] for r in GOOD_ROWS]
    rows[0][2], rows[1][2] = "@LONG@", "@EXTB@"   # openpyxl would cut them: written into the XML itself
    path = book(folder / "2024年天桥区任务-long.xlsx", rows)
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"@LONG@", LONG_TEXT.encode())
             .replace(b"@EXTB@", EXT_B_TEXT.encode()))
    return path


LONG_TEXT = "长" * 39_999 + "尾"
EXT_B_TEXT = "\U00020000" * 20_000


def make_hidden_sheets(folder: Path) -> Path:
    path = book(folder / "2024年天桥区任务-hidden.xlsx")
    wb = openpyxl.load_workbook(path)
    for name, state, seq in (("隐藏", "hidden", 10), ("深度隐藏", "veryHidden", 20)):
        ws = wb.create_sheet(name)
        ws.append([TITLE])
        ws.append(list(HEADER))
        ws.append([seq, "一、推进政务公开", f"隐藏表第{seq}项要求。", UNIT, "2024年12月底前"])
        ws.sheet_state = state
    wb.save(path)
    return path


def make_symlink_loop(folder: Path) -> Path:
    a, b = folder / "loop-a.xlsx", folder / "loop-b.xlsx"
    os.symlink(b.name, a)
    os.symlink(a.name, b)
    return a


def make_directory_xlsx(folder: Path) -> Path:
    path = folder / "不是文件.xlsx"
    path.mkdir()
    return path


def make_unreadable(folder: Path) -> Path:
    path = book(folder / "2024年天桥区任务-locked.xlsx")
    path.chmod(0)
    return path


def make_broken_sheet_xml(folder: Path) -> Path:
    """A workbook whose styles are cut short: no reader can take it."""
    path = book(folder / "2024年天桥区任务-broken-styles.xlsx")
    _rewrite(path, "xl/styles.xml", lambda xml: xml[: len(xml) // 2])
    return path


def make_broken_xml(folder: Path) -> Path:
    """A workbook whose document properties are cut short: calamine reads the sheet,
    openpyxl gives up with a raw XML parser message."""
    path = book(folder / "2024年天桥区任务-broken.xlsx")
    _rewrite(path, "docProps/core.xml", lambda xml: xml[: len(xml) // 2])
    return path


CASES = {name[len("make_"):]: fn for name, fn in globals().items() if name.startswith("make_") and name != "make_many"}


def main(folder: str) -> None:
    root = Path(folder)
    for name, fn in CASES.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        fn(root / name)
        print(name, "→", root / name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
