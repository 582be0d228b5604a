"""Indicators as data: named, versioned formulas over ledger items.

The definitions live in ``data/indicators.json`` (see its ``about``).  Each
formula is a small arithmetic expression (``+ - * /``, parentheses,
numbers) over *terms*; it is parsed once into one plain function of its
inputs and evaluated per context with ``Decimal`` arithmetic.  A result
carries every fact it was computed from (as ``(term, fact)`` pairs: the
quotes are read from the facts only when shown), so a reader can trace it to
the quoted sentences, and names every input that was missing.

Speed (``bench/indicators.py``): facts are indexed once by context then
name; each context resolves each term once and shares the fact among its
indicators; results are plain tuples.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, partial
from importlib import resources
from typing import Any, NamedTuple

from yusuan.analyze.ledger import FLOW_STAGES, Context, Ledger
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
    strict: bool = False  # only facts of exactly ``book`` (``None``: no book recorded)


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
        for rating in self.ratings:  # Rating.matches, inlined: called per result
            below, lo, hi = rating.below, rating.min, rating.max
            if ((below is None or value < below) and (lo is None or value >= lo)
                    and (hi is None or value <= hi)):
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
        terms[key] = Term(key, names, Book(spec["book"]) if spec.get("book") else None,
                          bool(spec.get("strict_book", False)))
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


@dataclass(frozen=True, slots=True)
class _Input:
    """One distinct name a formula reads: a ledger term or another indicator."""

    label: str  # as written
    ref: TermRef | None  # a ledger term …
    indicator: str | None  # … or ``$id`` of another indicator
    slot: int  # look-up cache slot (shared by every formula naming the same term)


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula compiled once: its inputs in order and a plain function of them.

    ``fn(value, elapsed, *inputs)`` evaluates the arithmetic with ``Decimal``
    (``value`` is the indicator's own value, for ``rate_on``; ``elapsed`` is
    序时进度).  Evaluation is a single call, no tree walk per context.
    """

    text: str
    inputs: tuple[_Input, ...]
    fn: Callable[..., Decimal]
    uses_elapsed: bool
    # the inputs as plain tuples (slot, term or None for ``$id``, label,
    # optional, field): read once per formula and context, in the hot loop
    fast: tuple[tuple[int, TermRef | None, str, bool, str | None], ...] = ()


_SLOTS: dict[tuple[object, ...], int] = {}
_COMPILED: dict[tuple[str, int], Formula] = {}


def _parse_name(word: str, lib: Library) -> _Input:
    if word.startswith("$"):
        defn = lib.get(word[1:])
        return _Input(word, None, defn.id, -1)
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
    term = lib.terms[body]
    slot = _SLOTS.setdefault((term.key, term.names, mode), len(_SLOTS))
    return _Input(word, TermRef(word, term, mode, fld, optional), None, slot)


def _compile(text: str, lib: Library) -> Formula:
    """Parse ``text`` (``+ - * /``, parentheses, numbers, names) into a :class:`Formula`.

    The grammar is checked here by a small recursive-descent parser; the
    accepted tokens are then joined into a Python expression over numbered
    variables (no name from the text reaches the expression) and compiled.
    """
    key = (text, id(lib))
    done = _COMPILED.get(key)
    if done is not None:
        return done
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
    inputs: dict[str, _Input] = {}
    var: dict[str, str] = {}
    consts: dict[str, Decimal] = {}
    uses_elapsed = False
    at = 0

    def peek() -> tuple[str, str] | None:
        return tokens[at] if at < len(tokens) else None

    def expr() -> str:
        nonlocal at
        left = term()
        while (t := peek()) and t[0] == "op" and t[1] in "+-":
            at += 1
            left = f"({left} {t[1]} {term()})"
        return left

    def term() -> str:
        nonlocal at
        left = atom()
        while (t := peek()) and t[0] == "op" and t[1] in "*/":
            at += 1
            left = f"({left} {t[1]} {atom()})"
        return left

    def atom() -> str:
        nonlocal at, uses_elapsed
        t = peek()
        if t is None:
            raise ValueError(f"formula ends early: {text!r}")
        at += 1
        if t[0] == "num":
            name = f"c{len(consts)}"
            consts[name] = Decimal(t[1])
            return name
        if t == ("op", "("):
            inner = expr()
            if peek() != ("op", ")"):
                raise ValueError(f"missing ')' in {text!r}")
            at += 1
            return inner
        if t == ("op", "-"):
            return f"(_zero - {atom()})"
        if t[0] == "name":
            word = t[1]
            if word == "序时进度":
                uses_elapsed = True
                return "_elapsed"
            if word == "value":
                return "_value"
            if word not in var:
                inputs[word] = _parse_name(word, lib)
                var[word] = f"v{len(var)}"
            return var[word]
        raise ValueError(f"unexpected {t[1]!r} in {text!r}")

    body = expr()
    if at != len(tokens):
        raise ValueError(f"trailing tokens in formula {text!r}")
    params = ", ".join(["_value", "_elapsed", *var.values()])
    namespace: dict[str, Any] = {"__builtins__": {}, "_zero": _ZERO, **consts}
    fn = eval(f"lambda {params}: {body}", namespace)  # built from checked tokens only
    fast = tuple(
        (i.slot, i.ref, i.label, bool(i.ref and i.ref.optional), i.ref.field if i.ref else None)
        for i in inputs.values()
    )
    formula = Formula(text, tuple(inputs.values()), fn, uses_elapsed, fast)
    _COMPILED[key] = formula
    return formula


def _elapsed(ctx: Context) -> Decimal:
    if ctx.stage is Stage.FINAL or ctx.period.whole_year:
        return _HUNDRED
    return ctx.period.elapsed_share * _HUNDRED


def _lookup(ref: TermRef, ctx: Context, ledger: Ledger) -> Fact | None:
    names, book, gov, scope = ref.term.names, ref.term.book, ctx.government, ctx.scope
    strict = ref.term.strict
    mode = ref.mode
    if mode is None:
        return ledger.find(gov, scope, names, ctx.stage, ctx.period, book=book, strict=strict)
    year = ctx.period.year
    if mode == "reference":
        return ledger.find(gov, scope, names, Stage.ADJUSTED, year=year, book=book,
                           strict=strict) or ledger.find(
            gov, scope, names, Stage.BUDGET, year=year, book=book, strict=strict
        )
    if mode == "balance":
        return ledger.find(gov, scope, names, Stage.BALANCE, at_or_before=ctx.period, book=book,
                           strict=strict)
    return ledger.find(gov, scope, names, Stage(mode), year=year, book=book, strict=strict)



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


# a result from its 14 fields in order, without the keyword handling of
# ``IndicatorResult.__new__`` (made by the hundred thousand in a batch)
_new_result: Callable[[tuple[Any, ...]], IndicatorResult] = partial(tuple.__new__, IndicatorResult)


class _Run:
    """The state of one :func:`compute` call: the ledger, compiled definitions
    and the per-context caches (dropped when the context changes)."""

    __slots__ = ("ctx", "elapsed", "items", "ledger", "lib", "lookups", "names", "nslots",
                 "plans", "present", "referenced", "results")

    def __init__(self, ledger: Ledger, lib: Library) -> None:
        self.ledger = ledger
        self.lib = lib
        # per definition: compiled formulas and the compiled ``rate_on``
        self.plans: dict[str, tuple[tuple[Formula, ...], Formula | None, bool]] = {}
        for d in lib.definitions:
            rate_on = None if d.rate_on == "value" else _compile(d.rate_on, lib)
            self.plans[d.id] = (
                tuple(_compile(f, lib) for f in d.formulas),
                rate_on,
                rate_on is not None and rate_on.uses_elapsed,
            )
        # (government, scope, stage, period, prefix, length, book) -> class items
        self.items: dict[tuple[object, ...], dict[str, Fact]] = {}
        self.ctx: Context | None = None
        self.elapsed: Decimal | None = None
        self.results: dict[str, IndicatorResult] = {}
        # per term, only the names some fact goes by: absent synonyms are not tried
        present = ledger.names_present
        self.present = {key: tuple(n for n in t.names if n in present)
                        for key, t in lib.terms.items()}
        self.nslots = len(_SLOTS)  # every formula of ``lib`` is compiled by now
        # ids of indicators that other formulas use (``$id``): these are memoised
        self.referenced = {
            lib.get(inp.indicator).id
            for plan in self.plans.values() for f in plan[0] for inp in f.inputs
            if inp.indicator is not None
        }
        self.lookups: list[tuple[Fact | None, Decimal | None, tuple[str, Fact] | None] | None] = []
        self.names: dict[str, list[Fact]] = {}  # the current context's facts by name

    def enter(self, ctx: Context) -> None:
        last = self.ctx
        if last is not None and (last.government, last.scope) != (ctx.government, ctx.scope):
            self.items = {}  # contexts come by government and scope: its items are done
        self.ctx = ctx
        self.elapsed = None
        self.results = {}
        self.lookups = [None] * self.nslots
        p = ctx.period
        self.names = self.ledger.names_in(ctx.government, ctx.scope, ctx.stage._value_,
                                          (p.year, p.start_month, p.end_month, p.day))

    def elapsed_pct(self, ctx: Context) -> Decimal:
        if self.elapsed is None:
            self.elapsed = _elapsed(ctx)
        return self.elapsed

    def one(self, defn: Definition, ctx: Context) -> IndicatorResult:
        """One indicator in the current context (memoised: ``$id`` references share it)."""
        key = defn.id
        done = self.results.get(key)
        if done is not None:
            return done
        if defn.kind == "composition_variance":
            result = self.composition_variance(defn, ctx)
        else:
            result = self.formula(defn, ctx)
        self.results[key] = result
        return result

    def formula(self, defn: Definition, ctx: Context) -> IndicatorResult:
        formulas, rate_on, progress = self.plans[defn.id]
        lookups = self.lookups
        first: tuple[list[tuple[str, Fact]], list[str], list[str]] | None = None
        for formula in formulas:
            inputs: list[tuple[str, Fact]] = []
            missing: list[str] | None = None
            assumed: list[str] | None = None
            values: list[Decimal] = []
            for slot, ref, label, optional, fld in formula.fast:
                if ref is None:  # another indicator
                    sub = self.one(self.lib.get(label[1:]), ctx)
                    inputs.extend((f"{label}:{lab}", f) for lab, f in sub.inputs)
                    if sub.assumed_zero:
                        assumed = [*(assumed or ()), *sub.assumed_zero]
                    if sub.value is None:
                        missing = [*(missing or ()), *(sub.missing or (label,))]
                    else:
                        values.append(sub.value)
                    continue
                hit = lookups[slot]
                if hit is None:
                    hit = lookups[slot] = self.resolve(ref, ctx)
                fact = hit[0]
                if fact is None:
                    if optional:
                        if assumed is None:
                            assumed = []
                        assumed.append(label)
                        values.append(_ZERO)
                    elif missing is None:
                        missing = [label]
                    else:
                        missing.append(label)
                    continue
                if fld is None:
                    pair = hit[2]  # (label, fact), shared by the indicators of the context
                    inputs.append(pair if pair[0] is label else (label, fact))  # type: ignore[index]
                    values.append(hit[1])  # type: ignore[arg-type]
                    continue
                number = getattr(fact, fld)
                if number is None:
                    if missing is None:
                        missing = [label]
                    else:
                        missing.append(label)
                    continue
                inputs.append((label, fact))
                values.append(number)
            value: Decimal | None = None
            if missing is None:
                try:
                    value = formula.fn(None, None, *values)
                except (ZeroDivisionError, InvalidOperation):
                    missing = ["÷0"]
            if value is None:
                if first is None:
                    first = (inputs, missing or [], assumed or [])
                continue
            on = value
            if rate_on is not None:  # e.g. 执行进度 is rated on its lead over 序时进度
                on = rate_on.fn(value, self.elapsed_pct(ctx) if rate_on.uses_elapsed else None)
            return _new_result((
                defn.id, defn.name, defn.version, ctx, value, defn.unit, defn.rate(on),
                tuple(inputs), (), tuple(assumed) if assumed else (), formula.text, on,
                self.elapsed_pct(ctx) if progress else None, "",
            ))
        assert first is not None
        inputs, missing, assumed = first
        return _new_result((
            defn.id, defn.name, defn.version, ctx, None, defn.unit, None,
            tuple(inputs), _shared(tuple(dict.fromkeys(missing))), tuple(assumed), defn.formulas[0],
            None, None, "",
        ))

    def resolve(self, ref: TermRef, ctx: Context,
                ) -> tuple[Fact | None, Decimal | None, tuple[str, Fact] | None]:
        """The fact a term names in the current context, its value in yuan and
        the ``(label, fact)`` input pair (one tuple for every result that uses it)."""
        if ref.mode is None:
            term = ref.term
            fact = Ledger.pick(self.names, self.present[term.key], term.book, term.strict)
        else:
            fact = _lookup(ref, ctx, self.ledger)
        if fact is None:
            return (None, None, None)
        return (fact, fact.amount.yuan, (ref.label, fact))

    def class_items(self, ctx: Context, stage: Stage, period: Period, prefix: str, length: int,
                    exclude: frozenset[str], book: Book | None) -> list[tuple[str, Fact, Decimal]]:
        """Class-level (类) coded facts of one government, scope, stage and period,
        as ``(code, fact, yuan)`` in code order: the first fact of each code."""
        # plain keys: enums and dataclasses hash in Python code
        key = (ctx.government, ctx.scope, stage._value_, period.year, period.start_month,
               period.end_month, period.day, book._value_ if book is not None else None)
        by_code = self.items.get(key)
        if by_code is None:
            first: dict[str, tuple[str, Fact, Decimal]] = {}
            for f in self.ledger.coded(ctx.government, ctx.scope, stage, period):
                code = f.code
                if code in first or (book is not None and f.book is not None and f.book != book):
                    continue
                first[code] = (code, f, f.amount.yuan)  # type: ignore[index]
            by_code = [first[c] for c in sorted(first)]
            self.items[key] = by_code
        return [item for item in by_code
                if len(item[0]) == length and item[0].startswith(prefix)
                and item[0] not in exclude]

    def composition_variance(self, defn: Definition, ctx: Context) -> IndicatorResult:
        prefix, length, exclude, book = _cv_params(defn)
        outturn = self.class_items(ctx, ctx.stage, ctx.period, prefix, length, exclude, book)
        budget = self.class_items(ctx, Stage.BUDGET, _whole_year(ctx.period.year), prefix, length,
                                  exclude, book)
        missing: list[str] = []
        if len(outturn) < 2:
            missing.append(f"{ctx.stage.value} {prefix}xx 类级科目")
        if len(budget) < 2:
            missing.append(f"budget {prefix}xx 类级科目")
        inputs = tuple([(_budget_label(code), f) for code, f, _ in budget]
                       + [(code, f) for code, f, _ in outturn])
        b_of = {code: y for code, _, y in budget}
        o_of = {code: y for code, _, y in outturn}
        total_b = sum(b_of.values(), _ZERO)
        total_o = sum(o_of.values(), _ZERO)
        if missing or total_b == 0:
            return IndicatorResult(defn.id, defn.name, defn.version, ctx, None, defn.unit, None,
                                   inputs, tuple(missing) or ("÷0",))
        k = total_o / total_b
        deviation = _ZERO
        for code, y in b_of.items():
            deviation += abs(o_of.get(code, _ZERO) - y * k)
        only = [code for code in o_of if code not in b_of]
        for code in only:
            deviation += abs(o_of[code])
        only += [code for code in b_of if code not in o_of]
        value = deviation * _HUNDRED / (total_b * k)
        note = f"仅一侧有数据的科目按 0 计：{', '.join(sorted(only))}" if only else ""
        return _new_result((defn.id, defn.name, defn.version, ctx, value, defn.unit,
                            defn.rate(value), inputs, (), (), _PI2_FORMULA, value, None, note))


_SHARED: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared(names: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple object per distinct list of missing names (a batch repeats a few)."""
    return _SHARED.setdefault(names, names)


@cache
def _whole_year(year: int) -> Period:
    return Period(year)


@cache
def _cv_params(defn: Definition) -> tuple[str, int, frozenset[str], Book | None]:
    """(code prefix, code length, excluded codes, book) of a composition-variance indicator."""
    p = defn.params
    return (str(p.get("code_prefix", "2")), int(p.get("code_length", 3)),
            frozenset(p.get("exclude", [])), Book(p["book"]) if p.get("book") else None)


_PI2_FORMULA = "Σ|决算ᵢ − 预算ᵢ×(决算总额/预算总额)| / 决算总额"


@cache
def _budget_label(code: str) -> str:
    return f"{code}@budget"


def contexts_for(defn: Definition, ledger: Ledger, flow: Sequence[Context]) -> list[Context]:
    if defn.stock:
        return ledger.stock_contexts()
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

    def keep(c: Context) -> bool:
        return ((government is None or c.government == government)
                and (scope is None or c.scope == scope)
                and (year is None or c.period.year == year))

    defs = [d for d in lib.definitions
            if wanted is None or d.id in wanted or d.name in wanted]
    by_stage: dict[tuple[Stage, bool], list[Definition]] = {}
    for stage in FLOW_STAGES:
        for whole in (False, True):
            by_stage[(stage, whole)] = [
                d for d in defs
                if not d.stock and stage in d.bases and (whole or not d.whole_year)]
    contexts: list[tuple[Context, list[Definition]]] = [
        (c, by_stage[(c.stage, c.period.whole_year)]) for c in ledger.contexts() if keep(c)]
    stock_defs = [d for d in defs if d.stock]
    if stock_defs:
        contexts.extend((c, stock_defs) for c in ledger.stock_contexts() if keep(c))
    run = _Run(ledger, lib)
    out: list[IndicatorResult] = []
    append = out.append
    one = run.one
    # context by context: the caches stay small and are dropped after each one
    # an indicator no formula refers to (``$id``) needs no memo: call it directly
    referenced = run.referenced
    direct = {d.id: (run.composition_variance if d.kind == "composition_variance" else run.formula)
              for d in defs if d.id not in referenced}
    for ctx, applicable in contexts:
        if not applicable:
            continue
        run.enter(ctx)
        for defn in applicable:
            call = direct.get(defn.id)
            append(call(defn, ctx) if call is not None else one(defn, ctx))
    return out
