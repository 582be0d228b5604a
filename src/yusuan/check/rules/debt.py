"""YS4xx: government debt: limits, balances, issuance and bond projects."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from yusuan.check.arith import ZERO, cell_iv, fmt, group_iv, group_sum, is_blank, meets, places_of
from yusuan.check.engine import Context, Hit, Rule, register
from yusuan.check.rules._debt_table import (
    DebtCell,
    bound_pairs,
    corroborated,
    cross_table_sums,
    debt_cells,
    same_figure_groups,
    sum_fits,
)
from yusuan.check.rules._table import cell, clean, col_label, is_total
from yusuan.check.rules._util import label, money_hit, statement
from yusuan.check.rules.tables import cell_source, table_name, table_views
from yusuan.model import Fact, RelationKind, Severity, Stage

DEBT = frozenset({"debt"})
# 举借债券空间 / 举债空间 / 剩余限额: the limit not yet used (限额 − 余额)
_HEADROOM = re.compile(r"(?:举借|举债|发债|借债)(?:债券|债务)?空间$|剩余(?:债务)?限额$|限额空间$")


def debt_kind(f: Fact) -> str | None:
    """'general', 'special' or 'total' for a debt fact; None for other facts."""
    name = f.indicator
    if "债" not in name and f.stage not in (Stage.LIMIT,):
        return None
    if "一般" in name:
        return "general"
    if "专项" in name:
        return "special"
    return "total"


def measure(f: Fact) -> str | None:
    name = f.indicator
    if "债" not in name or re.search(r"结余|结转", name):
        return None  # 再融资一般债券结余: money left over, not bonds issued
    if name.endswith("余额"):
        return "balance"  # 限额内政府性债务余额 is a balance
    if f.stage == Stage.LIMIT or "限额" in name:
        return "new_limit" if "新增" in name else "limit"
    if f.stage == Stage.BALANCE or "余额" in name:
        return "balance" if "余额" in name else None
    if _HEADROOM.search(name):
        return "headroom"
    if re.search(r"还本|偿还|付息|支出|余额|限额|规模|需求|额度", name):
        return None
    if "再融资" in name and "债券" in name:
        return "refinance"
    if "新增" in name and "债券" in name:
        return "new_issue"
    if re.search(r"发行|转贷", name) and "债券" in name:
        return "issue"
    return None


def _groups(ctx: Context) -> dict[tuple[object, ...], dict[tuple[str, str], list[Fact]]]:
    out: dict[tuple[object, ...], dict[tuple[str, str], list[Fact]]] = defaultdict(
        lambda: defaultdict(list))
    for ex in ctx.extractions:
        for f in ex.facts:
            m, k = measure(f), debt_kind(f)
            if m is None or k is None:
                continue
            out[(ex.document.id, f.government, str(f.scope), f.period.year)][(m, k)].append(f)
    return out


def _linked(ctx: Context) -> set[str]:
    """Facts that are the whole of a stated sum (checked by YS201 already)."""
    return {r.total for ex in ctx.extractions for r in ex.relations if r.kind == RelationKind.SUM}


@register
class BalanceWithinLimit(Rule):
    """What: a government's debt balance (债务余额) does not exceed its debt limit (债务限额) of
    the same year, scope and kind (一般债务, 专项债务, total).

    Why: 《预算法》第三十五条 caps local government borrowing at the limit the State Council sets
    and the people's congress approves; 财预〔2017〕35号 requires balances within limits.

    Example: 一般债务限额 50.2 亿元, 余额 48.7 亿元 (no finding); 余额 52 亿元 would be one.

    Fix: correct the misprinted figure, or report the breach of the limit.
    """

    code = "YS401"
    title = "债务余额超过限额"
    title_en = "Debt balance exceeds the limit"
    tags = DEBT
    message = "{what} {printed} 超过限额 {expected}（超出 {gap}）"
    message_en = "{what} {printed} exceeds the limit {expected} ({gap} over)"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for g in _groups(ctx).values():
            for kind in ("general", "special", "total"):
                for bal in g.get(("balance", kind), []):
                    for lim in g.get(("limit", kind), []):
                        if bal.amount.interval().lo <= lim.amount.interval().hi:
                            continue
                        iv = lim.amount.interval()
                        hit = money_hit(ctx, [bal, lim], iv, lim.yuan, bal, {"what": label(bal)})
                        if hit:
                            yield hit


@register
class DebtComponents(Rule):
    """What: a total debt limit, balance or new limit equals its general plus special parts
    (限额 = 一般债务限额 + 专项债务限额; 余额 likewise; 新增限额 = 新增一般 + 新增专项), within
    rounding, for the same government, scope and year.  Sums the text states are left to YS201.
    When one key has several totals (a tranche 5 月份下达 914 亿元 beside the year's 1328 亿元),
    a finding needs every one of them to miss.

    Why: 《预算法》第三十五条 and 财预〔2017〕35号 manage the two kinds separately; the total is
    their sum by definition.

    Example: 新增地方政府债务限额 120.5 = 新增一般债务 27 + 新增专项债务 93.5 (no finding).

    Precision: the total and its parts are read at the finest precision printed for their
    unit in their paragraph (trailing zeros dropped: 再融资债券 2 亿元 beside 6.1 亿元 is 2.0),
    as in YS201.

    Fix: correct the total or the misprinted part.
    """

    code = "YS402"
    title = "债务总额不等于一般债务与专项债务之和"
    title_en = "Debt total does not equal general plus special"
    tags = DEBT | {"sum"}
    message = "{what} {printed}，一般债务与专项债务之和为 {expected}，相差 {gap}"
    message_en = "{what} is {printed}; general plus special is {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        linked = _linked(ctx)
        for g in _groups(ctx).values():
            for m in ("limit", "balance", "new_limit"):
                every = g.get((m, "total"), [])
                totals = [f for f in every if f.id not in linked]
                gen, spe = g.get((m, "general"), []), g.get((m, "special"), [])
                if not totals or len(gen) != 1 or len(spe) != 1 or len(totals) < len(every):
                    continue  # a stated sum links one of the totals: YS201 checks it
                hits = []
                for tot in totals:
                    group = statement(ctx, [tot, gen[0], spe[0]])
                    iv, pt = group_sum([gen[0].amount, spe[0].amount], group)
                    hits.append(money_hit(ctx, [tot, gen[0], spe[0]], iv, pt, tot,
                                          {"what": label(tot)},
                                          printed_iv=group_iv(tot.amount, group)))
                if all(hits):  # several totals: the others are tranches or other mentions
                    yield hits[0]  # type: ignore[misc]


@register
class IssuanceComponents(Rule):
    """What: bonds issued (or on-lent, 转贷) in a period equal new bonds plus refinancing bonds
    (发行 = 新增债券 + 再融资债券, the new bonds stated as one figure or as 新增一般 + 新增专项),
    within rounding, when they are stated for the same government, scope and period.  With
    several issuance figures for one key, a finding needs every one of them to miss.

    Why: 财预〔2018〕34号 separates new bonds (within the new limit) from refinancing bonds
    (repaying maturing principal); the issuance total is their sum.

    Example: 转贷地方政府债券 19.1 = 新增 17.1 + 再融资 2 (no finding).

    Precision: the total and its parts are read at the finest precision printed for their
    unit in their paragraph (trailing zeros dropped: 再融资债券 2 亿元 beside 6.1 亿元 is 2.0),
    as in YS201.

    Fix: correct the total or the misprinted part.
    """

    code = "YS403"
    title = "债券发行额不等于新增债券与再融资债券之和"
    title_en = "Bond issuance does not equal new plus refinancing bonds"
    tags = DEBT | {"sum"}
    message = "{what} {printed}，新增债券与再融资债券之和为 {expected}，相差 {gap}"
    message_en = "{what} is {printed}; new plus refinancing bonds is {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for g in _groups(ctx).values():
            hits: list[Hit | None] = []
            for tot in g.get(("issue", "total"), []):
                def same(fs: list[Fact], tot: Fact = tot) -> list[Fact]:
                    return [f for f in fs if f.stage == tot.stage
                            and str(f.period) == str(tot.period)]

                def one(fs: list[Fact]) -> Fact | None:
                    return fs[0] if fs and len({f.yuan for f in fs}) == 1 else None

                ref = one(same(g.get(("refinance", "total"), [])
                               + g.get(("refinance", "general"), [])))
                new_total = one(same(g.get(("new_issue", "total"), [])))
                gen = one(same(g.get(("new_issue", "general"), [])))
                spe = one(same(g.get(("new_issue", "special"), [])))
                new = [new_total] if new_total else [f for f in (gen, spe) if f]
                if ref is None or not new or (not new_total and len(new) < 2):
                    continue
                parts = [*new, ref]
                group = statement(ctx, [tot, *parts])
                iv, pt = group_sum([p.amount for p in parts], group)
                hits.append(money_hit(ctx, [tot, *parts], iv, pt, tot, {"what": label(tot)},
                                      printed_iv=group_iv(tot.amount, group)))
            if hits and all(hits):
                yield hits[0]  # type: ignore[misc]


_ISSUED = re.compile(r"债券金额|发行|安排|额度|金额")
_SPENT = re.compile(r"实际支出|已支出|支出|使用")


@register
class BondProjectSpent(Rule):
    """What: in a table of bond-funded projects (新增债券使用情况), each project's spending
    (实际支出) does not exceed the bond funds it received (债券金额).

    Why: 财预〔2021〕110号 ties special bond funds to their projects; a project cannot spend
    more bond money than was issued to it.

    Example: 项目 A 债券金额 0.5 亿元，实际支出 0.45 亿元 (no finding).

    Fix: correct the misprinted figure, or report the overspending.
    """

    code = "YS404"
    title = "债券项目支出超过债券金额"
    title_en = "Bond project spent more than it was issued"
    tags = DEBT | {"table"}
    message = "{table}「{row}」实际支出 {printed} 超过债券金额 {expected}"
    message_en = "{table} [{row}] spent {printed}, more than its bond amount {expected}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, t in ctx.tables():
            if "债券" not in t.title or "使用" not in t.title:
                continue
            vc = t.value_columns
            issued = next((j for j, c in enumerate(vc) if _ISSUED.search(c.name)
                           and not _SPENT.search(c.name)), None)
            spent = next((j for j, c in enumerate(vc) if "支出" in c.name and j != issued), None)
            if issued is None or spent is None:
                continue
            for r in t.rows:
                ci, cs = cell(r, issued), cell(r, spent)
                if is_blank(cs) or cs is None or cs.value is None:
                    continue
                if cell_iv(cs).lo <= cell_iv(ci).hi:
                    continue
                iv = ci.value if ci is not None and ci.value is not None else ZERO
                yield Hit(
                    params={"table": table_name(t), "row": clean(r.name) or r.code or "",
                            "printed": fmt(cs.value), "expected": fmt(iv),
                            "column": col_label(vc[spent])},
                    sources=(cell_source(ex, r, cs), cell_source(ex, r, ci)),
                    expected=fmt(iv), printed=fmt(cs.value), gap=fmt(cs.value - iv),
                    document=ex.document.id,
                )


def narrative_vs_table(ctx: Context, debt: bool) -> Iterator[Hit]:
    """Facts of a table and of the narrative of one document with the same key that disagree."""
    for ex in ctx.extractions:
        totals = {(t.number, i) for t in ex.tables for i, r in enumerate(t.rows)
                  if r.total or is_total(r)}
        table_facts: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
        for f in ex.facts:
            if f.table is not None and (f.table, f.row) not in totals:
                table_facts[f.key].append(f)
        if not table_facts:
            continue
        for f in ex.facts:
            if f.table is not None or f.parent is not None:
                continue  # a 其中 item's name is too short to identify it in a table
            if (debt_kind(f) is not None and measure(f) is not None) != debt:
                continue
            others = table_facts.get(f.key, [])
            if not others:
                continue
            if any(o.amount.interval().overlaps(f.amount.interval()) for o in others):
                continue
            o = others[0]
            hit = money_hit(ctx, [f, o], o.amount.interval(), o.yuan, f,
                            {"what": label(f), "table": o.table or ""},
                            severity=Severity.WARNING)
            if hit:
                yield hit


@register
class DebtTableVsNarrative(Rule):
    """What: a debt figure of the narrative (限额, 余额, 发行, 新增) equals the same figure in the
    document's debt tables (same government, scope, indicator, stage and period).

    Why: the debt tables (地方政府债务限额、余额情况表; 债券发行情况表) are the detail behind the
    report's debt paragraph; 财预〔2018〕209号 requires both to be disclosed and to agree.

    Example: narrative 一般债务余额 48.7 亿元 and the table's 48.7 (no finding).

    Fix: make the paragraph and the table agree.
    """

    code = "YS405"
    title = "债务数据正文与表格不一致"
    title_en = "Debt figure differs between the text and the tables"
    severity = Severity.WARNING
    tags = DEBT | {"table", "narrative", "consistency"}
    message = "正文中{what}为 {printed}，{table} 中为 {expected}（相差 {gap}）"
    message_en = "the text gives {what} as {printed}; {table} gives {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        return narrative_vs_table(ctx, debt=True)


def _debt_cells(ctx: Context) -> Iterator[list[DebtCell]]:
    """The keyed debt-table cells of each document (:mod:`._debt_table`)."""
    for ex in ctx.extractions:
        tabs = [v for t in ex.tables if not t.empty for v in table_views(t)]
        cells = debt_cells(ctx, ex, tabs)
        if cells:
            yield cells


def _what(c: DebtCell) -> str:
    col = next((col_label(v) for j, v in enumerate(c.table.value_columns)
                if j < len(c.row.cells) and c.row.cells[j] is c.cell), "")
    name = clean(c.row.name)
    return f"{name}「{col}」" if name else f"「{col}」"


def _in_unit(c: DebtCell, yuan: Decimal) -> Decimal:
    return yuan / c.factor


def _debt_hit(printed: DebtCell, others: list[DebtCell], expected_yuan: Decimal,
              params: dict[str, object]) -> Hit:
    assert printed.cell.value is not None
    exp = _in_unit(printed, expected_yuan)
    places = max(places_of(printed.cell.value), *(places_of(o.cell.value) for o in others
                                                  if o.cell.value is not None))
    unit = printed.table.unit or ""
    gap = printed.cell.value - exp
    srcs = [cell_source(printed.ex, printed.row, printed.cell)]
    srcs += [cell_source(o.ex, o.row, o.cell) for o in others]
    return Hit(
        params={"table": table_name(printed.table), "what": _what(printed),
                "printed": f"{fmt(printed.cell.value)}{unit}",
                "expected": f"{fmt(exp, places)}{unit}", "gap": f"{fmt(gap, places)}{unit}",
                **params},
        sources=tuple(dict.fromkeys(srcs)),
        expected=fmt(exp, places), printed=fmt(printed.cell.value), gap=fmt(gap, places),
        document=printed.ex.document.id,
    )


@register
class DebtTablesAgree(Rule):
    """What: a debt figure printed in several debt tables of one document (the 一般债务限额 of
    the general-debt table and of the combined 限额、余额 table; the 再融资债券 of the issuance
    table and of the repayment table's 上年度发行 rows …) is the same figure everywhere,
    within rounding.  Each printed cell is read as (限额/余额/发行/还本/付息, 新增/再融资/
    预算安排, 一般/专项/合计, year, budget or outturn, region) from its table title, its
    column header (both levels) and its row with the outline rows above it (一、 > （一） >
    其中); a cell whose row or column names anything else (a project, an unknown item) is not
    compared.  When more than two cells print a figure, the ones that disagree with most are
    reported; between two, the one that a sum of the debt tables confirms (表30's 一般债务
    28.83 in 74.98 = 28.83 + 46.15) is taken as right.

    Why: 财预〔2018〕209号 (地方政府债务信息公开办法) requires the limit, balance, issuance and
    repayment tables to be disclosed together; they are cut from one debt ledger, so a figure
    that differs between them is a misprint in one of them.

    Example: 表28 一般债务限额总额 28.83 亿元 and 表30 政府债务限额总额/一般债务 28.83 亿元 (no
    finding); 28.93 in one of them is one.

    Fix: correct the table that misprints the figure.
    """

    code = "YS406"
    title = "各债务表中同一数据不一致"
    title_en = "A debt figure differs between the debt tables"
    tags = DEBT | {"table", "consistency"}
    message = "{table} {what}为 {printed}，{other_table} {other_what}为 {expected}（相差 {gap}）"
    message_en = "{table} {what} is {printed}; {other_table} {other_what} gives {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for cells in _debt_cells(ctx):
            sure = corroborated(cells)
            for group in same_figure_groups(cells):
                # the reference: the cell most others agree with, then one that a sum of the
                # debt tables confirms, then the first
                ref = max(group, key=lambda c: (sum(meets(c.iv, o.iv) for o in group),
                                                id(c) in sure, -group.index(c)))
                for c in group:
                    if c is ref or meets(c.iv, ref.iv):
                        continue
                    yield _debt_hit(c, [ref], ref.yuan, {
                        "other_table": table_name(ref.table), "other_what": _what(ref)})


@register
class DebtTableTotals(Rule):
    """What: across the debt tables of one document, a total equals the sum of its parts
    printed in other debt tables: a 合计 (or untyped) figure = its 一般 + 专项 figures; bonds
    issued = new bonds + refinancing bonds, for each kind; within rounding.  The parts are
    read as in YS406; a total whose parts are printed in its own table is left to the table
    rules (YS114, YS115), and when a part is printed in several tables, one choice that fits
    is enough.

    Why: 《预算法》第三十五条 and 财预〔2017〕35号 manage general and special debt separately, the
    total being their sum; 财预〔2018〕34号 splits issuance into new bonds (within the new limit)
    and refinancing bonds.  The repayment table (还本付息情况表) restates the issuance table by
    kind, so its rows must add up to the issuance table's.

    Example: repayment table 上年度发行 一般债券 4.33 = issuance table 新增债券/一般债券 3.37 +
    再融资债券/一般债券 0.96 (no finding).

    Fix: correct the total or the misprinted part.
    """

    code = "YS407"
    title = "债务表合计数与他表分项之和不符"
    title_en = "A debt total differs from the sum of its parts in the other debt tables"
    tags = DEBT | {"table", "sum"}
    message = "{table} {what}为 {printed}，其他债务表中其 {n} 个分项之和为 {expected}（相差 {gap}）"
    message_en = "{table} {what} is {printed}; its {n} parts in the other debt tables add up to {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for cells in _debt_cells(ctx):
            for total, parts in cross_table_sums(cells):
                if any(sum_fits(total, combo) for combo in parts):
                    continue
                combo = parts[0]
                yield _debt_hit(total, list(combo), sum((p.yuan for p in combo), ZERO),
                                {"n": len(combo)})


@register
class NewBondsWithinNewLimit(Rule):
    """What: the new bonds a government issued in a year (新增债券, by kind and in total) do
    not exceed its new debt limit (新增债务限额) of that year and kind, as the debt tables
    print them.

    Why: 《预算法》第三十五条 and 财预〔2018〕34号: new bonds are issued within the new limit that
    the State Council sets and the people's congress approves.

    Example: 新增债券/一般债券 3.37 亿元, 新增一般债务限额 3.37 亿元 (no finding); 3.97 would
    be one.

    Fix: correct the misprinted figure, or report the breach of the limit.
    """

    code = "YS408"
    title = "新增债券超过新增债务限额"
    title_en = "New bonds exceed the new debt limit"
    tags = DEBT | {"table"}
    message = "{table} {what}为 {printed}，超过 {other_table} 新增债务限额 {expected}（超出 {gap}）"
    message_en = "{table} {what} is {printed}, above the new debt limit {expected} in {other_table} ({gap} over)"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for cells in _debt_cells(ctx):
            seen: set[int] = set()
            for issued, limit in bound_pairs(cells):
                if issued.iv.lo <= limit.iv.hi or id(issued) in seen:
                    continue
                seen.add(id(issued))  # once per figure, against the first limit it exceeds
                yield _debt_hit(issued, [limit], limit.yuan,
                                {"other_table": table_name(limit.table)})


@register
class Headroom(Rule):
    """What: a stated borrowing headroom (举借债券空间, 举债空间, 剩余限额) equals the debt limit
    minus the debt balance of the same government, scope and year.

    Why: 财预〔2017〕35号 and the final-accounts reports state how much of the limit is left
    to borrow; the headroom is the limit less the balance, and a wrong one misstates the risk.

    The three figures are read at the precision of their statement, as the amounts of YS201.

    Example: 债务限额 87.65 亿元，余额 76.57 亿元，举借债券空间 11.09 亿元 (87.65 − 76.57 = 11.08,
    within rounding: no finding); 举借债券空间 11.90 亿元 would be one.

    Fix: correct the headroom, the limit or the balance.
    """

    code = "YS409"
    title = "举债空间与限额、余额不符"
    title_en = "Borrowing headroom differs from limit minus balance"
    tags = DEBT | {"narrative"}
    message = "{what} {printed}，而限额 {limit} 减余额 {balance} 为 {expected}（相差 {gap}）"
    message_en = "{what} is {printed}; limit {limit} minus balance {balance} is {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for g in _groups(ctx).values():
            for kind in ("general", "special", "total"):
                for room in g.get(("headroom", kind), []):
                    pairs = [(lim, bal) for lim in g.get(("limit", kind), [])
                             for bal in g.get(("balance", kind), [])]
                    if len(pairs) != 1:
                        continue  # no limit and balance, or several: which one is unclear
                    lim, bal = pairs[0]
                    group = statement(ctx, [room, lim, bal])
                    iv = group_iv(lim.amount, group) - group_iv(bal.amount, group)
                    hit = money_hit(ctx, [room, lim, bal], iv, lim.yuan - bal.yuan, room,
                                    {"what": label(room), "limit": str(lim.amount),
                                     "balance": str(bal.amount)},
                                    printed_iv=group_iv(room.amount, group))
                    if hit:
                        yield hit


@register
class NewBondsWithinLimitText(Rule):
    """What: the new bonds a report says were issued (or received on-lent) in a year (新增一般
    债券, 新增专项债券, 新增地方政府债券) do not exceed the new debt limit of that year and
    kind the report states (新增一般债务限额 …).  YS408 checks the same in the debt tables.

    Why: 《预算法》第三十五条 and 财预〔2018〕34号: new bonds are issued within the new limit.

    Example: 新增一般债务 27 亿元 (限额) … 收到新增一般债券 6.1 亿元 (no finding); 61 亿元 would
    be one.

    Fix: correct the misprinted figure, or report the breach of the limit.
    """

    code = "YS410"
    title = "新增债券超过新增债务限额（正文）"
    title_en = "New bonds in the text exceed the new debt limit"
    tags = DEBT | {"narrative"}
    message = "{what} {printed} 超过新增债务限额 {expected}（超出 {gap}）"
    message_en = "{what} {printed} exceeds the new debt limit {expected} ({gap} over)"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for g in _groups(ctx).values():
            for kind in ("general", "special", "total"):
                for bond in g.get(("new_issue", kind), []):
                    for lim in g.get(("new_limit", kind), []):
                        if bond.table is not None or lim.table is not None or (
                                bond.amount.interval().lo <= lim.amount.interval().hi):
                            continue
                        hit = money_hit(ctx, [bond, lim], lim.amount.interval(), lim.yuan, bond,
                                        {"what": label(bond)})
                        if hit:
                            yield hit
                            break

