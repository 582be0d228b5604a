"""The reader interface, shared helpers, and dispatch by format.

A reader is a format plugin: it takes a file's bytes and returns
``(Document | None, problems)``, never raising on bad input.  Every reader
renders its file as text in which each table row is one tab-separated
line and every paragraph a line, so that one layout step serves every
format.  :func:`read_bytes` sniffs what the bytes really are (magic bytes,
encodings), reports a wrong or unsupported extension, and hands the bytes
to the reader registered for the real format.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

from yusuan.model import Document, Line, Problem, Span


class Reader(Protocol):
    """One format: the extensions it owns and how to read its bytes."""

    format: str  # "pdf"
    extensions: tuple[str, ...]  # (".pdf",)

    def read(self, data: bytes, path: str) -> tuple[Document | None, list[Problem]]: ...


def split_lines(text: str) -> tuple[Line, ...]:
    """Lines of ``text`` with offsets; tab-separated lines get cells."""
    lines: list[Line] = []
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        body = raw[:-1] if raw.endswith("\r") else raw
        cells = None
        if "\t" in body:
            spans, col = [], pos
            for piece in body.split("\t"):
                spans.append(Span(piece, col, col + len(piece)))
                col += len(piece) + 1
            cells = tuple(spans)
        lines.append(Line(number, pos, pos + len(body), body, cells))
        pos += len(raw) + 1
    return tuple(lines)


def first_line(text: str, limit: int = 200) -> str:
    """The first non-blank line, stripped: a fallback title."""
    for line in text.split("\n"):
        stripped = line.replace("\t", " ").strip()
        if stripped:
            return stripped[:limit]
    return ""


def make_document(
    data: bytes,
    path: str,
    fmt: str,
    text: str,
    pages: int = 0,
    title: str = "",
    page_starts: tuple[int, ...] = (),
) -> Document:
    return Document(
        id=hashlib.sha256(data).hexdigest(),
        path=path,
        name=Path(path).name,
        format=fmt,
        text=text,
        lines=split_lines(text),
        title=title or first_line(text),
        pages=pages,
        page_starts=page_starts,
    )


def clean_cell(text: str) -> str:
    """A table cell's text on one line: no tabs or newlines, whitespace runs made single.

    Wrapped lines inside a cell are joined without a space between two CJK
    characters or inside a number (``1,23`` + ``4.5``), with one space
    otherwise.
    """
    parts = [p.strip() for p in text.replace("\t", " ").replace("\r", "\n").split("\n")]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (
            (is_cjk(out[-1]) and is_cjk(part[0])) or (out[-1] in _NUMERIC and part[0] in _NUMERIC)
        ):
            out += " "
        out += part
    return " ".join(out.split())


_NUMERIC = frozenset("0123456789.,%")


def is_cjk(char: str) -> bool:
    """A CJK ideograph or full-width punctuation: no space is written around it."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x303F  # CJK punctuation
        or 0x3400 <= code <= 0x9FFF  # ideographs
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF
    )


def read_bytes(data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
    """Read a file's bytes, choosing the reader by what the bytes really are."""
    from yusuan.read.registry import dispatch

    return dispatch(data, path)


def read(path: str | Path) -> tuple[Document | None, list[Problem]]:
    """Read a file.  I/O failures (missing file, no permission) are reported, not raised."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        from yusuan.read.problems import problem

        return None, [problem("read.io", str(p), reason=exc.strerror or str(exc))]
    return read_bytes(data, str(p))
