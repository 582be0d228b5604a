"""Word: paragraphs and tables in document order."""

from __future__ import annotations

import io

from yusuan.read import read_bytes


def _save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_order_tables_and_merged_cells() -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "乌苏市2024年政府预算公开"
    d.add_paragraph("表 1")
    d.add_paragraph("单位：万元")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).text = "科目编码"
    t.cell(0, 1).merge(t.cell(0, 2)).text = "2024 年预算数"
    for c, v in enumerate(["101", "一、税收收入", "90000"]):
        t.cell(1, c).text = v
    t.cell(2, 1).text = "第一行\n第二行"  # two paragraphs in one cell
    d.add_paragraph("备注：此表为空。")
    doc, problems = read_bytes(_save(d), "b.docx")
    assert problems == [] and doc is not None
    assert doc.title == "乌苏市2024年政府预算公开"
    assert doc.text.split("\n") == [
        "表 1",
        "单位：万元",
        "科目编码\t2024 年预算数",
        "101\t一、税收收入\t90000",
        "\t第一行第二行\t",
        "备注：此表为空。",
        "",
    ]


def test_nested_table_text_stays_in_its_cell() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "外"
    inner = t.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "a"
    inner.cell(0, 1).text = "b"
    doc, _ = read_bytes(_save(d), "n.docx")
    assert doc is not None
    (row,) = [ln for ln in doc.lines if ln.cells]
    assert [c.text for c in row.cells] == ["外", "a b"]


def test_tracked_changes_smart_tags_and_fields() -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    p = d.add_paragraph("收入")
    p._p.append(parse_xml(f"<w:ins {w} w:id='1' w:author='a'><w:r><w:t>增长</w:t></w:r></w:ins>"))
    p._p.append(
        parse_xml(
            f"<w:del {w} w:id='2' w:author='a'><w:r><w:delText>下降</w:delText></w:r></w:del>"
        )
    )
    p._p.append(parse_xml(f"<w:smartTag {w} w:element='x'><w:r><w:t>5%</w:t></w:r></w:smartTag>"))
    p._p.append(parse_xml(f"<w:r {w}><w:instrText>PAGE</w:instrText></w:r>"))  # a field code
    p._p.append(parse_xml(f"<w:r {w}><w:tab/><w:t>。</w:t></w:r>"))
    doc, problems = read_bytes(_save(d), "t.docx")
    assert problems == [] and doc is not None
    assert doc.text == "收入增长5% 。\n"


def test_empty_document() -> None:
    import docx

    doc, problems = read_bytes(_save(docx.Document()), "e.docx")
    assert doc is None and [p.code for p in problems] == ["read.empty"]
