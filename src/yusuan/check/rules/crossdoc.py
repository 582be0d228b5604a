"""YS5xx: the same figure in two documents of the ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from yusuan.check.engine import Context, Hit, Rule, register
from yusuan.check.rules._util import label, money_hit
from yusuan.model import Fact, Severity


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
