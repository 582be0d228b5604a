"""The reader interface and dispatch by format (minimal: plain text)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from yusuan.model import Document, Line, Problem, Span


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


def make_document(data: bytes, path: str, fmt: str, text: str, pages: int = 0) -> Document:
    return Document(
        id=hashlib.sha256(data).hexdigest(),
        path=path,
        name=Path(path).name,
        format=fmt,
        text=text,
        lines=split_lines(text),
        pages=pages,
    )


def read_bytes(data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
    text = data.decode("utf-8")
    return make_document(data, path, "txt", text), []


def read(path: str | Path) -> tuple[Document | None, list[Problem]]:
    p = Path(path)
    return read_bytes(p.read_bytes(), str(p))
