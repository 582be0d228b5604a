"""YS3xx: the balance of each book: sources against uses and the stated balance."""

from __future__ import annotations

from collections.abc import Iterator

from yusuan.check.arith import ZERO, group_iv
from yusuan.check.engine import Context, Hit, Rule, register
from yusuan.check.rules._util import label, money_hit, statement
from yusuan.model import Fact, Interval, RelationKind


@register
class BookBalance(Rule):
    """What: a stated balance (收支相抵，年终滚存结余 x) equals the sources of the book (本级收入,
    上级补助, 上年结余, 调入资金, 债务转贷收入, 动用预算稳定调节基金 …) minus its uses (支出, 上解,
    补助下级, 债务还本, 调出, 安排预算稳定调节基金 …), within rounding.  In a balance relation
    ``Relation.total`` is the stated balance and ``parts`` the sources and uses, a use's id
    prefixed with ``-``; or the extractor's note ``sources=a;uses=b;balance=c;total_is_use=1``
    says how many parts are sources, uses and closing balances (the total being one more use).
    When that use is a subordinate's figure printed in parentheses after the level's own
    (支出 59.42 亿元（沙坡头区支出 35.74 亿元）), the level's own figure is used.

    Every figure is read at its paragraph's precision, as the amounts of YS201 are.  A
    paragraph that states a book's revenue and expenditure and then "收支相抵，年终滚存结余 x"
    or "本年收支结余 x" makes a balance of its own (x = revenue − expenditure).

    Why: 《预算法》第十二条 (收支平衡) and the final-accounts templates (决算 收支平衡表) state
    the balance as what the sources leave after the uses.

    Example: 来源 4.53 + 0.11 + 3.14 + 1 = 8.78; 使用 5.23 + 0.26 + 1.62 = 7.11; 收支相抵，
    年终滚存结余 1.67 (no finding).

    Fix: correct the misprinted source, use or balance.
    """

    code = "YS301"
    title = "收支相抵结余与来源、去向不符"
    title_en = "Stated balance does not equal sources minus uses"
    tags = frozenset({"balance", "narrative"})
    message = "{what} {printed}，按资金来源减去支出应为 {expected}，相差 {gap}"
    message_en = "{what} is {printed}; sources minus uses give {expected} (gap {gap})"

    def check(self, ctx: Context) -> Iterator[Hit]:
        for ex in ctx.extractions:
            for rel in ex.relations:
                if rel.kind != RelationKind.BALANCE:
                    continue
                signed = _signed(ctx, rel.total, rel.parts, rel.note)
                if signed is None:
                    continue
                bal, terms = signed
                if str(bal.scope) not in ("whole", "own") and any(
                        str(f.scope) in ("whole", "own") for _, f in terms):
                    continue  # a subordinate's figure cannot close the level's balance
                # every figure read at the precision its paragraph prints
                group = statement(ctx, [bal, *(f for _, f in terms)])
                iv = Interval.exact(ZERO)
                pt = ZERO
                for neg, f in terms:
                    f_iv = group_iv(f.amount, group)
                    iv = iv - f_iv if neg else iv + f_iv
                    pt = pt - f.yuan if neg else pt + f.yuan
                hit = money_hit(ctx, [bal, *(f for _, f in terms)], iv, pt, bal,
                                {"what": label(bal)}, printed_iv=group_iv(bal.amount, group))
                if hit:
                    yield hit


def _signed(ctx: Context, total: str, parts: tuple[str, ...],
            note: str) -> tuple[Fact, list[tuple[bool, Fact]]] | None:
    """The figure to test and the signed terms that should give it.

    Two encodings: ``parts`` with uses prefixed ``-`` (``total`` the stated balance); or the
    extractor's note ``sources=a;uses=b;balance=c;total_is_use=1``: ``parts`` are a sources,
    then b uses, then c closing balances, and ``total`` is one more use.  Then sources − uses −
    other balances must equal the last closing balance."""
    facts = [ctx.facts.get(p.lstrip("-")) for p in parts]
    head = ctx.facts.get(total)
    if head is None or any(f is None for f in facts):
        return None
    fs = [f for f in facts if f is not None]
    counts = dict(kv.split("=", 1) for kv in note.split(";") if "=" in kv)
    if "sources" in counts:
        try:
            a, b, c = int(counts["sources"]), int(counts["uses"]), int(counts.get("balance", 0))
        except ValueError:
            return None
        if a + b + c != len(fs) or c < 1:
            return None
        sources, uses, bals = fs[:a], fs[a:a + b], fs[a + b:]
        closing = bals[-1]
        if counts.get("total_is_use") == "1":
            if str(head.scope) != str(closing.scope):
                # the spending figure of another government (（沙坡头区支出 35.74 亿元）) was
                # taken for the level's own: use the level's figure printed just before it
                head = _own_figure(ctx, head, str(closing.scope))
                if head is None:
                    return None
            uses = [head, *uses]
        terms = [(False, f) for f in sources] + [(True, f) for f in uses + bals[:-1]]
        return closing, terms
    return head, [(p.startswith("-"), f) for p, f in zip(parts, fs, strict=True)]


def _own_figure(ctx: Context, other: Fact, scope: str) -> Fact | None:
    """The figure of ``scope`` with the same name, stage and period printed just before
    ``other`` (a subordinate's figure in parentheses after the level's own)."""
    best = None
    for f in ctx.facts.values():
        if (f.indicator == other.indicator and str(f.scope) == scope
                and f.stage == other.stage and f.period == other.period
                and f.source.document == other.source.document
                and 0 < other.source.start - f.source.start <= 60
                and f.table is None
                and (best is None or f.source.start > best.source.start)):
            best = f
    return best
