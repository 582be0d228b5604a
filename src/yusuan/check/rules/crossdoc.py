"""YS5xx: the same figure in two documents of the ledger."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from yusuan.check.engine import Context, Hit, Rule, register
from yusuan.check.rules._util import label, money_hit
from yusuan.model import Fact, Severity, Stage


@register
class SameFactTwoDocuments(Rule):
    """What: a figure that two documents both state (same government, scope, book, indicator or
    code, stage and period) has the same value in both, within rounding; the two are shown side
    by side.  A stated difference between two stages (决算数比执行数增加 x) is checked by YS204
    even when the two figures come from different documents.

    Why: the final accounts (《预算法》第七十七条) restate figures first reported in the
    execution report; a department's figure reappears in the government's tables.  Silent
    revisions are what a reviewer most needs to see.

    Example: 2023 年一般公共预算收入 executed 23.17 亿元 in the execution report and 23.17 亿元
    in the final accounts (no finding).

    Fix: explain the revision in the later document, or correct the misprinted figure.
    """

    code = "YS501"
    title = "同一数据在两份文件中不一致"
    title_en = "One figure differs between two documents"
    severity = Severity.WARNING
    tags = frozenset({"cross-document", "consistency"})
    message = "{what} 在 {file_a} 中为 {expected}，在 {file_b} 中为 {printed}（相差 {gap}）"
    message_en = "{what} is {expected} in {file_a} and {printed} in {file_b} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        if len(ctx.extractions) < 2:
            return
        by_key: dict[tuple[object, ...], dict[str, list[Fact]]] = defaultdict(
            lambda: defaultdict(list))
        for ex in ctx.extractions:
            for f in ex.facts:
                if f.government is None:
                    continue  # without a government the key does not identify the figure
                by_key[f.key][ex.document.id].append(f)
        names = {ex.document.id: ex.document.name for ex in ctx.extractions}
        for docs in by_key.values():
            if len(docs) < 2:
                continue
            ids = list(docs)
            a = docs[ids[0]][0]
            for other in ids[1:]:
                b = docs[other][0]
                hit = money_hit(ctx, [a, b], a.amount.interval(), a.yuan, b,
                                {"what": label(a), "file_a": names[ids[0]],
                                 "file_b": names[other]})
                if hit:
                    yield hit


# A book's year-end balance and next year's opening balance (结余, 结转), by how they are named.
_CLOSING = re.compile(r"年终结余|结转下年|年终滚存结余|年末滚存结余")
_OPENING = re.compile(r"^(?:.*?)上年(?:度)?结[余转](?:收入)?$")
_BOOK_WORDS = re.compile(r"一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?|社会保险基金(?:预算)?")


def _carry_key(f: Fact) -> str | None:
    """What a balance is of, once its book and balance words are taken out: "" for the book's
    own balance (政府性基金年终结余, 政府性基金预算上年结余收入, 结转下年), else the fund or item
    it names (城乡居民基本养老保险基金年终结余 -> 城乡居民基本养老保险)."""
    name = re.sub(r"合计$", "", f.indicator)
    if _CLOSING.search(name):
        rest = _CLOSING.sub("", name)
    elif _OPENING.match(name):
        rest = re.sub(r"上年(?:度)?结[余转](?:收入)?$", "", name)
    else:
        return None
    return re.sub(r"基金$", "", _BOOK_WORDS.sub("", rest)).strip()


def carry_pairs(ctx: Context) -> list[tuple[Fact, list[Fact]]]:
    """Each opening balance of a year with the closing balances of the year before it (same
    government, scope, book and item)."""
    closing: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
    opening: list[tuple[tuple[object, ...], Fact]] = []
    for ex in ctx.extractions:
        for f in ex.facts:
            key = _carry_key(f)
            if key is None or f.book is None or f.government is None:
                continue
            what = (f.government, str(f.scope), f.book, key)
            if _CLOSING.search(f.indicator):
                if f.stage in (Stage.EXECUTION, Stage.FINAL, Stage.BALANCE) and (
                        f.period.end_month == 12):  # the year's end, not a mid-year figure
                    closing[(*what, f.period.year)].append(f)
            else:
                opening.append(((*what, f.period.year - 1), f))
    return [(f, closing[k]) for k, f in opening if closing.get(k)]


@register
class CarryOver(Rule):
    """What: a book's opening balance of a year (上年结余收入, 上年结转) equals its closing
    balance of the year before (年终结余, 结转下年, 年终滚存结余): same government, scope, book
    and item, in one document or across the documents of the ledger.

    Why: the balance carried into a year is the balance the year before closed with
    (《预算法》第九十七条 reports the year-end balances; the next budget takes them in as
    上年结余); a budget that takes in another figure misstates the money available.

    When several closing figures fit (年终结余 in the text and in a table), the opening one must
    agree with one of them.

    Example: 2023 年政府性基金年终结余 35570 万元 and 2024 年政府性基金预算上年结余收入 35570 万元
    (no finding).

    Fix: correct the opening or the closing balance, or explain the adjustment between them.
    """

    code = "YS502"
    title = "上年结余与上年年终结余不符"
    title_en = "Opening balance differs from the previous year's closing balance"
    severity = Severity.WARNING
    tags = frozenset({"cross-document", "balance", "consistency"})
    message = "{what} {printed} 与上年 {closing} {expected} 不一致（相差 {gap}）"
    message_en = "{what} {printed} differs from last year's {closing} {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for opening, closings in carry_pairs(ctx):
            hits = [money_hit(ctx, [c, opening], c.amount.interval(), c.yuan, opening,
                              {"what": label(opening), "closing": label(c)})
                    for c in closings]
            if all(hits):
                yield hits[0]  # type: ignore[misc]
