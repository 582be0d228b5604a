"""The document's context: its government, fiscal year, kind and date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yusuan.model import DocKind, Document, Government


@dataclass(frozen=True, slots=True)
class DocContext:
    government: Government | None
    government_name: str | None  # as printed, e.g. "昌吉回族自治州"
    year: int | None  # the fiscal year the document is mainly about
    kind: DocKind
    date: date | None
    title: str


def detect_context(document: Document) -> DocContext:
    title = next((ln.text.strip() for ln in document.lines if ln.text.strip()), "")
    return DocContext(None, None, None, DocKind.OTHER, None, title)
