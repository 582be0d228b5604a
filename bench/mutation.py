"""Mutation benchmark of the checker: change one printed number of a seed, see if it is caught.

For each seed document, trials pick one printed number (a money figure or percentage of the
narrative, or a value cell of a table) at random, make a reviewer's typo in it (a changed
digit, two adjacent digits transposed, a digit dropped or added; never a change within the
printed rounding), and run read + extract + check on the changed text.  A trial is caught when
a finding that the unchanged document does not have (same code, sources, printed and expected
values) lists a source whose span covers the changed character.

A number is *constrained* when some stated or implied relation ties it to other numbers in the
unchanged extraction.  In a table: a cell whose row has a parent code or children, a table
with a total or subtotal row, an amount that a printed rate of its row compares, a rate with
its two amount columns.  In the narrative each printed number of a fact is judged on its own
(a fact's span holds its amount, change, growth rate, 为预算的 x% and share): the amount when
the fact is in a relation, printed twice, or stated with a rate the checker can test; the
change and the growth rate when both are stated (or the prior-year bases of a whole and its
parts can be added up); 为预算的 x% only when the budget figure is known (in the ledger, a
ratio relation, or the bases of a whole and its parts); a share only when its whole is known.
Numbers no relation constrains cannot be caught; the benchmark reports both rates.

Constrained numbers are split by how: *eq* when an equality the checker tests ties the number
(a sum known to be whole, a stated change with its rate, a ratio or share of a known figure, a
stated difference, a balance, a figure printed twice, a headroom), the rest only *bounded* (a
其中 list not known to be complete, 本级 ≤ 全域, a balance or new bonds within a limit), which a
typo breaks only when it is large.  For an eq trial that is missed, the benchmark reruns the
check with every printed figure read as exact (no rounding interval): when that sees the
change, the change stayed within the rounding of every relation (column ``round``, a lower
bound: some checks only run once their figures agree within rounding), and the last rate is
the eq trials caught among the others.

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
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mutation_tables import table_constrained_levels  # noqa: E402

from yusuan.check import check  # noqa: E402
from yusuan.check.engine import Context  # noqa: E402
from yusuan.check.rules.crossdoc import carry_pairs  # noqa: E402
from yusuan.check.rules.debt import _groups as _debt_groups  # noqa: E402
from yusuan.check.rules.narrative import (  # noqa: E402
    _some_parts,
    conjuncts,
    own_and_whole,
    repeated_mentions,
)
from yusuan.extract import extract  # noqa: E402
from yusuan.model import ColumnKind, Extraction, Finding, Interval, RelationKind  # noqa: E402
from yusuan.read import read_bytes  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
NARRATIVE_NUMBER = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)(?=\s*(?:亿元|万元|元|%))")


@dataclass(frozen=True)
class Target:
    start: int  # span of the printed number
    end: int
    kind: str  # "table" | "narrative"
    level: int  # EQ, BOUND or 0 (see constrained_spans)

    @property
    def constrained(self) -> bool:
        return self.level > 0


def run(name: str, text: str) -> tuple[Extraction, tuple[Finding, ...]]:
    doc, _ = read_bytes(text.encode("utf-8"), name)
    assert doc is not None
    ex = extract(doc)
    return ex, check([ex]).findings


EQ, BOUND = 2, 1  # how a number is constrained: tied by an equality, or only bounded


def constrained_spans(ex: Extraction) -> dict[tuple[int, int], int]:
    """The numbers some relation constrains in the unchanged extraction: span -> EQ when an
    equality the checker tests ties the number to other printed numbers (a sum known to be
    whole, a stated change and rate, a ratio to a known budget, a share of a known whole, a
    stated difference, a balance, a figure printed twice), BOUND when only an inequality
    does (a 其中 list not known to be complete, 本级 ≤ 全域, the prior-year bases of a whole
    and its parts when one part states no rate)."""
    level: dict[tuple[int, int], int] = {}

    def mark(span: tuple[int, int], lv: int) -> None:
        if lv:
            level[span] = max(level.get(span, 0), lv)

    facts = {f.id: f for f in ex.facts}
    for r in ex.relations:
        ids = [r.total, *(p.lstrip("-") for p in r.parts)]
        known = [facts[i] for i in ids if i in facts]
        if r.kind in (RelationKind.GROWTH, RelationKind.RATIO) and len(known) < 2:
            continue  # checked through the fact's own fields below
        if len(known) >= 2:
            for f in known:
                if f.table is not None:
                    mark((f.source.start, f.source.end), EQ)
    by_key = defaultdict(list)
    for f in ex.facts:
        by_key[(f.indicator, str(f.scope), f.period.year)].append(f)
    # Which numbers of a narrative fact are constrained: its amount, its change, its rate,
    # its 为预算的 x% and its share are separate printed numbers of the fact's span, each
    # constrained by its own relations (a 为预算的 x% whose budget no figure gives is not).
    in_rel: dict[str, int] = defaultdict(int)  # fact id -> level of its amount
    # rates and 为预算的 x% only bounded: YS210 own and whole, YS208 on 其中 lists
    pair_rate: set[str] = set()
    pair_budget: set[str] = set()
    sum_members: dict[str, list[list[str]]] = defaultdict(list)
    rate_ok: set[str] = set()
    ratio_ok: set[str] = set()
    share_ok: set[str] = set()
    diff_ok: set[str] = set()
    for r in ex.relations:
        ids = [r.total, *(p.lstrip("-") for p in r.parts)]
        known = [i for i in ids if i in facts]
        if len(known) < 2:
            continue
        whole_sum = r.kind != RelationKind.SUM or r.exhaustive or (
            r.total in facts and conjuncts(facts[r.total], [facts[i] for i in ids[1:] if i in facts]))
        for i in known:
            in_rel[i] = max(in_rel[i], EQ if whole_sum else BOUND)
        if r.kind == RelationKind.GROWTH:
            rate_ok.add(r.total)
        elif r.kind == RelationKind.RATIO:
            ratio_ok.update(known)
        elif r.kind == RelationKind.SHARE:
            share_ok.update(known)
        elif r.kind == RelationKind.DIFFERENCE and r.stated is not None:
            diff_ok.add(r.total)  # YS204: the stated 增加/减少 x of the later figure
        if r.kind == RelationKind.SUM and whole_sum and len(known) == len(ids):
            for i in ids:
                sum_members[i].append(ids)
        elif r.kind == RelationKind.SUM and r.total in facts:  # YS208 on a 其中 list: bounds
            whole = facts[r.total]
            listed = _some_parts(whole, [facts[i] for i in ids[1:] if i in facts], ex)
            for attr, into in (("yoy", pair_rate), ("pct_of_budget", pair_budget)):
                def states(g, attr=attr) -> bool:
                    if attr == "yoy":
                        return g.yoy_pct is not None or g.yoy_abs is not None
                    return g.pct_of_budget is not None
                if listed and states(whole):
                    into.update(g.id for g in (whole, *listed) if states(g))
    for own, whole in own_and_whole(ex):  # YS210
        for f in (own, whole):
            in_rel[f.id] = max(in_rel[f.id], BOUND)
        if all(f.yoy_pct is not None or f.yoy_abs is not None for f in (own, whole)):
            pair_rate.update((own.id, whole.id))
        if own.pct_of_budget is not None and whole.pct_of_budget is not None and (
                own.pct_base == whole.pct_base):
            pair_budget.update((own.id, whole.id))
    # YS502: an opening balance and the year before's closing balance
    ctx = Context.build([ex])
    for opening, closings in carry_pairs(ctx):
        for f in (opening, *closings):
            if f.table is not None:
                mark((f.source.start, f.source.end), EQ)
            else:
                in_rel[f.id] = EQ
    # YS409: headroom = limit − balance (equality); YS401 and YS410: a balance and new bonds
    # within their limits (bounds)
    for g in _debt_groups(ctx).values():
        for kind in ("general", "special", "total"):
            lims, bals = g.get(("limit", kind), []), g.get(("balance", kind), [])
            for room in g.get(("headroom", kind), []):
                if len(lims) == 1 and len(bals) == 1:
                    for f in (room, lims[0], bals[0]):
                        in_rel[f.id] = EQ
            for a, b in (("balance", "limit"), ("new_issue", "new_limit")):
                if g.get((a, kind)) and g.get((b, kind)):
                    for f in g[(a, kind)] + g[(b, kind)]:
                        if f.table is None:
                            in_rel[f.id] = max(in_rel[f.id], BOUND)
    by_name = defaultdict(list)
    for f in ex.facts:
        by_name[(f.indicator, str(f.scope), f.stage, str(f.period))].append(f)
    # YS207: a figure mentioned twice; its amount, and each rate both mentions state
    repeated: dict[str, set[str]] = defaultdict(set)
    for group in repeated_mentions(ex):
        for f in group:
            in_rel[f.id] = EQ
        for attr in ("yoy_pct", "pct_of_budget", "share_pct", "yoy_abs"):
            stating = [f for f in group if getattr(f, attr) is not None]
            if len(stating) > 1:
                for f in stating:
                    repeated[f.id].add(attr)

    def bases(f, attr: str) -> int:
        """YS208: a whole and its parts all state the rate (EQ); one part does not (BOUND)."""
        def stated(g) -> bool:
            if attr == "pct_of_budget":
                return g.pct_of_budget is not None
            return g.yoy_pct is not None or g.yoy_abs is not None

        best = 0
        for ids in sum_members.get(f.id, []):
            if not stated(f):
                continue
            missing = sum(1 for i in ids[1:] if not stated(facts[i]))
            if stated(facts[ids[0]]) and missing <= 1 and len(ids) - 1 - missing >= 1:
                best = max(best, EQ if missing == 0 else BOUND)
        return best

    text = ex.document.text
    for f in ex.facts:
        if f.table is not None:
            continue
        budget = 0
        if f.pct_of_budget is not None:
            budget = EQ if (f.id in ratio_ok or "pct_of_budget" in repeated[f.id] or any(
                o.stage.value in ("budget", "adjusted", "plan")
                for o in by_key[(f.indicator, str(f.scope), f.period.year)])) else max(bases(
                f, "pct_of_budget"), BOUND if f.id in pair_budget else 0)
        change = EQ if f.yoy_abs is not None and f.yoy_pct is not None else 0
        rate = change or (EQ if f.id in rate_ok or "yoy_pct" in repeated[f.id] else 0) or max(
            bases(f, "yoy_pct") if f.yoy_pct is not None else 0,
            BOUND if f.id in pair_rate else 0)
        share = EQ if f.share_pct is not None and (
            f.id in share_ok or "share_pct" in repeated[f.id] or bool(
                by_name.get((f.share_of, str(f.scope), f.stage, str(f.period))))) else 0
        amount = max(in_rel.get(f.id, 0), change, budget, share, rate)
        stated_change = change or (EQ if f.id in diff_ok or "yoy_abs" in repeated[f.id] else 0) or (
            bases(f, "yoy_abs") if f.yoy_abs is not None else 0)
        for role, a, b in _numbers(text, f.source.start, f.source.end):
            mark((a, b), {"amount": amount, "change": stated_change, "rate": rate,
                          "budget": budget, "share": share}[role])
    for span, lv in table_constrained_levels(ex).items():
        mark(span, lv)
    return level


_ROLE_BEFORE = (
    ("share", re.compile(r"占[^，。；%]*$")),
    ("budget", re.compile(r"(预算数?的|预算|进度(?:达到|为|达)?|完成)\s*$")),
    ("rate", re.compile(r"(增长|下降|增幅|降幅|减少|增加|上升)\s*$")),
)


def _numbers(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The printed numbers of a narrative fact's span with their role: the amount (the first
    money figure), the change (a later money figure), a growth rate, a 为预算的 x% or a share."""
    out: list[tuple[str, int, int]] = []
    seen_amount = False
    for m in NARRATIVE_NUMBER.finditer(text, start, end):
        a, b = m.start(1), m.end(1)
        pct = text[b:b + 3].lstrip().startswith("%")
        before = re.split(r"[，,；;。（(]", text[max(start, a - 30):a])[-1]
        if not pct:
            out.append(("change" if seen_amount else "amount", a, b))
            seen_amount = True
            continue
        role = next((r for r, rx in _ROLE_BEFORE if rx.search(before)), "rate")
        out.append((role, a, b))
    return out


def targets(ex: Extraction) -> list[Target]:
    text = ex.document.text
    cons = constrained_spans(ex)

    def is_constrained(a: int, b: int) -> int:
        return max((lv for (s, e), lv in cons.items() if s <= a and b <= e), default=0)

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


KINDS = ("digit", "swap", "drop", "add")


def mutate(text: str, t: Target, rng: random.Random) -> tuple[str, int, int, str]:
    """A reviewer's typo in the number at ``t``: a changed digit, two adjacent digits
    transposed, a digit dropped or a digit added (each equally likely; a kind that cannot
    apply to this number, would give a leading zero, a change smaller than one unit of the
    printed last place (157.00 -> 157.008) or a value the typo itself rounds to (287.89 ->
    287.9), falls back to a changed digit).  So no trial is a change within the printed
    rounding.  Returns the changed text, the position of the
    change in it, the change in length and the kind."""
    digits = [i for i in range(t.start, t.end) if text[i].isdigit()]
    kind = rng.choice(KINDS)
    num = text[t.start:t.end]

    def value(x: str) -> Decimal:
        return Decimal(x.replace(",", ""))

    half = Decimal(1).scaleb(value(num).as_tuple().exponent) / 2  # rounding of the printed

    def rejected(new: str) -> bool:
        core = new.replace(",", "")
        new_half = Decimal(1).scaleb(value(core).as_tuple().exponent) / 2
        return (len(core) > 1 and core[0] == "0" and core[1].isdigit()) or (
            abs(value(core) - value(num)) < 2 * half  # less than one unit of its last place
            or abs(value(core) - value(num)) <= new_half)  # or the new one rounds the old

    def regroup(new: str, delta: int) -> str:
        """A digit added to or dropped from 21,073 is printed 210,733 or 2,173, not 21,0733."""
        if "," not in num:
            return new
        core = new[t.start:t.end + delta].replace(",", "")
        head, dot, tail = core.partition(".")
        grouped = f"{int(head):,}" + dot + tail
        return new[:t.start] + grouped + new[t.end + delta:]

    if kind == "swap":
        pairs = [i for i in digits if i + 1 in digits and text[i] != text[i + 1]]
        if pairs:
            i = rng.choice(pairs)
            new = text[:i] + text[i + 1] + text[i] + text[i + 2:]
            if not rejected(new[t.start:t.end]):
                return new, i, 0, kind
    elif kind == "drop" and len(digits) > 1:
        i = rng.choice(digits)
        new = text[:i] + text[i + 1:]
        rest = new[t.start:t.end - 1]
        if "," in num and rest[:1].isdigit() and rest[-1:].isdigit():
            new = regroup(new, -1)
            d = len(new) - len(text)
            return (new, min(i, t.end + d - 1), d, kind) if not rejected(
                new[t.start:t.end + d]) else _digit(text, t, rng)
        same = "." in num and i == digits[-1] and text[i] == "0"  # 100.00 -> 100.0
        if not (rejected(rest) or same) and rest[:1].isdigit() and rest[-1:].isdigit():
            return new, min(i, t.end - 2), -1, kind
    elif kind == "add":
        i = rng.choice([*digits, digits[-1] + 1])
        d = rng.choice("0123456789")
        new = text[:i] + d + text[i:]
        same = "." in num and i == digits[-1] + 1 and d == "0"  # 131.5 -> 131.50
        if "," in num and not same:
            new = regroup(new, 1)
            n = len(new) - len(text)
            return (new, min(i, t.end + n - 1), n, kind) if not rejected(
                new[t.start:t.end + n]) else _digit(text, t, rng)
        if not rejected(new[t.start:t.end + 1]) and not same:
            return new, i, 1, kind
    return _digit(text, t, rng)


def _digit(text: str, t: Target, rng: random.Random) -> tuple[str, int, int, str]:
    """One digit of the number changed (not to a leading zero)."""
    digits = [i for i in range(t.start, t.end) if text[i].isdigit()]
    pos = rng.choice(digits)
    old = text[pos]
    choices = [
        d
        for d in "0123456789"
        if d != old and not (pos == digits[0] and d == "0" and len(digits) > 1)
    ]
    return text[:pos] + rng.choice(choices) + text[pos + 1 :], pos, 0, "digit"


def within_rounding(name: str, text: str, changed: str, pos: int, delta: int) -> bool:
    """Does the checker see the change once every printed figure is read as exact (no
    rounding interval)?  Then the change was missed only because it stays within the rounding
    of the relations that tie the number: a diagnostic, run with ``Interval.around`` patched
    to a radius of 0 on the unchanged and the changed text."""
    original = Interval.around
    Interval.around = classmethod(lambda cls, value, radius: cls(value, value))  # type: ignore
    try:
        _, before = run(name, text)
        _, after = run(name, changed)
    finally:
        Interval.around = original  # type: ignore[method-assign]
    keys = {_key(f) for f in before}
    return any(_key(f, pos, delta) not in keys and any(s.start <= pos < s.end for s in f.sources)
               for f in after)


def _key(f: Finding, pos: int = 0, delta: int = 0) -> tuple[object, ...]:
    """A finding's identity; offsets at or after a change of length ``delta`` at ``pos`` are
    mapped back to the unchanged text."""

    def back(x: int) -> int:
        return x - delta if x > pos else x

    spans = tuple((back(s.start), back(s.end)) for s in f.sources)
    return (f.code, spans, f.printed, f.expected)


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
    print("(constr: numbers some relation constrains; of them eq: tied by an equality, the rest"
          " only bounded;\n round: eq trials missed whose change stays within the rounding of"
          " every relation (caught once figures are read as exact); rate: eq caught of the rest)")
    print(
        f"{'doc':<5} {'part':<10} {'trials':>6} {'caught':>6} {'rate':>7} "
        f"{'constr':>6} {'caught':>6} {'rate':>7} {'eq':>6} {'caught':>6} {'rate':>7} "
        f"{'round':>6} {'rate':>7}"
    )
    for prefix in args.docs.split(","):
        path = next(SEEDS.glob(f"{prefix}_*.txt"))
        text = path.read_text(encoding="utf-8")
        ex, base = run(path.name, text)
        base_keys = {_key(f) for f in base}
        pool = targets(ex)
        stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0])
        for _ in range(args.trials):
            if not pool:
                break
            t = rng.choice(pool)
            changed, pos, delta, _kind = mutate(text, t, rng)
            _, found = run(path.name, changed)
            caught = any(
                _key(f, pos, delta) not in base_keys
                and any(s.start <= pos < s.end for s in f.sources)
                for f in found
            )
            rounding = t.level == EQ and not caught and within_rounding(
                path.name, text, changed, pos, delta)
            if args.show_missed and t.constrained and not caught:
                line = ex.document.lines[ex.document.line_at(pos) - 1]
                why = " (bounded)" if t.level != EQ else " (within rounding)" if rounding else ""
                print(
                    f"      missed {t.kind}{why} line "
                    f"{line.number}: {text[t.start : t.end]!r} -> "
                    f"{changed[t.start : t.end + delta]!r} ({_kind}) | {line.text[:90]!r}"
                )
            for part in (t.kind, "all"):
                s = stats[part]
                s[0] += 1
                s[1] += caught
                s[2] += t.constrained
                s[3] += caught and t.constrained
                s[4] += t.level == EQ
                s[5] += caught and t.level == EQ
                s[6] += rounding
        for part in ("table", "narrative", "all"):
            if part not in stats:
                continue
            n, c, k, kc, e, ec, r = stats[part]
            print(
                f"{prefix:<5} {part:<10} {n:>6} {c:>6} {c / n:>7.1%} {k:>6} {kc:>6} "
                f"{(kc / k if k else 0):>7.1%} {e:>6} {ec:>6} {(ec / e if e else 0):>7.1%} "
                f"{r:>6} {(ec / (e - r) if e - r else 0):>7.1%}"
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
