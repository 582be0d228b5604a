"""Test support: the document generator (render.py) and its requirements."""

from __future__ import annotations

import os

import pytest

from tests.support.render import cjk_fonts


def need_cjk_font() -> tuple[str, int]:
    """A CJK font for PDF rendering, or skip (fail under CI=true) when none is installed."""
    font = cjk_fonts()
    if font is None:
        reason = "no CJK font for PDF rendering: apt-get install fonts-wqy-microhei"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: it must be installed)")
        pytest.skip(reason)
    return font
