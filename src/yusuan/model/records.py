"""Immutable records of the ledger: documents, facts, tables, relations, findings."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from yusuan.model.money import Amount
from yusuan.model.text import MappedText


def content_id(*parts: object, length: int = 16) -> str:
    """A stable id from content: the same inputs always give the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return digest.hexdigest()[:length]


# --------------------------------------------------------------------------
# Closed vocabularies


class Book(StrEnum):
    """预算本: the four budgets, plus ``all`` for figures spanning them (地方财政收入)."""

    GENERAL = "general"  # 一般公共预算
    FUND = "fund"  # 政府性基金预算
    CAPITAL = "capital"  # 国有资本经营预算
    SOCIAL = "social"  # 社会保险基金预算
    ALL = "all"  # 地方财政收入/支出: the sum of general, fund and capital


class Stage(StrEnum):
    """口径: which figure of the budget cycle a number is."""

    BUDGET = "budget"  # 年初预算
    ADJUSTED = "adjusted"  # 调整预算 / 调整后预算
    EXECUTION = "execution"  # 执行数 (to a date)
    FINAL = "final"  # 决算数
    LIMIT = "limit"  # 债务限额
    BALANCE = "balance"  # 债务余额 / 结余 at a date
    PLAN = "plan"  # 计划 / 安排 (allocations, plans)
    OTHER = "other"


class Level(StrEnum):
    NATIONAL = "national"
    PROVINCE = "province"
    PREFECTURE = "prefecture"
    COUNTY = "county"


class Scope(StrEnum):
    """全口径 or 本级.  A named subordinate government is kept as its name (a str)."""

    WHOLE = "whole"
    OWN = "own"


class DocKind(StrEnum):
    BUDGET_REPORT = "budget_report"  # 预算草案报告 / 预算公开
    EXECUTION_REPORT = "execution_report"  # 预算执行情况的报告
    FINAL_REPORT = "final_report"  # 决算报告
    DEPARTMENT_BUDGET = "department_budget"  # 部门预算
    TABLES = "tables"  # disclosure tables only
    OTHER = "other"


class RelationKind(StrEnum):
    SUM = "sum"  # total = Σ parts (其中, 之和, 合计)
    DIFFERENCE = "difference"  # later - earlier = stated change (增加/减少)
    GROWTH = "growth"  # value vs prior year: stated change and rate
    RATIO = "ratio"  # 为预算的 x%
    SHARE = "share"  # 占 … 的 x%
    BALANCE = "balance"  # sources = uses + balance (收支相抵)


class ColumnKind(StrEnum):
    CODE = "code"
    NAME = "name"
    AMOUNT = "amount"
    GROWTH = "growth"  # 增减% / 增长%
    PERCENT = "percent"  # 占比 / 完成预算%
    CHANGE = "change"  # 增减额
    TEXT = "text"
    SEQ = "seq"  # 序号


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


# --------------------------------------------------------------------------
# Context


@dataclass(frozen=True, slots=True)
class Government:
    """A government by its 6-digit division code (GB/T 2260)."""

    code: str  # "652300"
    name: str  # "昌吉回族自治州"
    level: Level
    parent: str | None = None  # parent division code


@dataclass(frozen=True, slots=True)
class Code:
    """An entry of the official classification (政府收支分类科目)."""

    code: str  # "2010101"
    name: str  # "行政运行"
    kind: str  # "revenue" | "function" | "gov_economic" | "dept_economic"
    year: int
    parent: str | None = None
    source: str = ""  # where the entry came from

    @property
    def depth(self) -> int:
        """1 for 类, 2 for 款, 3 for 项 (functional codes 3/5/7 digits)."""
        return {3: 1, 5: 2, 7: 3}.get(len(self.code), 0)


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})\.\.(\d{2}))?$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A fiscal year, a month range within it, or a date (for balances).

    ``str`` gives ``"2024"``, ``"2024-01..06"`` or ``"2024-06-30"``.
    """

    year: int
    start_month: int = 1
    end_month: int = 12
    day: date | None = None

    @classmethod
    def months(cls, year: int, start: int, end: int) -> Period:
        return cls(year, start, end)

    @classmethod
    def at(cls, day: date) -> Period:
        return cls(day.year, day.month, day.month, day)

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD_RE.match(text)
        if m:
            year = int(m.group(1))
            if m.group(2):
                return cls(year, int(m.group(2)), int(m.group(3)))
            return cls(year)
        return cls.at(date.fromisoformat(text))

    @property
    def whole_year(self) -> bool:
        return self.day is None and self.start_month == 1 and self.end_month == 12

    @property
    def elapsed_share(self) -> Decimal:
        """序时进度: share of the year elapsed at the end of this period."""
        if self.day is not None:
            return Decimal(self.day.timetuple().tm_yday) / Decimal(
                366 if self.year % 4 == 0 else 365
            )
        return Decimal(self.end_month) / Decimal(12)

    def __str__(self) -> str:
        if self.day is not None:
            return self.day.isoformat()
        if self.whole_year:
            return str(self.year)
        return f"{self.year}-{self.start_month:02d}..{self.end_month:02d}"


# --------------------------------------------------------------------------
# Documents as read


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``[start, end)`` of a document's text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document's text.

    ``cells`` is set when the format itself delimits cells: a tab-separated
    line of a text file, a row of a DOCX/XLSX/HTML table, a ruled PDF table.
    Every reader renders table rows as tab-separated lines, so one layout
    step serves every format.
    """

    number: int  # 1-based
    start: int
    end: int  # end of the line's characters, without the newline
    text: str
    cells: tuple[Span, ...] | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Narrative text joined across broken lines, repaired, with its source map."""

    index: int
    line: int  # first line, 1-based
    start: int
    end: int
    text: MappedText
    heading: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A source file as read.  ``text`` is its decoded text (for a text file:
    the file's own characters); every offset in the ledger points into it."""

    id: str  # sha256 of the file's bytes
    path: str
    name: str
    format: str  # txt | pdf | docx | xlsx | html
    text: str
    lines: tuple[Line, ...]
    title: str = ""
    pages: int = 0
    page_starts: tuple[int, ...] = ()  # offset in text where each page begins (PDF)

    def page_at(self, offset: int) -> int | None:
        """1-based page of a character offset, when the format has pages."""
        if not self.page_starts:
            return None
        page = 0
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
        return page or 1

    def line_at(self, offset: int) -> int:
        """1-based line number of a character offset."""
        lo, hi = 0, len(self.lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.lines[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.lines[lo].number if self.lines else 1

    def source(self, start: int, end: int, derived: str = "") -> Source:
        """The Source of the characters ``text[start:end]``: their line and quote."""
        return Source(self.id, self.line_at(start), start, end, self.text[start:end],
                      file=self.name, derived=derived)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure came from: the exact characters of the document."""

    document: str  # document id
    line: int
    start: int
    end: int
    quote: str  # the source characters; text[start:end] of the document
    file: str = ""  # path or name, for display
    page: int | None = None
    derived: str = ""  # for derived records: what derived it ("sum of rows 3-7")


# --------------------------------------------------------------------------
# Facts and tables


@dataclass(frozen=True, slots=True)
class Fact:
    """One number about one indicator in one context."""

    indicator: str  # as the text names it, canonical synonym where known
    amount: Amount
    stage: Stage
    period: Period
    source: Source
    scope: str = Scope.WHOLE  # "whole" | "own" | subordinate government's name
    book: Book | None = None
    government: str | None = None  # name as printed, e.g. "昌吉回族自治州"
    division: str | None = None  # resolved division code
    code: str | None = None  # classification code when the text or row gives one
    parent: str | None = None  # indicator this is a part of (其中/包括)
    yoy_abs: Amount | None = None  # stated change vs prior period (negative = decrease)
    yoy_pct: Decimal | None = None  # stated growth rate in percent
    pct_of_budget: Decimal | None = None  # 为预算的 x%
    share_pct: Decimal | None = None  # 占 … 的 x%
    share_of: str | None = None  # what share_pct is a share of
    table: str | None = None  # table number ("表1") when from a table
    column: str | None = None  # column header when from a table
    row: int | None = None  # row index in its table
    id: str = field(default="")
    # which budget pct_of_budget is measured against: BUDGET for 为预算的/为年初预算的/
    # 为年度预算的, ADJUSTED for 为调整预算的/为调整后预算的 (None when not stated)
    pct_base: Stage | None = None

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(
                self,
                "id",
                content_id(
                    self.source.document,
                    self.source.start,
                    self.source.end,
                    self.indicator,
                    self.stage,
                    self.period,
                    self.scope,
                    self.code,
                    self.column,
                ),
            )

    @property
    def yuan(self) -> Decimal:
        return self.amount.yuan

    @property
    def key(self) -> tuple[str | None, str, str | None, str, str, str]:
        """The context that identifies what this number is about."""
        return (
            self.government,
            self.scope,
            self.book,
            self.code or self.indicator,
            self.stage,
            str(self.period),
        )


@dataclass(frozen=True, slots=True)
class Column:
    """A table column: header as printed (wrapped lines joined) and its meaning."""

    name: str
    kind: ColumnKind
    year: int | None = None
    stage: Stage | None = None
    period: Period | None = None
    scope: str | None = None  # for two-sided or per-scope columns
    side: str | None = None  # "收入" | "支出" for two-sided tables


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # as printed, "" when blank
    value: Decimal | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Row:
    code: str | None
    name: str
    cells: tuple[Cell, ...]  # one per value column, aligned with Table.value_columns
    line: int
    start: int
    end: int
    total: bool = False  # 合计 / 总计 row
    code_printed: str | None = None  # "201 06 01" as printed
    level: int = 0  # indent or code depth
    # values printed in the row whose column the text does not determine (a
    # space-separated row prints no blank cells); kept, but not made facts
    unplaced: tuple[Cell, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    number: str | None  # "表1"
    title: str
    unit: str | None  # "万元"
    columns: tuple[Column, ...]  # all columns, including code and name
    rows: tuple[Row, ...]
    empty: bool
    line_start: int
    line_end: int
    start: int
    end: int
    book: Book | None = None
    scope: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def value_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind not in (ColumnKind.CODE, ColumnKind.NAME))


@dataclass(frozen=True, slots=True)
class Relation:
    """An arithmetic claim linking facts (by id)."""

    kind: RelationKind
    total: str  # fact id of the whole / later figure
    parts: tuple[str, ...]  # fact ids of the parts / earlier figure
    stated: Decimal | None = None  # a stated rate or change, where the claim states one
    exhaustive: bool = False  # parts claim to make up the whole
    source: Source | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input (not a bug): returned, never raised."""

    file: str
    message: str  # Chinese first
    message_en: str = ""
    line: int | None = None
    code: str = ""  # e.g. "read.empty", "read.encoding"


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extractor made of one document."""

    document: Document
    facts: tuple[Fact, ...]
    tables: tuple[Table, ...]
    relations: tuple[Relation, ...]
    paragraphs: tuple[Paragraph, ...] = ()
    problems: tuple[Problem, ...] = ()
    government: Government | None = None
    kind: DocKind = DocKind.OTHER
    year: int | None = None
    date: date | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """The result of a check: rule code, the facts, expected against printed."""

    code: str  # "YS101"
    severity: Severity
    message: str  # rendered Chinese message
    facts: tuple[str, ...]  # fact ids
    sources: tuple[Source, ...]
    expected: str | None = None  # decimal string or interval "[a, b]"
    printed: str | None = None
    gap: str | None = None
    tolerance: str | None = None
    message_en: str = ""
    document: str | None = None
    id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(
                self,
                "id",
                content_id(self.code, self.document, *self.facts, self.expected, self.printed),
            )
