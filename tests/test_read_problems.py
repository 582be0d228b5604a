"""Bad input: each case is one returned problem with a stable code, never an exception."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from yusuan.read import read_bytes
from yusuan.read.registry import EXTENSIONS, READERS, reader_for

TEXT = "一般公共预算收入完成448488万元，增长9.07%。\n"


def _pdf_bytes(pages: int = 2) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"Budget page {i + 1}: 448488")
    return bytes(pdf.output())


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("预算")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def codes(result: tuple) -> tuple[bool, list[str]]:
    doc, problems = result
    return doc is not None, [p.code for p in problems]


def test_empty_file() -> None:
    for name in ("a.txt", "a.pdf", "a.docx", "a.xlsx", "a.html"):
        assert codes(read_bytes(b"", name)) == (False, ["read.empty"])
    assert codes(read_bytes(b" \r\n\t\n", "blank.txt")) == (False, ["read.empty"])


def test_binary_garbage() -> None:
    garbage = bytes(range(256)) * 8
    for name in ("x.txt", "x.pdf", "x.docx"):
        assert codes(read_bytes(garbage, name)) == (False, ["read.binary"])


def test_truncated_pdf_is_reported_not_raised() -> None:
    data = _pdf_bytes()
    for cut in (len(data) // 2, 200, 40):
        _, found = codes(read_bytes(data[:cut], "cut.pdf"))
        assert "read.truncated" in found
        assert found[0] == "read.truncated"


def test_corrupt_pdf_body() -> None:
    data = _pdf_bytes()
    corrupt = data[:9] + b"\x00garbage" * 50 + data[-100:]
    _, found = codes(read_bytes(corrupt, "bad.pdf"))
    assert found and set(found) <= {"read.truncated", "read.scanned"}


def test_intact_pdf_reads() -> None:
    doc, problems = read_bytes(_pdf_bytes(3), "ok.pdf")
    assert problems == []
    assert doc is not None and doc.pages == 3
    assert [doc.page_at(s) for s in doc.page_starts] == [1, 2, 3]
    assert "Budget page 2: 448488" in doc.text


def test_pdf_named_docx_is_read_as_pdf() -> None:
    doc, problems = read_bytes(_pdf_bytes(1), "report.docx")
    assert [p.code for p in problems] == ["read.extension"]
    assert doc is not None and doc.format == "pdf"
    assert "PDF" in problems[0].message and "report.docx" in problems[0].message


def test_text_named_pdf_is_read_as_text() -> None:
    doc, problems = read_bytes(TEXT.encode("utf-8"), "report.pdf")
    assert [p.code for p in problems] == ["read.extension"]
    assert doc is not None and (doc.format, doc.text) == ("txt", TEXT)
    assert "纯文本" in problems[0].message


def test_html_served_as_xls_is_read_as_html() -> None:
    page = "<html><body><table><tr><td>101</td><td>税收收入</td></tr></table></body></html>"
    doc, problems = read_bytes(page.encode("utf-8"), "export.xls")
    assert [p.code for p in problems] == ["read.extension"]
    assert doc is not None and (doc.format, doc.text) == ("html", "101\t税收收入\n")


def test_docx_named_xlsx() -> None:
    doc, problems = read_bytes(_docx_bytes(), "table.xlsx")
    assert [p.code for p in problems] == ["read.extension"]
    assert doc is not None and doc.format == "docx" and doc.text == "预算\n"


def test_gbk_text_says_how_to_convert() -> None:
    data = ("乌苏市2024年政府预算公开\n" + TEXT).encode("gbk")
    doc, problems = read_bytes(data, "gbk.txt")
    assert doc is None and [p.code for p in problems] == ["read.encoding"]
    assert "iconv -f GBK -t UTF-8" in problems[0].message
    assert "gbk.txt" in problems[0].message and "GBK" in problems[0].message_en


def test_gb18030_only_characters() -> None:
    data = ("预算𠀀" + TEXT).encode("gb18030")  # a character outside GBK
    doc, problems = read_bytes(data, "gb.txt")
    assert doc is None and [p.code for p in problems] == ["read.encoding"]
    assert "GB18030" in problems[0].message


def test_a_few_bad_bytes_in_utf8() -> None:
    good = ("第一行\n" + TEXT * 20).encode("utf-8")
    data = good[:20] + b"\xff" + good[20:]
    doc, problems = read_bytes(data, "spoilt.txt")
    assert [(p.code, p.line) for p in problems] == [("read.bytes", 2)]
    assert doc is not None
    # the bad byte broke the character it landed in (共): one run of U+FFFD
    assert len(re.findall("\ufffd+", doc.text)) == 1
    assert re.sub("\ufffd+", "", doc.text) == good.decode("utf-8").replace("共", "", 1)


def test_unsupported_extension() -> None:
    assert codes(read_bytes(TEXT.encode("utf-8"), "table.csv")) == (False, ["read.unsupported"])
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    ok, found = codes(read_bytes(ole, "old.doc"))
    assert (ok, found) == (False, ["read.unsupported"])
    ok, found = codes(read_bytes(ole, "old.docx"))
    assert (ok, found) == (False, ["read.unsupported"])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert codes(read_bytes(png, "scan.pdf")) == (False, ["read.unsupported"])


def test_truncated_docx_and_xlsx() -> None:
    data = _docx_bytes()
    for name in ("cut.docx", "cut.xlsx"):
        ok, found = codes(read_bytes(data[: len(data) // 2], name))
        assert not ok and "read.truncated" in found


def test_zip_that_is_not_office() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    assert codes(read_bytes(out.getvalue(), "a.docx")) == (False, ["read.unsupported"])


def test_messages_are_chinese_with_english() -> None:
    _, problems = read_bytes(b"", "空.txt")
    (p,) = problems
    assert p.file == "空.txt" and "空.txt" in p.message and "空.txt" in p.message_en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in p.message.replace("空", ""))
    assert "empty" in p.message_en


@pytest.mark.parametrize("fmt", ["txt", "pdf", "docx", "xlsx", "html"])
def test_registry(fmt: str) -> None:
    reader = READERS[fmt]
    assert reader.format == fmt
    for ext in reader.extensions:
        assert EXTENSIONS[ext] == fmt
        assert reader_for(f"x{ext.upper()}") is reader
