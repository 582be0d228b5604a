"""YS6xx: printed precision: a figure printed with more (or fewer) decimals than its peers.

A document prints its figures of one kind in one format: every 亿元 amount of a report with
at most two decimals, every rate of a table column with two.  A figure that breaks its
peers' format is most often a typo (a digit added to or dropped from the decimals) or a
figure of another unit pasted in.  The rules compare one figure with its peers only; they
need no arithmetic relation, so they reach figures that no sum or rate ties to others.

Peers are, in the narrative, the figures of one document printed in one unit (亿元, 万元, 元
or %: the amounts, stated changes, rates, 为预算的 x% and shares of its narrative facts); in
a table, its cells of one class (amounts and changes; growth rates and percentages).

Two patterns are judged, each with its own statistic (the thresholds below):

- *more*: the figures printed with the most decimals are few, and every other peer prints
  fewer.  Extra decimals that are only zeros count when the peers pad theirs (``4.130``
  among ``4.10``, ``0.00``), not otherwise (``208.00`` among integers is a format slip, not
  a different figure).  A figure too small to print at the peers' precision (``0.05`` among
  one-decimal figures) is not judged.
- *fewer*: every peer prints exactly ``d`` ≥ 1 decimals, at least one of them with a
  trailing zero (so the printer pads its decimals: text taken from PDFs often drops trailing
  zeros, and then ``3.4`` may be ``3.40``), and exactly one non-zero figure prints fewer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from yusuan.check.arith import places_of
from yusuan.check.engine import Context, Hit, Rule, register
from yusuan.model import ColumnKind, Extraction, Fact, Severity, Source

PRECISION = frozenset({"precision"})

# narrative: a convention needs this many other figures of the unit …
NARRATIVE_PEERS = 10
# … and at most this many figures may break it upwards
NARRATIVE_OUTLIERS = 2
# table: a convention needs this many other cells of the class; one cell may break it
TABLE_PEERS = 5
TABLE_OUTLIERS = 1

_MONEY = (ColumnKind.AMOUNT, ColumnKind.CHANGE)
_RATE = (ColumnKind.GROWTH, ColumnKind.PERCENT)
_NUMBER = re.compile(r"(?<![\d.])\d[\d,]*(?:\.\d+)?(?![\d.])")
_UNITS = ("亿元", "万元", "元", "%")


@dataclass(frozen=True, slots=True)
class Figure:
    """One printed number: its value as printed (sign dropped), where, and what it is."""

    value: Decimal
    start: int
    end: int
    facts: tuple[str, ...] = ()

    @property
    def places(self) -> int:
        """Decimals as printed (``208.00``: 2)."""
        return places_of(self.value)

    @property
    def significant(self) -> int:
        """Decimals without trailing zeros (``208.00``: 0, ``2.50``: 1)."""
        if self.value == 0:
            return 0
        return places_of(self.value.normalize())


@dataclass(frozen=True, slots=True)
class Outlier:
    figure: Figure
    pattern: str  # "more" | "fewer"
    low: int  # fewest decimals of a peer
    high: int  # most decimals of a peer
    peers: int

    @property
    def convention(self) -> str:
        """The peers' decimals: ``[0, 2]`` (their range), or ``2`` when every peer prints two
        (the convention a figure with fewer breaks)."""
        return f"[{self.low}, {self.high}]" if self.pattern == "more" else str(self.high)


def outliers(figures: Sequence[Figure], min_peers: int, max_outliers: int) -> list[Outlier]:
    """The figures that break the precision of the others (see the module docstring)."""
    if len(figures) < min_peers + 1:
        return []
    out: list[Outlier] = []
    top = max(f.places for f in figures)
    high = [f for f in figures if f.places == top]
    rest = [f for f in figures if f.places < top]
    if len(high) <= max_outliers and len(rest) >= min_peers:
        convention = max(f.places for f in rest)
        low = min(f.places for f in rest)
        unit = Decimal(1).scaleb(-convention)
        # the peers pad their decimals with zeros (0.00, 4.10): then even a figure whose extra
        # decimals are zeros (4.130) breaks the format; without padding it is a format slip
        padded = convention > 0 and any(
            f.places == convention and _last_zero(f.value) for f in rest)
        for f in high:
            if abs(f.value) < unit:
                continue  # 0.05 among one-decimal figures cannot print at their precision
            if f.significant <= convention and not padded:
                continue  # 208.00 among integers: the same figure, another format
            out.append(Outlier(f, "more", low, convention, len(rest)))
    widths = {f.places for f in figures}
    if len(widths) == 2:
        d = max(widths)
        short = [f for f in figures if f.places < d]
        full = [f for f in figures if f.places == d]
        if (len(short) == 1 and short[0].value != 0 and len(full) >= min_peers
                and any(_last_zero(f.value) for f in full)):
            out.append(Outlier(short[0], "fewer", d, d, len(full)))
    return out


def _last_zero(value: Decimal) -> bool:
    """Is the last printed decimal a zero (``4.10``, ``0.00``)?"""
    return places_of(value) > 0 and value.as_tuple().digits[-1] == 0


def _hit(ctx: Context, ex: Extraction, o: Outlier, what: str, what_en: str, where: str,
         where_en: str) -> Hit:
    doc = ex.document
    f = o.figure
    source: Source = ctx.source_of_span(doc, f.start, f.end)
    source = Source(source.document, source.line, source.start, source.end, source.quote,
                    source.file, doc.page_at(f.start))
    if o.pattern == "more":
        rule_zh = "均为整数" if o.high == 0 else f"均不超过 {o.high} 位小数"
        rule_en = "are whole numbers" if o.high == 0 else f"print at most {o.high} decimals"
    else:
        rule_zh = f"均为 {o.high} 位小数"
        rule_en = f"all print {o.high} decimals"
    return Hit(
        params={
            "figure": doc.text[f.start:f.end],
            "places": f.places,
            "n": o.peers,
            "what": what,
            "what_en": what_en,
            "where": where,
            "where_en": where_en,
            "convention": rule_zh,
            "convention_en": rule_en,
        },
        sources=(source,),
        facts=f.facts,
        expected=o.convention,
        printed=str(f.places),
        document=doc.id,
        severity=Severity.NOTICE,
    )


# --------------------------------------------------------------------------
# Narrative


def _locate(text: str, fact: Fact) -> list[tuple[str, Decimal, int, int]]:
    """The printed numbers of a narrative fact, each with its unit and span: the amount, the
    stated change, the growth rate, 为预算的 x% and the share, found in the fact's own span
    by their printed digits (sign dropped).  A number that cannot be found is left out."""
    wanted: list[tuple[str, Decimal]] = [(fact.amount.unit.value, abs(fact.amount.value))]
    if fact.yoy_abs is not None:
        wanted.append((fact.yoy_abs.unit.value, abs(fact.yoy_abs.value)))
    for pct in (fact.yoy_pct, fact.pct_of_budget, fact.share_pct):
        if pct is not None:
            wanted.append(("%", abs(pct)))
    lo, hi = fact.source.start, fact.source.end
    tokens: list[tuple[str, str, int, int]] = []
    for m in _NUMBER.finditer(text, lo, hi):
        after = text[m.end():min(hi + 3, m.end() + 6)].lstrip()
        unit = next((u for u in _UNITS if after.startswith(u)), None)
        if unit is not None:
            tokens.append((unit, m.group().replace(",", ""), m.start(), m.end()))
    out: list[tuple[str, Decimal, int, int]] = []
    used: set[int] = set()
    for unit, value in wanted:
        for i, (u, digits, a, b) in enumerate(tokens):
            if i not in used and u == unit and digits == str(value):
                used.add(i)
                out.append((unit, value, a, b))
                break
    return out


_WHAT = {"亿元": ("亿元金额", "amounts in 亿元"), "万元": ("万元金额", "amounts in 万元"),
         "元": ("元金额", "amounts in 元"), "%": ("百分比", "percentages")}


# One message for both rules: the figure, its decimals, and its peers' convention.
MESSAGE = "{figure} 印有 {places} 位小数，而{where}其他 {n} 个{what}{convention}，可能是笔误或单位错误"
MESSAGE_EN = ("{figure} is printed with {places} decimal(s) while the other {n} {what_en} "
              "{where_en} {convention_en}: a typo or a unit slip?")

@register
class NarrativePrecision(Rule):
    """What: in the narrative of one document, a figure printed with more decimals than every
    other figure of its unit (亿元, 万元, 元 or %), when at least 10 others set the convention
    and at most 2 figures break it; or, when at least 10 figures of the unit all print exactly
    d ≥ 1 decimals (padded with zeros, as ``0.00%`` shows), the one non-zero figure that prints
    fewer.  Trailing zeros do not count as decimals of a figure that breaks the convention
    upwards, and a figure too small to print at the convention (``0.05`` among one-decimal
    figures) is not judged.  The peers are the amounts, changes, rates, 为预算的 x% and shares
    of the document's narrative facts.

    Why: a report prints its figures of one unit in one format (the seeds: every 亿元 figure
    of one report with at most two decimals, of another with at most one).  A figure outside
    the format is most often a digit added or dropped, or a figure of another unit pasted
    in; no sum or rate may tie it to others, so this may be the only check that sees it.

    Example: 全州一般公共预算收入完成131.5亿元 … 政府性基金预算收入减收2.861亿元, where the
    other 60 亿元 figures have at most two decimals: 2.861 is flagged.

    Fix: correct the figure (or its unit); if the decimals are meant, print its peers alike.
    """

    code = "YS601"
    title = "叙述中数字的小数位数与同单位其他数字不一致"
    title_en = "Narrative figure printed with a precision unlike its peers"
    severity = Severity.NOTICE
    tags = PRECISION | {"narrative"}
    message = MESSAGE
    message_en = MESSAGE_EN

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            text = ex.document.text
            groups: dict[str, dict[tuple[int, int], Figure]] = defaultdict(dict)
            for f in ex.facts:
                if f.table is not None or f.source.document != ex.document.id:
                    continue
                for unit, value, a, b in _locate(text, f):
                    old = groups[unit].get((a, b))
                    ids = (old.facts if old else ()) + (f.id,)
                    groups[unit][(a, b)] = Figure(value, a, b, ids)
            for unit, figs in groups.items():
                what, what_en = _WHAT[unit]
                for o in outliers(list(figs.values()), NARRATIVE_PEERS, NARRATIVE_OUTLIERS):
                    yield _hit(ctx, ex, o, what, what_en, "本文件叙述中", "in the narrative")


# --------------------------------------------------------------------------
# Tables


@register
class TablePrecision(Rule):
    """What: in one table, a value cell printed with more significant decimals than every
    other cell of its class (amounts and changes; growth rates and percentages), when at
    least 5 others set the convention (``345.5`` in a table of whole 万元, ``5.695`` among
    two-decimal rates); or, when at least 5 cells of the class all print exactly d ≥ 1
    decimals padded with zeros (``0.00``, ``115.00``), the one non-zero cell that prints
    fewer.  Trailing zeros do not count upwards (``208.00`` among integers is a format slip,
    not another figure), and a cell too small to print at the convention (``0.5`` among whole
    万元) is not judged.

    Why: a disclosure table is printed in one format per kind of value (the seeds: whole 万元
    amounts with rates of two decimals, or every cell with two decimals, ``0.00`` included).
    A cell outside the format is most often a digit added or dropped, or a figure of another
    unit; many cells are tied by no sum or rate, so this may be the only check that sees
    them.

    Example: a 万元 column of 3,130.00 / 1,220.00 / 2,400.54 … where one cell reads
    345.545: it is flagged.

    Fix: correct the cell (or its unit).
    """

    code = "YS602"
    title = "表格数值的小数位数与同表同类数值不一致"
    title_en = "Table cell printed with a precision unlike its peers"
    severity = Severity.NOTICE
    tags = PRECISION | {"table"}
    message = MESSAGE
    message_en = MESSAGE_EN

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in ctx.tables():
            vcols = t.value_columns
            for kinds, what, what_en in ((_MONEY, "金额", "amounts"),
                                         (_RATE, "比率", "rates")):
                cols = [j for j, c in enumerate(vcols) if c.kind in kinds]
                figs: list[Figure] = []
                for r in t.rows:
                    for j in cols:
                        if j < len(r.cells) and r.cells[j].value is not None:
                            c = r.cells[j]
                            fid = ctx.cell_fact.get((ex.document.id, c.start, c.end))
                            figs.append(Figure(abs(c.value), c.start, c.end,
                                               (fid,) if fid else ()))
                name = t.number or t.title
                for o in outliers(figs, TABLE_PEERS, TABLE_OUTLIERS):
                    yield _hit(ctx, ex, o, what, what_en, f"{name}中", f"of {name}")


