"""The rule families.  Importing this package builds the registry once.

Adding a rule touches one file: write the class with ``@register`` in its family's module.
Removed codes stay in ``REMOVED`` so they are never reused.
"""

from __future__ import annotations

from yusuan.check.engine import Registry, register
from yusuan.check.rules import balance, crossdoc, debt, engine, narrative, precision, tables

# Codes of removed rules, with the reason; never reuse one.
REMOVED: dict[str, str] = {}

REGISTRY = Registry(register.rules, REMOVED)
register.sealed = True

__all__ = ["REGISTRY", "balance", "crossdoc", "debt", "engine", "narrative", "precision", "tables"]
