"""HTML: block text as lines, table rows tab-separated, with lxml (BSD-3-Clause).

The charset comes from a BOM, then ``<meta charset>`` or
``<meta http-equiv="Content-Type" content="...; charset=...">``, then
UTF-8.  ``script``, ``style`` and other non-content elements are dropped.
"""

from __future__ import annotations

import codecs
import re

from yusuan.model import Document, Problem
from yusuan.read.base import clean_cell, make_document
from yusuan.read.problems import problem
from yusuan.read.sniff import BOMS, guess_legacy_encoding, mostly_utf8

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")

_DROP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg"}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "ul",
}


def _charset(data: bytes) -> str | None:
    for bom, codec in BOMS:
        if data.startswith(bom):
            return codec
    m = _META.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            return None
        # Pages labelled gb2312 are often really GBK: decode with the superset.
        return {"gb2312": "gbk", "gbk": "gb18030"}.get(name, name)
    return None


class _Lines:
    """Accumulates inline text into lines, flushed at block boundaries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def text(self, s: str | None) -> None:
        if s:
            self.buffer.append(s)

    def flush(self) -> None:
        line = " ".join("".join(self.buffer).split())
        if line:
            self.lines.append(line)
        self.buffer = []


def _inline_text(el: object) -> str:
    """All text under ``el``, with <br> and blocks as newlines (for a cell)."""
    parts: list[str] = []

    def walk(e: object) -> None:
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag in _DROP:
            return
        if tag == "br" or tag in _BLOCK:
            parts.append("\n")
        parts.append(e.text or "")
        for child in e:
            walk(child)
            parts.append(child.tail or "")
        if tag in _BLOCK:
            parts.append("\n")

    walk(el)
    return "".join(parts)


def _span(td: object, name: str) -> int:
    try:
        return min(max(int(td.get(name, "1")), 1), 1000)
    except ValueError:
        return 1


def _table_lines(table: object) -> list[str]:
    """One tab-separated line per row.

    A cell spanning columns is one cell; a cell spanning rows leaves an
    empty cell in the rows below it, as a Word table or a ruled PDF table
    does, so that later cells keep their column.
    """
    lines = []
    carry: dict[int, tuple[int, int]] = {}  # grid column -> (rows left, columns spanned)
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table"), None) is not table:
            continue  # a row of a table nested in a cell
        tds = [td for td in tr if td.tag in ("td", "th")]
        cells: list[str] = []
        col = i = 0
        while i < len(tds) or any(c >= col for c in carry):
            if col in carry:
                left, span = carry.pop(col)
                if left > 1:
                    carry[col] = (left - 1, span)
                cells.append("")
                col += span
                continue
            if i == len(tds):
                col = min(c for c in carry if c >= col)
                continue
            td = tds[i]
            i += 1
            span, down = _span(td, "colspan"), _span(td, "rowspan")
            cells.append(clean_cell(_inline_text(td)))
            if down > 1:
                carry[col] = (down - 1, span)
            col += span
        lines.append("\t".join(cells))
    return lines


def _walk(el: object, out: _Lines) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag in _DROP or not isinstance(el.tag, str):
        return
    if tag == "table":
        out.flush()
        caption = el.find("caption")
        if caption is not None:
            out.text(caption.text_content())
            out.flush()
        out.lines.extend(_table_lines(el))
        return
    if tag == "br":
        out.flush()
        return
    block = tag in _BLOCK or tag == "title"
    if block:
        out.flush()
    out.text(el.text)
    for child in el:
        _walk(child, out)
        out.text(child.tail)
    if block:
        out.flush()


class HtmlReader:
    format = "html"
    extensions = (".html", ".htm", ".xhtml")

    def read(self, data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
        import lxml.etree
        import lxml.html

        codec = _charset(data) or "utf-8"
        problems: list[Problem] = []
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            mostly = mostly_utf8(data) if codec.startswith("utf-8") else None
            if mostly is None:
                guess = guess_legacy_encoding(data) or "GB18030"
                return None, [problem("read.encoding", path, encoding=guess)]
            text, count, line = mostly
            problems.append(problem("read.bytes", path, line=line, count=count))
        if text.startswith("\ufeff"):
            text = text[1:]
        text = _XML_DECL.sub("", text, count=1)  # lxml refuses str with an encoding declaration
        try:
            root = lxml.html.document_fromstring(text)
        except (ValueError, lxml.etree.ParserError) as exc:
            return None, [
                problem(
                    "read.truncated",
                    path,
                    what="HTML ",
                    what_en="HTML",
                    reason=str(exc),
                    kept="未能读取任何内容。",
                    kept_en="nothing could be read.",
                )
            ]
        title_el = root.find(".//title")
        title = " ".join((title_el.text_content() if title_el is not None else "").split())
        out = _Lines()
        body = root.find("body")
        _walk(body if body is not None else root, out)
        out.flush()
        rendered = "\n".join(out.lines) + "\n"
        if not rendered.strip():
            return None, [problem("read.empty", path)]
        return make_document(data, path, self.format, rendered, title=title), problems
