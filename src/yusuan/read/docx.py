"""Word (.docx): paragraphs and tables in document order, with python-docx (MIT).

python-docx opens the package; the body is then walked directly so that
order is kept and text that ``Paragraph.text`` leaves out is read: runs
inside tracked insertions (``w:ins``), smart tags, simple fields and inline
content controls.  Deleted text, field codes and text boxes (which Word
stores twice, as drawing and as fallback) are left out.  A merged cell is
one cell of its row.
"""

from __future__ import annotations

import io
import zipfile

from yusuan.model import Document, Problem
from yusuan.read.base import clean_cell, make_document
from yusuan.read.problems import problem

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Subtrees of a paragraph whose text is not the paragraph's visible text.
_SKIP = {
    _W + "del",
    _W + "moveFrom",
    _W + "delText",
    _W + "instrText",
    _W + "txbxContent",
    _W + "pPr",
    _W + "rPr",
    _MC + "Fallback",
}
# Containers whose children are blocks (paragraphs, tables).
_BLOCK_CONTAINERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins"}


def paragraph_text(p: object) -> str:
    """The visible text of a ``w:p`` element; tabs as spaces, breaks as newlines."""
    parts: list[str] = []

    def walk(el: object) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                parts.append(" ")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _row_lines(tbl: object) -> list[str]:
    """One tab-separated line per row of a ``w:tbl``."""
    lines = []
    for tr in tbl.iter(_W + "tr"):
        if next(tr.iterancestors(_W + "tbl")) is not tbl:
            continue  # a row of a table nested in a cell
        cells = [clean_cell("\n".join(_cell_parts(tc))) for tc in tr.iterchildren(_W + "tc")]
        lines.append("\t".join(cells))
    return lines


def _cell_parts(tc: object) -> list[str]:
    """A cell's paragraphs, and nested tables' rows flattened to text."""
    parts: list[str] = []
    for line, is_row in _blocks(tc):
        parts.append(line.replace("\t", " ") if is_row else line)
    return parts


def _blocks(container: object) -> list[tuple[str, bool]]:
    """(line, is_table_row) for the paragraphs and tables of a container, in order."""
    out: list[tuple[str, bool]] = []
    for child in container:
        tag = child.tag
        if tag == _W + "p":
            out.extend((t, False) for t in paragraph_text(child).split("\n"))
        elif tag == _W + "tbl":
            out.extend((line, True) for line in _row_lines(child))
        elif tag in _BLOCK_CONTAINERS:
            out.extend(_blocks(child))
    return out


def _failed(path: str, exc: Exception) -> tuple[None, list[Problem]]:
    return None, [
        problem(
            "read.truncated",
            path,
            what="Word ",
            what_en="Word",
            reason=str(exc) or type(exc).__name__,
            kept="未能读取任何内容。",
            kept_en="nothing could be read.",
        )
    ]


class DocxReader:
    format = "docx"
    extensions = (".docx",)

    def read(self, data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
        import docx
        from docx.opc.exceptions import OpcError
        from lxml import etree

        try:
            document = docx.Document(io.BytesIO(data))
        except (
            zipfile.BadZipFile,
            KeyError,
            ValueError,
            OSError,
            OpcError,
            etree.LxmlError,
        ) as exc:
            return _failed(path, exc)
        lines = [line for line, _ in _blocks(document.element.body)]
        text = "\n".join(lines) + "\n"
        if not text.strip():
            return None, [problem("read.empty", path)]
        title = (document.core_properties.title or "").strip()
        return make_document(data, path, self.format, text, title=title), []
