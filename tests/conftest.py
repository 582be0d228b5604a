"""Shared fixtures: the corpus in ../shared, skipped when absent (failed under CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "corpus" / "gold"


def need_shared() -> Path:
    """Return ../shared, or skip (fail under CI=true) when it is absent."""
    if not SEEDS.is_dir():
        reason = f"../shared corpus not found at {SHARED}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: the corpus must be present)")
        pytest.skip(reason)
    return SHARED


def seed(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` ("000")."""
    need_shared()
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def gold(name_glob: str) -> Path:
    need_shared()
    return next(GOLD.glob(name_glob))


@pytest.fixture
def shared() -> Path:
    return need_shared()
