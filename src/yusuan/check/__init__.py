"""The checker: every identity and every arithmetic claim, with evidence.

``check(extractions)`` runs the registered rules over model records (it never
parses text) and returns their findings.  Rules live in
:mod:`yusuan.check.rules`; the registry is built once at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from yusuan.check.engine import CheckResult, Context, Hit, Lifecycle, Registry, Rule, run, summary
from yusuan.check.rules import REGISTRY
from yusuan.model import Extraction


def check(
    extractions: Iterable[Extraction],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    *,
    preview: bool = False,
) -> CheckResult:
    """Run the selected rules over the extractions of one or more documents."""
    rules = REGISTRY.select(select, ignore, preview=preview)
    return run(Context.build(extractions), rules)


__all__ = [
    "REGISTRY",
    "CheckResult",
    "Context",
    "Hit",
    "Lifecycle",
    "Registry",
    "Rule",
    "check",
    "summary",
]
