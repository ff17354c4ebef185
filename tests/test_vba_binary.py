"""xltools/excel/vba_binary.py, checked by readers written by others: olefile reads our
compound files (strictly), olevba decompresses our VBA compression and reads our
modules, and MS-OVBA's own examples pin the compression down.  LibreOffice reading the
built add-in's VBA is in test_excel_addin.py."""
from __future__ import annotations

import io
import random
import zipfile

import olefile
import pytest
from hypothesis import given, settings, strategies as st

from ole import needs_oletools, olevba, olevba_modules
from xltools.excel import addin, ribbon, udfs
from xltools.excel.vba_binary import (CHUNK, VBAProject, compress, decompress, read_streams,
                                      write_compound_file)


def olevba_decompress(data: bytes) -> bytes:
    return bytes(olevba.decompress_stream(bytearray(data)))


# ------------------------------------------------------------------ [MS-OVBA] 2.4.1 compression

# [MS-OVBA] 3.2: the three worked examples, (decompressed, compressed)
SPEC_NO_COMPRESSION = (b"abcdefghijklmnopqrstuv.",
                       "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
SPEC_NORMAL = (b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa",
               "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F 70 "
               "06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C")
SPEC_MAXIMUM = (b"a" * 73, "01 03 B0 02 61 45 00")


@pytest.mark.parametrize("plain, packed", [SPEC_NO_COMPRESSION, SPEC_NORMAL, SPEC_MAXIMUM])
def test_the_specification_examples_decompress(plain, packed):
    assert decompress(bytes.fromhex(packed)) == plain


@pytest.mark.parametrize("plain, packed", [SPEC_NO_COMPRESSION, SPEC_MAXIMUM])
def test_the_specification_examples_compress_to_the_same_bytes(plain, packed):
    assert compress(plain) == bytes.fromhex(packed)


def test_the_normal_example_compresses_as_tightly_as_the_specification():
    """The spec's own bytes pick other (equally long) matches than its algorithm does;
    ours are the same size and decode to the same text."""
    plain, packed = SPEC_NORMAL
    assert len(compress(plain)) == len(bytes.fromhex(packed))
    assert decompress(compress(plain)) == plain


# text shaped like VBA source: words, line ends and long runs, often longer than a chunk
VBA_WORDS = st.sampled_from(["Public ", "Function ", "End Sub\r\n", "Dim x As String\r\n", "    ", "RunPython ",
                             '"xltools"', "(", ")", ", ", "' comment\r\n", "If ", " Then\r\n", "&", "="])
RUNS = st.builds(lambda c, n: c * n, st.sampled_from(["a", " ", "=", "\r\n", "\0"]), st.integers(1, 9000))
SOURCE = st.lists(VBA_WORDS | RUNS | st.text(max_size=3), max_size=400).map(lambda parts: "".join(parts).encode())


@needs_oletools
@settings(max_examples=60, deadline=None)
@given(SOURCE)
def test_source_text_round_trips_through_olevba(data):
    packed = compress(data)
    assert decompress(packed) == data
    assert olevba_decompress(packed) == data


@needs_oletools
@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000) | st.builds(lambda seed, n: random.Random(seed).randbytes(n), st.integers(0, 2 ** 32),
                                           st.integers(0, 3 * CHUNK)))
def test_any_bytes_round_trip_or_a_short_tail_does_not_compress(data):
    """MS-OVBA stores a chunk raw only when it is a whole 4096 bytes.  A tail of n bytes
    takes at most n + n/8 compressed, which fits below 3641 bytes."""
    try:
        packed = compress(data)
    except ValueError:
        assert len(data) % CHUNK > 3640
        return
    assert decompress(packed) == data
    assert olevba_decompress(packed) == data


@needs_oletools
def test_a_whole_incompressible_chunk_is_stored_raw():
    data = random.Random(0).randbytes(CHUNK) + b"tail" * 10
    packed = compress(data)
    assert packed[1:3] == bytes.fromhex("FF 3F")       # header 0x3FFF: raw, 4096 bytes
    assert decompress(packed) == data and olevba_decompress(packed) == data


def test_vba_source_compresses():
    source = ribbon.callback_bas().encode() * 20
    assert len(compress(source)) < len(source) / 3


# ------------------------------------------------------------------ [MS-CFB] compound files

def open_strictly(data: bytes) -> olefile.OleFileIO:
    """olefile raising on anything it finds incorrect, not only on what it cannot read."""
    return olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)


RED, BLACK = 0, 1   # [MS-CFB] 2.6.1 color flag


def assert_red_black_search_trees(ole: olefile.OleFileIO) -> None:
    """[MS-CFB] 2.6.4: each storage's children form a red-black tree ordered by name
    length, then upper-cased name."""
    entries = ole.direntries

    def black_height(sid: int, low, high) -> int:
        if sid == olefile.NOSTREAM:
            return 1
        e = entries[sid]
        key = (len(e.name), e.name.upper())
        assert (low is None or low < key) and (high is None or key < high), e.name
        if e.color == RED:
            for child in (e.sid_left, e.sid_right):
                assert child == olefile.NOSTREAM or entries[child].color == BLACK, e.name
        left, right = black_height(e.sid_left, low, key), black_height(e.sid_right, key, high)
        assert left == right, e.name
        return left + (e.color == BLACK)

    for e in entries:
        if e is not None and e.entry_type in (olefile.STGTY_ROOT, olefile.STGTY_STORAGE) and e.sid_child != olefile.NOSTREAM:
            assert entries[e.sid_child].color == BLACK
            black_height(e.sid_child, None, None)


STREAM_NAME = st.text(st.sampled_from("abcXYZ_0123"), min_size=1, max_size=12)
STREAM_SIZE = st.sampled_from([0, 1, 63, 64, 65, 4095, 4096, 4097, 9000]) | st.integers(0, 20000)
STREAMS = st.dictionaries(st.lists(STREAM_NAME, min_size=1, max_size=3).map("/".join),
                          st.builds(lambda n, b: bytes([b]) * n, STREAM_SIZE, st.integers(0, 255)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(STREAMS)
def test_every_stream_reads_back_through_olefile(streams):
    paths = set(streams)
    # a name that is a stream cannot also be a storage
    streams = {p: d for p, d in streams.items() if not any(q.startswith(p + "/") for q in paths)}
    data = write_compound_file(streams)
    with open_strictly(data) as ole:
        assert {"/".join(p) for p in ole.listdir()} == set(streams)
        for path, content in streams.items():
            assert ole.openstream(path).read() == content, path
        assert_red_black_search_trees(ole)
    assert read_streams(data) == streams


def test_a_vba_shaped_file_reads_back_through_olefile():
    streams = {"PROJECT": b"x" * 10, "PROJECTwm": b"", "VBA/dir": bytes(range(256)) * 20, "VBA/_VBA_PROJECT":
               b"\xcc\x61\xff\xff\x00\x01\x00", **{f"VBA/M{i:02d}": bytes([i]) * (i * 97) for i in range(1, 40)}}
    data = write_compound_file(streams)
    with open_strictly(data) as ole:
        assert ole.exists("VBA") and ole.get_type("VBA") == olefile.STGTY_STORAGE
        assert_red_black_search_trees(ole)
    assert read_streams(data) == streams


def test_a_project_larger_than_this_writer_takes_is_refused():
    with pytest.raises(ValueError):
        write_compound_file({"big": bytes(110 * 127 * 512)})


# ------------------------------------------------------------------ [MS-OVBA] the VBA project

@pytest.fixture(scope="module")
def template_project() -> bytes:
    with zipfile.ZipFile(addin.template_path()) as z:
        return z.read(addin.VBA_PART)


def test_an_unedited_project_writes_back_the_same_streams_and_sources(template_project):
    before = VBAProject(template_project)
    after = VBAProject(before.to_bytes())
    assert after.name == before.name and after.module_names() == before.module_names()
    for name in before.module_names():
        assert after.source(name) == before.source(name), name
    assert after.streams["PROJECT"] == VBAProject(template_project).streams["PROJECT"]


@needs_oletools
def test_olevba_reads_each_edited_module_as_we_wrote_it(template_project, tmp_path):
    project = VBAProject(template_project)
    kept = project.source("xlwings")
    project.set_name("xltools")
    project.set_source("xlwings", kept.replace("Option Explicit", "Option Explicit\r\n' edited", 1))
    project.remove("RibbonMyAddin")
    project.add(ribbon.CALLBACK_MODULE, ribbon.callback_bas())
    project.add(addin.FUNCTIONS_MODULE, udfs.vba_wrappers(addin.FUNCTIONS_MODULE))
    project.add(addin.FUNCTIONS_MODULE, udfs.vba_wrappers(addin.FUNCTIONS_MODULE))   # replaced, not doubled
    path = tmp_path / "vbaProject.bin"
    path.write_bytes(project.to_bytes())
    modules = olevba_modules(path)
    assert modules[ribbon.CALLBACK_MODULE] == ribbon.callback_bas()
    assert modules[addin.FUNCTIONS_MODULE] == udfs.vba_wrappers(addin.FUNCTIONS_MODULE)
    assert modules["xlwings"] == kept.replace("Option Explicit", "Option Explicit\r\n' edited", 1)
    assert "RibbonMyAddin" not in modules
    reread = VBAProject(path.read_bytes())
    assert reread.name == "xltools"
    assert reread.module_names().count(addin.FUNCTIONS_MODULE) == 1
    assert "RibbonMyAddin" not in reread.project_text
