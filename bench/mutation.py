"""Mutation benchmark of the checker: change one printed number of a seed, see if it is caught.

For each seed document, trials pick one printed number (a money figure or percentage of the
narrative, or a value cell of a table) at random, change one of its digits, and run read +
extract + check on the changed text.  A trial is caught when a finding that the unchanged
document does not have lists a source whose span covers the changed character.

A number is *constrained* when some stated or implied relation ties it to other numbers in the
unchanged extraction (a relation's whole or part, a figure with both its change and its rate,
a percentage with its base, a table cell under a parent code, a total or a growth column).
Numbers no relation constrains cannot be caught; the benchmark reports both rates.

    python bench/mutation.py --trials 200 --seed 1
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yusuan.check import check  # noqa: E402
from yusuan.check.rules._table import (  # noqa: E402
    compared_columns,
    is_subtotal,
    is_total,
    structure,
)
from yusuan.check.rules.narrative import _named_before  # noqa: E402
from yusuan.extract import extract  # noqa: E402
from yusuan.model import ColumnKind, Extraction, Finding, RelationKind  # noqa: E402
from yusuan.read import read_bytes  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
NARRATIVE_NUMBER = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)(?=\s*(?:亿元|万元|元|%))")


@dataclass(frozen=True)
class Target:
    start: int  # span of the printed number
    end: int
    kind: str  # "table" | "narrative"
    constrained: bool


def run(name: str, text: str) -> tuple[Extraction, tuple[Finding, ...]]:
    doc, _ = read_bytes(text.encode("utf-8"), name)
    assert doc is not None
    ex = extract(doc)
    return ex, check([ex]).findings


def constrained_spans(ex: Extraction) -> list[tuple[int, int]]:
    """Spans of the numbers some relation constrains, in the unchanged extraction."""
    spans: list[tuple[int, int]] = []
    facts = {f.id: f for f in ex.facts}
    for r in ex.relations:
        ids = [r.total, *(p.lstrip("-") for p in r.parts)]
        known = [facts[i] for i in ids if i in facts]
        if r.kind in (RelationKind.GROWTH, RelationKind.RATIO) and len(known) < 2:
            continue  # checked through the fact's own fields below
        if len(known) >= 2:
            spans += [(f.source.start, f.source.end) for f in known]
    by_key = defaultdict(list)
    mentions = defaultdict(list)
    for f in ex.facts:
        by_key[(f.indicator, str(f.scope), f.period.year)].append(f)
        if f.table is None and _named_before(ex.document.text, f):
            mentions[f.key].append(f)
    for group in mentions.values():  # a figure printed twice: each mention checks the other
        if len(group) > 1:
            spans += [(f.source.start, f.source.end) for f in group]
    for f in ex.facts:
        if f.table is not None:
            continue
        if f.yoy_abs is not None and f.yoy_pct is not None:
            spans.append((f.source.start, f.source.end))
        if f.pct_of_budget is not None and any(
            o.stage.value in ("budget", "adjusted", "plan")
            for o in by_key[(f.indicator, str(f.scope), f.period.year)]
        ):
            spans.append((f.source.start, f.source.end))
    for t in ex.tables:
        if t.empty:
            continue
        st = structure(t)
        has_total = any(is_total(r) or is_subtotal(r) for r in t.rows)
        vcols = t.value_columns
        for i, row in enumerate(t.rows):
            linked = i in st.parent or i in st.children or has_total
            for j, c in enumerate(row.cells):
                if c.value is None or j >= len(vcols):
                    continue
                k = vcols[j].kind
                rate = k in (ColumnKind.GROWTH, ColumnKind.PERCENT) and compared_columns(
                    t, j) is not None
                if (k in (ColumnKind.AMOUNT, ColumnKind.CHANGE) and linked) or rate:
                    spans.append((c.start, c.end))
    return spans


def targets(ex: Extraction) -> list[Target]:
    text = ex.document.text
    cons = constrained_spans(ex)

    def is_constrained(a: int, b: int) -> bool:
        return any(s <= a and b <= e for s, e in cons)

    out: list[Target] = []
    table_lines: set[int] = set()
    for t in ex.tables:
        for row in t.rows:
            table_lines.add(row.line)
            vcols = t.value_columns
            for j, c in enumerate(row.cells):
                if (
                    c.value is None
                    or j >= len(vcols)
                    or vcols[j].kind
                    not in (
                        ColumnKind.AMOUNT,
                        ColumnKind.GROWTH,
                        ColumnKind.PERCENT,
                        ColumnKind.CHANGE,
                    )
                ):
                    continue
                m = re.search(r"\d[\d,.]*", text[c.start : c.end])
                if m is None:
                    continue
                a, b = c.start + m.start(), c.start + m.end()
                out.append(Target(a, b, "table", is_constrained(a, b)))
    for m in NARRATIVE_NUMBER.finditer(text):
        line = ex.document.line_at(m.start())
        if line in table_lines:
            continue
        out.append(Target(m.start(1), m.end(1), "narrative", is_constrained(m.start(1), m.end(1))))
    return out


def mutate(text: str, t: Target, rng: random.Random) -> tuple[str, int]:
    digits = [i for i in range(t.start, t.end) if text[i].isdigit()]
    pos = rng.choice(digits)
    old = text[pos]
    choices = [
        d
        for d in "0123456789"
        if d != old and not (pos == digits[0] and d == "0" and len(digits) > 1)
    ]
    return text[:pos] + rng.choice(choices) + text[pos + 1 :], pos


def _key(f: Finding) -> tuple[object, ...]:
    return (f.code, tuple((s.start, s.end) for s in f.sources), f.printed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=200, help="trials per document")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--docs", default="000,001,002,003,004")
    ap.add_argument(
        "--show-missed",
        action="store_true",
        help="print each constrained number that was not caught",
    )
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    print(f"mutation benchmark: {args.trials} trials per document, seed {args.seed}")
    print(
        f"{'doc':<5} {'part':<10} {'trials':>6} {'caught':>6} {'rate':>7} "
        f"{'constr':>6} {'caught':>6} {'rate':>7}"
    )
    for prefix in args.docs.split(","):
        path = next(SEEDS.glob(f"{prefix}_*.txt"))
        text = path.read_text(encoding="utf-8")
        ex, base = run(path.name, text)
        base_keys = {_key(f) for f in base}
        pool = targets(ex)
        stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for _ in range(args.trials):
            if not pool:
                break
            t = rng.choice(pool)
            changed, pos = mutate(text, t, rng)
            _, found = run(path.name, changed)
            caught = any(
                _key(f) not in base_keys and any(s.start <= pos < s.end for s in f.sources)
                for f in found
            )
            if args.show_missed and t.constrained and not caught:
                line = ex.document.lines[ex.document.line_at(pos) - 1]
                print(
                    f"      missed {t.kind} line {line.number}: {text[t.start : t.end]!r} -> "
                    f"{changed[t.start : t.end]!r} | {line.text[:90]!r}"
                )
            for part in (t.kind, "all"):
                s = stats[part]
                s[0] += 1
                s[1] += caught
                s[2] += t.constrained
                s[3] += caught and t.constrained
        for part in ("table", "narrative", "all"):
            if part not in stats:
                continue
            n, c, k, kc = stats[part]
            print(
                f"{prefix:<5} {part:<10} {n:>6} {c:>6} {c / n:>7.1%} {k:>6} {kc:>6} "
                f"{(kc / k if k else 0):>7.1%}"
            )
        print(f"      findings on the unchanged seed: {len(base)}")
        for f in base:
            s = f.sources[0] if f.sources else None
            print(
                f"        {f.code} {f.severity.value:<7} line {s.line if s else '-'}: {f.message}"
            )
    print(f"elapsed {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
