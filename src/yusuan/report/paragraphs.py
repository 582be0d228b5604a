"""Report paragraphs in Chinese, generated from facts in the seeds' style.

    1-6月，全州一般公共预算收入完成131.5亿元，比上年同期增收12.59亿元，
    增长10.59%。其中：税收收入完成77.48亿元，同比下降5.18%；……

Each sentence is written from one fact (and the facts that are its parts,
after 其中), so that reading the text back yields the same facts: the
value in its printed unit and precision, the stated change, growth rate,
rate of budget and share.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from yusuan.analyze.ledger import gov_of
from yusuan.model import Amount, Fact, Period, Scope, Stage
from yusuan.model.serialize import dec

_CN_NUM = "零一二三四五六七八九十"


def _ordinal(n: int) -> str:
    if n <= 10:
        return _CN_NUM[n]
    return "十" + _CN_NUM[n - 10] if n < 20 else str(n)


def scope_words(government: str) -> tuple[str, str]:
    """(全口径, 本级) words for a government: 昌吉回族自治州 -> (全州, 州本级)."""
    if government.endswith("自治区"):
        return "全区", "自治区本级"
    last = government[-1:] or "市"
    if last not in "州市县区旗盟省":
        last = "市"
    return f"全{last}", f"{last}本级"


def scope_name(scope: str, government: str) -> str:
    whole, own = scope_words(government)
    if scope == Scope.WHOLE:
        return whole
    if scope == Scope.OWN:
        return own
    return scope


def period_words(period: Period, with_year: bool = False) -> str:
    """``1-6月`` for a cumulative period (``2024年1-6月`` ``with_year``),
    ``2024年`` for a year, ``截至6月底`` for a date."""
    year = f"{period.year}年" if with_year else ""
    if period.day is not None:
        return f"截至{year}{period.day.month}月底"
    if period.whole_year:
        return f"{period.year}年"
    if period.start_month == period.end_month:
        return f"{year}{period.start_month}月"
    return f"{year}{period.start_month}-{period.end_month}月"


def _num(value: Decimal) -> str:
    text = dec(value) or "0"
    return text


def _is_spending(indicator: str) -> bool:
    return "支出" in indicator


def _change_words(fact: Fact, child: bool) -> list[str]:
    parts: list[str] = []
    spend = _is_spending(fact.indicator)
    if fact.pct_of_budget is not None:
        parts.append(f"为预算的{_num(fact.pct_of_budget)}%")
    if fact.yoy_abs is not None:
        amount = fact.yoy_abs
        verb = ("减支" if spend else "减收") if amount.value < 0 else "增支" if spend else "增收"
        lead = "同比" if child else "比上年同期"
        parts.append(f"{lead}{verb}{_num(abs(amount.value))}{amount.unit.value}")
    if fact.yoy_pct is not None:
        verb = "下降" if fact.yoy_pct < 0 else "增长"
        if fact.yoy_abs is None:
            lead = "同比" if child else "比上年同期"
            parts.append(f"{lead}{verb}{_num(abs(fact.yoy_pct))}%")
        else:
            parts.append(f"{verb}{_num(abs(fact.yoy_pct))}%")
    if fact.share_pct is not None:
        of = fact.share_of or ("一般公共预算支出" if _is_spending(fact.indicator) else "一般公共预算收入")
        parts.append(f"占{of}的{_num(fact.share_pct)}%")
    return parts


def _amount(a: Amount) -> str:
    return f"{_num(a.value)}{a.unit.value}"


_NOTE = re.compile(r"^(.+?)(（[^（）]*）)$")


def _name_note(indicator: str) -> tuple[str, str]:
    """``一般公共预算收入（含沙坡头区）`` -> (name, note): the documents print such a
    note after the amount (完成13.3亿元（含沙坡头区）)."""
    m = _NOTE.match(indicator)
    return (m.group(1), m.group(2)) if m else (indicator, "")


def fact_phrase(fact: Fact, subject: str = "", child: bool = False) -> str:
    """One clause for one fact: ``税收收入完成77.48亿元，同比下降5.18%``."""
    name, note = _name_note(fact.indicator)
    amount = _amount(fact.amount) + note
    if note.startswith("（含") and subject.endswith("本级"):
        # 市级 13.4 亿元（含沙坡头区）: a level including a district, as printed
        subject = subject[: -len("本级")] + "级"
    if fact.stage in (Stage.BALANCE, Stage.LIMIT):
        head = f"{subject}{name}{amount}"
    elif fact.stage is Stage.BUDGET:
        head = f"{subject}{name}{amount}纳入年初预算"
    elif fact.stage in (Stage.ADJUSTED, Stage.PLAN):
        verb = "调整预算" if fact.stage is Stage.ADJUSTED else "安排"
        head = f"{subject}{name}{verb}{amount}"
    else:
        head = f"{subject}{name}完成{amount}"
    return "，".join([head, *_change_words(fact, child)])


def default_title(government: str, facts: list[Fact]) -> str:
    """A title in the form the documents use, from the main period and stage."""
    flows = [f for f in facts if f.stage in (Stage.EXECUTION, Stage.FINAL, Stage.BUDGET)]
    if not flows:
        year = max((f.period.year for f in facts), default=0)
        return f"关于{year}年{government}预算执行情况的报告"
    main = max(flows, key=lambda f: (f.period.year, f.stage is Stage.EXECUTION, f.period.end_month))
    year = main.period.year
    finals = [f.period.year for f in flows if f.stage is Stage.FINAL]
    if finals and main.stage is Stage.EXECUTION and max(finals) < year:
        part = "上半年" if main.period.end_month == 6 else f"1-{main.period.end_month}月"
        return (f"{government}{max(finals)}年财政决算（草案）和{year}年{part}"
                "财政预算执行情况的报告")
    if main.stage is Stage.FINAL:
        return f"{government}{year}年财政决算（草案）的报告"
    if main.stage is Stage.BUDGET:
        return f"关于{government}{year}年预算草案的报告"
    if main.period.whole_year:
        return f"关于{year}年{government}预算执行情况的报告"
    if main.period.end_month == 6:
        return f"关于{year}年上半年{government}预算执行情况的报告"
    return f"关于{year}年1-{main.period.end_month}月{government}预算执行情况的报告"


def _listed_phrase(fact: Fact) -> str:
    """An item of a list under its whole: ``国防631万元``."""
    name, note = _name_note(fact.indicator)
    return "，".join([f"{name}{_amount(fact.amount)}{note}", *_change_words(fact, True)])


def level_word(government: str) -> str:
    """The word for a government's own level including its districts, as the
    seeds print it before a breakdown: 中卫市 -> 市级 (市级13.4亿元（含沙坡头区）)."""
    own = scope_words(government)[1]
    return own[: -len("本级")] + "级" if own.endswith("本级") else own


def _level_phrase(fact: Fact, level: str) -> str:
    """A level's share of a whole-scope figure, after 其中: ``市级13.4亿元（含沙坡头区），…``."""
    note = _name_note(fact.indicator)[1]
    return "，".join([f"{level}{_amount(fact.amount)}{note}", *_change_words(fact, True)])


def _parts_text(whole: Fact, parts: list[Fact], level: str, at_level: set[str],
                sub: dict[tuple[object, ...], list[Fact]] | None = None) -> str:
    """The parts after 其中, in the seeds' layout.

    A part's own parts (``sub``, by the part's key) go in parentheses right
    after it, as the documents print them (``公务用车购置及运行维护费 864.35
    万元（公务用车购置费 265.43 万元；公务用车运行维护费 598.92 万元）``), and
    so does a part that would take the listed parts past the whole (a
    breakdown of the part before it whose parent was not told apart); a
    level's share of a whole-scope figure is written with the level word
    (``市级13.4亿元``).
    """
    total = whole.amount.yuan
    groups: list[tuple[Fact, list[Fact]]] = []
    listed = Decimal(0)
    for p in parts:
        y = p.amount.yuan
        if groups and listed + y > total:
            groups[-1][1].append(p)
            continue
        groups.append((p, list((sub or {}).get(_context(p), []))))
        listed += y

    def phrase(p: Fact) -> str:
        return _level_phrase(p, level) if p.id in at_level else fact_phrase(p, child=True)

    items = []
    for p, nested in groups:
        text = phrase(p)
        if nested:
            text += "（" + "；".join(phrase(n) for n in nested) + "）"
        items.append(text)
    return "其中：" + "；".join(items) + "。"


def _context(f: Fact) -> tuple[object, ...]:
    """The key a fact's parts name it by: (scope, indicator, stage, period)."""
    return (f.scope, f.indicator, f.stage, f.period)


def _fact_key(f: Fact) -> tuple[object, ...]:
    return (str(f.scope), f.indicator, f.parent, f.stage, f.period, f.amount.value, f.amount.unit,
            f.yoy_abs, f.yoy_pct, f.pct_of_budget, f.share_pct)


def _alone_candidates(fact: Fact, subject: str) -> list[str]:
    """Ways to state a fact outside the four books' totals, in the seeds' forms,
    most natural first."""
    name, note = _name_note(fact.indicator)
    changes = _change_words(fact, False)
    out = [fact_phrase(fact, subject=subject) + "。"]
    if fact.stage in (Stage.EXECUTION, Stage.FINAL) and name.endswith("资金"):
        # "全市累计到位各类项目资金 143.02 亿元"
        out.append("，".join([f"{subject}累计到位{name}{_amount(fact.amount)}{note}", *changes])
                   + "。")
    if fact.stage in (Stage.EXECUTION, Stage.FINAL):
        # "拨付资金 0.45 亿元，用于市直属各学校（幼儿园）生均公用经费"
        out.append("，".join([f"{subject}拨付资金{_amount(fact.amount)}{note}，用于{name}",
                             *changes]) + "。")
    out.append(f"{subject}其他项目：{_listed_phrase(fact)}。")
    return out


def _reads_back(head: str, heading: str, when: str, sentence: str, fact: Fact) -> bool:
    """Whether ``sentence``, read back by yusuan under the same headings, gives ``fact``."""
    from yusuan.extract import extract
    from yusuan.read import read_bytes

    text = "\n".join([head, "", heading, "", f"{when}，{sentence}", ""])
    doc, _ = read_bytes(text.encode("utf-8"), "proof.txt")
    if doc is None:
        return False
    want = _fact_key(fact)
    return [_fact_key(f) for f in extract(doc).facts] == [want]


@dataclass(frozen=True, slots=True)
class Written:
    """A generated text and the facts each of its sentences was written from."""

    text: str
    facts: tuple[Fact, ...]
    parts: frozenset[str] = frozenset()  # ids of facts written as parts (after 其中)


_ORDER = (
    "一般公共预算收入",
    "一般公共预算支出",
    "政府性基金预算收入",
    "政府性基金预算支出",
    "国有资本经营预算收入",
    "国有资本经营预算支出",
    "地方财政收入",
    "地方财政支出",
    "社保基金预算收入",
    "社保基金预算支出",
    "社会保险基金预算收入",
    "社会保险基金预算支出",
)


def _rank(fact: Fact) -> tuple[int, int]:
    name = _name_note(fact.indicator)[0]
    for i, known in enumerate(_ORDER):
        if name.endswith(known):
            return (0, i)
    return (1, 0)


def _usable(fact: Fact) -> bool:
    return fact.stage in (Stage.EXECUTION, Stage.FINAL, Stage.BALANCE, Stage.LIMIT, Stage.BUDGET,
                          Stage.ADJUSTED) and fact.table is None


def write_paragraphs(facts: Iterable[Fact], government: str | None = None,
                     title: str | None = None) -> Written:
    """A report text for one government from its narrative facts.

    Facts are grouped by scope (全口径 first, then 本级, then named
    subordinates), period and stage; inside a group top-level items come in
    the usual order of the four books, each followed by its parts after
    其中.  A part whose whole is not among the facts is written as a
    sentence of its own (and so reads back without its parent).  Table-cell
    facts are left to the Excel tables.
    """
    chosen = [f for f in facts if _usable(f) and (government is None or gov_of(f) == government)]
    if not chosen:
        return Written("", ())
    gov = government or gov_of(chosen[0])
    # one fact per context: a figure repeated later in a document is written once
    seen: set[tuple[object, ...]] = set()
    unique: list[Fact] = []
    for f in sorted(chosen, key=lambda f: (f.source.document, f.source.start)):
        key = (f.scope, f.indicator, f.parent, f.stage, f.period, f.amount)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    tops = [f for f in unique if f.parent is None]
    children: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
    orphans: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
    top_keys = {(f.scope, f.indicator, f.stage, f.period) for f in tops}
    at_level: set[str] = set()  # parts written as the level's share of a whole figure
    # the parts of a part, written in parentheses right after it
    part_keys = {_context(f) for f in unique
                 if f.parent is not None and (f.scope, f.parent, f.stage, f.period) in top_keys}
    subparts: dict[tuple[object, ...], list[Fact]] = defaultdict(list)
    for f in unique:
        if f.parent is not None:
            k = (f.scope, f.parent, f.stage, f.period)
            if k not in top_keys and k in part_keys:
                subparts[k].append(f)
                continue
            whole_k = (Scope.WHOLE, f.parent, f.stage, f.period)
            if (f.scope == Scope.OWN and _name_note(f.indicator)[1].startswith("（含")
                    and _name_note(f.indicator)[0] == f.parent and whole_k in top_keys):
                # 全市…收入23.17亿元，其中：市级13.4亿元（含沙坡头区）
                children[whole_k].append(f)
                at_level.add(f.id)
            elif k in top_keys:
                children[k].append(f)
            else:  # a part whose whole is not in the ledger: listed under its name
                orphans[k].append(f)
                if len(orphans[k]) == 1:
                    tops.append(f)

    def scope_rank(s: str) -> tuple[int, str]:
        return (0, "") if s == Scope.WHOLE else (1, "") if s == Scope.OWN else (2, s)

    groups: dict[tuple[str, Period, Stage], list[Fact]] = defaultdict(list)
    for f in tops:
        groups[(str(f.scope), f.period, f.stage)].append(f)
    head = title or default_title(gov, [f for f in tops])
    level = level_word(gov)
    multi_year = len({p.year for _, p, _ in groups}) > 1
    lines = [head, ""]
    written: list[Fact] = []
    as_parts: set[str] = set()
    section = 0
    for scope, period, stage in sorted(
        groups, key=lambda k: (scope_rank(k[0]), k[1].year, k[1].day is not None, k[1], k[2].value)
    ):
        section += 1
        name = scope_name(scope, gov)
        stage_word = {Stage.FINAL: "决算", Stage.BUDGET: "预算", Stage.ADJUSTED: "调整预算",
                      Stage.LIMIT: "债务限额", Stage.BALANCE: "债务余额"}.get(stage, "预算执行")
        when = period_words(period, multi_year)
        heading = f"（{_ordinal(section)}）{name}{when}{stage_word}情况。"
        lines += [heading, ""]
        sentences: list[str] = []
        minor: list[Fact] = []
        for f in sorted(groups[(scope, period, stage)], key=_rank):
            listed = orphans.get((f.scope, f.parent, f.stage, f.period)) if f.parent else None
            if listed:
                # the source's own form: 专项转移支付收入：一般公共服务3113万元；国防631万元。
                sentences.append(f"{name}{f.parent}：" + "；".join(
                    _listed_phrase(p) for p in listed) + "。")
                written.extend(listed)
                continue
            parts = children.get((f.scope, f.indicator, f.stage, f.period), [])
            if not parts and _rank(f)[0] == 1 and f.stage in (Stage.EXECUTION, Stage.FINAL):
                minor.append(f)  # an item outside the four books' totals: listed below
                continue
            phrase = fact_phrase(f, subject=name)
            written.append(f)
            text = phrase + "。"
            if parts:
                text += _parts_text(f, parts, level, at_level, subparts)
                for p in parts:
                    nested = subparts.get(_context(p), [])
                    written.append(p)
                    written.extend(nested)
                    as_parts.add(p.id)
                    as_parts.update(n.id for n in nested)
            sentences.append(text)
        listed: list[Fact] = []
        for p in minor:
            # each stated on its own, in the first of the seeds' forms that reads back
            # as written; the rest listed together, as before
            for sentence in _alone_candidates(p, name):
                if _reads_back(head, heading, when, sentence, p):
                    sentences.append(sentence)
                    written.append(p)
                    break
            else:
                listed.append(p)
        if listed:
            sentences.append(f"{name}其他项目：" + "；".join(_listed_phrase(p) for p in listed) + "。")
            written.extend(listed)
        lines += [f"{when}，" + "".join(sentences), ""]
    return Written("\n".join(lines), tuple(written), frozenset(as_parts))
