"""docs/indicators.md is generated from the definitions and kept in step."""

from __future__ import annotations

from pathlib import Path

from yusuan.analyze.docs import indicators_markdown
from yusuan.analyze.indicators import library

DOC = Path(__file__).resolve().parents[1] / "docs" / "indicators.md"


def test_indicators_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == indicators_markdown(), (
        "docs/indicators.md is stale: run `python -m yusuan.analyze.docs docs/indicators.md`")


def test_every_indicator_documented_with_source() -> None:
    text = DOC.read_text(encoding="utf-8")
    for d in library().definitions:
        assert f"`{d.id}`" in text
        assert d.source
