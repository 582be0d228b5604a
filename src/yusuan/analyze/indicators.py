"""Indicators as data: named, versioned formulas over ledger items.

The definitions live in ``data/indicators.json`` (see its ``about``).  Each
formula is a small arithmetic expression (``+ - * /``, parentheses,
numbers) over *terms*; it is parsed once into closures and evaluated per
context with ``Decimal`` arithmetic.  A result carries every fact it was
computed from, so a reader can trace it to the quoted sentences, and names
every input that was missing.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from yusuan.analyze.ledger import FLOW_STAGES, Context, Ledger, gov_of
from yusuan.model import Book, Fact, Period, Stage

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)

# --------------------------------------------------------------------------
# Definitions


@dataclass(frozen=True, slots=True)
class Term:
    """A ledger item by name(s) or code(s), optionally restricted to a book."""

    key: str
    names: tuple[str, ...]
    book: Book | None = None


@dataclass(frozen=True, slots=True)
class Rating:
    label: str
    level: str  # green | amber | red
    label_en: str = ""
    below: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None

    def matches(self, value: Decimal) -> bool:
        if self.below is not None and not value < self.below:
            return False
        if self.min is not None and value < self.min:
            return False
        return not (self.max is not None and value > self.max)

    def describe(self) -> str:
        if self.below is not None:
            return f"< {self.below}"
        if self.min is not None and self.max is not None:
            return f"{self.min} – {self.max}"
        if self.max is not None:
            return f"≤ {self.max}"
        return "其他 (otherwise)"


@dataclass(frozen=True, slots=True)
class Definition:
    id: str
    name: str
    name_en: str
    version: int
    unit: str
    description: str
    source: str
    formulas: tuple[str, ...] = ()
    kind: str = "formula"  # formula | composition_variance
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    ratings: tuple[Rating, ...] = ()
    bases: tuple[Stage, ...] = FLOW_STAGES
    whole_year: bool = False
    stock: bool = False
    rate_on: str = "value"

    def rate(self, value: Decimal) -> Rating | None:
        for rating in self.ratings:
            if rating.matches(value):
                return rating
        return None


@dataclass(frozen=True, slots=True)
class Library:
    """Every indicator definition with the terms they use, as loaded."""

    version: str
    about: str
    terms: dict[str, Term] = field(hash=False, compare=False)
    definitions: tuple[Definition, ...]

    def get(self, key: str) -> Definition:
        for d in self.definitions:
            if key in (d.id, d.name):
                return d
        raise KeyError(key)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def parse_library(data: dict[str, Any]) -> Library:
    terms = {}
    for key, spec in data["terms"].items():
        names = tuple(spec.get("names", [])) + tuple(spec.get("codes", []))
        terms[key] = Term(key, names, Book(spec["book"]) if spec.get("book") else None)
    defs = []
    for item in data["indicators"]:
        ratings = tuple(
            Rating(
                label=r["label"],
                level=r["level"],
                label_en=r.get("label_en", ""),
                below=_dec(r.get("below")),
                min=_dec(r.get("min")),
                max=_dec(r.get("max")),
            )
            for r in item.get("ratings", [])
        )
        defs.append(
            Definition(
                id=item["id"],
                name=item["name"],
                name_en=item.get("name_en", ""),
                version=int(item["version"]),
                unit=item["unit"],
                description=item.get("description", ""),
                source=item.get("source", ""),
                formulas=tuple(item.get("formula", [])),
                kind=item.get("kind", "formula"),
                params=dict(item.get("params", {})),
                ratings=ratings,
                bases=tuple(Stage(s) for s in item["bases"]) if "bases" in item else FLOW_STAGES,
                whole_year=bool(item.get("whole_year", False)),
                stock=bool(item.get("stock", False)),
                rate_on=item.get("rate_on", "value"),
            )
        )
    ids = [d.id for d in defs]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate indicator id")
    lib = Library(data.get("version", ""), data.get("about", ""), terms, tuple(defs))
    for d in lib.definitions:  # fail at load time on a bad formula
        for f in (*d.formulas, d.rate_on):
            _compile(f, lib)
    return lib


@cache
def library() -> Library:
    """The indicator library shipped with yusuan."""
    text = resources.files("yusuan.analyze").joinpath("data/indicators.json").read_text("utf-8")
    return parse_library(json.loads(text))


# --------------------------------------------------------------------------
# Formulas


_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([-+*/()])|([^\s\-+*/()]+))")
_MODES = {"budget", "adjusted", "final", "reference", "limit", "balance"}
_FIELDS = {"pct_of_budget", "share_pct"}


@dataclass(frozen=True, slots=True)
class TermRef:
    label: str  # as written in the formula
    term: Term
    mode: str | None  # stage modifier
    field: str | None  # pct_of_budget | share_pct
    optional: bool


class _Eval:
    """Collects inputs and missing names while a formula is evaluated."""

    __slots__ = ("assumed_zero", "inputs", "ledger", "lookups", "missing", "results", "value")

    def __init__(self, ledger: Ledger, results: dict[str, IndicatorResult],
                 lookups: dict[int, tuple[Fact | None, Decimal | None]]) -> None:
        self.ledger = ledger
        self.lookups = lookups
        self.inputs: list[tuple[str, Fact]] = []
        self.missing: list[str] = []
        self.assumed_zero: list[str] = []
        self.results = results
        self.value: Decimal | None = None  # the indicator's value, for ``rate_on``


Node = Callable[[Context, _Eval], Decimal | None]


def _elapsed(ctx: Context) -> Decimal:
    if ctx.stage is Stage.FINAL or ctx.period.whole_year:
        return _HUNDRED
    return ctx.period.elapsed_share * _HUNDRED


def _lookup(ref: TermRef, ctx: Context, ledger: Ledger) -> Fact | None:
    names, book, gov, scope = ref.term.names, ref.term.book, ctx.government, ctx.scope
    mode = ref.mode
    if mode is None:
        return ledger.find(gov, scope, names, ctx.stage, ctx.period, book=book)
    year = ctx.period.year
    if mode == "reference":
        return ledger.find(gov, scope, names, Stage.ADJUSTED, year=year, book=book) or ledger.find(
            gov, scope, names, Stage.BUDGET, year=year, book=book
        )
    if mode == "balance":
        return ledger.find(gov, scope, names, Stage.BALANCE, at_or_before=ctx.period, book=book)
    return ledger.find(gov, scope, names, Stage(mode), year=year, book=book)


def _term_node(ref: TermRef) -> Node:
    # one cache slot per (term, modifier): every formula naming it shares the look-up
    ref_id = _SLOTS.setdefault((ref.term.key, ref.term.names, ref.mode), len(_SLOTS))

    def node(ctx: Context, ev: _Eval) -> Decimal | None:
        try:
            fact, yuan = ev.lookups[ref_id]
        except KeyError:
            fact = _lookup(ref, ctx, ev.ledger)
            yuan = fact.amount.yuan if fact is not None else None
            ev.lookups[ref_id] = (fact, yuan)
        if fact is None:
            if ref.optional:
                ev.assumed_zero.append(ref.label)
                return _ZERO
            ev.missing.append(ref.label)
            return None
        if ref.field is not None:
            value = getattr(fact, ref.field)
            if value is None:
                ev.missing.append(ref.label)
                return None
            ev.inputs.append((ref.label, fact))
            return value
        ev.inputs.append((ref.label, fact))
        return yuan

    return node


def _indicator_node(key: str, lib: Library) -> Node:
    def node(ctx: Context, ev: _Eval) -> Decimal | None:
        result = _compute_one(lib.get(key), ctx, ev.ledger, lib, ev.results, ev.lookups)
        ev.inputs.extend((f"${key}:{label}", f) for label, f in result.inputs)
        ev.assumed_zero.extend(result.assumed_zero)
        if result.value is None:
            ev.missing.extend(result.missing or (f"${key}",))
        return result.value

    return node


def _parse_name(word: str, lib: Library) -> Node:
    if word == "序时进度":
        return lambda ctx, ev: _elapsed(ctx)
    if word == "value":
        return lambda ctx, ev: ev.value
    if word.startswith("$"):
        lib.get(word[1:])
        return _indicator_node(word[1:], lib)
    optional = word.endswith("?")
    body = word.rstrip("?")
    fld = None
    if "#" in body:
        body, fld = body.split("#", 1)
        if fld not in _FIELDS:
            raise ValueError(f"unknown field {fld!r} in {word!r}")
    mode = None
    if "@" in body:
        body, mode = body.split("@", 1)
        if mode not in _MODES:
            raise ValueError(f"unknown stage modifier {mode!r} in {word!r}")
    if body not in lib.terms:
        raise ValueError(f"unknown term {body!r}")
    return _term_node(TermRef(word, lib.terms[body], mode, fld, optional))


def _binary(op: str, a: Node, b: Node) -> Node:
    def node(ctx: Context, ev: _Eval) -> Decimal | None:
        x, y = a(ctx, ev), b(ctx, ev)  # evaluate both: collect every missing input
        if x is None or y is None:
            return None
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if y == 0:
            ev.missing.append("÷0")
            return None
        return x / y

    return node


_COMPILED: dict[tuple[str, int], Node] = {}
_SLOTS: dict[tuple[object, ...], int] = {}


def _compile(text: str, lib: Library) -> Node:
    key = (text, id(lib))
    node = _COMPILED.get(key)
    if node is not None:
        return node
    tokens: list[tuple[str, str]] = []
    pos = 0
    text_s = text.strip()
    while pos < len(text_s):
        m = _TOKEN.match(text_s, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot parse formula {text!r} at {pos}")
        pos = m.end()
        if m.group(1):
            tokens.append(("num", m.group(1)))
        elif m.group(2):
            tokens.append(("op", m.group(2)))
        elif m.group(3):
            tokens.append(("name", m.group(3)))
    at = 0

    def peek() -> tuple[str, str] | None:
        return tokens[at] if at < len(tokens) else None

    def expr() -> Node:
        nonlocal at
        left = term()
        while (t := peek()) and t[0] == "op" and t[1] in "+-":
            at += 1
            left = _binary(t[1], left, term())
        return left

    def term() -> Node:
        nonlocal at
        left = atom()
        while (t := peek()) and t[0] == "op" and t[1] in "*/":
            at += 1
            left = _binary(t[1], left, atom())
        return left

    def atom() -> Node:
        nonlocal at
        t = peek()
        if t is None:
            raise ValueError(f"formula ends early: {text!r}")
        at += 1
        if t[0] == "num":
            value = Decimal(t[1])
            return lambda ctx, ev: value
        if t == ("op", "("):
            inner = expr()
            if peek() != ("op", ")"):
                raise ValueError(f"missing ')' in {text!r}")
            at += 1
            return inner
        if t == ("op", "-"):
            inner = atom()
            return _binary("-", lambda ctx, ev: _ZERO, inner)
        if t[0] == "name":
            return _parse_name(t[1], lib)
        raise ValueError(f"unexpected {t[1]!r} in {text!r}")

    node = expr()
    if at != len(tokens):
        raise ValueError(f"trailing tokens in formula {text!r}")
    _COMPILED[key] = node
    return node


_READABLE = (
    ("#pct_of_budget", "（文件所列完成预算%）"),
    ("#share_pct", "（文件所列占比%）"),
    ("@reference", "（调整预算，无则年初预算）"),
    ("@budget", "（年初预算）"),
    ("@adjusted", "（调整预算）"),
    ("@final", "（决算）"),
    ("@balance", "（余额）"),
    ("@limit", "（限额）"),
    ("?", ""),
    ("$", ""),
    (" * ", " × "),
    (" / ", " ÷ "),
)

STAGE_CN = {
    Stage.BUDGET: "年初预算", Stage.ADJUSTED: "调整预算", Stage.EXECUTION: "执行",
    Stage.FINAL: "决算", Stage.LIMIT: "限额", Stage.BALANCE: "余额", Stage.PLAN: "计划",
    Stage.OTHER: "其他",
}


def readable_formula(text: str) -> str:
    """A formula as a reader sees it: ``100 × 税收收入 ÷ 一般公共预算收入``."""
    for a, b in _READABLE:
        text = text.replace(a, b)
    return text


def context_cn(ctx: Context) -> str:
    """``执行 2024年1-6月`` for a context."""
    p = ctx.period
    if p.day is not None:
        when = p.day.isoformat()
    elif p.whole_year:
        when = f"{p.year}年"
    else:
        when = f"{p.year}年{p.start_month}-{p.end_month}月"
    return f"{STAGE_CN.get(ctx.stage, ctx.stage.value)} {when}"


# --------------------------------------------------------------------------
# Results


class IndicatorResult(NamedTuple):
    """One indicator in one context (an immutable tuple: cheap to make by the million)."""

    indicator: str  # definition id
    name: str
    version: int
    context: Context
    value: Decimal | None
    unit: str
    rating: Rating | None
    inputs: tuple[tuple[str, Fact], ...]  # (term as written, fact)
    missing: tuple[str, ...]
    assumed_zero: tuple[str, ...] = ()
    formula: str = ""
    rated_on: Decimal | None = None  # the value the rating was applied to
    elapsed: Decimal | None = None  # 序时进度 for progress indicators
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def fact_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.id for _, f in self.inputs))

    @property
    def quotes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.source.quote for _, f in self.inputs))


def _rate(defn: Definition, lib: Library, ctx: Context, value: Decimal, ev0: _Eval,
          ) -> tuple[Rating | None, Decimal]:
    if defn.rate_on == "value":
        return defn.rate(value), value
    ev = _Eval(ev0.ledger, ev0.results, ev0.lookups)
    ev.value = value
    on = _compile(defn.rate_on, lib)(ctx, ev)
    if on is None:
        return None, value
    return defn.rate(on), on


def _composition_variance(defn: Definition, ctx: Context, ledger: Ledger) -> IndicatorResult:
    p = defn.params
    prefix, length = str(p.get("code_prefix", "2")), int(p.get("code_length", 3))
    exclude = set(p.get("exclude", []))
    book = Book(p["book"]) if p.get("book") else None

    def items(stage: Stage, period: Period) -> dict[str, Fact]:
        out: dict[str, Fact] = {}
        for f in ledger.coded(ctx.government, ctx.scope, stage, period):
            code = f.code or ""
            if len(code) != length or not code.startswith(prefix) or code in exclude:
                continue
            if book is not None and f.book is not None and f.book != book:
                continue
            out.setdefault(code, f)
        return out

    outturn = items(ctx.stage, ctx.period)
    budget = items(Stage.BUDGET, Period(ctx.period.year))
    missing: list[str] = []
    if len(outturn) < 2:
        missing.append(f"{ctx.stage.value} {prefix}xx 类级科目")
    if len(budget) < 2:
        missing.append(f"budget {prefix}xx 类级科目")
    inputs = tuple((f"{code}@budget", f) for code, f in sorted(budget.items())) + tuple(
        (code, f) for code, f in sorted(outturn.items())
    )
    total_b = sum((f.yuan for f in budget.values()), _ZERO)
    total_o = sum((f.yuan for f in outturn.values()), _ZERO)
    if missing or total_b == 0:
        return IndicatorResult(defn.id, defn.name, defn.version, ctx, None, defn.unit, None,
                               inputs, tuple(missing) or ("÷0",))
    k = total_o / total_b
    deviation = _ZERO
    for code in set(budget) | set(outturn):
        b = budget[code].yuan if code in budget else _ZERO
        o = outturn[code].yuan if code in outturn else _ZERO
        deviation += abs(o - b * k)
    value = deviation * _HUNDRED / (total_b * k)
    only = sorted(set(budget) ^ set(outturn))
    note = f"仅一侧有数据的科目按 0 计：{', '.join(only)}" if only else ""
    return IndicatorResult(defn.id, defn.name, defn.version, ctx, value, defn.unit, defn.rate(value),
                           inputs, (), (), "Σ|决算ᵢ − 预算ᵢ×(决算总额/预算总额)| / 决算总额",
                           value, None, note)


def _compute_one(defn: Definition, ctx: Context, ledger: Ledger, lib: Library,
                 results: dict[str, IndicatorResult],
                 lookups: dict[int, tuple[Fact | None, Decimal | None]]) -> IndicatorResult:
    """One indicator in one context; ``results`` and ``lookups`` are that context's caches."""
    key = defn.id
    done = results.get(key)
    if done is not None:
        return done
    if defn.kind == "composition_variance":
        result = _composition_variance(defn, ctx, ledger)
    else:
        first: _Eval | None = None
        result = None
        for text in defn.formulas:
            ev = _Eval(ledger, results, lookups)
            value = _compile(text, lib)(ctx, ev)
            if first is None:
                first = ev
            if value is not None:
                rating, on = _rate(defn, lib, ctx, value, ev)
                result = IndicatorResult(
                    defn.id, defn.name, defn.version, ctx, value, defn.unit, rating,
                    tuple(ev.inputs), (), tuple(ev.assumed_zero), text, on,
                    _elapsed(ctx) if "序时进度" in defn.rate_on else None,
                )
                break
        if result is None:
            assert first is not None
            result = IndicatorResult(
                defn.id, defn.name, defn.version, ctx, None, defn.unit, None,
                tuple(first.inputs), tuple(dict.fromkeys(first.missing)),
                tuple(first.assumed_zero), defn.formulas[0],
            )
    results[key] = result
    return result


def contexts_for(defn: Definition, ledger: Ledger, flow: Sequence[Context]) -> list[Context]:
    if defn.stock:
        seen = {
            Context(gov_of(f), str(f.scope), Stage.BALANCE, Period(f.period.year))
            for f in ledger.facts
            if f.stage in (Stage.BALANCE, Stage.LIMIT)
        }
        return sorted(seen, key=lambda c: (c.government, c.scope, c.period))
    return [
        c for c in flow
        if c.stage in defn.bases and (not defn.whole_year or c.period.whole_year)
    ]


def compute(
    facts: Iterable[Fact] | Ledger,
    *,
    select: Iterable[str] | None = None,
    government: str | None = None,
    scope: str | None = None,
    year: int | None = None,
    lib: Library | None = None,
) -> list[IndicatorResult]:
    """Every selected indicator for every context the facts give.

    ``select`` takes indicator ids or names.  A result is returned for each
    context even when inputs are missing (``value`` is ``None`` and
    ``missing`` names them).
    """
    lib = lib or library()
    # A batch run allocates many small, acyclic objects: pause the cyclic
    # garbage collector (which would rescan every fact again and again).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _compute(facts, select, government, scope, year, lib)
    finally:
        if paused:
            gc.enable()


def _compute(facts: Iterable[Fact] | Ledger, select: Iterable[str] | None, government: str | None,
             scope: str | None, year: int | None, lib: Library) -> list[IndicatorResult]:
    ledger = facts if isinstance(facts, Ledger) else Ledger(facts)
    wanted = set(select) if select else None
    flow = [
        c for c in ledger.contexts()
        if (government is None or c.government == government)
        and (scope is None or c.scope == scope)
        and (year is None or c.period.year == year)
    ]
    defs = [d for d in lib.definitions
            if wanted is None or d.id in wanted or d.name in wanted]
    stock_defs = [d for d in defs if d.stock]
    by_stage: dict[tuple[Stage, bool], list[Definition]] = {}
    for stage in FLOW_STAGES:
        for whole in (False, True):
            by_stage[(stage, whole)] = [
                d for d in defs
                if not d.stock and stage in d.bases and (whole or not d.whole_year)]
    contexts: list[tuple[Context, list[Definition]]] = [
        (c, by_stage[(c.stage, c.period.whole_year)]) for c in flow]
    if stock_defs:
        stocks = {
            (gov_of(f), str(f.scope), f.period.year)
            for f in ledger.facts
            if f.stage in (Stage.BALANCE, Stage.LIMIT)
        }
        for gov, sc, y in sorted(stocks):
            if ((government is None or gov == government) and (scope is None or sc == scope)
                    and (year is None or y == year)):
                contexts.append((Context(gov, sc, Stage.BALANCE, Period(y)), stock_defs))
    out: list[IndicatorResult] = []
    # context by context: the caches stay small and are dropped after each one
    for ctx, applicable in contexts:
        results: dict[str, IndicatorResult] = {}
        lookups: dict[int, tuple[Fact | None, Decimal | None]] = {}
        for defn in applicable:
            out.append(_compute_one(defn, ctx, ledger, lib, results, lookups))
    return out
