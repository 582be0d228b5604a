"""Layers point one way: a package imports only packages below it."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "yusuan"

# Lowest first.  A package may import only packages listed before it.
LAYERS = [
    "model",
    "refdata",
    "read",
    "extract",
    "store",
    "check",
    "analyze",
    "report",
    "cycle",
    "service",
    "cli",
]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "yusuan" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_package_is_layered() -> None:
    packages = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(LAYERS), f"unlayered packages: {packages - set(LAYERS)}"


def test_imports_point_down() -> None:
    bad = []
    for index, layer in enumerate(LAYERS):
        allowed = set(LAYERS[: index + 1])
        for path in (SRC / layer).rglob("*.py"):
            for target in _imports(path) - allowed:
                if target in LAYERS:
                    bad.append(f"{path.relative_to(SRC)} imports yusuan.{target}")
    assert not bad, "imports against the layering:\n" + "\n".join(bad)
