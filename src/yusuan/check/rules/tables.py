"""YS1xx: identities inside and between disclosure tables."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal

from yusuan.check.arith import (
    HUNDRED,
    ZERO,
    cell_iv,
    fmt,
    growth_iv,
    is_blank,
    meets,
    places_of,
    ratio_iv,
    truncated,
)
from yusuan.check.engine import Context, Hit, Rule, register
from yusuan.check.rules._table import (
    BALANCE_LINE,
    blank_row,
    cell,
    clean,
    col_label,
    column_precision,
    compared_columns,
    effective,
    effective_point,
    is_part,
    is_subtotal,
    is_top,
    is_total,
    outline,
    side_views,
    structure,
)
from yusuan.model import Cell, ColumnKind, Extraction, Interval, Row, Severity, Source, Table
from yusuan.refdata.codes import CodeList, load_codes

TAB = frozenset({"table"})


def views(ctx: Context) -> Iterator[tuple[Extraction, Table]]:
    """Every non-empty table, a two-sided one as one table per side, each amount column read
    at its finest printed precision (:func:`column_precision`)."""
    for ex, t in ctx.tables():
        for v in table_views(t):
            yield ex, v


def table_views(t: Table) -> list[Table]:
    """One table as the rules read it: one view per side, amounts at column precision."""
    return [column_precision(v) for v in side_views(t)]


def cell_source(ex: Extraction, row: Row, c: Cell | None, derived: str = "") -> Source:
    doc = ex.document
    if c is None or c.end <= c.start:
        start, end = row.start, row.end
    else:
        start, end = c.start, c.end
    return Source(doc.id, row.line, start, end, doc.text[start:end], doc.path, None, derived)


def row_source(ex: Extraction, row: Row) -> Source:
    doc = ex.document
    return Source(doc.id, row.line, row.start, row.end, doc.text[row.start:row.end], doc.path)


def table_name(t: Table) -> str:
    return t.number or t.title


def row_name(row: Row) -> str:
    return f"{row.code} {clean(row.name)}" if row.code else clean(row.name)


def additive_cols(t: Table) -> tuple[int, ...]:
    return tuple(j for j, c in enumerate(t.value_columns)
                 if c.kind in (ColumnKind.AMOUNT, ColumnKind.CHANGE))


WHOLE_UNITS = ("万元", "元")


def whole_column(t: Table, j: int) -> bool:
    """Is column ``j`` printed in whole 万元 (or 元): every figure an integer?

    Why: the 预决算公开 templates round each row to the table's unit and print the total as
    the sum of the printed rows.  Measured on the seeds: every clean sum over a whole-万元
    column of 002 (93 of 93) equals the exact sum of its printed cells, while the two-decimal
    tables (003, and 002's 亿元 columns) differ by a cent now and then (1985.54 printed for
    rows adding up to 1985.53): so a whole-unit column's sums are compared exactly (tolerance
    0), and every other column keeps half a unit of the last printed digit per figure.  Only
    sums within one table: rates and cross-table comparisons keep their intervals."""
    if not t.unit or not any(u in t.unit for u in WHOLE_UNITS) or "亿" in t.unit:
        return False
    seen = False
    for row in t.rows:
        c = cell(row, j)
        if c is None or c.value is None:
            continue
        if places_of(c.value) > 0:
            return False
        seen = True
    return seen


def sum_hit(ex: Extraction, t: Table, target: int, parts: Sequence[int], j: int,
            params: dict[str, object], *, children: dict[int, list[int]] | None = None,
            partial: bool = False, severity: Severity | None = None) -> Hit | None:
    """A hit when row ``target`` in column ``j`` is not the sum of rows ``parts`` (with
    ``partial``: when the parts exceed it).  Blank parents count as their children's sum."""
    rows = t.rows
    kids = children or {}
    total_cell = cell(rows[target], j)
    got = cell_iv(total_cell)
    lo = hi = pt = ZERO
    for i in parts:
        iv = effective(rows, kids, i, j)
        lo, hi = lo + iv.lo, hi + iv.hi
        pt += effective_point(rows, kids, i, j)
    exp = Interval(lo, hi)
    if whole_column(t, j):  # totals are sums of the printed whole-unit rows: exact
        printed_pt = total_cell.value if total_cell and total_cell.value is not None else ZERO
        exp, got = Interval.exact(pt), Interval.exact(printed_pt)
        if (pt <= printed_pt) if partial else pt == printed_pt:
            return None
    elif (exp.lo <= got.hi) if partial else meets(exp, got):
        return None
    printed = total_cell.value if total_cell and total_cell.value is not None else ZERO
    places = max([places_of(printed)] + [places_of(c.value) for i in parts
                                          if (c := cell(rows[i], j)) and c.value is not None])
    unit = t.unit or ""
    tol = (exp.hi - exp.lo) / 2 + (got.hi - got.lo) / 2
    sources = [cell_source(ex, rows[target], total_cell)]
    sources += [cell_source(ex, rows[i], c) for i in parts
                if (c := cell(rows[i], j)) is not None and c.value is not None]
    if pt == ZERO and not partial:
        # nothing printed under the parts: the evidence is the rows themselves
        sources += [row_source(ex, rows[i]) for i in parts]
    return Hit(
        params={"table": table_name(t), "row": row_name(rows[target]),
                "column": col_label(t.value_columns[j]), "printed": f"{fmt(printed)}{unit}",
                "expected": f"{fmt(pt, places)}{unit}", "gap": f"{fmt(printed - pt, places)}{unit}",
                "n": len(parts), **params},
        sources=tuple(sources),
        expected=fmt(pt, places),
        printed=fmt(printed),
        gap=fmt(printed - pt, places),
        tolerance=fmt(tol, places + 1),
        document=ex.document.id,
        severity=severity,
    )


@register
class ParentEqualsChildren(Rule):
    """What: in a table by classification code, a parent code's figure equals the sum of its
    children's (类 = Σ款, 款 = Σ项, and likewise for revenue and economic codes), in every amount
    column, within the rounding of the printed figures.  A blank cell counts as 0.  Balance lines
    that the templates print under 转移性收入/转移性支出 but add to the total separately
    (上年结余, 调入资金, 债务转贷收入, 动用预算稳定调节基金 …) may follow a parent that covers
    only the children before them.

    Why: 《预算法》第三十二条、第四十六条 and the 政府收支分类科目 make every 类 the sum of its
    款 and every 款 the sum of its 项; the 财政部 预决算公开 templates print them that way.

    Children printed as 其中 items need not be exhaustive: then they must not exceed the parent.
    A parent printed blank while its children carry figures is a notice (the total then counts
    the children).

    Example: 101 税收收入 90000 = 10101 39540 + 10104 15985 + … (no finding); a 项 misprinted
    makes its 款 and 类 disagree with their children.

    Precision: in a column printed in whole 万元 (or 元) the sum is compared exactly
    (tolerance 0): the templates round every row to the unit and print the total as the sum
    of the printed rows (on 002 every clean sum over such a column, 93 of 93, equals the sum
    of its printed cells).  Columns with decimals (or in 亿元) keep half a unit per figure: there
    the printed total sometimes differs from its rounded rows by a cent (003; 1985.54 printed
    for rows adding up to 1985.53).

    Fix: correct the misprinted child or parent.
    """

    code = "YS101"
    title = "上级科目不等于下级科目之和"
    title_en = "Parent code does not equal the sum of its children"
    tags = TAB | {"sum", "code"}
    message = "{table} {row}「{column}」为 {printed}，其 {n} 个下级科目之和为 {expected}，相差 {gap}"
    message_en = "{table} {row} [{column}] is {printed}; its {n} children add up to {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            st = structure(t)
            if st.two_sided:
                continue
            for p, kids in st.children.items():
                kids = [k for k in kids if k not in st.detached]
                if not kids:
                    continue
                partial = is_part(t.rows[kids[0]])  # 其中 items need not be exhaustive
                for j in additive_cols(t):
                    parent_blank = is_blank(cell(t.rows[p], j))
                    if parent_blank and all(is_blank(cell(t.rows[k], j)) for k in kids):
                        continue
                    hit = sum_hit(ex, t, p, kids, j, {}, children=st.children, partial=partial,
                                  severity=Severity.NOTICE if parent_blank else None)
                    if hit:
                        yield hit


def _segment(t: Table, ti: int) -> list[int]:
    """The rows a total or subtotal row totals."""
    rows = t.rows
    after = ti + 1 < len(rows) and is_part(rows[ti + 1])
    before = [i for i in range(ti) if not blank_row(rows[i])]
    out: list[int] = []
    if after or not before:
        # a total printed first, or a subtotal whose 其中 items follow it
        for i in range(ti + 1, len(rows)):
            r = rows[i]
            if is_total(r) or (after and (is_subtotal(r) or (i > ti + 1 and is_top(r)))):
                break
            out.append(i)
        return out
    grand = "总计" in rows[ti].name
    for i in range(ti - 1, -1, -1):
        if is_total(rows[i]) and not is_subtotal(rows[i]) and not (
                grand and "总计" not in rows[i].name):
            break  # a 总计 also totals the 合计 rows before it
        out.append(i)
    return sorted(out)


def _candidates(t: Table, seg: list[int], parent: dict[int, int],
                detached: frozenset[int]) -> list[list[int]]:
    """Sets of rows that a total may be the sum of, most natural first."""
    rows = t.rows
    segset = set(seg)
    plain = [i for i in seg if not is_total(rows[i]) and not is_subtotal(rows[i])]
    roots = [i for i in plain if rows[i].code and (parent.get(i) not in segset or i in detached)]
    uncoded = [i for i in plain if not rows[i].code and not is_part(rows[i])]
    subs = [i for i in seg if is_subtotal(rows[i]) or (is_total(rows[i]) and i < max(seg, default=0))]
    tops = [i for i in plain if is_top(rows[i])]
    cands: list[list[int]] = []
    if subs:
        last = max(subs)
        after = [i for i in roots + uncoded if i > last]
        cands.append(sorted(subs + after))
        cands.append(sorted(subs + [i for i in after if BALANCE_LINE.search(rows[i].name)]))
    cands.append(sorted(set(roots + uncoded)))
    cands.append(roots)
    if tops:
        cands.append(sorted(set(tops + [i for i in roots if not rows[i].name.startswith("（")])))
        cands.append(tops)
    if not any(rows[i].code for i in plain):
        top_level = [i for i in plain if not is_part(rows[i]) and not re.match(
            r"^\s*[（(]", rows[i].name)]
        cands.append(top_level)
        cands.append([i for i in seg if not is_total(rows[i])])
    if plain:
        cands.append([plain[0]])  # the first row is itself the parent of the rest
    return [c for c in cands if c]


@register
class TotalEqualsParts(Rule):
    """What: a total or subtotal row (合计, 总计, 小计) equals the sum of the rows it totals: the
    top-level codes, the balance lines (收入合计 = 小计 + 上级补助 + 上年结余 + 调入资金 + 债务收入
    …) or the subtotals, in every amount column, within rounding.  A total printed first (the
    templates of 社会保险基金 and 三公 tables) totals the rows after it.

    Why: totals are what a people's congress approves (《预算法》第四十八条); the 财政部 预决算
    公开 templates make each total the sum of the lines above it.

    A total printed blank while its lines carry figures is a notice; a later total then counts
    the blank one as the sum of its lines.

    Example: 一般公共预算收入 407810 = 税收收入 90000 + 非税收入 60000 + 转移性收入 145423 +
    上年结余 … (no finding).

    Precision: in a column printed in whole 万元 (or 元) the sum is compared exactly
    (tolerance 0): the templates round every row to the unit and print the total as the sum
    of the printed rows (on 002 every clean sum over such a column, 93 of 93, equals the sum
    of its printed cells).  Columns with decimals (or in 亿元) keep half a unit per figure: there
    the printed total sometimes differs from its rounded rows by a cent (003; 1985.54 printed
    for rows adding up to 1985.53).

    Fix: correct the total or the misprinted line.
    """

    code = "YS102"
    title = "合计行不等于各行之和"
    title_en = "Total row does not equal the sum of its lines"
    tags = TAB | {"sum", "balance"}
    message = "{table}「{row}」的「{column}」为 {printed}，各组成行之和为 {expected}，相差 {gap}"
    message_en = "{table} [{row}] [{column}] is {printed}; its lines add up to {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            st = structure(t)
            if st.two_sided:
                continue
            cols = additive_cols(t)
            # a blank subtotal stands for the sum of its lines (filled in as totals are met)
            kids: dict[int, list[int]] = dict(st.children)
            for ti, row in enumerate(t.rows):
                if not (is_total(row) or is_subtotal(row)) or blank_row(row):
                    continue
                if ti in st.children:
                    continue  # a coded total row is checked as a parent (YS101)
                seg = _segment(t, ti)
                cands = _candidates(t, seg, st.parent, st.detached)
                if not cands:
                    continue
                fits = [[self._fits(t, kids, c, j, row) for j in cols] for c in cands]
                if len(cands[-1]) == 1 and not self._is_parent(t, kids, seg, cols):
                    cands, fits = cands[:-1], fits[:-1]
                if not cands:
                    continue
                best = max(range(len(cands)), key=lambda k: (sum(fits[k]), -k))
                kids[ti] = cands[best]
                if any(all(f) for f in fits):
                    continue
                for n, j in enumerate(cols):
                    if fits[best][n]:
                        continue
                    blank = is_blank(cell(row, j))
                    hit = sum_hit(ex, t, ti, cands[best], j, {}, children=kids,
                                  severity=Severity.NOTICE if blank else None)
                    if hit:
                        yield hit

    @classmethod
    def _fits(cls, t: Table, children: dict[int, list[int]], idx: list[int], j: int,
              row: Row) -> bool:
        """Is ``row`` the sum of rows ``idx`` in column ``j`` (exactly in a whole-unit
        column, as :func:`sum_hit` compares it)?"""
        if whole_column(t, j):
            c = cell(row, j)
            printed = c.value if c is not None and c.value is not None else ZERO
            return printed == sum((effective_point(t.rows, children, i, j) for i in idx), ZERO)
        return meets(cls._sum(t, children, idx, j), cell_iv(cell(row, j)))

    @staticmethod
    def _sum(t: Table, children: dict[int, list[int]], idx: list[int], j: int) -> Interval:
        lo = hi = ZERO
        for i in idx:
            iv = effective(t.rows, children, i, j)
            lo, hi = lo + iv.lo, hi + iv.hi
        return Interval(lo, hi)

    @classmethod
    def _is_parent(cls, t: Table, children: dict[int, list[int]], seg: list[int],
                   cols: tuple[int, ...]) -> bool:
        plain = [i for i in seg if not is_total(t.rows[i]) and not is_subtotal(t.rows[i])]
        if len(plain) < 2:
            return False
        first, rest = plain[0], [i for i in plain[1:] if not is_part(t.rows[i])]
        return all(cls._sum(t, children, rest, j).overlaps(cell_iv(cell(t.rows[first], j)))
                   for j in cols)


def _meaning_fits(kind: str, base: Cell | None, cur: Cell | None, total: Cell | None,
                  printed: Decimal) -> bool | None:
    """Does ``printed`` agree with the meaning ``kind``?  None when it cannot be told.

    The amounts keep half a unit each even in whole-万元 columns: the templates compute a
    rate from the unrounded amounts (measured on 002: taking the printed 万元 cells as exact
    makes six false findings, e.g. a rate 0.007 points off the printed cells' rate)."""
    b_zero = is_blank(base) or (base is not None and base.value == ZERO)
    c_zero = is_blank(cur) or (cur is not None and cur.value == ZERO)
    from yusuan.model import pct_interval

    p = pct_interval(printed)
    if kind == "growth":
        if b_zero:
            if c_zero:  # nothing to nothing: 0 (or blank), by the templates' convention
                return printed == ZERO
            # a new item: by the templates' convention 100% (or blank); any other rate
            # cannot follow from a zero base
            return printed == HUNDRED
        if c_zero:
            return p.contains(Decimal(-100))
        rng = growth_iv(cell_iv(cur), cell_iv(base))
    elif kind == "ratio":
        if b_zero:
            return None
        rng = ratio_iv(cell_iv(cur), cell_iv(base))
    else:  # share of the total row in the same amount column
        if total is None or is_blank(total) or total.value == ZERO:
            return None
        rng = ratio_iv(cell_iv(cur), cell_iv(total))
    if rng is None:
        return None
    return meets(rng, p)


def _expected(kind: str, base: Cell | None, cur: Cell | None, total: Cell | None) -> Decimal | None:
    b = base.value if base and base.value is not None else ZERO
    c = cur.value if cur and cur.value is not None else ZERO
    if kind == "growth":
        if b == ZERO:
            return HUNDRED if c else ZERO
        return (c / b - 1) * HUNDRED
    if kind == "ratio":
        return c / b * HUNDRED if b else None
    tv = total.value if total and total.value is not None else ZERO
    return c / tv * HUNDRED if tv else None


_SAYS_GROWTH = re.compile(r"增减|增\s*[（(]?\s*减|增长|增幅|同比|比上年.*[增减]")
_SAYS_RATIO = re.compile(r"为.*的\s*%|完成.*%|执行.*%|进度")


def header_meaning(t: Table, j: int) -> str:
    """What the header's words say the column holds; its kind where the words are silent."""
    col = t.value_columns[j]
    name = _SP.sub("", col.name)
    if "占" in name:
        return "share"
    if _SAYS_GROWTH.search(name):
        return "growth"
    if _SAYS_RATIO.search(name):
        return "ratio"
    return "growth" if col.kind == ColumnKind.GROWTH else "ratio"


MEANING_ZH = {"growth": "增长率（本期/基期−1）", "ratio": "比率（本期/基期）",
              "share": "占合计的比重"}


def rate_columns(t: Table) -> Iterator[tuple[int, str, str, int, int, int | None]]:
    """(column, header meaning, meaning of the values, base col, current col, total row)."""
    vcols = t.value_columns
    total_row = next((i for i, r in enumerate(t.rows) if is_total(r) and not blank_row(r)), None)
    for j, col in enumerate(vcols):
        if col.kind not in (ColumnKind.GROWTH, ColumnKind.PERCENT):
            continue
        pair = compared_columns(t, j)
        if pair is None:
            continue
        a, b = pair
        head = header_meaning(t, j)
        counts = {}
        for kind in ("growth", "ratio", "share"):
            n = 0
            for r in t.rows:
                c = cell(r, j)
                if c is None or c.value is None:
                    continue
                tot = cell(t.rows[total_row], b) if total_row is not None else None
                ok = _meaning_fits(kind, cell(r, a), cell(r, b), tot, c.value)
                n += 1 if ok else 0
            counts[kind] = n
        values = max(counts, key=lambda k: (counts[k], k == head))
        if counts[values] <= counts[head] or counts[values] < 2:
            values = head
        yield j, head, values, a, b, total_row


@register
class RateColumn(Rule):
    """What: each cell of a growth column (增减%) equals current / base − 1 of its row's two
    amount columns, and each cell of a percentage column (完成预算%, 为上年的%) equals current /
    base, or (占比) the row's share of the total, within rounding.  Conventions of the
    templates: a blank amount is 0; a new item (base blank or 0) is printed as 100% (any other
    growth rate of a new item is a finding, expected 100%); an item
    that fell to 0 is −100%; an item 0 in both years is 0% (or blank).

    Why: the 财政部 预决算公开 templates print 比上年增减% beside the two years; a rate that
    does not follow from the amounts misstates the change the people's congress reviews.

    A rate cut instead of rounded (2.678% printed 2.67%) is a notice.

    Example: 税收收入 2023 年 73100, 2024 年 90000, 23.12% (90000 / 73100 − 1 = 23.119%: no
    finding).

    Precision: the amounts keep half a unit each even in whole-万元 columns, unlike the sums
    (YS101): the templates compute a rate from the unrounded amounts (taking 002's printed
    万元 cells as exact makes six false findings).

    Fix: recompute the rate from the printed amounts.
    """

    code = "YS103"
    title = "增减%（比率）列与金额列不符"
    title_en = "Growth or percentage cell disagrees with the amounts"
    tags = TAB | {"growth"}
    message = "{table} {row}「{column}」为 {printed}，按金额计算应为 {expected}（相差 {gap}）"
    message_en = "{table} {row} [{column}] is {printed}; from the amounts it is {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            for j, _head, kind, a, b, tr in rate_columns(t):
                tot = cell(t.rows[tr], b) if tr is not None else None
                for r in t.rows:
                    c = cell(r, j)
                    if c is None or c.value is None:
                        continue
                    ok = _meaning_fits(kind, cell(r, a), cell(r, b), tot, c.value)
                    if ok is not False:
                        continue
                    exp = _expected(kind, cell(r, a), cell(r, b), tot)
                    if exp is None:
                        continue
                    places = places_of(c.value) + 1
                    sev = Severity.NOTICE if truncated(exp, c.value) else None
                    srcs = [cell_source(ex, r, c), cell_source(ex, r, cell(r, a)),
                            cell_source(ex, r, cell(r, b))]
                    yield Hit(
                        params={"table": table_name(t), "row": row_name(r),
                                "column": col_label(t.value_columns[j]),
                                "printed": f"{fmt(c.value)}%", "expected": f"{fmt(exp, places)}%",
                                "gap": f"{fmt(c.value - exp, places)}"},
                        sources=tuple(dict.fromkeys(srcs)),
                        expected=fmt(exp, places),
                        printed=fmt(c.value),
                        gap=fmt(c.value - exp, places),
                        document=ex.document.id,
                        severity=sev,
                    )


@register
class HeaderMeaning(Rule):
    """What: the meaning a percentage column's header gives (增减% = growth; 为上年的% /
    完成预算% = ratio; 占比 = share of the total) is the meaning its values have.  Raised once
    per column when most cells fit another meaning and fewer fit the header's.

    Why: a reader takes the header at its word: a column headed 预算数为上年完成数的% that holds
    growth rates reads 27.89% as "a quarter of last year" when it means "up 27.89%".

    Example: header 预算数为上年完成数的%, values 27.89% for 74486 → 95263 (a growth rate).

    Fix: correct the header (or the values) so the two agree.
    """

    code = "YS104"
    title = "表头含义与数值不符"
    title_en = "Column header says one thing, its values another"
    severity = Severity.WARNING
    tags = TAB | {"growth", "header"}
    message = "{table}「{column}」表头表示{head}，但各行数值按{values}计算才相符"
    message_en = "{table} [{column}]: the header means {head_en}, but the values are {values_en}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            for j, head, kind, _a, _b, _tr in rate_columns(t):
                if head == kind:
                    continue
                first = next((r for r in t.rows if (c := cell(r, j)) and c.value is not None),
                             None)
                doc = ex.document
                name = t.value_columns[j].name
                at = doc.text.find(name.split()[0] if name.split() else name, t.start,
                                   first.start if first else t.end)
                srcs = []
                if at >= 0:
                    line = doc.line_at(at)
                    ln = doc.lines[line - 1]
                    srcs.append(Source(doc.id, line, ln.start, ln.end, ln.text, doc.path))
                if first is not None:
                    srcs.append(cell_source(ex, first, cell(first, j)))
                yield Hit(
                    params={"table": table_name(t), "column": col_label(t.value_columns[j]),
                            "head": MEANING_ZH[head], "values": MEANING_ZH[kind],
                            "head_en": head, "values_en": kind},
                    sources=tuple(srcs),
                    document=doc.id,
                )


@register
class ChangeColumn(Rule):
    """What: a change column (增减额) equals current − base of its row's two amount columns,
    within rounding; a blank amount counts as 0.

    Why: the templates print 比上年增减 beside the two years; the change must follow from them.

    Example: 2023 年 1341, 2024 年 1337, 增减 −4 (no finding).

    Fix: recompute the change from the amounts.
    """

    code = "YS105"
    title = "增减额列与金额列不符"
    title_en = "Change cell disagrees with the amounts"
    tags = TAB | {"difference"}
    message = "{table} {row}「{column}」为 {printed}，按金额计算应为 {expected}（相差 {gap}）"
    message_en = "{table} {row} [{column}] is {printed}; from the amounts it is {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            for j, col in enumerate(t.value_columns):
                if col.kind != ColumnKind.CHANGE:
                    continue
                pair = compared_columns(t, j)
                if pair is None:
                    continue
                a, b = pair
                for r in t.rows:
                    c = cell(r, j)
                    if c is None or c.value is None:
                        continue
                    exp = cell_iv(cell(r, b)) - cell_iv(cell(r, a))
                    if meets(exp, cell_iv(c)):
                        continue
                    pb, pa = cell(r, b), cell(r, a)
                    pt = ((pb.value if pb and pb.value is not None else ZERO)
                          - (pa.value if pa and pa.value is not None else ZERO))
                    yield Hit(
                        params={"table": table_name(t), "row": row_name(r),
                                "column": col_label(col), "printed": fmt(c.value),
                                "expected": fmt(pt), "gap": fmt(c.value - pt)},
                        sources=(cell_source(ex, r, c), cell_source(ex, r, pa),
                                 cell_source(ex, r, pb)),
                        expected=fmt(pt), printed=fmt(c.value), gap=fmt(c.value - pt),
                        document=ex.document.id,
                    )


def _coded_rows(ctx: Context) -> Iterator[tuple[Extraction, CodeList, Table, Row]]:
    """Every table row printing both a code and a name, with the code list of its year."""
    for ex in ctx.extractions:
        year = ex.year or next((c.year for t in ex.tables for c in t.columns if c.year), None)
        if year is None:
            continue
        try:
            codes = load_codes(year)
        except (FileNotFoundError, OSError):
            continue
        for t in ex.tables:
            for r in t.rows:
                if r.code and r.name.strip():
                    yield ex, codes, t, r


def _same_name(printed: str, official: str) -> bool:
    p, o = clean(printed), clean(official)
    if p == o:
        return True
    for suffix in ("合计", "总计", "小计"):
        if p.endswith(suffix) and p[: -len(suffix)] in (o, o + "收入", o + "支出"):
            return True
    return False


@register
class OfficialName(Rule):
    """What: a row's name is the official name of its code in the classification of the
    document's year (政府收支分类科目, from :mod:`yusuan.refdata.codes`).  A total row named
    after its 类 (社会保险基金收入合计 for 102) is accepted.

    Why: the code list is binding (《预算法》第三十二条; 财政部《政府收支分类科目》); a name that
    differs may mean a typo, an outdated name or a row under the wrong code.

    Example: 50401 printed 房屋建筑物构建, official 房屋建筑物购建.

    Fix: print the official name, or the right code for the name.
    """

    code = "YS106"
    title = "科目名称与官方名称不符"
    title_en = "Name differs from the official name of the code"
    severity = Severity.NOTICE
    tags = TAB | {"code"}
    message = "{table} 科目 {code} 印为「{printed}」，官方名称为「{expected}」"
    message_en = "{table} code {code} is printed as [{printed}]; the official name is [{expected}]"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, codes, t, r in _coded_rows(ctx):
            official = codes.name(r.code)
            if official is None or _same_name(r.name, official):
                continue
            yield Hit(
                params={"table": table_name(t), "code": r.code,
                        "printed": clean(r.name), "expected": official},
                sources=(row_source(ex, r),),
                expected=official, printed=clean(r.name),
                document=ex.document.id,
            )


@register
class CodeOfName(Rule):
    """What: a row's code exists in the classification of the document's year; when it does
    not and its name is the official name of another code, the row carries a misprinted code.

    Why: figures are aggregated and compared by code; a misprinted code (transposed digits,
    dropped digits) puts the figure under a code that does not exist.

    Example: 2290604 用于教育事业的彩票公益金支出: the name belongs to 2296004 (款 digits
    transposed).

    Fix: print the code the name belongs to.
    """

    code = "YS107"
    title = "科目编码有误（名称属于另一编码）"
    title_en = "Code misprinted: its name belongs to another code"
    severity = Severity.WARNING
    tags = TAB | {"code"}
    message = "{table} 编码 {printed}「{name}」不在科目表中，该名称的编码为 {expected}"
    message_en = "{table} code {printed} [{name}] is not in the code list; the name's code is {expected}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, codes, t, r in _coded_rows(ctx):
            if r.code in codes:
                continue
            kind = codes.kind_of(r.code)
            owners = [c for c in codes.by_name(clean(r.name)) if c.kind == kind]
            if len(owners) != 1:
                continue
            yield Hit(
                params={"table": table_name(t), "printed": r.code,
                        "name": clean(r.name), "expected": owners[0].code},
                sources=(row_source(ex, r),),
                expected=owners[0].code, printed=r.code,
                document=ex.document.id,
            )


@register
class NameElsewhere(Rule):
    """What: a code is printed with the same name everywhere in one document.

    Why: one code has one meaning; two names for one code in the same document mean a typo or
    a row under the wrong code in one of the tables.

    Example: 2296013 用于城乡医疗救助的的彩票公益金支出 in 表10, 用于城乡医疗救助的彩票公益金支出
    in 表12.

    Fix: make the names agree (with the official name).
    """

    code = "YS108"
    title = "同一科目在文中名称不一致"
    title_en = "One code printed with two names in one document"
    severity = Severity.NOTICE
    tags = TAB | {"code", "consistency"}
    message = "科目 {code} 在 {table} 印为「{printed}」，在 {other_table} 印为「{expected}」"
    message_en = "code {code} is [{printed}] in {table} and [{expected}] in {other_table}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            first: dict[str, tuple[Table, Row]] = {}
            reported: set[tuple[str, str]] = set()
            for t in ex.tables:
                for r in t.rows:
                    if not r.code or not r.name.strip():
                        continue
                    if r.code not in first:
                        first[r.code] = (t, r)
                        continue
                    t0, r0 = first[r.code]
                    if _same_name(r.name, r0.name) or _same_name(r0.name, r.name):
                        continue
                    key = (r.code, clean(r.name))
                    if key in reported:
                        continue
                    reported.add(key)
                    yield Hit(
                        params={"code": r.code, "table": table_name(t), "printed": clean(r.name),
                                "other_table": table_name(t0), "expected": clean(r0.name)},
                        sources=(row_source(ex, r), row_source(ex, r0)),
                        expected=clean(r0.name), printed=clean(r.name),
                        document=ex.document.id,
                    )


@register
class DuplicateCode(Rule):
    """What: a code appears on one row only in a table.

    Why: a table by classification lists each code once; a second row with the same code and
    name usually carries another code's figures.  Rows of one code with different names (one
    row per project) are the template of 项目支出 tables, and a total row printed again at the
    foot of a table is a repeated total; neither is reported.

    Example: 表12 prints 2121399 twice, the first time with the figures of 2121302.

    Fix: give the row its own code.
    """

    code = "YS109"
    title = "同一表内科目编码重复"
    title_en = "Code printed twice in one table"
    severity = Severity.WARNING
    tags = TAB | {"code"}
    message = "{table} 科目 {code} 出现两次（第 {line1} 行与第 {line2} 行）"
    message_en = "{table}: code {code} appears twice (lines {line1} and {line2})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            seen: dict[str, Row] = {}
            for r in t.rows:
                if not r.code:
                    continue
                if r.code in seen and not (is_total(r) or is_total(seen[r.code])):
                    r0 = seen[r.code]
                    if (clean(r0.name), _texts(r0)) != (clean(r.name), _texts(r)):
                        continue  # one code per project row (项目支出 tables) is the template
                    yield Hit(
                        params={"table": table_name(t), "code": r.code, "line1": r0.line,
                                "line2": r.line},
                        sources=(row_source(ex, r0), row_source(ex, r)),
                        document=ex.document.id,
                    )
                else:
                    seen[r.code] = r


_SP = re.compile(r"\s+")


def _texts(r: Row) -> tuple[str, ...]:
    """The text cells of a row (project names and the like)."""
    return tuple(c.text.strip() for c in r.cells if c.value is None and c.text.strip())


def _title_key(title: str) -> str:
    return _SP.sub("", title).replace("本级", "")


def version_pairs(ex: Extraction) -> Iterator[tuple[Table, Table]]:
    """(全口径 table, 本级 table) pairs: titles equal once 本级 is removed."""
    whole: dict[str, Table] = {}
    for t in ex.tables:
        if t.empty or "本级" in t.title:
            continue
        whole.setdefault(_title_key(t.title), t)
    for t in ex.tables:
        if t.empty or "本级" not in t.title:
            continue
        w = whole.get(_title_key(t.title))
        if w is not None:
            yield w, t


def _common_cols(a: Table, b: Table) -> list[tuple[int, int]]:
    out = []
    for j, c in enumerate(b.value_columns):
        if c.kind != ColumnKind.AMOUNT:
            continue
        for k, d in enumerate(a.value_columns):
            if d.kind == ColumnKind.AMOUNT and _SP.sub("", d.name) == _SP.sub("", c.name):
                out.append((k, j))
                break
    return out


def _values(r: Row, cols: Sequence[int]) -> tuple[Decimal, ...]:
    return tuple((c.value if (c := cell(r, j)) and c.value is not None else ZERO) for j in cols)


@register
class OwnWithinWhole(Rule):
    """What: a figure of the 本级 version of a table does not exceed the same code's figure in
    the 全口径 version (全市/全州/全区) of the same table, column by column.

    Why: 全市 is 本级 plus the governments below it; a 本级 figure above the 全市 figure means
    one of the two tables is misprinted.

    Example: 表12 (本级) 2121399 3563 while 表10 (全市) 2121399 is blank.

    Fix: correct the row of the misprinted table.
    """

    code = "YS110"
    title = "本级数大于全口径数"
    title_en = "Own-level figure exceeds the whole-area figure"
    tags = TAB | {"consistency", "scope"}
    message = "{own_table}（本级）{row}「{column}」为 {printed}，大于 {whole_table}（全口径）的 {expected}"
    message_en = "{own_table} (own) {row} [{column}] is {printed}, above {whole_table} (whole) {expected}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            for w, o in version_pairs(ex):
                cols = _common_cols(w, o)
                wrows: dict[str, Row] = {}
                for r in w.rows:
                    if r.code:
                        wrows.setdefault(r.code, r)
                for r in o.rows:
                    if not r.code or r.code not in wrows:
                        continue
                    rw = wrows[r.code]
                    for k, j in cols:
                        co, cw = cell(r, j), cell(rw, k)
                        if is_blank(co) or co is None or co.value is None or co.value <= ZERO:
                            continue
                        if cell_iv(co).lo <= cell_iv(cw).hi:
                            continue
                        wv = cw.value if cw is not None and cw.value is not None else ZERO
                        yield Hit(
                            params={"own_table": table_name(o), "whole_table": table_name(w),
                                    "row": row_name(r), "column": col_label(o.value_columns[j]),
                                    "printed": fmt(co.value), "expected": fmt(wv)},
                            sources=(cell_source(ex, r, co), cell_source(ex, rw, cw)),
                            expected=fmt(wv), printed=fmt(co.value), gap=fmt(co.value - wv),
                            document=ex.document.id,
                        )


@register
class CodeBetweenVersions(Rule):
    """What: a row of the 本级 version of a table carries the same code as the row with the same
    figures in the 全口径 version.  Raised when the 本级 row's figures (at least one non-zero)
    are printed in the 全口径 table under another code, and its own code there has other
    figures or is missing.

    Why: the two versions are printed from one classification; a row whose figures move to
    another code in one version has its code (or its figures) misprinted.

    Example: 表11 prints 1039998 with the figures that 表9 gives to 103109998 (two digits
    dropped); 表12 prints 2121399 with the figures 表10 gives to 2121302.

    Fix: print the code the figures belong to.
    """

    code = "YS111"
    title = "全口径与本级表的科目编码不一致"
    title_en = "Code differs between the whole-area and own-level versions of a table"
    severity = Severity.WARNING
    tags = TAB | {"code", "consistency", "scope"}
    message = "{own_table} {row} 的数额在 {whole_table} 中属于科目 {expected}「{other_name}」"
    message_en = "{own_table} {row}: these figures belong to code {expected} [{other_name}] in {whole_table}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            for w, o in version_pairs(ex):
                cols = _common_cols(w, o)
                if not cols:
                    continue
                wcols = [k for k, _ in cols]
                ocols = [j for _, j in cols]
                by_code: dict[str, Row] = {}
                by_vals: dict[tuple[Decimal, ...], list[Row]] = defaultdict(list)
                for r in w.rows:
                    if r.code:
                        by_code.setdefault(r.code, r)
                        by_vals[_values(r, wcols)].append(r)
                for r in o.rows:
                    if not r.code:
                        continue
                    vals = _values(r, ocols)
                    if all(v == ZERO for v in vals):
                        continue
                    same = by_code.get(r.code)
                    if same is not None and _values(same, wcols) == vals:
                        continue
                    others = [x for x in by_vals.get(vals, []) if x.code != r.code]
                    if len(others) != 1:
                        continue
                    other = others[0]
                    if by_code.get(other.code) is None:
                        continue
                    yield Hit(
                        params={"own_table": table_name(o), "whole_table": table_name(w),
                                "row": row_name(r), "expected": other.code,
                                "other_name": clean(other.name)},
                        sources=(row_source(ex, r), row_source(ex, other)),
                        expected=other.code, printed=r.code,
                        document=ex.document.id,
                    )


def _last_total(t: Table) -> Row | None:
    rows = [r for r in t.rows if is_total(r) and not blank_row(r)]
    return rows[-1] if rows else None


def _has_balance_lines(t: Table) -> bool:
    return sum(1 for r in t.rows if BALANCE_LINE.search(r.name or "")) >= 2


@register
class BalancedTables(Rule):
    """What: in a budget whose revenue table includes the balance lines (上级补助, 上年结余,
    调入资金, 债务收入 …) and whose expenditure table includes theirs (上解, 调出, 债务还本,
    结转下年 …), the revenue total (收入总计) equals the expenditure total (支出总计), column by
    column.

    Why: 《预算法》第十二条 requires a balanced budget: sources equal uses once the balance
    lines are counted; the templates print both totals for that reason.

    Example: 表1 一般公共预算收入 407810 and 表2 一般公共预算支出合计 407810 (no finding).

    Fix: correct the total (or the balance line) that makes the budget unbalanced.
    """

    code = "YS112"
    title = "收入总计与支出总计不平衡"
    title_en = "Revenue total does not balance the expenditure total"
    tags = TAB | {"balance"}
    message = "{table}「{column}」收入总计 {expected} 与 {other_table} 支出总计 {printed} 不相等（相差 {gap}）"
    message_en = "{table} [{column}] revenue total {expected} differs from {other_table} expenditure total {printed} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            rev: dict[str, Table] = {}
            for t in ex.tables:
                title = _SP.sub("", t.title)
                if "收入" in title and "支出" not in title and not t.empty:
                    rev.setdefault(title.replace("收入", "支出"), t)
            for e in ex.tables:
                r = rev.get(_SP.sub("", e.title))
                if r is None or e.empty:
                    continue
                if not (_has_balance_lines(r) and _has_balance_lines(e)):
                    continue
                yield from _totals_disagree(ex, r, e)


def _totals_disagree(ex: Extraction, a: Table, b: Table) -> Iterator[Hit]:
    """A hit for each column both tables have where their last total rows disagree (``a``'s
    total is the expected figure, ``b``'s the printed one)."""
    ta, tb = _last_total(a), _last_total(b)
    if ta is None or tb is None:
        return
    for k, j in _common_cols(a, b):
        ca, cb = cell(ta, k), cell(tb, j)
        if is_blank(ca) or is_blank(cb):
            continue
        if meets(cell_iv(ca), cell_iv(cb)):
            continue
        assert ca is not None and cb is not None
        assert ca.value is not None and cb.value is not None
        yield Hit(
            params={"table": table_name(a), "other_table": table_name(b),
                    "column": col_label(b.value_columns[j]),
                    "expected": fmt(ca.value), "printed": fmt(cb.value),
                    "gap": fmt(cb.value - ca.value)},
            sources=(cell_source(ex, ta, ca), cell_source(ex, tb, cb)),
            expected=fmt(ca.value), printed=fmt(cb.value),
            gap=fmt(cb.value - ca.value), document=ex.document.id,
        )


def _kind(t: Table) -> str | None:
    digits = {r.code[0] for r in t.rows if r.code}
    if digits == {"2"}:
        return "function"
    if digits <= {"5", "3"} and digits:
        return "economic"
    return None


@register
class FunctionEconomicTotals(Rule):
    """What: the total of an expenditure table by function (2xx codes) equals the total of the
    expenditure table by economic class (5xx/3xx codes) of the same book, scope and column.
    Tables of 基本支出 only are not compared.

    Why: the two tables classify the same expenditure two ways (《预算法》第四十六条: 按功能分类
    and 按经济性质分类); their totals must agree.

    Example: 表4 一般公共预算支出合计 354125 and 表6 (经济分类) 合计 354125 (no finding).

    Fix: correct the total, or the row that makes the two classifications disagree.
    """

    code = "YS113"
    title = "功能分类与经济分类支出合计不一致"
    title_en = "Functional and economic expenditure totals disagree"
    tags = TAB | {"consistency"}
    message = "{table}（功能分类）「{column}」合计 {expected} 与 {other_table}（经济分类）合计 {printed} 不一致"
    message_en = "{table} (functional) [{column}] total {expected} differs from {other_table} (economic) {printed}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            tabs = [t for t in ex.tables if not t.empty and "支出" in t.title
                    and "基本支出" not in t.title]
            func = [t for t in tabs if _kind(t) == "function"]
            econ = [t for t in tabs if _kind(t) == "economic"]
            for e in econ:
                for f in func:
                    if ("本级" in e.title) != ("本级" in f.title) or e.book != f.book:
                        continue
                    yield from _totals_disagree(ex, f, e)




_TOTAL_COL = re.compile(r"^(合计|小计|总计)$")


def column_groups(t: Table) -> Iterator[tuple[int, list[int]]]:
    """(total column, its part columns): a column headed ``P/合计`` (or 小计, 总计) and the
    amount columns after it headed ``P/…``; or a column headed 合计 and the named amount columns
    after it, up to the next total column."""
    vcols = t.value_columns
    for j, c in enumerate(vcols):
        if c.kind != ColumnKind.AMOUNT:
            continue
        segs = [s.strip() for s in _SP.sub("", c.name).split("/")]
        if not _TOTAL_COL.match(segs[-1]):
            continue
        prefix = "/".join(segs[:-1])
        depth = len(segs)
        members: list[int] = []
        for k in range(j + 1, len(vcols)):
            d = vcols[k]
            name = _SP.sub("", d.name)
            if d.kind != ColumnKind.AMOUNT or d.side != c.side:
                break
            last = name.split("/")[-1]
            if prefix:
                if not name.startswith(prefix + "/") or _TOTAL_COL.match(last):
                    break
                if len(name.split("/")) != depth:
                    continue  # a deeper column belongs to a sub-group
            elif not name or "/" in name or _TOTAL_COL.match(last) or re.match(r"^列\d+$", name):
                break
            members.append(k)
        if len(members) >= 2:
            yield j, members


_NAMED_TOTAL = re.compile(r"(总规模|总额|合计|总计|小计)$")


def _row_fits(t: Table, r: Row, j: int, members: list[int]) -> bool | None:
    """Does row ``r``'s column ``j`` equal the sum of its ``members`` columns?  None when no
    part is printed.  Whole-unit cells are compared exactly (:func:`whole_row_group`)."""
    parts = [cell(r, k) for k in members]
    if all(is_blank(p) for p in parts):
        return None
    if whole_row_group(t, j, members):
        tc = cell(r, j)
        total = tc.value if tc is not None and tc.value is not None else ZERO
        return total == sum((p.value for p in parts if p is not None and p.value is not None),
                            ZERO)
    lo = hi = ZERO
    for p in parts:
        iv = cell_iv(p)
        lo, hi = lo + iv.lo, hi + iv.hi
    return meets(Interval(lo, hi), cell_iv(cell(r, j)))


def whole_row_group(t: Table, j: int, members: list[int]) -> bool:
    """Are a total column and its parts all printed in whole 万元 (or 元)?  Then the total is
    the exact sum of the printed parts, as for row sums (:func:`whole_column`)."""
    def printed(k: int) -> bool:
        return any(not is_blank(cell(r, k)) for r in t.rows)

    return whole_column(t, j) and all(whole_column(t, k) for k in members if printed(k))


def named_column_groups(t: Table) -> Iterator[tuple[int, list[int]]]:
    """(total column, part columns) for a one-level header naming a total (提前下达总规模,
    债务限额总额, 项目合计 …) and the amount columns after it up to the next such header, less
    the 其中 columns (parts of the column before them).  The header alone does not say which
    columns it totals, so the table's rows must show it: at least two rows with a breakdown
    fit, and more rows fit than do not."""
    vcols = t.value_columns
    for j, c in enumerate(vcols):
        name = _SP.sub("", c.name)
        if (c.kind != ColumnKind.AMOUNT or "/" in name or not _NAMED_TOTAL.search(name)
                or _TOTAL_COL.match(name) or name.startswith("其中")):
            continue
        members: list[int] = []
        for k in range(j + 1, len(vcols)):
            d = vcols[k]
            dn = _SP.sub("", d.name)
            if d.kind != ColumnKind.AMOUNT or d.side != c.side or "/" in dn or (
                    _NAMED_TOTAL.search(dn)):
                break
            if not dn.startswith("其中"):
                members.append(k)
        if len(members) < 2:
            continue
        fits = [f for r in t.rows if (f := _row_fits(t, r, j, members)) is not None]
        if sum(fits) >= 2 and sum(fits) > len(fits) - sum(fits):
            yield j, members


def row_total_groups(t: Table) -> list[tuple[int, list[int]]]:
    """Every (total column, part columns) YS114 checks."""
    return list(column_groups(t)) + list(named_column_groups(t))


@register
class RowTotalColumn(Rule):
    """What: in each row, a total column (合计, 小计, or 2023年完成数/合计 over its sub-columns)
    equals the sum of the columns it totals (基本支出 + 项目支出; 本级 + 本级以下 …), within
    rounding; a blank cell counts as 0.

    Why: the 部门预算 and 预决算公开 templates split each figure across columns (财政部
    《地方预决算公开操作规程》 and the 部门预算 tables 1-11); the total column is their sum by
    construction.  Only columns at the total's own header level are summed, and a row whose
    part columns are all blank (no breakdown printed) is not checked.

    A one-level header naming a total (提前下达总规模, 限额总额 …) totals the amount columns
    after it (less its 其中 columns) when the table's own rows show it: at least two rows fit
    and more rows fit than do not (:func:`named_column_groups`).

    Example: 一般行政管理事务 合计 600.07 = 基本支出 0 + 项目支出 600.07 (no finding); 托里县
    提前下达总规模 9728 = 7538 + 1434 + 756 (no finding).

    Precision: when the total and its parts are all printed in whole 万元 (or 元), the total
    is compared exactly with the sum of the printed parts, as the row sums are (YS101; on 002
    every such row, 33 of 33, adds up exactly); otherwise each figure keeps half a unit of its
    last digit.

    Fix: correct the misprinted cell of the row.
    """

    code = "YS114"
    title = "合计列不等于分列之和"
    title_en = "Total column does not equal the sum of its columns"
    tags = TAB | {"sum"}
    message = "{table} {row}「{column}」为 {printed}，其 {n} 个分列之和为 {expected}，相差 {gap}"
    message_en = "{table} {row} [{column}] is {printed}; its {n} columns add up to {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            groups = row_total_groups(t)
            if not groups:
                continue
            for r in t.rows:
                for j, members in groups:
                    tc = cell(r, j)
                    parts = [cell(r, k) for k in members]
                    if _row_fits(t, r, j, members) is not False:
                        continue  # fits, or no breakdown printed for this row
                    pt = sum((p.value for p in parts if p is not None and p.value is not None),
                             ZERO)
                    printed = tc.value if tc is not None and tc.value is not None else ZERO
                    places = max([places_of(printed)] + [places_of(p.value) for p in parts
                                                         if p is not None and p.value is not None])
                    srcs = [cell_source(ex, r, tc)] + [cell_source(ex, r, p) for p in parts]
                    yield Hit(
                        params={"table": table_name(t), "row": row_name(r),
                                "column": col_label(t.value_columns[j]), "n": len(members),
                                "printed": fmt(printed), "expected": fmt(pt, places),
                                "gap": fmt(printed - pt, places)},
                        sources=tuple(dict.fromkeys(srcs)),
                        expected=fmt(pt, places), printed=fmt(printed),
                        gap=fmt(printed - pt, places), document=ex.document.id,
                    )


@register
class OutlineParent(Rule):
    """What: in a table without classification codes, a row marked as a heading (一、, （一）,
    1., (1)) equals the sum of the rows of the next level under it, and the items listed under
    其中 do not exceed the row they belong to, within rounding; a blank cell counts as 0.

    Why: the 部门预算 收支总表 and similar templates (财政部 部门预算公开 tables) give their
    structure by list markers instead of codes: 一、本年收入 = 1.一般公共预算拨款 + … + 5.单位资金.

    An unmarked row naming an amount in all (年度预算总额, 资金总额) heads the 其中 list after
    it; a 其中 list whose last item with figures is a catch-all 其他… (其中：财政拨款, 其他资金)
    is the whole, and must add up to its row (the 绩效目标表 template: 年度资金总额 = 财政拨款
    + 其他资金).

    Example: 一、本年收入 2,326.66 = 1.一般公共预算拨款 2,211.66 + 5.单位资金 115.00 (no
    finding); 年度预算总额 262.00 = 其中：财政拨款 157.00 + 其他资金 105.00 (no finding).

    Precision: in a column printed in whole 万元 (or 元) the sum is compared exactly
    (tolerance 0): the templates round every row to the unit and print the total as the sum
    of the printed rows (on 002 every clean sum over such a column, 93 of 93, equals the sum
    of its printed cells).  Columns with decimals (or in 亿元) keep half a unit per figure: there
    the printed total sometimes differs from its rounded rows by a cent (003; 1985.54 printed
    for rows adding up to 1985.53).

    Fix: correct the heading row or the misprinted line under it.
    """

    code = "YS115"
    title = "标题行不等于其下各行之和"
    title_en = "Heading row does not equal the sum of the rows under it"
    tags = TAB | {"sum"}
    message = "{table}「{row}」的「{column}」为 {printed}，其下 {n} 行之和为 {expected}，相差 {gap}"
    message_en = "{table} [{row}] [{column}] is {printed}; the {n} rows under it add up to {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            if any(r.code for r in t.rows):
                continue
            full, part = outline(t.rows)
            cols = additive_cols(t)
            for groups, partial in ((full, False), (part, True)):
                for p, kids in groups.items():
                    for j in cols:
                        if all(is_blank(cell(t.rows[k], j)) for k in kids):
                            continue
                        hit = sum_hit(ex, t, p, kids, j, {}, partial=partial)
                        if hit:
                            yield hit


_NUMBER = re.compile(r"^\d+$")


def numbered_groups(t: Table) -> list[tuple[int, list[int]]]:
    """(head row, numbered rows): in a table with a 序号 column, a row printed without a
    number (and not named 合计/小计) right before rows numbered 1, 2, … heads them: the
    region above the listed ones (塔城地区 over its counties) or a group of items.  Its
    numbered rows run to the next unnumbered row with figures."""
    vcols = t.value_columns
    seq = next((j for j, c in enumerate(vcols) if c.kind == ColumnKind.SEQ), None)
    if seq is None:
        return []
    rows = t.rows

    def numbered(i: int) -> bool:
        c = cell(rows[i], seq)
        return c is not None and bool(_NUMBER.match(c.text.strip()))

    out: list[tuple[int, list[int]]] = []
    for h, r in enumerate(rows):
        if (numbered(h) or blank_row(r) or is_total(r) or is_subtotal(r)
                or not clean(r.name)):
            continue
        kids: list[int] = []
        for i in range(h + 1, len(rows)):
            if numbered(i):
                kids.append(i)
            elif not blank_row(rows[i]):
                break
        if len(kids) >= 2:
            out.append((h, kids))
    return out


def numbered_fits(t: Table, h: int, kids: list[int]) -> tuple[list[int], list[int]]:
    """(columns where the head row is the sum of its numbered rows, columns where it is not);
    columns blank in the head and all its rows are in neither."""
    fit: list[int] = []
    miss: list[int] = []
    rows = t.rows
    for j in additive_cols(t):
        if is_blank(cell(rows[h], j)) and all(is_blank(cell(rows[k], j)) for k in kids):
            continue
        exp = sum_rows_iv(rows, kids, j)
        got = cell_iv(cell(rows[h], j))
        if whole_column(t, j):
            c = cell(rows[h], j)
            printed = c.value if c is not None and c.value is not None else ZERO
            ok = printed == sum((x.value for k in kids if (x := cell(rows[k], j)) is not None
                                 and x.value is not None), ZERO)
        else:
            ok = meets(exp, got)
        (fit if ok else miss).append(j)
    return fit, miss


def sum_rows_iv(rows: tuple[Row, ...], idx: list[int], j: int) -> Interval:
    lo = hi = ZERO
    for i in idx:
        iv = cell_iv(cell(rows[i], j))
        lo, hi = lo + iv.lo, hi + iv.hi
    return Interval(lo, hi)


def established_numbered_groups(t: Table) -> Iterator[tuple[int, list[int], list[int], list[int]]]:
    """(head, numbered rows, fitting columns, missing columns) where the head row is shown to
    total its numbered rows: in at least one column it is their sum, and in no fewer columns
    than it is not."""
    for h, kids in numbered_groups(t):
        fit, miss = numbered_fits(t, h, kids)
        if fit and len(fit) >= len(miss):
            yield h, kids, fit, miss


@register
class UnnumberedHeadRow(Rule):
    """What: in a list with a 序号 column, the row printed without a number before the
    numbered rows (the prefecture above its counties, a department above its units) equals
    the sum of the numbered rows in every amount column, within rounding; a blank cell counts
    as 0.  The head is taken as their total only when the table shows it: in at least one
    column it is their sum, and in no fewer columns than it is not.

    Why: the allocation tables of transfer payments (资金分配表, 财政部 and provincial
    分配文件) print the recipient governments numbered and the whole allocation on the
    unnumbered first line; the whole is the sum of what is allocated.

    Example: 塔城地区 42435 = 托里县 9728 + 裕民县 6380 + … + 沙湾市 5580 (no finding).

    Precision: in a column printed in whole 万元 (or 元) the sum is compared exactly, as in
    YS101.

    Fix: correct the head row or the misprinted numbered row.
    """

    code = "YS116"
    title = "汇总行不等于各编号行之和"
    title_en = "Unnumbered head row does not equal the sum of the numbered rows"
    tags = TAB | {"sum"}
    message = "{table}「{row}」的「{column}」为 {printed}，其下 {n} 个编号行之和为 {expected}，相差 {gap}"
    message_en = "{table} [{row}] [{column}] is {printed}; the {n} numbered rows under it add up to {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in views(ctx):
            for h, kids, _fit, miss in established_numbered_groups(t):
                for j in miss:
                    hit = sum_hit(ex, t, h, kids, j, {})
                    if hit:
                        yield hit


def rate_twins(ex: Extraction, tables: Sequence[Table]) -> list[list[tuple[Table, Row, Cell]]]:
    """Rate cells of one item printed in several tables: the same row name, the same rate
    meaning and the same two printed amounts of the same years and unit; groups of two or
    more."""
    groups: dict[tuple[object, ...], list[tuple[Table, Row, Cell]]] = defaultdict(list)
    for t in tables:
        for j, _head, kind, a, b, _tr in rate_columns(t):
            if kind == "share":
                continue  # a share depends on the table's total, not on the row alone
            ya, yb = t.value_columns[a], t.value_columns[b]
            for r in t.rows:
                c, x, y = cell(r, j), cell(r, a), cell(r, b)
                if c is None or c.value is None or is_blank(x) or is_blank(y):
                    continue
                assert x is not None and y is not None
                key = (clean(r.name), kind, x.value, y.value, ya.year, ya.stage, yb.year,
                       yb.stage, t.unit)
                groups[key].append((t, r, c))
    return [g for g in groups.values() if len(g) >= 2]


@register
class SameItemSameRate(Rule):
    """What: an item printed in two tables of one document with the same two amounts (the same
    name, years, stages and unit: 公务接待费 451 → 345 in the economic classification table
    and in the 三公 table) has the same growth rate (or percentage) in both, within the
    rounding of the printed rates.  When more than two tables print it, the rates that
    disagree with most are reported; between two, the one that follows from the printed
    amounts is taken as right.

    Why: both tables compute the rate from the same figures (财政部 预决算公开 templates); a
    rate that differs between them is a misprint in one.  The check holds even where the rate
    cannot be recomputed exactly from the printed amounts (the templates compute from unrounded
    amounts, so YS103 allows their rounding).

    Example: 表6 50206 公务接待费 451 345 −23.50% and 表27 公务接待费 451 345 −23.50% (no
    finding); −23.70% in one of them is one.

    Fix: correct the misprinted rate.
    """

    code = "YS117"
    title = "同一项目金额相同而比率不同"
    title_en = "Same item with the same amounts shows different rates"
    tags = TAB | {"growth", "consistency"}
    message = "{table} {row}「{column}」为 {printed}，{other_table} 中金额相同的同一项目为 {expected}"
    message_en = "{table} {row} [{column}] is {printed}; {other_table} prints {expected} for the same item and amounts"

    def check(self, ctx: Context) -> Iterator[Hit]:
        from yusuan.model import pct_interval

        for ex in ctx.extractions:
            tabs = [v for t in ex.tables if not t.empty for v in table_views(t)]
            for group in rate_twins(ex, tabs):
                ivs = [pct_interval(c.value) for _, _, c in group if c.value is not None]
                scores = [(sum(meets(iv, o) for o in ivs), _rate_follows(t, r, c), -n)
                          for n, ((t, r, c), iv) in enumerate(zip(group, ivs, strict=True))]
                ref = max(range(len(group)), key=lambda n: scores[n])
                rt, rr, rc = group[ref]
                for n, (t, r, c) in enumerate(group):
                    if n == ref or meets(ivs[n], ivs[ref]):
                        continue
                    assert c.value is not None and rc.value is not None
                    yield Hit(
                        params={"table": table_name(t), "row": row_name(r),
                                "column": col_label(t.value_columns[_col_of(r, c)]),
                                "printed": f"{fmt(c.value)}%", "expected": f"{fmt(rc.value)}%",
                                "other_table": table_name(rt)},
                        sources=(cell_source(ex, r, c), cell_source(ex, rr, rc)),
                        expected=fmt(rc.value), printed=fmt(c.value),
                        gap=fmt(c.value - rc.value), document=ex.document.id,
                    )


def _col_of(r: Row, c: Cell) -> int:
    return next(j for j, x in enumerate(r.cells) if x is c)


def _rate_follows(t: Table, r: Row, c: Cell) -> bool:
    """Does the printed rate ``c`` equal the rate of its row's printed amounts, rounded?"""
    j = _col_of(r, c)
    for jj, _head, kind, a, b, tr in rate_columns(t):
        if jj != j:
            continue
        exp = _expected(kind, cell(r, a), cell(r, b),
                        cell(t.rows[tr], b) if tr is not None else None)
        if exp is None or c.value is None:
            return False
        q = Decimal(1).scaleb(-places_of(c.value))
        return exp.quantize(q) == c.value
    return False
