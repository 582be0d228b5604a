"""The debt figures of a document's debt tables, each with what it measures.

The 地方政府债务 disclosure tables (限额、余额情况表, 债券发行情况表, 还本付息情况表 …) print
the same figures several times: the general-debt table's limit is the 一般债务 column of the
combined table, the issuance table's 一般债券 new and refinancing bonds add up to the
repayment table's 上年度发行 一般债券 row.  To compare them, each printed cell of such a table
gets a key read off its title, its column header (both levels), its row and the rows above it
in the outline (一、 > （一） > 其中):

* family: 限额 ``limit``, 余额 ``balance``, 发行 ``issue``, 还本 ``repay``, 付息 ``interest``;
* sub: 新增 ``new``, 再融资 ``refinance``, 财政预算安排 ``budget`` or none;
* kind: 一般 ``general``, 专项 ``special`` or ``total``;
* year, plan (a budget figure rather than an outturn), 年初 or 年末 when the words say so,
  and the region the figure is of (the row of a table by 行政区划, or the column of a table
  whose columns are regions).

A cell whose row or column names anything but these terms (a project, an unknown item) gets no
key, and neither does a cell whose words name two families.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import product

from yusuan.check.arith import cell_iv, meets, unit_of
from yusuan.check.engine import Context
from yusuan.check.rules._table import cell, clean, outline
from yusuan.model import Cell, ColumnKind, Extraction, Interval, Row, Stage, Table
from yusuan.model.money import UNIT_FACTOR

_SP = re.compile(r"\s+")
_DEBT_TABLE = re.compile(r"债务|债券|还本|付息|限额")
_REGION_HEAD = re.compile(r"行政区划|地区|区划|地方|县市")
# Words a debt heading is made of; a heading with anything else names a region or an item.
_TERMS = re.compile(
    r"地方|政府|债务|债券|一般|专项|限额|余额|总额|新增|再融资|发行|还本|付息|利息|偿还|合计|小计|"
    r"总计|其中|预计|执行|预算|决算|安排|财政|本年度|上年度|本年|上年|年度|年末|年初|额度|规模|"
    r"情况|金额|数|\d{4}\s*年|[：:、（）()一二三四五六七八九十\d.．]"
)
_PLAN = (Stage.BUDGET, Stage.ADJUSTED, Stage.PLAN)


def _norm(s: str) -> str:
    return _SP.sub("", s or "").replace("一般公共预算", "")


def is_term(s: str) -> bool:
    """Is a heading made only of debt terms (no region, project or other item)?"""
    s = _norm(s)
    return bool(s) and not _TERMS.sub("", s)


def family(s: str) -> str | None:
    """The family a heading names; "" when it names several (or 还本付息 together)."""
    s = _norm(s)
    if "还本付息" in s:
        return ""
    found = set()
    if "限额" in s:
        found.add("limit")
    if "余额" in s:
        found.add("balance")
    if "还本" in s or "偿还" in s:
        found.add("repay")
    if "付息" in s or "利息" in s:
        found.add("interest")
    if "发行" in s or re.search(r"债券(金额|额度)", s):
        found.add("issue")  # a bond amount (债券金额, 新增债券额度) is what was issued
    if len(found) > 1:
        return ""
    return found.pop() if found else None


def sub(s: str) -> str | None:
    s = _norm(s)
    if "再融资" in s:
        return "refinance"
    if "新增" in s:
        return "new"
    if "预算安排" in s:
        return "budget"
    return None


def kind(s: str) -> str | None:
    s = _norm(s)
    g, p = "一般" in s, "专项" in s
    if g and p:
        return "total"
    if g:
        return "general"
    if p:
        return "special"
    if re.fullmatch(r"(合计|小计|总计)", clean(s)):
        return "total"
    return None


def position(s: str) -> str | None:
    """When in the year a balance stands: 年初 ``start`` or 年末 ``end``."""
    s = _norm(s)
    if re.search(r"年初|期初|上年末", s):
        return "start"
    if re.search(r"年末|期末", s):
        return "end"
    return None


@dataclass(frozen=True)
class DebtKey:
    family: str
    sub: str | None
    kind: str
    year: int | None
    plan: bool
    region: str
    at: str = ""  # 年初 "start", 年末 "end" or unsaid
    scope: str = "whole"  # "own" for 本级


@dataclass(frozen=True)
class DebtCell:
    key: DebtKey
    ex: Extraction
    table: Table
    row: Row
    cell: Cell
    iv: Interval  # yuan

    @property
    def yuan(self) -> Decimal:
        assert self.cell.value is not None
        return self.cell.value * self.factor

    @property
    def factor(self) -> Decimal:
        unit = unit_of(self.table.unit)
        return UNIT_FACTOR[unit] if unit else Decimal(1)


def _ancestors(rows: tuple[Row, ...]) -> dict[int, int]:
    full, part = outline(rows)
    up: dict[int, int] = {}
    for groups in (full, part):
        for p, kids in groups.items():
            for k in kids:
                up[k] = p
    return up


def _key(components: list[str], year: int | None, plan: bool, region: str,
         scope: str) -> DebtKey | None:
    fam = None
    for s in components:
        f = family(s)
        if f == "":
            return None
        if f:
            fam = f
            break
    if fam is None:
        return None
    sb = next((x for s in components if (x := sub(s))), None)
    kd = next((x for s in components if (x := kind(s))), "total")
    at = next((x for s in components if (x := position(s))), "")
    return DebtKey(fam, sb, kd, year, plan, region, at, scope)


def debt_cells(ctx: Context, ex: Extraction, tables: list[Table]) -> list[DebtCell]:
    """The keyed cells of the debt tables among ``tables`` (views of ``ex``'s tables)."""
    out: list[DebtCell] = []
    doc = ex.document
    for t in tables:
        if not _DEBT_TABLE.search(t.title or "") or unit_of(t.unit) is None:
            continue
        factor = UNIT_FACTOR[unit_of(t.unit)]  # type: ignore[index]
        name_col = next((c for c in t.columns if c.kind == ColumnKind.NAME), None)
        by_region_row = name_col is not None and bool(_REGION_HEAD.search(name_col.name))
        up = _ancestors(t.rows)
        vcols = t.value_columns
        title = re.sub(r"^\d{4}\s*年", "", _norm(t.title))
        for i, r in enumerate(t.rows):
            if by_region_row:
                region = clean(r.name)
                row_parts: list[str] = []
                if not region or is_term(region):
                    continue
            else:
                if not is_term(r.name):
                    continue
                region = ""
                row_parts = [r.name]
                k = i
                while k in up:
                    k = up[k]
                    row_parts.append(t.rows[k].name)
            for j, col in enumerate(vcols):
                c = cell(r, j)
                if col.kind != ColumnKind.AMOUNT or c is None or c.value is None:
                    continue
                segs = [s for s in _norm(col.name).split("/") if s]
                if not segs:
                    continue
                reg = region
                col_parts = list(reversed(segs))
                if not by_region_row and not is_term(segs[-1]):
                    reg = clean(segs[-1])
                    col_parts = col_parts[1:]
                if any(not is_term(s) for s in col_parts):
                    continue
                fid = ctx.cell_fact.get((doc.id, c.start, c.end))
                f = ctx.facts.get(fid) if fid else None
                year = f.period.year if f is not None else col.year
                plan = (f.stage if f is not None else col.stage) in _PLAN
                if not reg and f is not None and f.government:
                    reg = f.government  # a table of one government: the document's
                scope = "own" if "本级" in title + reg else "whole"
                reg = reg.replace("本级", "") or reg
                key = _key(col_parts + row_parts + [title], year, plan, reg, scope)
                if key is None:
                    continue
                iv = cell_iv(c)
                out.append(DebtCell(key, ex, t, r, c, Interval(iv.lo * factor, iv.hi * factor)))
    return out


def same_figure_groups(cells: list[DebtCell]) -> list[list[DebtCell]]:
    """Cells with one key, at least two of them."""
    groups: dict[DebtKey, list[DebtCell]] = defaultdict(list)
    for c in cells:
        groups[c.key].append(c)
    return [g for g in groups.values() if len(g) >= 2]


def _with(key: DebtKey, **changes: object) -> DebtKey:
    d = dict(key.__dict__)
    d.update(changes)
    return DebtKey(**d)  # type: ignore[arg-type]


def sum_relations(cells: list[DebtCell]) -> Iterator[tuple[DebtCell, list[list[DebtCell]]]]:
    """(total cell, [cells of each part]) for each total whose parts are all printed:
    total = general + special; issued = new + refinancing bonds (each kind)."""
    by_key: dict[DebtKey, list[DebtCell]] = defaultdict(list)
    for c in cells:
        by_key[c.key].append(c)
    for key, tots in by_key.items():
        splits: list[list[DebtKey]] = []
        if key.kind == "total":
            splits.append([_with(key, kind="general"), _with(key, kind="special")])
        if key.family == "issue" and key.sub is None:
            splits.append([_with(key, sub="new"), _with(key, sub="refinance")])
        for parts in splits:
            if all(by_key.get(p) for p in parts):
                for t in tots:
                    yield t, [by_key[p] for p in parts]


def sum_fits(total: DebtCell, parts: tuple[DebtCell, ...]) -> bool:
    lo = sum((p.iv.lo for p in parts), Decimal(0))
    hi = sum((p.iv.hi for p in parts), Decimal(0))
    return meets(Interval(lo, hi), total.iv)


def combos(parts: list[list[DebtCell]]) -> Iterator[tuple[DebtCell, ...]]:
    return product(*parts)


def bound_pairs(cells: list[DebtCell]) -> Iterator[tuple[DebtCell, DebtCell]]:
    """(new bonds issued, new debt limit) of one kind, year and region."""
    limits: dict[tuple[object, ...], list[DebtCell]] = defaultdict(list)
    for c in cells:
        k = c.key
        if k.family == "limit" and k.sub == "new":
            limits[(k.kind, k.year, k.region)].append(c)
    for c in cells:
        k = c.key
        if k.family == "issue" and k.sub == "new":
            for lim in limits.get((k.kind, k.year, k.region), []):
                yield c, lim


def cross_table_sums(cells: list[DebtCell]) -> Iterator[tuple[DebtCell, list[tuple[DebtCell, ...]]]]:
    """(total, its choices of parts) where no part is printed in the total's own table (a
    table's own sums are the table rules' business); totals without such a choice are left
    out."""
    def home(c: DebtCell) -> bool:
        return c.table.start == total.table.start

    total: DebtCell
    for total, parts in sum_relations(cells):
        if all(any(home(c) for c in part) for part in parts):
            continue  # the parts are printed beside the total: YS114/YS115 check them
        choices = [c for c in combos(parts) if not any(home(p) for p in c)]
        if choices:
            yield total, choices


def corroborated(cells: list[DebtCell]) -> set[int]:
    """Ids of the cells that some sum of the debt tables (in any table) confirms: a total and
    parts that add up.  Where two tables disagree on a figure, the confirmed one is taken as
    the reference."""
    out: set[int] = set()
    for total, parts in sum_relations(cells):
        for combo in combos(parts):
            if sum_fits(total, combo):
                out.add(id(total))
                out.update(id(p) for p in combo)
    return out
