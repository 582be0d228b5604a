"""Disclosure tables written to Excel from the ledger, laid out as published.

Every sheet is one table: its number (表1), title, 单位 on the right, the
header row, then the data rows.  Amounts and percentages are written as
numbers (a percentage as its printed figure, ``23.12``, with a number format
that shows ``23.12%``), never as text; codes are written as text because
they are identifiers.

Two ways to make a table:

* :func:`table_from_ledger` rebuilds a published table: its layout (number,
  title, unit, columns, row names) from the extracted :class:`Table`, every
  value from the ledger's facts of that table;
* :func:`standard_tables` composes the standard tables of a government
  budget (the four books' revenue and expenditure, whole and 本级, basic
  expenditure by economic class, transfers to lower governments by project
  and by region, 三公, debt) from coded facts: prior year, current year and
  change %.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO

from yusuan.analyze.ledger import Ledger, gov_of
from yusuan.model import (
    UNIT_FACTOR,
    Book,
    Column,
    ColumnKind,
    Fact,
    Period,
    Scope,
    Stage,
    Table,
    Unit,
)

_BOOK_NAMES = {
    Book.GENERAL: "一般公共预算",
    Book.FUND: "政府性基金预算",
    Book.CAPITAL: "国有资本经营预算",
    Book.SOCIAL: "社会保险基金预算",
}


@dataclass(frozen=True, slots=True)
class XRow:
    code: str | None
    name: str
    values: tuple[Decimal | str | None, ...]  # one per value column (not code/name)
    total: bool = False


@dataclass(frozen=True, slots=True)
class XTable:
    """A table as it is to be written: headers and one kind per value column."""

    number: str
    title: str
    unit: str
    headers: tuple[str, ...]  # every column, code and name included
    kinds: tuple[str, ...]  # per column: code | name | amount | percent | text
    rows: tuple[XRow, ...]
    facts: tuple[Fact, ...] = ()  # the facts the values came from

    @property
    def value_kinds(self) -> tuple[str, ...]:
        return tuple(k for k in self.kinds if k not in ("code", "name"))


def _kind(col_kind: ColumnKind) -> str:
    if col_kind is ColumnKind.CODE:
        return "code"
    if col_kind is ColumnKind.NAME:
        return "name"
    if col_kind in (ColumnKind.TEXT, ColumnKind.SEQ):
        return "text"
    if col_kind in (ColumnKind.GROWTH, ColumnKind.PERCENT):
        return "percent"
    return "amount"


def growth_pct(current: Decimal | None, prior: Decimal | None) -> Decimal | None:
    """Change in percent, rounded half-up to 2 places as the tables print it."""
    if current is None or prior is None or prior == 0:
        return None
    return ((current - prior) * 100 / prior).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _rate_cell(vi: int, cols: Sequence[Column], row_facts: Sequence[Fact | None],
               printed: Decimal | None) -> Decimal | None:
    """A growth or percent cell.

    The rate the current-year fact carries (``yoy_pct``: the fact of the
    nearest amount column to the left) when there is such a fact; otherwise
    the value the stored table holds for the cell (a rate beside a blank
    amount, e.g. -100% for an item that fell to nothing).
    """
    amount_cols = [i for i in range(vi) if cols[i].kind is ColumnKind.AMOUNT]
    current = row_facts[amount_cols[-1]] if amount_cols else None
    if current is not None and current.yoy_pct is not None:
        return current.yoy_pct
    return printed


def table_from_ledger(table: Table, facts: Iterable[Fact]) -> XTable:
    """Rebuild a published table from the ledger's facts of that table.

    Amount cells come from the facts of the table, matched to cells by row
    and source span (so two columns with one header stay apart); a growth
    cell takes the ``yoy_pct`` the row's current-year fact carries (see
    :func:`_rate_cell`); text columns keep the table's printed text.
    """
    mine = [f for f in facts if f.table == table.number]
    by_cell: dict[tuple[int, int], Fact] = {}  # (row, start of the cell) -> fact
    for f in mine:
        if f.row is not None:
            by_cell.setdefault((f.row, f.source.start), f)
    unit = Unit(table.unit) if table.unit in {u.value for u in Unit} else None
    value_cols = table.value_columns
    rows: list[XRow] = []
    for index, row in enumerate(table.rows):
        values: list[Decimal | str | None] = []
        row_facts = [by_cell.get((index, cell.start)) for cell in row.cells]
        for vi, col in enumerate(value_cols):
            fact = row_facts[vi]
            if col.kind is ColumnKind.AMOUNT:
                if fact is None:
                    values.append(None)
                elif unit is not None and fact.amount.unit != unit:
                    values.append(fact.amount.in_unit(unit))
                else:
                    values.append(fact.amount.value)
            elif col.kind in (ColumnKind.GROWTH, ColumnKind.PERCENT):
                values.append(_rate_cell(vi, value_cols, row_facts, row.cells[vi].value))
            else:  # text and sequence columns: as printed in the table
                values.append(row.cells[vi].text or None)
        rows.append(XRow(row.code_printed or row.code, row.name, tuple(values), row.total))
    return XTable(
        number=table.number or "",
        title=table.title,
        unit=table.unit or "",
        headers=tuple(c.name for c in table.columns),
        kinds=tuple(_kind(c.kind) for c in table.columns),
        rows=tuple(rows),
        facts=tuple(mine),
    )


def _prior_value(facts: dict[Stage, Fact]) -> Fact | None:
    for stage in (Stage.FINAL, Stage.EXECUTION, Stage.ADJUSTED, Stage.BUDGET):
        if stage in facts:
            return facts[stage]
    return None


_STAGE_WORDS = {Stage.FINAL: "决算数", Stage.EXECUTION: "执行数", Stage.ADJUSTED: "调整预算数",
                Stage.BUDGET: "预算数"}


def _stage_word(stages: set[Stage]) -> str:
    """The prior-year column's name: one stage named, a mix said to be one."""
    if len(stages) == 1:
        return _STAGE_WORDS.get(next(iter(stages)), "数")
    return "数（决算、执行或预算）" if stages else "数"


def standard_tables(facts: Iterable[Fact], government: str, year: int,
                    unit: Unit = Unit.WAN, titles: dict[str, str] | None = None) -> list[XTable]:
    """The standard revenue and expenditure tables of one government and year.

    For each book and scope (全口径, 本级) with coded facts: revenue (codes
    1xx) and expenditure (codes 2xx) tables with the prior year's outturn
    (决算, else 执行, else 预算), the current year's budget and the change in
    percent; after the general book's, expenditure by economic class (see
    :func:`economic_tables`; ``titles`` maps a source table's number to its
    title) and transfers to lower governments (:func:`transfer_tables`);
    then the “三公” table and the debt limit and balance table.  Rows are
    ordered by code; figures never mix stages.
    """
    facts = list(facts)
    cells: dict[tuple[Book, str, str, str], dict[int, dict[Stage, Fact]]] = defaultdict(
        lambda: defaultdict(dict))
    names: dict[str, str] = {}
    for f in facts:
        if gov_of(f) != government or not f.code or f.book is None or f.book is Book.ALL:
            continue
        if f.period.year not in (year, year - 1) or not f.period.whole_year:
            continue
        side = "收入" if f.code.startswith("1") else "支出" if f.code.startswith("2") else ""
        if not side:
            continue
        scope = str(f.scope)
        if scope not in (Scope.WHOLE, Scope.OWN):
            continue
        cells[(f.book, scope, side, f.code)][f.period.year].setdefault(f.stage, f)
        names.setdefault(f.code, f.indicator)
    tables: list[XTable] = []
    keys = sorted({k[:3] for k in cells}, key=lambda k: (
        list(_BOOK_NAMES).index(k[0]) if k[0] in _BOOK_NAMES else 9, k[1] != Scope.WHOLE, k[2] != "收入"))
    factor = UNIT_FACTOR[unit]
    for book, scope, side in keys:
        codes = sorted(c for (b, s, sd, c) in cells if (b, s, sd) == (book, scope, side))
        rows: list[XRow] = []
        used: list[Fact] = []
        prior_stages: set[Stage] = set()
        for code in codes:
            by_year = cells[(book, scope, side, code)]
            prior = _prior_value(by_year.get(year - 1, {}))
            current = by_year.get(year, {}).get(Stage.BUDGET)
            pv = prior.yuan / factor if prior else None
            cv = current.yuan / factor if current else None
            rows.append(XRow(code, names[code], (pv, cv, growth_pct(cv, pv))))
            if prior is not None:
                prior_stages.add(prior.stage)
            used += [f for f in (prior, current) if f is not None]
        where = "本级" if scope == Scope.OWN else ""
        title = f"{year}年{government}{where}{_BOOK_NAMES.get(book, book.value)}{side}表"
        tables.append(XTable(
            number=f"表{len(tables) + 1}",
            title=title,
            unit=unit.value,
            headers=("科目编码", "项目", f"{year - 1}年{_stage_word(prior_stages)}", f"{year}年预算数",
                     "比上年增(减)%"),
            kinds=("code", "name", "amount", "amount", "percent"),
            rows=tuple(rows),
            facts=tuple(used),
        ))
    items = list(facts) if not isinstance(facts, list) else facts
    # as published: the general book's tables, then basic expenditure by
    # economic class and the transfers to lower governments, then the others
    general = sum(1 for t in tables if _BOOK_NAMES[Book.GENERAL] in t.title)
    inserted = [*economic_tables(items, government, year, unit=unit, titles=titles),
                *transfer_tables(items, government, year, unit=unit)]
    tables[general:general] = inserted
    tables = [XTable(f"表{i}", t.title, t.unit, t.headers, t.kinds, t.rows, t.facts)
              for i, t in enumerate(tables, start=1)]
    for extra in (three_public_table(items, government, year), debt_table(items, government, year)):
        if extra is not None:
            tables.append(XTable(f"表{len(tables) + 1}", extra.title, extra.unit, extra.headers,
                                 extra.kinds, extra.rows, extra.facts))
    return tables


def _prior_current(by_year: dict[int, dict[Stage, Fact]], year: int, factor: Decimal,
                   ) -> tuple[tuple[Decimal | None, Decimal | None, Decimal | None], list[Fact],
                              Stage | None]:
    prior = _prior_value(by_year.get(year - 1, {}))
    current = by_year.get(year, {}).get(Stage.BUDGET)
    pv = prior.yuan / factor if prior else None
    cv = current.yuan / factor if current else None
    used = [f for f in (prior, current) if f is not None]
    return (pv, cv, growth_pct(cv, pv)), used, prior.stage if prior else None


_STAGE_PLAIN = {Stage.FINAL: "决算", Stage.EXECUTION: "执行", Stage.ADJUSTED: "调整预算",
                Stage.BUDGET: "预算"}
_ECONOMIC = {"5": "政府预算支出经济分类", "3": "部门预算支出经济分类"}


def economic_tables(facts: Iterable[Fact], government: str, year: int, unit: Unit = Unit.WAN,
                    titles: dict[str, str] | None = None) -> list[XTable]:
    """Expenditure by economic class: 政府预算支出经济分类 (codes 5xx) and 部门预算
    支出经济分类 (3xx), prior year, current year's budget and change %.

    A document prints more than one such table (seed 002: 表5 基本支出 by class,
    表6 all expenditure by class), so the facts are kept apart by the table they
    were read from; ``titles`` (table number -> printed title) tells a 基本支出
    table from the others.  Narrative facts with such codes form one table.
    """
    factor = UNIT_FACTOR[unit]
    groups: dict[tuple[str, Book | None, str, str, str], dict[str, dict[int, dict[Stage, Fact]]]] = (
        defaultdict(lambda: defaultdict(lambda: defaultdict(dict))))
    names: dict[str, str] = {}
    facts = list(facts)
    # the printed total rows of the source tables: (document/table) -> year -> stage -> fact
    printed: dict[str, dict[int, dict[Stage, Fact]]] = defaultdict(lambda: defaultdict(dict))
    for f in facts:
        if (f.table is not None and f.code is None and gov_of(f) == government
                and f.indicator.endswith(("合计", "总计")) and f.period.whole_year):
            printed[f"{f.source.document}/{f.table}"][f.period.year].setdefault(f.stage, f)
    for f in facts:
        code = f.code or ""
        if gov_of(f) != government or code[:1] not in _ECONOMIC or not code.isdigit():
            continue
        if f.period.year not in (year, year - 1) or not f.period.whole_year:
            continue
        scope = str(f.scope)
        if scope not in (Scope.WHOLE, Scope.OWN):
            continue
        source = f"{f.source.document}/{f.table or ''}"
        groups[(code[0], f.book, scope, source, f.table or "")][code][f.period.year].setdefault(
            f.stage, f)
        names.setdefault(code, f.indicator)
    out: list[XTable] = []
    for (kind, book, scope, source, table), by_code in sorted(
            groups.items(), key=lambda kv: (kv[0][0] != "5", kv[0][2] != Scope.WHOLE, kv[0][3])):
        rows: list[XRow] = []
        used: list[Fact] = []
        stages: set[Stage] = set()
        for code in sorted(by_code):
            values, facts_used, stage = _prior_current(by_code[code], year, factor)
            if not facts_used:
                continue
            rows.append(XRow(code, names[code], values))
            used += facts_used
            if stage is not None:
                stages.add(stage)
        if not rows:
            continue
        top = [r for r in rows if r.code is not None and len(r.code) == 3]
        if source in printed:  # the total row as the source table prints it
            values, facts_used, _ = _prior_current(printed[source], year, factor)
            rows.append(XRow(None, "合计", values, total=True))
            used += facts_used
        elif top:  # else the total of the 类 rows
            pv = _sum_or_none(r.values[0] for r in top)
            cv = _sum_or_none(r.values[1] for r in top)
            rows.append(XRow(None, "合计", (pv, cv, growth_pct(cv, pv)), total=True))
        where = "本级" if scope == Scope.OWN else ""
        book_name = _BOOK_NAMES.get(book, "") if book is not None else ""
        printed = (titles or {}).get(table, "")
        what = "基本支出预算表" if "基本支出" in printed else f"{_ECONOMIC[kind]}表"
        out.append(XTable(
            "", f"{year}年{government}{where}{book_name}{what}", unit.value,
            ("科目编码", "项目", f"{year - 1}年{_stage_word(stages)}", f"{year}年预算数",
             "比上年增(减)%"),
            ("code", "name", "amount", "amount", "percent"), tuple(rows), tuple(used)))
    return out


def _sum_or_none(values: Iterable[Decimal | str | None]) -> Decimal | None:
    nums = [v for v in values if isinstance(v, Decimal)]
    return sum(nums, Decimal(0)) if nums else None


_TO_REGION = re.compile(
    r"^(?:补助|对)(?P<region>[\u4e00-\u9fa5]{1,12}?(?:区|县|市|旗|州|盟|乡|镇))(?:转移支付)?支出$")


def transfer_tables(facts: Iterable[Fact], government: str, year: int,
                    unit: Unit = Unit.WAN) -> list[XTable]:
    """Transfers to lower governments (对下转移支付), as the disclosure tables print them.

    * 对下转移支付安排情况表 (by project): the 230 转移性支出 items 23001 返还性支出,
      23002 一般性转移支付, 23003 专项转移支付 and their 项, prior year, current
      year's budget and change %, with the 合计 of the 款 rows;
    * 对下转移支付情况表（分地区）: one column per lower government, from the
      figures the documents state per region (``补助沙坡头区支出 32.36 亿元``),
      one row per book, for the latest year and stage that has them.
    Neither is made when the ledger has no such figures.
    """
    facts = list(facts)
    factor = UNIT_FACTOR[unit]
    out: list[XTable] = []
    cells: dict[str, dict[int, dict[Stage, Fact]]] = defaultdict(lambda: defaultdict(dict))
    names: dict[str, str] = {}
    for f in facts:
        code = f.code or ""
        if gov_of(f) != government or not code.startswith(("23001", "23002", "23003")):
            continue
        if f.period.year in (year, year - 1) and f.period.whole_year and f.book in (Book.GENERAL, None):
            cells[code][f.period.year].setdefault(f.stage, f)
            names.setdefault(code, f.indicator)
    if cells:
        rows: list[XRow] = []
        used: list[Fact] = []
        stages: set[Stage] = set()
        for code in sorted(cells):
            values, facts_used, stage = _prior_current(cells[code], year, factor)
            rows.append(XRow(code, names[code], values))
            used += facts_used
            if stage is not None:
                stages.add(stage)
        top = [r for r in rows if r.code is not None and len(r.code) == 5]
        pv = _sum_or_none(r.values[0] for r in top)
        cv = _sum_or_none(r.values[1] for r in top)
        rows.append(XRow(None, f"{government}对下税收返还和转移支付合计",
                         (pv, cv, growth_pct(cv, pv)), total=True))
        out.append(XTable(
            "", f"{year}年{government}对下转移支付安排情况表", unit.value,
            ("科目编码", "项目", f"{year - 1}年{_stage_word(stages)}", f"{year}年预算数",
             "比上年增(减)%"),
            ("code", "name", "amount", "amount", "percent"), tuple(rows), tuple(used)))
    # by region: the latest year (this year's budget first) and stage with figures
    regional: dict[tuple[int, Stage], dict[tuple[Book | None, str], Fact]] = defaultdict(dict)
    for f in facts:
        m = _TO_REGION.match(f.indicator)
        if m is None or gov_of(f) != government or not f.period.whole_year:
            continue
        if f.period.year not in (year, year - 1) or f.stage not in _STAGE_WORDS:
            continue
        regional[(f.period.year, f.stage)].setdefault((f.book, m.group("region")), f)
    if regional:
        order = (Stage.BUDGET, Stage.FINAL, Stage.EXECUTION, Stage.ADJUSTED)
        y, stage = max(regional, key=lambda k: (k[0], -order.index(k[1])))
        got = regional[(y, stage)]
        regions = sorted({r for _, r in got})
        books = sorted({b for b, _ in got}, key=lambda b: list(_BOOK_NAMES).index(b)
                       if b in _BOOK_NAMES else 9)
        rows = []
        for book in books:
            per = [got.get((book, r)) for r in regions]
            amounts = [f.yuan / factor if f is not None else None for f in per]
            label = f"{_BOOK_NAMES.get(book, '')}对下转移支付" if book is not None else "对下转移支付"
            rows.append(XRow(None, label, (_sum_or_none(amounts), *amounts)))
        if len(rows) > 1:
            columns = list(zip(*(r.values for r in rows), strict=True))
            rows.append(XRow(None, "合计", tuple(_sum_or_none(c) for c in columns), total=True))
        out.append(XTable(
            "", f"{y}年{government}对下转移支付{_STAGE_PLAIN[stage]}情况表（分地区）", unit.value,
            ("项目", "合计", *regions), ("name", "amount", *("amount" for _ in regions)),
            tuple(rows), tuple(got.values())))
    return out


_THREE_PUBLIC = (  # (row as printed, names it goes by in the documents)
    ("“三公”经费支出", ("“三公”经费支出", "三公经费支出", "“三公”经费", "三公经费")),
    ("因公出国（境）费", ("因公出国（境）费", "因公出国（境）费用", "因公出国(境)费")),
    ("公务接待费", ("公务接待费", "公务接待费支出")),
    ("公务用车购置及运行维护费", ("公务用车购置及运行维护费", "公务用车购置及运行费")),
    ("其中：公务用车购置费", ("公务用车购置费",)),
    ("公务用车运行维护费", ("公务用车运行维护费", "公务用车运行费")),
)
_DEBT = (  # (row, limit names, balance names)
    ("地方政府债务", ("地方政府债务限额", "政府债务限额", "债务限额"),
     ("地方政府法定债务余额", "地方政府债务余额", "政府债务余额", "债务余额")),
    ("一般债务", ("一般债务限额", "地方政府一般债务限额"), ("一般债务余额", "地方政府一般债务余额")),
    ("专项债务", ("专项债务限额", "地方政府专项债务限额"), ("专项债务余额", "地方政府专项债务余额")),
)


def three_public_table(facts: Iterable[Fact], government: str, year: int,
                       number: str = "", unit: Unit = Unit.WAN) -> XTable | None:
    """财政拨款“三公”经费支出表: prior year's outturn (else budget), this year's budget."""

    ledger = Ledger(f for f in facts if gov_of(f) == government and str(f.scope) in (Scope.WHOLE, Scope.OWN))
    factor = UNIT_FACTOR[unit]
    rows: list[XRow] = []
    used: list[Fact] = []
    for scope in (Scope.WHOLE, Scope.OWN):
        for label, names in _THREE_PUBLIC:
            prior = None
            for stage in (Stage.FINAL, Stage.EXECUTION, Stage.BUDGET):
                prior = ledger.find(government, scope, names, stage, year=year - 1)
                if prior is not None:
                    break
            current = ledger.find(government, scope, names, Stage.BUDGET, year=year)
            if prior is None and current is None:
                continue
            pv = prior.yuan / factor if prior else None
            cv = current.yuan / factor if current else None
            rows.append(XRow(None, label, (pv, cv, growth_pct(cv, pv))))
            used += [f for f in (prior, current) if f is not None]
        if rows:
            break  # one scope: the government's own table
    if not rows:
        return None
    return XTable(number, f"{year}年{government}财政拨款“三公”经费支出预算表", unit.value,
                  ("项目", f"{year - 1}年", f"{year}年预算数", "比上年增(减)%"),
                  ("name", "amount", "amount", "percent"), tuple(rows), tuple(used))


def debt_table(facts: Iterable[Fact], government: str, year: int, number: str = "",
               unit: Unit = Unit.YI) -> XTable | None:
    """地方政府债务限额及余额情况表: the limit of the year and the latest balance in it."""

    ledger = Ledger(f for f in facts if gov_of(f) == government)
    factor = UNIT_FACTOR[unit]
    rows: list[XRow] = []
    used: list[Fact] = []
    end = Period(year)
    for scope in (Scope.WHOLE, Scope.OWN):
        for label, limits, balances in _DEBT:
            limit = ledger.find(government, scope, limits, Stage.LIMIT, year=year)
            balance = ledger.find(government, scope, balances, Stage.BALANCE, at_or_before=end)
            if limit is None and balance is None:
                continue
            where = "（本级）" if scope == Scope.OWN else ""
            rows.append(XRow(None, label + where, (limit.yuan / factor if limit else None,
                                                   balance.yuan / factor if balance else None)))
            used += [f for f in (limit, balance) if f is not None]
    if not rows:
        return None
    return XTable(number, f"{year}年{government}地方政府债务限额及余额情况表", unit.value,
                  ("项目", "债务限额", "债务余额"), ("name", "amount", "amount"), tuple(rows), tuple(used))


HEADER_ROW = 4  # 1: number, 2: title, 3: 单位, 4: headers, 5+: data


def write_workbook(tables: Sequence[XTable], target: str | Path | IO[bytes]) -> None:
    """Write each table to its own sheet, laid out as published."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    used_names: set[str] = set()
    for i, table in enumerate(tables, start=1):
        name = (table.number or f"表{i}")[:31]
        while name in used_names:
            name = f"{name}_"[:31]
        used_names.add(name)
        ws = wb.create_sheet(name)
        width = len(table.headers)
        ws.cell(1, 1, table.number)
        ws.cell(2, 1, table.title).font = Font(bold=True, size=14)
        ws.cell(2, 1).alignment = Alignment(horizontal="center")
        if width > 1:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        ws.cell(3, width, f"单位：{table.unit}").alignment = Alignment(horizontal="right")
        for c, header in enumerate(table.headers, start=1):
            cell = ws.cell(HEADER_ROW, c, header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
        for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
            values = iter(row.values)
            for c, kind in enumerate(table.kinds, start=1):
                cell = ws.cell(r, c)
                cell.border = border
                if kind == "code":
                    cell.value = row.code
                    cell.number_format = "@"
                elif kind == "name":
                    if c == table.kinds.index("name") + 1:
                        cell.value = row.name
                        if row.total:
                            cell.font = Font(bold=True)
                else:
                    value = next(values, None)
                    if isinstance(value, str):
                        cell.value = value
                        cell.number_format = "@"
                    elif value is not None:
                        cell.value = value
                        exp = value.as_tuple().exponent
                        places = max(0, -exp) if isinstance(exp, int) else 0
                        fmt = "#,##0" + ("." + "0" * places if places else "")
                        cell.number_format = fmt + '"%"' if kind == "percent" else fmt
        for c in range(1, width + 1):
            kind = table.kinds[c - 1]
            ws.column_dimensions[get_column_letter(c)].width = (
                12 if kind == "code" else 40 if kind == "name" else 16)
        ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if not tables:
        wb.create_sheet("空")
    wb.save(target)  # type: ignore[arg-type]
