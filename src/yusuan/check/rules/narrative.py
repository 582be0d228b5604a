"""YS2xx: arithmetic claims of the narrative (relations and facts of a report)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal

from yusuan.check.arith import (
    HUNDRED,
    ZERO,
    amounts_sum,
    base_from_ratio,
    fmt,
    group_iv,
    group_sum,
    in_unit,
    meets,
    pct_interval,
    places_of,
    prior_from_rate,
    ratio_iv,
)
from yusuan.check.engine import Context, Hit, Lifecycle, Rule, register
from yusuan.check.rules._util import (
    amount_str,
    growth_from_change,
    label,
    money_hit,
    pct_hit,
    resolve,
    statement,
)
from yusuan.model import (
    UNIT_FACTOR,
    Amount,
    Extraction,
    Fact,
    Interval,
    Relation,
    RelationKind,
    Severity,
    Stage,
)
from yusuan.refdata.lexicon import lookup

NARR = frozenset({"narrative"})

_NEAR_LINES = 8
_HEADING = re.compile(r"\n\s*(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+[.．、])")
_NEAR_CHARS = 1500  # characters, not lines: a report may wrap its lines narrowly
_OUTFLOW = re.compile(r"调出|上解|还本|偿还|支出")
_SOURCE = re.compile(r"收入|转移支付|结余|结转|转贷")


@register
class ExhaustiveSum(Rule):
    """What: a whole stated with parts that make it up (其中 … 和 …, 之和, 合计) equals the sum
    of its parts, within the rounding of every printed figure.

    Why: 《预算法》第三十七条 requires the budget to list revenue and expenditure in full; the
    财政部 预决算公开 templates define 一般公共预算收入 = 税收收入 + 非税收入 and 地方财政收入 as
    the sum of three books.  A part misprinted breaks the identity.

    Parts that flow out (调出资金, 上解) of an income whole count negatively; income parts of
    a spending whole are its sources of funds and are not summed; parts that the extractor took
    from a definition (lexicon parts) more than 1,500 characters away are not used (characters,
    not lines: a report may wrap its lines after 30 characters).  For a 其中 list (not a
    definition such as 之和), when the parts add up once a
    part nested in another is left out (民生支出 within 一般公共预算支出), or when the gap is a
figure stated among the parts but not linked to the whole, there is no finding; when the
    parts hold nested items and still fall short, the list names only some parts (no finding).

    A part printed as a bare 0 (工程预算 0 万元) says there is none and counts as exactly 0.
    A 其中 list whose parts are the parts the whole's name lists (公务用车购置及运行维护费 =
    公务用车购置费 + 公务用车运行维护费) is exhaustive too.  A gap equal to the part a parallel
    list (the same whole for another scope) names and this one leaves out is no finding.

    Example: 一般公共预算收入 131.5 亿元，其中税收收入 77.48 亿元，非税收入 54.01 亿元
    (77.48 + 54.01 = 131.49, within rounding: no finding); printed 135.5 would be a finding.

    Precision: the reports print a figure with the decimals it needs and drop trailing zeros
    (11.00 亿元 prints "11 亿元" beside 6.1 亿元; 000: 6.1 + 11 + 2 = 19.1).  So the whole and
    its parts are each read at the finest precision printed for their unit in their paragraph
    (the lines from the whole's to the last part's): 11 beside 6.1 is 11.0 ± 0.05, beside
    0.38 it is 11.00 ± 0.005.  A paragraph that prints every 万元 (元) figure without
    decimals states whole figures of the accounts, and its sums are exact (as in whole-万元
    tables).  Only the amounts of sums (and their totals): rates, and amounts compared
    across paragraphs, keep their own printed precision.

    Fix: correct the misprinted part or whole so that the parts add up.
    """

    code = "YS201"
    title = "分项之和不等于总数"
    title_en = "Parts do not add up to the stated whole"
    tags = NARR | {"sum"}
    message = "{whole} {printed}，而各分项之和为 {expected}，相差 {gap}"
    message_en = "{whole} printed {printed}, its parts add up to {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, rel, whole, parts in _sums(ctx):
            if not _plausible(whole, parts):
                continue
            if not (rel.exhaustive or conjuncts(whole, parts)):
                continue
            if rel.note == "lexicon parts" and any(
                    abs(p.source.start - whole.source.start) > _NEAR_CHARS for p in parts):
                continue  # a definition's parts found far away may be another figure
            inflow, outflow = _split_flows(whole, parts)
            named = not rel.exhaustive  # exhaustive because the whole's name lists the parts
            if named:
                inflow = _unnest(inflow)  # 本金 0.13 (还本 0.13, 再融资 0) counted once
            group = statement(ctx, [whole, *parts])
            iv, point = _net(inflow, outflow, group)
            hit = money_hit(ctx, [whole, *parts], iv, point, whole, {"whole": label(whole)},
                            printed_iv=group_iv(whole.amount, group))
            listed = rel.note not in ("之和", "lexicon parts") and not named
            if hit and listed and (
                    _unlisted_part(ex, whole, parts, group_iv(whole.amount, group) - iv)
                    or any(_net(alt, outflow, group)[0].overlaps(
                        group_iv(whole.amount, group)) for alt in _nestings(inflow))):
                continue  # a listed part is nested in another, or one is not linked
            unnested = _unnest(inflow)
            if hit and listed and len(unnested) < len(inflow) and (
                    _net(unnested, outflow, group)[0].hi < group_iv(whole.amount, group).lo):
                continue  # nested 其中 items: the list names only some of the parts
            if hit:
                yield hit


@register
class PartsExceedWhole(Rule):
    """What: parts listed under 其中/包括 that need not be exhaustive do not together exceed the
    whole they belong to.

    Why: a 其中 item is a part of its whole (《预算法》第四十六条 lists 其中 items by class);
    parts larger than the whole mean a wrong figure or a wrong parent.

    Parts of another stage than the whole (a 余额 beside a flow) are not summed.  Parts that
    flow out (调出资金, 上解, 偿还 …) of an income whole count negatively (总财力 = 收入 +
    补助 + 结余 − 调出); income parts listed under a spending whole are its sources of funds,
    not its parts, and are not summed; with three or more parts, one part may be nested in a
    larger one (民生支出 within 一般公共预算支出), so the second largest is left out of the sum
    (unless the two largest are each broken down by a list of their own: siblings),
    and parts that add up to another listed part (本金 = 预算安排还本 + 再融资还本) are counted
    once.  A 其中 part printed before its whole is taken as misattached and not checked.

    Example: 非税收入 54.01 亿元，其中 罚没收入 2.96 亿元 … (parts 21.33 ≤ 54.01: no finding).

    Precision: the reports print a figure with the decimals it needs and drop trailing zeros
    (11.00 亿元 prints "11 亿元" beside 6.1 亿元; 000: 6.1 + 11 + 2 = 19.1).  So the whole and
    its parts are each read at the finest precision printed for their unit in their paragraph
    (the lines from the whole's to the last part's): 11 beside 6.1 is 11.0 ± 0.05, beside
    0.38 it is 11.00 ± 0.005.  A paragraph that prints every 万元 (元) figure without
    decimals states whole figures of the accounts, and its sums are exact (as in whole-万元
    tables).  Only the amounts of sums (and their totals): rates, and amounts compared
    across paragraphs, keep their own printed precision.

    Fix: correct the part or the whole, or the parent the part is attached to.
    """

    code = "YS202"
    title = "其中项合计超过总数"
    title_en = "Listed parts exceed their whole"
    tags = NARR | {"sum"}
    message = "{whole} 为 {printed}，而其中所列各项合计已达 {expected}，超出 {gap}"
    message_en = "{whole} is {printed} but its listed parts already add up to {expected} ({gap} over)"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, rel, whole, parts in _sums(ctx):
            if rel.exhaustive:
                continue
            if conjuncts(whole, parts):
                continue  # (a whole named by its parts, A及B, is checked by YS201)
            if not _plausible(whole, parts) or whole.amount.value == ZERO:
                continue  # parts of a zero whole are attached to the wrong figure
            if any(p.source.document == whole.source.document
                   and p.source.start < whole.source.start for p in parts):
                continue  # 其中 follows its whole; a part printed first is misattached
            inflow, outflow = _split_flows(whole, parts)
            group = statement(ctx, [whole, *parts])
            inflow = _disjoint(ex, inflow, lambda p, g=group: group_iv(p.amount, g).lo)
            low = sum((group_iv(p.amount, group).lo for p in inflow), ZERO) - sum(
                (group_iv(p.amount, group).hi for p in outflow), ZERO)
            if low <= group_iv(whole.amount, group).hi:
                continue
            _iv, point = amounts_sum([p.amount for p in inflow])
            point -= sum((p.yuan for p in outflow), ZERO)
            hit = money_hit(ctx, [whole, *parts], Interval(low, low), point, whole,
                            {"whole": label(whole)}, severity=Severity.ERROR,
                            printed_iv=group_iv(whole.amount, group))
            if hit:
                yield hit


def _sums(ctx: Context) -> Iterator[tuple[Extraction, Relation, Fact, list[Fact]]]:
    """Every sum relation of the run whose whole and parts the run holds."""
    for ex in ctx.extractions:
        for rel in ex.relations:
            if rel.kind != RelationKind.SUM:
                continue
            whole = ctx.facts.get(rel.total)
            parts = resolve(ctx, rel.parts)
            if whole is not None and parts:
                yield ex, rel, whole, parts


def conjuncts(whole: Fact, parts: list[Fact]) -> bool:
    """Is the whole named by its parts (公务用车购置及运行维护费 = 公务用车购置费 + 公务用车
    运行维护费; 还本付息 = 本金 + 付息; a debt figure = its 一般 + 专项 parts), so that a 其中
    list of exactly those parts is exhaustive?"""
    name = _base_name(whole.indicator)
    if "还本付息" in name:  # 还本付息 = 本金 (还本) + 付息, the 本金 perhaps itemised too
        un = _unnest(parts)
        return len(un) == 2 and sorted(
            "本" if re.search(r"本金|还本", p.indicator) else
            "息" if re.search(r"付息|利息", p.indicator) else "?" for p in un) == ["息", "本"]
    if re.search(r"债[务券]", name) and not re.search(r"一般|专项|再融资|政府性", name):
        # 新增限额 = 新增一般债务 + 新增专项债务 (both kinds of debt, and nothing else)
        kinds = sorted("一般" if "一般债" in p.indicator else "专项" if "专项债" in p.indicator
                       else "?" for p in parts)
        if kinds == ["一般", "专项"]:
            return True
    pieces = [x for x in re.split(r"及|和|与|、", name) if x]
    if len(pieces) < 2 or len(pieces) != len(parts):
        return False
    pieces = [re.sub(r"(费|支出|收入)$", "", x) for x in pieces]
    names = [_base_name(p.indicator) for p in parts]
    return all(any(x in n for n in names) for x in pieces) and all(
        any(x in n for x in pieces) for n in names)


def _broken_down(ex: Extraction, parts: list[Fact]) -> bool:
    """Are the two largest parts each broken down by a list of their own (返还性收入 …；
    一般性转移支付 …；专项转移支付 …)?  Then they are siblings, not one nested in the other."""
    top = sorted(parts, key=lambda f: f.yuan, reverse=True)[:2]
    wholes = {r.total for r in ex.relations if r.kind == RelationKind.SUM and r.exhaustive
              and len(r.parts) >= 2}
    return all(p.id in wholes for p in top)


def _plausible(whole: Fact, parts: list[Fact]) -> bool:
    """Can ``parts`` be parts of ``whole`` at all?"""
    if "支出" in whole.indicator and any(_SOURCE.search(p.indicator) and "支出" not in p.indicator
                                       for p in parts):
        return False  # sources of funds (资金来源包括 …), not parts of the spending
    if any(p.stage != whole.stage for p in parts):
        return False  # a sum adds figures of one stage (not a 余额 to a flow)
    return not (str(whole.scope) not in ("whole", "own")
                and any(str(p.scope) != str(whole.scope) for p in parts))


def _split_flows(whole: Fact, parts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """Parts that add and parts that flow out (调出, 上解 … of an income whole)."""
    if not (_SOURCE.search(whole.indicator) or "财力" in whole.indicator):
        return list(parts), []  # only an income whole (总财力) has outflows among its parts
    outflow = [p for p in parts if _OUTFLOW.search(p.indicator)
               and not _OUTFLOW.search(whole.indicator)]
    return [p for p in parts if p not in outflow], outflow


def _nil(f: Fact) -> bool:
    """A part printed as a bare 0 (政府采购工程预算 0 万元) says there is none: exactly 0."""
    return f.amount.value == ZERO and f.amount.value.as_tuple().exponent >= 0


def _net(inflow: list[Fact], outflow: list[Fact],
         group: list[Amount] | None = None) -> tuple[Interval, Decimal]:
    """Inflow minus outflow; with ``group``, each figure at its statement's precision."""
    inflow = [p for p in inflow if not _nil(p)]
    outflow = [p for p in outflow if not _nil(p)]
    iv, pt = group_sum([p.amount for p in inflow], group or [])
    if outflow:
        ov, opt = group_sum([p.amount for p in outflow], group or [])
        return iv - ov, pt - opt
    return iv, pt


def _unlisted_part(ex: Extraction, whole: Fact, parts: list[Fact], gap: Interval) -> bool:
    """Is the gap a figure stated among the parts but not linked to the whole?"""
    last = max(p.source.end for p in parts)
    ids = {p.id for p in parts}
    for f in ex.facts:
        if f.id in ids or f.table is not None or f.stage != whole.stage:
            continue
        if not (whole.source.start < f.source.start <= last + 200):
            continue
        if f.source.start > last and (_HEADING.search(ex.document.text, last, f.source.start)
                                      or "\n\n" in ex.document.text[last:f.source.start]):
            continue  # a figure of the next section or paragraph is not among the parts
        if f.amount.interval().overlaps(gap):
            return True
    return _parallel_part(ex, whole, parts, gap)


def _base_name(indicator: str) -> str:
    return re.sub(r"（含[^）]*）|\(含[^)]*\)", "", indicator)


def _parallel_part(ex: Extraction, whole: Fact, parts: list[Fact], gap: Interval) -> bool:
    """Is the gap the figure of a part that a parallel list (the same whole for another scope,
    三公经费（含沙坡头区） beside 三公经费) names and this list leaves out?"""
    facts = {f.id: f for f in ex.facts}
    names = {_base_name(p.indicator) for p in parts}
    for rel in ex.relations:
        other = facts.get(rel.total)
        if (rel.kind != RelationKind.SUM or other is None or other.id == whole.id
                or _base_name(other.indicator) != _base_name(whole.indicator)
                or abs(other.source.line - whole.source.line) > _NEAR_LINES):
            continue
        for i in rel.parts:
            f = facts.get(i.lstrip("-"))
            if (f is not None and _base_name(f.indicator) not in names
                    and f.amount.interval().overlaps(gap)):
                return True
    return False


def _nestings(parts: list[Fact]) -> list[list[Fact]]:
    """Readings of ``parts`` where a part is nested in a larger one (so not added)."""
    out = []
    un = _unnest(parts)
    if len(un) < len(parts):
        out.append(un)
    if 3 <= len(parts) <= 8:  # a longer list is an enumeration (as in _unnest)
        for p in parts:
            if any(q is not p and q.yuan > p.yuan for q in parts):
                out.append([q for q in parts if q is not p])
    return out


def _unnest(parts: list[Fact]) -> list[Fact]:
    """Drop parts that together make up another listed part printed before them (本金 1.61,
    then 还本 0.65 and 0.96: 1.61 = 0.65 + 0.96).  A part printed after the ones it would
    sum (60; 95; 上年结转 155) is their sibling: 60 + 95 = 155 is a coincidence."""
    from itertools import combinations

    keep = list(parts)
    if len(parts) > 8:
        return keep  # long lists are enumerations, not nested breakdowns
    for q in sorted(parts, key=lambda f: f.yuan, reverse=True):
        if q not in keep:
            continue
        others = [p for p in keep if p is not q and p.yuan <= q.yuan
                  and p.source.start > q.source.start]
        for n in range(2, min(4, len(others)) + 1):
            found = None
            for combo in combinations(others, n):
                iv, _ = amounts_sum([p.amount for p in combo])
                if iv.overlaps(q.amount.interval()):
                    found = combo
                    break
            if found:
                keep = [p for p in keep if p not in found]
                break
    return keep


@register
class ChangeVsRate(Rule):
    """What: a figure stated with both its change and its growth rate (比上年增收 x 亿元，增长
    y%) is consistent: value / (value − change) − 1 = rate, within rounding.

    Why: the change and the rate are two statements of the same prior-year figure; 预算执行情况
    reports under 《预算法》第八十六条 are reviewed on both.

    Example: 收入 131.5 亿元，增收 12.59 亿元，增长 10.59% (12.59 / 118.91 = 10.588%: no
    finding).  Printed 增长 12.59% would be a finding.

    Fix: recompute the rate from the prior-year figure, or correct the change.
    """

    code = "YS203"
    title = "增减额与增长率不一致"
    title_en = "Stated change and growth rate disagree"
    tags = NARR | {"growth"}
    message = "{what} {value}，增减 {change}，隐含增长 {expected}，而文中为 {printed}（相差 {gap}）"
    message_en = "{what} {value}, change {change}: implied growth {expected}, printed {printed} ({gap_en})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            for f in ex.facts:
                if f.yoy_abs is None or f.yoy_pct is None:
                    continue
                rng = growth_from_change(f.amount.interval(), f.yoy_abs.interval())
                if rng is None:
                    continue
                prior = f.amount.yuan - f.yoy_abs.yuan
                point = (f.amount.yuan / prior - 1) * HUNDRED if prior else None
                hit = pct_hit(ctx, [f], rng, point, f.yoy_pct,
                              {"what": label(f), "value": str(f.amount), "change": str(f.yoy_abs)})
                if hit:
                    yield hit
            for rel in ex.relations:
                if rel.kind != RelationKind.GROWTH or rel.stated is None:
                    continue
                cur = ctx.facts.get(rel.total)
                prev = resolve(ctx, rel.parts)
                if cur is None or not prev or len(prev) != 1:
                    continue
                q = cur.amount.interval() / prev[0].amount.interval()
                if q is None:
                    continue
                rng = Interval((q.lo - 1) * HUNDRED, (q.hi - 1) * HUNDRED)
                point = (cur.yuan / prev[0].yuan - 1) * HUNDRED
                hit = pct_hit(ctx, [cur, prev[0]], rng, point, rel.stated,
                              {"what": label(cur), "value": str(cur.amount),
                               "change": f"上期 {prev[0].amount}"})
                if hit:
                    yield hit


@register
class StatedDifference(Rule):
    """What: a stated difference between two figures (决算数比执行数增加 x 亿元) equals the later
    figure minus the earlier, within rounding.  ``Relation.total`` is the later figure,
    ``parts`` the earlier, ``stated`` the change in yuan (printed to the figures' precision).

    Why: final accounts reports (《预算法》第七十七条) explain changes between the execution
    figure reported earlier and the final figure; the explanation must match the figures.

    The two figures and the stated change are read at their paragraph's precision, as the
    amounts of YS201 are (执行数 92 亿元 beside 决算数 95.16 亿元 is 92.00).

    Example: 决算 120.3 亿元，比执行数增加 0.5 亿元，执行数 119.8 亿元 (no finding).

    Fix: correct the stated difference or one of the two figures.
    """

    code = "YS204"
    title = "两个口径之差与所述增减不符"
    title_en = "Stated difference between two figures is wrong"
    tags = NARR | {"difference", "cross-document"}
    message = "{later} 与 {earlier} 之差应为 {expected}，文中为 {printed}（相差 {gap}）"
    message_en = "{later} minus {earlier} is {expected}; the text states {printed} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            for rel in ex.relations:
                if rel.kind != RelationKind.DIFFERENCE or rel.stated is None:
                    continue
                later = ctx.facts.get(rel.total)
                earlier = resolve(ctx, rel.parts)
                if later is None or not earlier:
                    continue
                # the figures and the stated change are read at their paragraph's precision
                group = statement(ctx, [later, *earlier])
                e_iv, e_pt = group_sum([p.amount for p in earlier], group)
                diff = group_iv(later.amount, group) - e_iv
                # ``stated`` is in yuan; it was printed with the precision of the figures.
                unit = later.amount.unit
                value = rel.stated / UNIT_FACTOR[unit]
                places = max(places_of(later.amount.value), places_of(value.normalize()))
                value = value.quantize(Decimal(1).scaleb(-places))
                stated = Amount(value, unit)
                stated_iv = group_iv(stated, group)
                if meets(diff, stated_iv):
                    continue
                point = later.yuan - e_pt
                pseudo = Fact(indicator="差额", amount=stated, stage=later.stage,
                              period=later.period, source=rel.source or later.source)
                hit = money_hit(ctx, [later, *earlier], diff, point, pseudo,
                                {"later": label(later), "earlier": label(earlier[0])},
                                printed_iv=stated_iv)
                if hit:
                    if rel.source is not None:
                        hit = Hit(hit.params, (*hit.sources, rel.source), hit.facts,
                                  hit.expected, hit.printed, hit.gap, hit.tolerance,
                                  later.source.document)
                    yield hit


_BUDGET_STAGES = (Stage.BUDGET, Stage.ADJUSTED, Stage.PLAN)


@register
class RatioToBudget(Rule):
    """What: 为预算的 x% (完成预算的 x%, 支出进度 x%) agrees with the figure divided by its budget,
    when the ledger holds that budget (same government, scope, book and indicator or code, a
    budget, adjusted or plan figure of the same year), or when a ratio relation names it
    (``Relation.total`` the budget, ``parts`` the figure).

    Why: execution reports (《预算法》第八十六条) state progress against the budget the people's
    congress approved; the percentage must follow from the two figures.

    Example: 支出 25.86 亿元 of 下达 40.89 亿元，支出进度 63.2% (63.24%: no finding).

    Fix: recompute the percentage against the approved (or adjusted) budget figure.
    """

    code = "YS205"
    title = "完成预算百分比与预算数不符"
    title_en = "Percentage of budget disagrees with the budget figure"
    tags = NARR | {"ratio"}
    message = "{what} {value} 为预算数 {budget} 的 {expected}，文中为 {printed}（相差 {gap}）"
    message_en = "{what} {value} is {expected} of budget {budget}; printed {printed} ({gap_en})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        index: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
        for f in ctx.facts.values():
            if f.stage in _BUDGET_STAGES:
                index[(f.government, str(f.scope), f.book, f.code or f.indicator,
                       f.period.year)].append(f)
        done: set[tuple[str, str]] = set()
        for ex in ctx.extractions:
            for rel in ex.relations:
                if rel.kind != RelationKind.RATIO or rel.stated is None:
                    continue
                budget = ctx.facts.get(rel.total)
                num = resolve(ctx, rel.parts)
                if budget is None or not num:
                    continue
                done.add((num[0].id, budget.id))
                hit = self._one(ctx, num, budget, rel.stated)
                if hit:
                    yield hit
            for f in ex.facts:
                if f.pct_of_budget is None or f.stage in _BUDGET_STAGES:
                    continue
                cands = index.get((f.government, str(f.scope), f.book, f.code or f.indicator,
                                   f.period.year), [])
                cands = [b for b in cands if (f.id, b.id) not in done]
                if not cands:
                    continue
                hits = [self._one(ctx, [f], b, f.pct_of_budget) for b in cands]
                if all(hits):
                    yield hits[0]  # type: ignore[misc]

    @staticmethod
    def _one(ctx: Context, num: list[Fact], budget: Fact, stated: Decimal) -> Hit | None:
        return _ratio_hit(ctx, num, budget, stated, {"budget": str(budget.amount)})


def _ratio_hit(
    ctx: Context, parts: list[Fact], base: Fact, stated: Decimal, params: dict[str, str]
) -> Hit | None:
    """A finding when the stated percentage lies outside Σparts / base (None when it fits)."""
    iv, pt = amounts_sum([p.amount for p in parts])
    rng = ratio_iv(iv, base.amount.interval())
    if rng is None:
        return None
    return pct_hit(ctx, [*parts, base], rng, pt / base.yuan * HUNDRED, stated,
                   {"what": label(parts[0]), "value": str(parts[0].amount), **params})


@register
class StatedShare(Rule):
    """What: 占 … 的 x% agrees with the figure divided by the whole it is a share of (the fact
    named by ``share_of`` in the same context, or ``Relation.total`` of a share relation).

    Why: shares are how reports summarise structure (民生支出占一般公共预算支出的 x%); a share
    that does not follow from its two figures misleads the reader.

    A bare 占比 x% that does not name its whole is accepted when any figure of the same stage
    stated nearby is a whole it fits.

    Example: 非税收入 54.01 亿元，占一般公共预算收入 131.5 亿元的 41.07% (no finding).

    Fix: recompute the share from the two figures.
    """

    code = "YS206"
    title = "占比与两数之比不符"
    title_en = "Stated share disagrees with its figures"
    tags = NARR | {"ratio"}
    message = "{what} {value} 占 {whole} {whole_value} 的 {expected}，文中为 {printed}（相差 {gap}）"
    message_en = "{what} {value} is {expected} of {whole} {whole_value}; printed {printed} ({gap_en})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        done: set[str] = set()
        for ex in ctx.extractions:
            for rel in ex.relations:
                if rel.kind != RelationKind.SHARE or rel.stated is None:
                    continue
                whole = ctx.facts.get(rel.total)
                parts = resolve(ctx, rel.parts)
                if whole is None or not parts:
                    continue
                done.update(p.id for p in parts)
                hit = self._one(ctx, parts, whole, rel.stated)
                if hit and not rel.note and self._other_whole(ctx, ex, parts, whole, rel.stated):
                    continue  # 占比 without naming the whole: another nearby whole fits
                if hit:
                    yield hit
            by_name: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
            for f in ex.facts:
                by_name[(f.indicator, str(f.scope), f.stage, str(f.period))].append(f)
            for f in ex.facts:
                if f.share_pct is None or not f.share_of or f.id in done:
                    continue
                wholes = by_name.get((f.share_of, str(f.scope), f.stage, str(f.period)), [])
                if not wholes:
                    continue
                hits = [self._one(ctx, [f], w, f.share_pct) for w in wholes]
                if all(hits):
                    yield hits[0]  # type: ignore[misc]

    @staticmethod
    def _one(ctx: Context, parts: list[Fact], whole: Fact, stated: Decimal) -> Hit | None:
        return _ratio_hit(ctx, parts, whole, stated,
                          {"whole": label(whole), "whole_value": str(whole.amount)})

    @classmethod
    def _other_whole(cls, ctx: Context, ex: Extraction, parts: list[Fact], whole: Fact,
                     stated: Decimal) -> bool:
        near = parts[0].source.start
        for f in ex.facts:
            if f.id == whole.id or f in parts or f.table is not None:
                continue
            if f.stage != parts[0].stage or abs(f.source.start - near) > 300:
                continue
            if cls._one(ctx, parts, f, stated) is None:
                return True
        return False


@register
class RepeatedMention(Rule):
    """What: the same figure mentioned twice in one report's narrative (same government, scope,
    book, indicator, stage and period) has the same value, within rounding.

    Why: a report is read as one statement to the people's congress; two values for one figure
    cannot both be right.

    The rates both mentions state (增长 x%, 为预算的 x%, 占 x%, 增减额) must agree too.  Only
    mentions that name the figure just before the number are compared (a figure the text
    does not name there may have been given the key of another), only figures the lexicon
    or a classification code defines (a free-text name such as 本金 or 项目绩效目标 means
    different figures in different sections), and not two mentions that are parts of
    different wholes (本金 of 还本付息总额 and 本金 of 一般债券还本付息总额).

    Example: 税收收入完成 77.48 亿元 … 全州税收收入完成 77.48 亿元 (no finding).

    Fix: make the two mentions agree.
    """

    code = "YS207"
    title = "同一数据前后不一致"
    title_en = "One figure printed with two values"
    severity = Severity.WARNING
    tags = NARR | {"consistency"}
    message = "{what} 在文中出现两个不同数值：{first} 与 {printed}（相差 {gap}）"
    message_en = "{what} is printed as {first} and as {printed} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            for facts in repeated_mentions(ex):
                first = facts[0]
                for other in facts[1:]:
                    hit = money_hit(ctx, [first, other], first.amount.interval(), first.yuan,
                                    other, {"what": label(first), "first": str(first.amount)},
                                    severity=Severity.WARNING)
                    if hit is None:
                        hit = self._stated(ctx, first, other)
                    if hit:
                        yield hit
                        break

    @staticmethod
    def _stated(ctx: Context, a: Fact, b: Fact) -> Hit | None:
        """The rates both mentions state (增长 x%, 为预算的 x%, 占 x%) must agree too."""
        for name, zh in (("yoy_pct", "增长率"), ("pct_of_budget", "完成预算比例"),
                         ("share_pct", "占比")):
            x, y = getattr(a, name), getattr(b, name)
            if x is None or y is None:
                continue
            hit = pct_hit(ctx, [a, b], pct_interval(x), x, y,
                          {"what": f"{label(a)}{zh}", "first": f"{x}%"}, severity=Severity.WARNING)
            if hit:
                return hit
        if a.yoy_abs is not None and b.yoy_abs is not None and not a.yoy_abs.interval().overlaps(
                b.yoy_abs.interval()):
            return Hit(params={"what": f"{label(a)}增减额", "first": str(a.yoy_abs),
                               "printed": str(b.yoy_abs), "gap": ""},
                       sources=ctx.fact_sources([a, b]), facts=(a.id, b.id),
                       expected=str(a.yoy_abs.value), printed=str(b.yoy_abs.value),
                       document=a.source.document, severity=Severity.WARNING)
        return None


_MONEY_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?=\s*(?:亿元|万元|元))")


def repeated_mentions(ex: Extraction) -> list[list[Fact]]:
    """Groups of narrative facts that mention one figure: same key, a name the lexicon (or a
    code) defines printed just before each number, and no two different parents (本金 of
    还本付息总额 and 本金 of 一般债券还本付息总额 are two figures)."""
    groups: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
    text = ex.document.text
    for f in ex.facts:
        if f.table is None and (f.code or lookup(f.indicator)) and _named_before(text, f):
            groups[f.key].append(f)
    out = []
    for facts in groups.values():
        parents = {f.parent for f in facts if f.parent}
        if len(facts) > 1 and len(parents) <= 1:
            out.append(facts)
    return out


def _named_before(text: str, f: Fact, window: int = 24) -> bool:
    """Is the fact's indicator (without a scope prefix) printed just before its number?

    The number is the first money figure of the fact's span (the span may begin before the
    name, e.g. at the verb of 下达新增地方政府债务限额 120.5 亿元)."""
    name = re.sub(r"^(本级|全市|全州|全区|全县|市本级|州本级)", "", f.indicator)
    m = _MONEY_NUMBER.search(text, f.source.start, f.source.end)
    at = m.start() if m else f.source.start
    before = re.sub(r"\s+", "", text[max(0, at - window - len(name)):at])
    return bool(name) and name in before


def _prior(f: Fact) -> Interval | None:
    """The prior-period value (yuan) a fact's stated change or rate implies."""
    if f.yoy_abs is not None:
        return f.amount.interval() - f.yoy_abs.interval()
    if f.yoy_pct is not None:
        return prior_from_rate(f.amount.interval(), f.yoy_pct)
    return None


def _budget(f: Fact) -> Interval | None:
    if f.pct_of_budget is None:
        return None
    return base_from_ratio(f.amount.interval(), f.pct_of_budget)


def _some_parts(whole: Fact, parts: list[Fact], ex: Extraction) -> list[Fact]:
    """The parts of a 其中 list not known to be complete that surely do not overlap, as YS202
    reads them (nested parts counted once, the second largest of three or more left out), or
    none when they cannot be parts of the whole (another stage, printed before it, outflows,
    a negative figure)."""
    if not _plausible(whole, parts) or whole.amount.value <= ZERO or any(
            p.source.start < whole.source.start or p.amount.value < ZERO for p in parts):
        return []
    inflow, outflow = _split_flows(whole, parts)
    if outflow:
        return []
    return _disjoint(ex, inflow, lambda f: f.yuan)


def _disjoint(ex: Extraction, parts: list[Fact], size: Callable[[Fact], Decimal]) -> list[Fact]:
    """Listed parts that surely do not overlap: parts that make up another listed part counted
    once, and of three or more the second largest (by ``size``) left out, as one listed part
    may be nested in a larger one (民生支出 within 一般公共预算支出), unless the two largest
    are each broken down by a list of their own."""
    parts = _unnest(parts)
    if len(parts) >= 3 and not _broken_down(ex, parts):
        second = sorted(parts, key=size, reverse=True)[1]
        parts = [p for p in parts if p is not second]
    return parts


def _base_point(f: Fact, base: str) -> Decimal:
    """The figure (""), its implied prior-year figure ("上年数") or budget ("预算数"), in yuan."""
    if base == "预算数" and f.pct_of_budget:
        return f.yuan / f.pct_of_budget * HUNDRED
    if base == "上年数":
        if f.yoy_abs is not None:
            return f.yuan - f.yoy_abs.yuan
        if f.yoy_pct is not None and f.yoy_pct != -HUNDRED:
            return f.yuan / (1 + f.yoy_pct / HUNDRED)
    return f.yuan


@register
class ComponentsPrior(Rule):
    """What: for a whole stated as the sum of its parts, the prior-year figures implied by each
    one's stated change or growth rate also add up (prior whole = Σ prior parts), and so do the
    budgets implied by each one's 为预算的 x%.

    When one part states no rate, its base is unknown but not negative: then the known parts'
    bases must not exceed the whole's.  So too for a 其中 list not known to be complete: the
    bases of the parts it names (read as YS202 reads them) may not exceed the whole's.

    Why: a growth rate of a total that does not follow from the growth of its parts means one
    of the rates (or one of the prior-year bases) is wrong.

    Example: 一般公共预算收入 131.5 (+12.59); 税收 77.48 (−5.18%); 非税 54.01 (+45.24%):
    prior 118.91 against 81.71 + 37.19 = 118.90 (no finding).

    Fix: recompute the rate of the whole or of the part whose base is wrong.
    """

    code = "YS208"
    title = "总数与分项的上年基数（或预算数）不衔接"
    title_en = "Implied prior-year (or budget) bases of a whole and its parts disagree"
    severity = Severity.WARNING
    tags = NARR | {"growth", "sum"}
    message = "{whole} 按所述增幅或完成比例推算的{base}为 {printed}，而各分项推算之和为 {expected}"
    message_en = "{whole}: implied {base_en} {printed}, while its parts imply {expected}"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex, rel, whole, parts in _sums(ctx):
            complete = rel.exhaustive or conjuncts(whole, parts)
            if complete and not amounts_sum([p.amount for p in parts])[0].overlaps(
                    whole.amount.interval()):
                continue  # the parts are not complete (or YS201 reports them)
            if not complete:
                parts = _some_parts(whole, parts, ex)
                if not parts:
                    continue
            for fn, base, base_en in ((_prior, "上年数", "prior-year figure"),
                                      (_budget, "预算数", "budget")):
                w = fn(whole)
                # a part of 0 this year says nothing of its prior year or budget
                ps = [fn(p) for p in parts]
                known = [p for p in ps if p is not None]
                if w is None or not known or (complete and len(known) < len(ps) - 1):
                    continue
                s = Interval(sum((p.lo for p in known), ZERO),
                             sum((p.hi for p in known), ZERO))
                if not complete or len(known) < len(ps):
                    # one part states no rate: its base is unknown but not negative, so
                    # the known bases may not exceed the whole's
                    if s.lo <= w.hi:
                        continue
                elif s.overlaps(w):
                    continue
                unit = whole.amount.unit
                gap = w.mid - s.mid
                yield Hit(
                    params={"whole": label(whole), "base": base, "base_en": base_en,
                            "printed": amount_str(w.mid, unit, 4),
                            "expected": amount_str(s.mid, unit, 4)},
                    sources=ctx.fact_sources([whole, *parts]),
                    facts=tuple(f.id for f in (whole, *parts)),
                    expected=amount_str(s.mid, unit, 4),
                    printed=amount_str(w.mid, unit, 4),
                    gap=amount_str(gap, unit, 4),
                    tolerance=amount_str((w.hi - w.lo + s.hi - s.lo) / 2, unit, 4),
                    document=whole.source.document,
                )


_BOOK_TOTAL = re.compile(
    r"^(?:地方)?(?:一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|社保基金预算|地方财政)"
    r"(?:收入|支出)$|^(?:税收|非税)收入$")


def own_and_whole(ex: Extraction) -> list[tuple[Fact, Fact]]:
    """Pairs of one book total stated for the government's own level and for the whole
    (州本级一般公共预算收入 7.63 亿元 … 全州一般公共预算收入 131.5 亿元): same government,
    book, stage and period."""
    by: dict[tuple[object, ...], dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for f in ex.facts:
        name = _base_name(f.indicator)
        if f.table is None and _BOOK_TOTAL.match(name) and str(f.scope) in ("own", "whole"):
            by[(f.government, f.book, name, f.stage, str(f.period))][str(f.scope)].append(f)
    return [(o, w) for g in by.values() for o in g["own"] for w in g["whole"]]


@register
class OwnExceedsWhole(Rule):
    """What: a book total of the government's own level (本级) is not larger than the same
    total for the whole area (全市/全州: the own level plus the governments below it), same
    stage and period.

    Why: the whole area's revenue and expenditure include the own level's (《预算法》第三条:
    each level's budget and the general budget of the area it leads); an own figure above the
    whole is a misprint of one of the two.

    The same holds for the prior-year figures their growth rates imply and for the budgets
    their 为预算的 x% imply (both measured against the same kind of budget).

    Example: 州本级一般公共预算收入完成 7.63 亿元 … 全州一般公共预算收入完成 131.5 亿元 (no
    finding); 州本级 137.63 亿元 would be a finding.

    Fix: correct the own level's or the whole's figure.
    """

    code = "YS210"
    title = "本级数大于全域数"
    title_en = "Own level's figure exceeds the whole area's"
    severity = Severity.ERROR
    tags = NARR | {"consistency"}
    message = "本级{what} {printed} 大于全域的 {expected}（超出 {gap}）"
    message_en = "own-level {what_en} {printed} exceeds the whole area's {expected} ({gap} over)"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            done: set[str] = set()  # one finding for an own figure (the whole may be repeated)
            for own, whole in own_and_whole(ex):
                if whole.amount.value <= ZERO or own.id in done:
                    continue
                for fn, base, base_en in ((lambda f: f.amount.interval(), "", ""),
                                          (_prior, "上年数", "prior-year figure "),
                                          (_budget, "预算数", "budget ")):
                    o, w = fn(own), fn(whole)
                    if o is None or w is None or o.lo <= w.hi or (
                            base == "预算数" and own.pct_base != whole.pct_base):
                        continue
                    done.add(own.id)
                    unit = own.amount.unit
                    places = 4 if base else max(places_of(own.amount.value),
                                                places_of(in_unit(whole.yuan, unit).normalize()))
                    mine, theirs = _base_point(own, base), _base_point(whole, base)
                    yield Hit(params={"what": _base_name(own.indicator) + base,
                                      "what_en": base_en + _base_name(own.indicator),
                                      "printed": amount_str(mine, unit, places),
                                      "expected": amount_str(theirs, unit, places),
                                      "gap": amount_str(mine - theirs, unit, places)},
                              sources=ctx.fact_sources([own, whole]), facts=(own.id, whole.id),
                              expected=fmt(in_unit(theirs, unit), places) if base
                              else fmt(in_unit(theirs, unit).normalize()),
                              printed=fmt(in_unit(mine, unit), places) if base
                              else fmt(own.amount.value),
                              document=own.source.document)
                    break


@register
class TableVsNarrative(Rule):
    """What: a figure stated in the narrative of a document equals the same figure in the
    document's own tables (same government, scope, book, indicator or code, stage and period).
    Debt figures are left to YS405.

    Why: the disclosure tables are the detail behind the report (财政部 预决算公开 templates);
    a report whose text and tables disagree cannot both be what was approved.

    Preview: text and table facts must carry the same context (stage, period, measure) for the
    comparison to be meaningful; run it with ``--preview`` or ``--select YS209``.

    Example: text 一般公共预算收入 40.78 亿元 and table 407810 万元 (no finding).

    Fix: make the text and the table agree.
    """

    code = "YS209"
    title = "正文数据与表格不一致"
    title_en = "Text figure differs from the table"
    severity = Severity.WARNING
    lifecycle = Lifecycle.PREVIEW
    tags = NARR | {"table", "consistency"}
    message = "正文中{what}为 {printed}，{table} 中为 {expected}（相差 {gap}）"
    message_en = "the text gives {what} as {printed}; {table} gives {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        from yusuan.check.rules.debt import narrative_vs_table

        return narrative_vs_table(ctx, debt=False)
