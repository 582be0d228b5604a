"""Narrative facts: every amount-bearing phrase of a paragraph."""

from __future__ import annotations

from yusuan.extract.context import DocContext
from yusuan.model import Document, Fact, Paragraph, Problem, Relation


def extract_narrative(
    document: Document, paragraphs: list[Paragraph], context: DocContext
) -> tuple[list[Fact], list[Relation], list[Problem]]:
    return [], [], []
