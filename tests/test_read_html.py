"""HTML: block text as lines, table rows tab-separated, scripts dropped, charsets honoured."""

from __future__ import annotations

from yusuan.read import read_bytes

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>乌苏市 预算公开</title>
<style>p {{ color: red }}</style><script>var x = "脚本";</script></head>
<body>
<h1>表 1</h1>
<div>2024 年乌苏市<b>一般公共预算</b>收入表<div>单位：万元</div></div>
<table>
<caption>收入表</caption>
<tr><th>科目编码</th><th>项 目</th><th>2024 年<br>预算数</th></tr>
<tr><td>101</td><td>一、税收收入</td><td> 90000 </td></tr>
<tr><td></td><td>合计<table><tr><td>内</td></tr></table></td><td>90000</td></tr>
</table>
<p>备注：第一行<br>第二行</p>
<noscript>请启用脚本</noscript>
</body></html>
"""

EXPECTED = [
    "表 1",
    "2024 年乌苏市一般公共预算收入表",
    "单位：万元",
    "收入表",
    "科目编码\t项 目\t2024 年预算数",
    "101\t一、税收收入\t90000",
    "\t合计内\t90000",
    "备注：第一行",
    "第二行",
    "",
]


def test_blocks_tables_and_dropped_elements() -> None:
    doc, problems = read_bytes(PAGE.format(charset="utf-8").encode("utf-8"), "p.html")
    assert problems == [] and doc is not None
    assert doc.title == "乌苏市 预算公开"
    assert doc.text.split("\n") == EXPECTED


def test_meta_charset_gbk() -> None:
    data = PAGE.format(charset="gb2312").encode("gbk")
    doc, problems = read_bytes(data, "p.htm")
    assert problems == [] and doc is not None
    assert doc.text.split("\n") == EXPECTED


def test_http_equiv_charset() -> None:
    page = PAGE.replace(
        '<meta charset="{charset}">',
        '<meta http-equiv="Content-Type" content="text/html; charset=GBK">',
    )
    doc, problems = read_bytes(page.encode("gbk"), "p.html")
    assert problems == [] and doc is not None and doc.text.split("\n") == EXPECTED


def test_undeclared_gbk_is_an_encoding_problem() -> None:
    page = PAGE.replace('<meta charset="{charset}">', "")
    doc, problems = read_bytes(page.encode("gbk"), "p.html")
    assert doc is None and [p.code for p in problems] == ["read.encoding"]


def test_page_without_text() -> None:
    doc, problems = read_bytes(b"<html><body><script>x()</script></body></html>", "e.html")
    assert doc is None and [p.code for p in problems] == ["read.empty"]


def test_xhtml_with_xml_declaration() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE.format(charset="utf-8")
    doc, problems = read_bytes(page.encode("utf-8"), "p.xhtml")
    assert problems == [] and doc is not None and doc.text.split("\n") == EXPECTED


def test_row_and_column_spans() -> None:
    page = """<table>
    <tr><th rowspan="2">科目</th><th colspan="2">2024 年</th><th rowspan="3">备注</th></tr>
    <tr><th>预算数</th><th>执行数</th></tr>
    <tr><td>税收</td><td>90000</td><td>88000</td></tr>
    </table>"""
    doc, problems = read_bytes(page.encode("utf-8"), "span.html")
    assert problems == [] and doc is not None
    assert doc.text.split("\n") == [
        "科目\t2024 年\t备注",
        "\t预算数\t执行数\t",
        "税收\t90000\t88000\t",
        "",
    ]
