"""The readers by format and extension, built once; dispatch by real content.

The extension says what a file claims to be, the bytes say what it is.
When they disagree the bytes win: the file is read as what it really is
and a ``read.extension`` problem says so (nothing is lost).  This covers a
PDF named .docx, and the HTML tables that many government sites serve as
``.xls`` or ``.doc``.  Plain text under an unknown extension (.csv, .md)
and formats without a reader (legacy OLE .doc/.xls, images, archives) are
``read.unsupported``.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from yusuan.model import Document, Problem
from yusuan.read.base import Reader
from yusuan.read.docx import DocxReader
from yusuan.read.html import HtmlReader
from yusuan.read.pdf import PdfReader
from yusuan.read.problems import problem
from yusuan.read.sniff import describe, sniff
from yusuan.read.txt import TxtReader
from yusuan.read.xlsx import XlsxReader

READERS: MappingProxyType[str, Reader] = MappingProxyType(
    {r.format: r for r in (TxtReader(), PdfReader(), DocxReader(), XlsxReader(), HtmlReader())}
)


def _by_extension() -> MappingProxyType[str, str]:
    table: dict[str, str] = {}
    for fmt, reader in READERS.items():
        for ext in reader.extensions:
            if ext in table:
                raise ValueError(f"extension {ext} claimed by {table[ext]} and {fmt}")
            table[ext] = fmt
    return MappingProxyType(table)


EXTENSIONS: MappingProxyType[str, str] = _by_extension()

# Formats that are all "text": a .txt holding HTML (or the reverse) is no error.
_TEXTUAL = {"txt", "html"}


def reader_for(path: str) -> Reader | None:
    """The reader that owns ``path``'s extension, if any."""
    fmt = EXTENSIONS.get(Path(path).suffix.lower())
    return READERS[fmt] if fmt else None


def dispatch(data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
    ext = Path(path).suffix.lower()
    claimed = EXTENSIONS.get(ext)
    if not data.strip():
        return None, [problem("read.empty", path)]
    found = sniff(data)
    kind = found.kind
    zh, en = describe(kind)
    if kind == "binary":
        return None, [problem("read.binary", path, what=zh, what_en=en)]
    if kind not in READERS:  # an image, an archive, a legacy Office file...
        return None, [
            problem(
                "read.unsupported",
                path,
                ext=ext or "（无扩展名）",
                what=f"（内容是{zh}）",
                what_en=f" (content is {en})",
            )
        ]
    problems: list[Problem] = []
    if claimed is None and ext and kind == "txt":
        # Plain text under another extension (.csv, .md, .json): not a document we read.
        return None, [
            problem(
                "read.unsupported",
                path,
                ext=ext,
                what=f"（内容是{zh}）",
                what_en=f" (content is {en})",
            )
        ]
    if claimed is None:
        mismatch = bool(ext)  # e.g. an HTML table served as .xls
    else:
        mismatch = claimed != kind and not (claimed in _TEXTUAL and kind in _TEXTUAL)
    if mismatch:
        problems.append(problem("read.extension", path, ext=ext, what=zh, what_en=en))
    fmt = claimed if claimed is not None and not mismatch else kind
    document, more = READERS[fmt].read(data, path)
    return document, problems + more
