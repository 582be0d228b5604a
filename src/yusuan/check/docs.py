"""``docs/rules.md`` generated from the registry (a test keeps the file in step)."""

from __future__ import annotations

import inspect
from pathlib import Path

from yusuan.check.rules import REGISTRY

SEVERITY_ZH = {"error": "错误", "warning": "警告", "notice": "提示"}


def render_rules_md() -> str:
    """The rules reference: one section per code, from each rule's class attributes and docstring."""
    out = [
        "# 检查规则 Rules",
        "",
        "Generated from the rule registry by `yusuan.check.docs.render_rules_md()`; do not edit",
        "by hand (run `python -m yusuan.check.docs` to refresh).",
        "",
        "Select rules with `yusuan check --select YS1 --ignore YS105` (codes, prefixes) or by tag",
        "(`--select '#debt'`).  Every check computes with the intervals of the printed figures and",
        "raises a finding only when the printed value lies outside what its inputs allow.",
        "",
        "Precision: a figure stands for half a unit of its last printed digit, with two",
        "conventions of the reports.  In the narrative, trailing zeros are dropped (11.00 亿元",
        "prints as 11 亿元 beside 6.1 亿元), so the amounts of a sum are read at the finest",
        "precision printed for their unit in their paragraph (YS201, YS202, YS402, YS403).  In",
        "tables printed in whole 万元 or 元, totals are sums of the printed rows and are",
        "compared exactly (YS101, YS102, YS115); rates keep the rounding of their amounts.",
        "",
        "| code | 标题 | title | severity | tags | lifecycle |",
        "|---|---|---|---|---|---|",
    ]
    for r in REGISTRY:
        tags = " ".join(f"#{t}" for t in sorted(r.tags))
        out.append(f"| [{r.code}](#{r.code.lower()}) | {r.title} | {r.title_en} | "
                   f"{r.severity.value} | {tags} | {r.lifecycle.value} |")
    for r in REGISTRY:
        out += [
            "",
            f"## {r.code}",
            "",
            f"**{r.title}** — {r.title_en}",
            "",
            f"Severity: {r.severity.value} ({SEVERITY_ZH[r.severity.value]}); "
            f"tags: {', '.join('#' + t for t in sorted(r.tags))}; lifecycle: {r.lifecycle.value}.",
            "",
            f"Message: {r.message}",
            "",
            f"Message (en): {r.message_en}",
            "",
            inspect.cleandoc(r.__doc__ or ""),
        ]
    if REGISTRY.removed:
        out += ["", "## Removed codes", ""]
        out += [f"- {code}: {why}" for code, why in sorted(REGISTRY.removed.items())]
    return "\n".join(out) + "\n"


def rules_md_path() -> Path:
    return Path(__file__).resolve().parents[3] / "docs" / "rules.md"


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    rules_md_path().write_text(render_rules_md(), encoding="utf-8")
    print(f"wrote {rules_md_path()}")
