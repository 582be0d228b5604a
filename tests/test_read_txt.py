"""Plain text: decoded characters exactly, offsets that quote the file."""

from __future__ import annotations

import hashlib

from yusuan.read import read, read_bytes
from yusuan.read.base import clean_cell, split_lines

TEXT = "表 1\n科目编码\t项 目\t2024 年预算数\n101\t一、税收收入\t90000\n\n合计：90000万元\n"


def test_utf8_text_is_kept_exactly() -> None:
    data = TEXT.encode("utf-8")
    doc, problems = read_bytes(data, "a/b/预算.txt")
    assert problems == []
    assert doc is not None
    assert (doc.text, doc.format, doc.name, doc.path) == (TEXT, "txt", "预算.txt", "a/b/预算.txt")
    assert doc.id == hashlib.sha256(data).hexdigest()
    assert doc.title == "表 1"
    rows = [tuple(c.text for c in line.cells) for line in doc.lines if line.cells]
    assert rows == [("科目编码", "项 目", "2024 年预算数"), ("101", "一、税收收入", "90000")]


def test_cells_quote_the_text() -> None:
    doc, _ = read_bytes(TEXT.encode("utf-8"), "t.txt")
    assert doc is not None
    for line in doc.lines:
        assert doc.text[line.start : line.end] == line.text
        for cell in line.cells or ():
            assert doc.text[cell.start : cell.end] == cell.text


def test_bom_is_not_text_and_crlf_stays() -> None:
    crlf = TEXT.replace("\n", "\r\n")
    doc, problems = read_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"), "t.txt")
    assert problems == [] and doc is not None
    assert doc.text == crlf
    second = doc.lines[1]
    assert second.text == "科目编码\t项 目\t2024 年预算数"
    assert doc.text[second.start : second.end] == second.text
    assert [c.text for c in second.cells or ()] == ["科目编码", "项 目", "2024 年预算数"]


def test_utf16_with_bom() -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        doc, problems = read_bytes(bom + TEXT.encode(codec), "t.txt")
        assert problems == [] and doc is not None
        assert doc.text == TEXT


def test_read_from_disk_and_missing_file(tmp_path) -> None:
    path = tmp_path / "x.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc, problems = read(path)
    assert doc is not None and doc.text == TEXT and problems == []
    doc, problems = read(tmp_path / "missing.txt")
    assert doc is None and [p.code for p in problems] == ["read.io"]


def test_split_lines_offsets() -> None:
    lines = split_lines("a\tb\r\nc\n")
    assert [(ln.number, ln.start, ln.end, ln.text) for ln in lines] == [
        (1, 0, 3, "a\tb"),
        (2, 5, 6, "c"),
        (3, 7, 7, ""),
    ]
    assert [(c.text, c.start, c.end) for c in lines[0].cells or ()] == [("a", 0, 1), ("b", 2, 3)]


def test_clean_cell_joins_wrapped_lines() -> None:
    assert clean_cell("比上年预算数增\n(减)%") == "比上年预算数增 (减)%"
    assert clean_cell("一般公共预算\n收入合计") == "一般公共预算收入合计"
    assert clean_cell("  a\tb  ") == "a b"
    assert clean_cell("1,234,5\n67.89") == "1,234,567.89"
    assert clean_cell("2023\n年预算数") == "2023 年预算数"
