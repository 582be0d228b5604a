"""The rule engine: rules, the registry, the context and the run.

A rule is a small class with its code, titles, severity, tags, life cycle
and message templates at class level, and its logic in ``check``.  It
yields :class:`Hit` records (the facts only); the engine renders them into
:class:`yusuan.model.Finding` records with the class's message templates.
The registry is built once, when :mod:`yusuan.check.rules` is imported,
and never changes during a run.
"""

from __future__ import annotations

import time
import traceback
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar

from yusuan.model import Document, Extraction, Fact, Finding, Severity, Source, Table, content_id


class Lifecycle(StrEnum):
    STABLE = "stable"
    PREVIEW = "preview"  # run only when selected by its exact code or --preview
    DEPRECATED = "deprecated"
    REMOVED = "removed"  # tombstone: the code is never reused


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule found, before rendering: the facts and the numbers."""

    params: Mapping[str, Any]  # fills the rule's message templates
    sources: tuple[Source, ...]
    facts: tuple[str, ...] = ()
    expected: str | None = None
    printed: str | None = None
    gap: str | None = None
    tolerance: str | None = None
    document: str | None = None
    severity: Severity | None = None  # overrides the rule's default


class Rule:
    """Base class of every rule.  Subclasses set the class attributes and ``check``."""

    code: ClassVar[str] = ""
    title: ClassVar[str] = ""  # Chinese one-line title
    title_en: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    tags: ClassVar[frozenset[str]] = frozenset()
    lifecycle: ClassVar[Lifecycle] = Lifecycle.STABLE
    message: ClassVar[str] = ""  # Chinese template, str.format fields from Hit.params
    message_en: ClassVar[str] = ""

    def check(self, ctx: Context) -> Iterable[Hit]:
        raise NotImplementedError

    @classmethod
    def render(cls, hit: Hit) -> tuple[str, str]:
        params = _SafeDict(hit.params)
        return cls.message.format_map(params), cls.message_en.format_map(params)

    @classmethod
    def to_finding(cls, hit: Hit) -> Finding:
        zh, en = cls.render(hit)
        return Finding(
            code=cls.code,
            severity=hit.severity or cls.severity,
            message=zh,
            message_en=en,
            facts=hit.facts,
            sources=hit.sources,
            expected=hit.expected,
            printed=hit.printed,
            gap=hit.gap,
            tolerance=hit.tolerance,
            document=hit.document,
            id=content_id(cls.code, hit.document, *hit.facts, hit.expected, hit.printed,
                          *(f"{s.document}:{s.start}-{s.end}" for s in hit.sources)),
        )


class RegistryError(Exception):
    pass


class Registry:
    """An immutable table of rule classes by code, with tombstones."""

    def __init__(self, rules: Sequence[type[Rule]], removed: Mapping[str, str] | None = None):
        by_code: dict[str, type[Rule]] = {}
        removed = dict(removed or {})
        for rule in rules:
            if not rule.code or not rule.title or not rule.title_en or not rule.message:
                raise RegistryError(f"rule {rule.__name__} lacks code, titles or message")
            if not (rule.__doc__ or "").strip():
                raise RegistryError(f"rule {rule.code} has no docstring")
            if rule.code in by_code:
                raise RegistryError(
                    f"duplicate rule code {rule.code}: "
                    f"{by_code[rule.code].__name__} and {rule.__name__}"
                )
            if rule.code in removed:
                raise RegistryError(f"rule code {rule.code} was removed and is never reused")
            by_code[rule.code] = rule
        self._rules: Mapping[str, type[Rule]] = MappingProxyType(dict(sorted(by_code.items())))
        self.removed: Mapping[str, str] = MappingProxyType(removed)

    def __iter__(self) -> Iterator[type[Rule]]:
        return iter(self._rules.values())

    def __len__(self) -> int:
        return len(self._rules)

    def __getitem__(self, code: str) -> type[Rule]:
        return self._rules[code]

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._rules)

    def select(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        *,
        preview: bool = False,
    ) -> tuple[type[Rule], ...]:
        """Rules chosen by code, code prefix (``YS1``) or tag (``#debt``).

        Preview rules run when ``preview`` is set or their exact code is selected.
        Unknown selectors raise :class:`ValueError`.
        """
        sel = [s.strip() for s in (select or ["ALL"]) if s.strip()]
        ign = [s.strip() for s in (ignore or []) if s.strip()]
        for token in sel + ign:
            if not any(_matches(r, token) for r in self) and token != "ALL":
                if token in self.removed:
                    continue
                raise ValueError(f"未知的规则选择 unknown rule selector: {token}")
        chosen = []
        for rule in self:
            if rule.lifecycle == Lifecycle.REMOVED:
                continue
            hit = [t for t in sel if t == "ALL" or _matches(rule, t)]
            if not hit or any(_matches(rule, t) for t in ign):
                continue
            if rule.lifecycle == Lifecycle.PREVIEW and not preview and rule.code not in hit:
                continue
            chosen.append(rule)
        return tuple(chosen)


def _matches(rule: type[Rule], token: str) -> bool:
    if token.startswith("#"):
        return token[1:] in rule.tags
    return rule.code.startswith(token.upper())


class _Builder:
    """Collects rule classes while the rule modules are imported."""

    def __init__(self) -> None:
        self.rules: list[type[Rule]] = []
        self.sealed = False

    def __call__(self, cls: type[Rule]) -> type[Rule]:
        if self.sealed:
            raise RegistryError("the rule registry is sealed; rules register at import only")
        self.rules.append(cls)
        return cls


register = _Builder()


# --------------------------------------------------------------------------
# The context a rule sees


@dataclass(frozen=True)
class Context:
    """Everything a run checks: the extractions of one or more documents.

    Built once per run; rules read it and never change it.
    """

    extractions: tuple[Extraction, ...]
    codes: Any = None  # yusuan.refdata.codes lookup, when available
    facts: Mapping[str, Fact] = field(default_factory=dict)
    fact_doc: Mapping[str, Extraction] = field(default_factory=dict)
    cell_fact: Mapping[tuple[str, int, int], str] = field(default_factory=dict)

    @classmethod
    def build(cls, extractions: Iterable[Extraction], codes: Any = None) -> Context:
        exs = tuple(extractions)
        facts: dict[str, Fact] = {}
        fact_doc: dict[str, Extraction] = {}
        cell_fact: dict[tuple[str, int, int], str] = {}
        for ex in exs:
            for f in ex.facts:
                facts[f.id] = f
                fact_doc[f.id] = ex
                if f.table is not None:
                    cell_fact[(ex.document.id, f.source.start, f.source.end)] = f.id
        return cls(exs, codes, MappingProxyType(facts), MappingProxyType(fact_doc),
                   MappingProxyType(cell_fact))

    def source_of_span(self, doc: Document, start: int, end: int, derived: str = "") -> Source:
        return Source(
            document=doc.id,
            line=doc.line_at(start),
            start=start,
            end=end,
            quote=doc.text[start:end],
            file=doc.path,
            derived=derived,
        )

    def fact_sources(self, facts: Iterable[Fact]) -> tuple[Source, ...]:
        out: list[Source] = []
        for f in facts:
            s = f.source
            if not s.file:
                ex = self.fact_doc.get(f.id)
                if ex is not None:
                    s = Source(s.document, s.line, s.start, s.end, s.quote, ex.document.path,
                               s.page, s.derived)
            if s not in out:
                out.append(s)
        return tuple(out)

    def tables(self) -> Iterator[tuple[Extraction, Table]]:
        for ex in self.extractions:
            for t in ex.tables:
                if not t.empty:
                    yield ex, t


# --------------------------------------------------------------------------
# The run


@dataclass(frozen=True, slots=True)
class CheckResult:
    findings: tuple[Finding, ...]
    timings: Mapping[str, float]  # seconds per rule code
    rules: tuple[str, ...]  # codes that ran


CRASH_CODE = "YS001"


def run(ctx: Context, rules: Sequence[type[Rule]]) -> CheckResult:
    """Run ``rules`` in code order over ``ctx``; a crashing rule becomes a finding."""
    findings: list[Finding] = []
    timings: dict[str, float] = {}
    seen: set[str] = set()
    crash_rule = _crash_rule()
    for rule_cls in sorted(rules, key=lambda r: r.code):
        t0 = time.perf_counter()
        produced: list[Finding] = []
        try:
            for hit in rule_cls().check(ctx):
                produced.append(rule_cls.to_finding(hit))
        except Exception as exc:  # a rule's bug must not hide the other findings
            tb = traceback.extract_tb(exc.__traceback__)
            where = f"{tb[-1].filename.rsplit('/', 1)[-1]}:{tb[-1].lineno}" if tb else "?"
            hit = Hit(
                params={"rule": rule_cls.code, "error": f"{type(exc).__name__}: {exc}",
                        "where": where},
                sources=(),
                severity=Severity.ERROR,
            )
            produced = [*produced, crash_rule.to_finding(hit)]
        timings[rule_cls.code] = time.perf_counter() - t0
        for f in produced:
            if f.id not in seen:
                seen.add(f.id)
                findings.append(f)
    findings.sort(key=_order)
    return CheckResult(tuple(findings), MappingProxyType(timings),
                       tuple(r.code for r in rules))


def _order(f: Finding) -> tuple[str, int, int, str]:
    s = f.sources[0] if f.sources else None
    return (s.file if s else "", s.line if s else 0, s.start if s else 0, f.code)


def _crash_rule() -> type[Rule]:
    from yusuan.check.rules.engine import RuleCrashed

    return RuleCrashed


def summary(findings: Iterable[Finding]) -> dict[str, Any]:
    """Counts by rule code and by severity."""
    by_code: dict[str, int] = defaultdict(int)
    by_sev: dict[str, int] = defaultdict(int)
    for f in findings:
        by_code[f.code] += 1
        by_sev[f.severity.value] += 1
    return {"by_code": dict(sorted(by_code.items())), "by_severity": dict(by_sev)}
