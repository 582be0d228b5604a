"""PDF: text lines in reading order and ruled tables as tab-separated rows."""

from __future__ import annotations

import pytest

from tests.support import need_cjk_font
from tests.support.render import render_pdf
from yusuan.read import read_bytes


def _fpdf(cjk: bool = False):
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    if cjk:
        font = need_cjk_font()
        pdf.add_font("cjk", "", font[0], collection_font_number=font[1])
        pdf.set_font("cjk", size=10)
    else:
        pdf.set_font("helvetica", size=10)
    return pdf


def _cells(doc) -> list[tuple[str, ...]]:
    return [tuple(c.text for c in line.cells) for line in doc.lines if line.cells]


def _grid(pdf, x0: float, y0: float, widths: list[float], rows: list[list[str]], mode: str):
    """Draw a table: rules as lines, as thin filled bars, or as one rectangle per cell."""
    height = 20
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [y0 + i * height for i in range(len(rows) + 1)]
    if mode == "lines":
        for y in ys:
            pdf.line(xs[0], y, xs[-1], y)
        for x in xs:
            pdf.line(x, ys[0], x, ys[-1])
    elif mode == "bars":
        pdf.set_fill_color(0, 0, 0)
        for y in ys:
            pdf.rect(xs[0], y - 0.4, xs[-1] - xs[0], 0.8, style="F")
        for x in xs:
            pdf.rect(x - 0.4, ys[0], 0.8, ys[-1] - ys[0], style="F")
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if mode == "boxes":
                pdf.rect(xs[c], ys[r], widths[c], height)
            pdf.text(xs[c] + 3, ys[r] + 14, text)


ROWS = [["Code", "Item", "2024"], ["101", "Tax revenue", "90000"], ["103", "Non-tax", ""]]


@pytest.mark.parametrize("mode", ["lines", "bars", "boxes"])
def test_ruled_table_in_any_drawing(mode: str) -> None:
    pdf = _fpdf()
    pdf.add_page()
    pdf.text(50, 60, "Table 1 before")
    _grid(pdf, 50, 100, [60, 150, 80], ROWS, mode)
    pdf.text(50, 220, "Note after the table")
    doc, problems = read_bytes(bytes(pdf.output()), "t.pdf")
    assert problems == [] and doc is not None
    assert [ln.text for ln in doc.lines if ln.text] == [
        "Table 1 before",
        "Code\tItem\t2024",
        "101\tTax revenue\t90000",
        "103\tNon-tax\t",
        "Note after the table",
    ]


def test_page_frame_is_not_a_table() -> None:
    pdf = _fpdf()
    pdf.add_page()
    pdf.rect(30, 30, 530, 780)  # a frame round the page
    pdf.text(50, 60, "First paragraph line")
    pdf.text(50, 80, "Second paragraph line")
    pdf.rect(50, 100, 300, 40)  # a boxed note
    pdf.text(60, 124, "Boxed note")
    doc, problems = read_bytes(bytes(pdf.output()), "frame.pdf")
    assert problems == [] and doc is not None
    assert doc.text == "First paragraph line\nSecond paragraph line\nBoxed note\n"


def test_merged_cell_is_one_cell() -> None:
    pdf = _fpdf()
    pdf.add_page()
    xs, ys = [50, 110, 260, 340], [100, 120, 140]
    for y in ys:
        pdf.line(xs[0], y, xs[-1], y)
    for x in (xs[0], xs[-1]):
        pdf.line(x, ys[0], x, ys[-1])
    pdf.line(xs[1], ys[0], xs[1], ys[2])  # full height
    pdf.line(xs[2], ys[1], xs[2], ys[2])  # second row only: first row merges two cells
    pdf.text(53, 114, "Code")
    pdf.text(113, 114, "Budget 2024 (merged)")
    for x, t in ((53, "101"), (113, "Tax"), (263, "90000")):
        pdf.text(x, 134, t)
    doc, _ = read_bytes(bytes(pdf.output()), "m.pdf")
    assert doc is not None
    assert _cells(doc) == [("Code", "Budget 2024 (merged)"), ("101", "Tax", "90000")]


def test_page_without_text_layer() -> None:
    pdf = _fpdf()
    pdf.add_page()
    pdf.rect(50, 50, 200, 200, style="F")  # stands for a scanned image
    doc, problems = read_bytes(bytes(pdf.output()), "scan.pdf")
    assert doc is None and [p.code for p in problems] == ["read.scanned"]


def test_chinese_table_with_wrapped_cells(tmp_path) -> None:
    need_cjk_font()
    name = "其他地方自行试点项目收益专项债券对应项目专项收入" * 3
    text = (
        "表 9\n单位：万元\n"
        "科目编码\t项 目\t2024 年预算数\n"
        f"103109998\t{name}\t9118\n"
        "\t政府性基金收入合计\t131428\n"
    )
    path = render_pdf(text, tmp_path / "wrap.pdf")
    doc, problems = read_bytes(path.read_bytes(), "wrap.pdf")
    assert problems == [] and doc is not None
    assert _cells(doc) == [
        ("科目编码", "项 目", "2024 年预算数"),
        ("103109998", name, "9118"),
        ("", "政府性基金收入合计", "131428"),
    ]
    assert [ln.text for ln in doc.lines if ln.text and not ln.cells] == ["表 9", "单位：万元"]


def test_pages_and_offsets(tmp_path) -> None:
    need_cjk_font()
    text = "\n".join(f"第{i}段：一般公共预算收入{i}万元。" for i in range(1, 121)) + "\n"
    path = render_pdf(text, tmp_path / "long.pdf")
    doc, problems = read_bytes(path.read_bytes(), "long.pdf")
    assert problems == [] and doc is not None
    assert doc.pages >= 2 and len(doc.page_starts) == doc.pages
    found = [ln.text for ln in doc.lines if ln.text]
    assert found == [f"第{i}段：一般公共预算收入{i}万元。" for i in range(1, 121)]
    last = doc.text.index("第120段")
    assert doc.page_at(last) == doc.pages and doc.page_at(0) == 1


def test_rotated_page_reads_as_displayed() -> None:
    import io

    import pypdfium2 as pdfium

    pdf = _fpdf()
    pdf.add_page()
    with pdf.rotation(90, 300, 420):  # content turned a quarter left ...
        pdf.text(150, 300, "Table 1 before")
        _grid(pdf, 150, 340, [60, 150, 80], ROWS, "lines")
        pdf.text(150, 460, "Note after the table")
    document = pdfium.PdfDocument(bytes(pdf.output()))
    document[0].set_rotation(90)  # ... and the page turned a quarter right to show it upright
    out = io.BytesIO()
    document.save(out)
    doc, problems = read_bytes(out.getvalue(), "landscape.pdf")
    assert problems == [] and doc is not None
    assert doc.text.split("\n") == [
        "Table 1 before",
        "Code\tItem\t2024",
        "101\tTax revenue\t90000",
        "103\tNon-tax\t",
        "Note after the table",
        "",
    ]


def test_page_numbers_are_dropped() -> None:
    pdf = _fpdf(cjk=True)
    for number, top, bottom in (("1", "第 1 页", "- 1 -"), ("2", "2/3", "第 2 页 共 3 页")):
        pdf.add_page()
        pdf.text(280, 30, top)
        pdf.text(50, 100, f"Page {number} text")
        pdf.text(50, 420, "10")  # a lone number in the page body stays
        pdf.text(280, 820, bottom)
    doc, problems = read_bytes(bytes(pdf.output()), "numbered.pdf")
    assert problems == [] and doc is not None
    assert doc.text == "Page 1 text\n10\nPage 2 text\n10\n"


def test_text_drawn_twice_for_bold_is_read_once() -> None:
    pdf = _fpdf(cjk=True)
    pdf.add_page()
    for dx in (0, 0.4):  # how some producers fake a bold heading
        pdf.text(50 + dx, 100, "一、一般公共预算收入")
    pdf.text(50, 130, "一一对应")  # a real repeated character stays
    doc, problems = read_bytes(bytes(pdf.output()), "bold.pdf")
    assert problems == [] and doc is not None
    assert doc.text == "一、一般公共预算收入\n一一对应\n"
