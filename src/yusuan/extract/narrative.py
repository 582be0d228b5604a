"""Narrative facts: every amount-bearing phrase of a paragraph.

Paragraphs are read in order.  Headings set the section's scope, year,
stage and months ("（二）市本级财政决算情况", "二、2024年上半年预算执行情况");
each sentence is split at its amounts, the words before an amount name the
indicator (:mod:`yusuan.extract.grammar`), the words after it carry its
change, ratio to budget and share (:mod:`yusuan.extract.numbers`).  其中
lists make parts of the fact before them; the relations the text states
(sum, growth, ratio, share, difference between stages) are returned with
the facts.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise

from yusuan.extract.context import DocContext
from yusuan.extract.grammar import (
    CUT_VERBS,
    GENERIC_TAILS,
    Lead,
    complete_stem,
    count_object,
    parse_lead,
    scope_word,
)
from yusuan.extract.numbers import (
    AMOUNT_RE,
    CHANGE_RE,
    PCT_BUDGET_RE,
    SHARE_RE,
    YEAR_RE,
    decimal_of,
    explicit_date,
    month_span,
    pct_base,
    signed,
    unit_of,
)
from yusuan.extract.paragraphs import HEADING_START
from yusuan.model import (
    Amount,
    Book,
    DocKind,
    Document,
    Fact,
    Paragraph,
    Period,
    Problem,
    Relation,
    RelationKind,
    Scope,
    Stage,
)
from yusuan.refdata.codes import load_codes
from yusuan.refdata.lexicon import book_of, canonical, lookup, normal, parts_of

_SENTENCE_END = re.compile(r"[。！？!?]")
_CLAUSE_DELIMS = "，,：:；;（(）)"
_PART_WORDS = re.compile(r"其中|(?<!来源)包括(?![^，。；]*在内)|[，,](?:主要)?用于|^\s*中[，,]")
_STAGE_WORDS: tuple[tuple[str, Stage], ...] = (
    ("决算", Stage.FINAL),
    ("执行", Stage.EXECUTION),
    ("调整预算", Stage.ADJUSTED),
    ("预算草案", Stage.BUDGET),
    ("预算", Stage.BUDGET),
)
_HEADING_STAGE = re.compile(
    r"(?<!预)决算(?:情况|（草案）|\(草案\)|草案|数)?|预算执行|执行情况|预算草案|预算安排|调整预算"
)
_BOOK_HEADINGS: tuple[tuple[str, Book], ...] = (
    ("一般公共预算", Book.GENERAL),
    ("政府性基金", Book.FUND),
    ("国有资本经营", Book.CAPITAL),
    ("社会保险基金", Book.SOCIAL),
    ("社保基金", Book.SOCIAL),
)
_ASOF = re.compile(r"截[至止](?P<y>\d{4})年(?:底|末|12月31日)")
_VERB_BEFORE_AMOUNT = ("投入", "安排", "下达", "拨付", "筹措", "筹集", "统筹", "争取")
_NOUN_AFTER = re.compile(r"([\u4e00-\u9fa5“”]{2,20}?)(?=[，。；、,;（(]|全部|用于|主要|$)")
_MONTH_END_IN = re.compile(r"(?<![\d-])(?P<m>\d{1,2})月(?:底|末|[^，。；]{0,8}?监控)")
# More than 9 integer digits in 万元 (over a trillion yuan) next to a name: code + amount.
_FUSED_CODE = re.compile(r"(?P<code>\d{8})(?P<amount>(?:0|[1-9]\d{0,5})(?:\.\d+)?)")
_GENERIC_ALONE = frozenset({"预算", "资金", "金额", "收入", "支出", "合计", "小计", "总计"})
_SECTION_AMOUNT = frozenset({"预算安排规模", "安排规模", "预算规模", "资金规模"})
_BARE_DEBT = frozenset({"一般债券", "专项债券", "一般债务", "专项债务"})
_PLAN_VERBS = frozenset({"申请", "梳理", "安排", "下达", "提前下达", "下拨", "分配"})
# Raising money (筹措/筹集/统筹) gathers it from several books and years: not one ledger stage.
_OTHER_VERBS = frozenset(
    {"争取", "争取到", "审核", "设置", "组织实施", "开展", "筹措", "筹集", "统筹"}
)
_AMOUNT_WORDS = re.compile(r"^(?:涉及|共涉及)?(?:预算)?(?:金额|资金)$")
_MAX_CHANGE_GAP = 2
_NON_MONEY_AFTER = re.compile(r"[/／]")
_THRESHOLD_BEFORE = re.compile(r"(?:不超过|超过|不低于|低于|不高于|高于|最高|最低|上限|下限)$")
_THRESHOLD_AFTER = re.compile(r"(?:以下|以上|以内|及以上|及以下|的(?:小|中|大|企业|项目))")
# A subject names money: it carries one of these words (or is an item of a list).
_FISCAL_NOUN = re.compile(
    r"收入|支出|资金|经费|债|费|税|款|金|额|资产|补助|补贴|收益|预算|决算|财力|结余|结转|"
    r"价值|项目|贷款|投资|投入|规模|息|本|上解|转移|拨付|支付|资本|基金|奖补|救助|成本|需求"
)
# "返还性收入：增值税税收返还收入1,372万元；…": a lead phrase naming a list's whole.
_LEAD_COLON = re.compile(r"\s*(?P<name>[\u4e00-\u9fa5“”]{2,20})[：:](?=[^：:。]*?\d)")
_LEVEL_INCLUDES = re.compile(
    r"(?<![本\u4e00-\u9fa5])(?P<level>[市州县]级)[^。；]{0,30}?[（(]含(?P<name>[\u4e00-\u9fa5]{2,5}?区)[）)]"
)
_SCOPE_NOTE = re.compile(r"[（(]含[\u4e00-\u9fa5]{2,6}[）)]$")
_POINT_START = re.compile(r"\s*(?:\*\*)?[一二三四五六七八九十]+是")
# "对州本级单位…进行合规性审核": a preposition before the sentence's scope word
_LEAD_PREP = re.compile(
    r"^(?:对|组织|督促|指导)(?=自治区本级|自治州本级|州本级|市本级|县本级|本级)"
)
_LEVELS_REVENUE = re.compile(r"(?:市县|县市|州县|县区|市县区)(?:[（(][区市县][）)])?(?:收入|支出)")
_NOUN_STOP = re.compile(r"已经|已|全部|均|将")  # "…414亿元限额已经…批准": the noun ends
_CAPPED_AT = re.compile(r"(?P<x>[\u4e00-\u9fa5]{2,12}?)余额[\u4e00-\u9fa5]{0,8}?控制在限额")
# "“三公”经费预算比2022年压减0.5亿元": a change against another year, not a level
_COMPARED = re.compile(
    r"比(?:上年|去年|\s*\d{4}\s*年)[^，。；]{0,6}?(?:压减|节约|减少|增加|增收|减收)\s*$"
)
_OWN_OPENING = re.compile(r"(?:自治区本级|自治州本级|州本级|市本级|县本级)$")
_LEVERAGED = frozenset({"带动", "撬动"})
_TRANCHE = re.compile(r"(?<!\d)(?P<a>\d{1,2})\s*(?:[—\-–至]\s*(?P<b>\d{1,2})\s*)?月份")
_RANGE_START = re.compile(r"\d[-~～至到]$")
# "…；共偿还到期本息 26.84 亿元": words that open a sentence's own subject, not a list item
_NEW_SUBJECT_OPENER = re.compile(r"[\s，,；;]*(?:共|累计|合计|总计|全年|另外|另|此外|同时)")
_PER_UNIT = re.compile(r"(?:每人每年|每人每月|每人|每年|每月|每亩|每户|人均)$")


@dataclass(slots=True)
class _Section:
    scope: str | None = None
    year: int | None = None
    stage: Stage | None = None
    months: tuple[int, int] | None = None
    book: Book | None = None
    base_scope: str | None = None  # scope a part heading (第X部分) gives its sections
    title: str = ""  # the heading's words without its marker
    top_scope: str | None = None  # what a level-1 heading ("一、…") set, for its subsections
    top_stage: Stage | None = None
    top_year: int | None = None
    asof: date | None = None  # "截至2023年底"


@dataclass(slots=True)
class _Mention:
    """A fact in the making, with repaired-text positions."""

    indicator: str
    amount: Amount
    scope: str
    stage: Stage
    period: Period
    start: int  # quote start in the paragraph's repaired text
    end: int  # quote end
    book: Book | None = None
    parent: str | None = None
    parent_index: int | None = None
    yoy_abs: Amount | None = None
    yoy_pct: Decimal | None = None
    pct_of_budget: Decimal | None = None
    pct_base: Stage | None = None
    share_pct: Decimal | None = None
    share_of: str | None = None
    difference: Amount | None = None  # a stated change against an earlier stage
    sum_group: int | None = None  # index of the 之和 total this defines
    parts_named: tuple[str, ...] = ()  # "（A、B、C之和）"
    paragraph: Paragraph | None = None
    code: str | None = None  # classification code (a functional 类 named in a list)
    fact: Fact | None = field(default=None)
    derived: str = ""  # how a figure the text states in words was read (暂未发生 -> 0)


def _heading_update(
    text: str, section: _Section, context: DocContext, level: int, fused: bool = False
) -> None:
    if level == 0:
        section.scope = section.year = section.stage = section.months = section.book = None
        section.base_scope = None
    title = HEADING_START.sub("", text).strip("。 ")
    section.title = title.split("名称：", 1)[1] if "名称：" in title else title
    if not fused:
        section.asof = None
    scope, _ = scope_word(text, ())
    for word in ("全州", "全区", "全市", "全县", "全疆"):
        if word in text:
            scope = Scope.WHOLE
    for word in ("本级", "市级", "州级", "自治区级"):
        if word in text:
            scope = Scope.OWN
    if scope is not None:
        section.scope = scope
        if level == 0:
            section.base_scope = scope
    elif level == 1:
        section.scope = section.base_scope
    elif level == 2 and not fused:
        # "（五）落实…决议情况" after "（四）市本级…": back to the enclosing section's scope
        section.scope = section.top_scope
    years = [int(m.group("y")) for m in YEAR_RE.finditer(text)]
    if years:
        section.year = years[0]
        section.months = month_span(text)
        section.stage = None
    m = _HEADING_STAGE.search(text)
    if m:
        word = m.group(0)
        section.stage = next(stage for key, stage in _STAGE_WORDS if key in word)
        if (
            level == 2
            and section.top_stage == Stage.FINAL
            and section.stage == Stage.EXECUTION
            and not years
        ):
            # "（六）转移支付执行情况说明" inside "一、2023年财政决算情况": final figures
            section.stage = Stage.FINAL
    elif years and "预算" in text and "预决算" not in text:
        section.stage = Stage.BUDGET
    elif level == 2 and not years:
        section.stage = section.top_stage
    if level <= 1:
        section.top_scope = section.scope
        section.top_stage = section.stage
        section.top_year = section.year
    section.book = next((book for word, book in _BOOK_HEADINGS if word in text), None)


def _heading_level(text: str) -> int:
    if re.match(r"\s*第[一二三四五六七八九十]+部分", text):
        return 0
    if re.match(r"\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、．.])", text):
        return 1
    return 2


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


class _Reader:
    def __init__(self, document: Document, context: DocContext) -> None:
        self.document = document
        self.context = context
        self.mentions: list[_Mention] = []
        self.relations: list[
            tuple[str, tuple[int, ...], int | None, Decimal | None, bool, str]
        ] = []
        self.section = _Section()
        self.problems: list[Problem] = []
        self.colon_lists: set[int] = set()  # totals whose parts follow "其中："
        self.open_lists: set[int] = set()  # totals whose parts follow "其中" ("：" or "，")
        self.list_parent: int | None = None  # the figure a "：" paragraph lists parts of
        self.lead_list: tuple[int | None, str] | None = None  # "返还性收入：A x；B y；…"
        self.lead_list_open = False  # the last paragraph ended inside such a list ("；")
        # (the figure whose funding is listed, {"sources", "uses", "balance"} mention indices)
        self.balances: list[tuple[int | None, dict[str, list[int]]]] = []
        # (balance, sources, uses) of a paragraph's own "收支相抵，结余 x" or "本年收支结余 x"
        self.net_balances: list[tuple[int, list[int], list[int]]] = []
        names = [context.government_name or ""]
        if context.department and context.government_name:
            names.insert(0, context.government_name + context.department)
            names.append(context.department)
        if context.government_name:
            short = re.sub(
                r"(?:回族|维吾尔|蒙古|哈萨克|柯尔克孜|壮族)?自治(?:州|区)$",
                "",
                context.government_name,
            )
            if context.government_name.endswith("州"):
                names.append(short + "州")
            elif context.government_name.endswith("自治区"):
                names.append(short)
        gname = context.government_name or ""
        for suffix, words in (
            ("自治区", ("自治区", "我区")),
            ("州", ("自治州", "我州")),
            ("市", ("我市",)),
            ("县", ("我县",)),
        ):
            if gname.endswith(suffix):
                names += list(words)
        self.self_names = tuple(n for n in names if len(n) >= 2)
        dept = DocKind.DEPARTMENT_BUDGET
        self.default_scope: str = Scope.OWN if context.kind == dept else Scope.WHOLE
        defaults = {
            DocKind.EXECUTION_REPORT: Stage.EXECUTION,
            DocKind.FINAL_REPORT: Stage.FINAL,
            DocKind.BUDGET_REPORT: Stage.BUDGET,
            DocKind.DEPARTMENT_BUDGET: Stage.BUDGET,
        }
        self.default_stage = defaults.get(context.kind, Stage.OTHER)
        # "市级 13.4 亿元（含沙坡头区）": where a document defines its 市级 as the own level
        # plus a district, a 市级 figure is not a 市本级 one; it keeps the note in its name.
        found = _LEVEL_INCLUDES.search(document.text)
        self.level_note: tuple[str, str] | None = (
            (found.group("level"), f"（含{found.group('name')}）") if found else None
        )

    def _balance_total(self, sent: str, last: int | None) -> int | None:
        """The figure whose sources a "X资金来源包括：…" sentence lists.

        The last earlier figure named X, leaving out a subordinate's share in brackets
        ("支出完成 59.42 亿元（沙坡头区支出 35.74 亿元）"): the 59.42.  ``last`` when no
        figure is named so.
        """
        name = canonical(_base(sent.split("资金来源", 1)[0].strip(" 。；，,")))
        if last is None or not name:
            return last
        for i in range(last, -1, -1):
            m = self.mentions[i]
            if m.paragraph is not self.mentions[last].paragraph:
                break
            if canonical(_base(m.indicator)) == name and m.scope in (Scope.WHOLE, Scope.OWN):
                return i
        return last

    # ------------------------------------------------------------------
    def read(self, paragraphs: list[Paragraph]) -> None:
        for para in paragraphs:
            text = para.text.text
            if para.heading and not AMOUNT_RE.search(text):
                _heading_update(text, self.section, self.context, _heading_level(text))
                self.list_parent = None
                continue
            item = HEADING_START.match(text) is not None
            if item:
                first = _SENTENCE_END.split(text, maxsplit=1)[0]
                if len(first) <= 30:
                    _heading_update(
                        first, self.section, self.context, _heading_level(first), fused=True
                    )
            before = len(self.mentions)
            lead_list = self._lead_list(text)
            if lead_list is not None:
                self.lead_list = lead_list
            elif (
                self.lead_list is not None
                and not AMOUNT_RE.match(text.lstrip())
                and not (self.lead_list_open and not item)
            ):
                # kept only across a page break inside the list: "…21,073万元；" + "固定数额…"
                self.lead_list = None
            # "…补助资金5923万元，分别为：" then "1、…3460万元" "2、…2463万元": items are parts.
            if self.lead_list is not None:
                self.paragraph(para, self.lead_list[0], forced=self.lead_list[1])
            else:
                self.paragraph(para, self.list_parent if item else None)
            self.lead_list_open = text.rstrip().endswith(("；", ";"))
            if not self.lead_list_open:
                self.lead_list = None
            if text.rstrip().endswith(("：", ":")) and len(self.mentions) > before:
                self.list_parent = len(self.mentions) - 1
            elif not item:
                self.list_parent = None

    def _lead_list(self, text: str) -> tuple[int | None, str] | None:
        """ "专项转移支付收入：一般公共服务 3,113 万元；国防 631 万元；…": the lead names
        the whole the items are parts of; (its mention index when stated before, name)."""
        m = _LEAD_COLON.match(text)
        if m is None or (";" not in text and "；" not in text):
            return None
        name = m.group("name")
        wanted = {normal(canonical(name)), normal(re.sub(r"收入$", "", name))}
        for j in range(len(self.mentions) - 1, max(-1, len(self.mentions) - 60), -1):
            if normal(canonical(self.mentions[j].indicator)) in wanted:
                return j, self.mentions[j].indicator
        return None, canonical_name(name)

    def paragraph(
        self, para: Paragraph, list_parent: int | None = None, forced: str | None = None
    ) -> None:
        text = para.text.text
        state = {
            "scope": None,
            "year": None,
            "months": None,
            "stage": None,
            "subject": None,
            "list_parent": list_parent,
            "forced_parent": forced,  # every item of the paragraph is a part of this
            "forced_index": list_parent if forced is not None else None,
        }
        if forced is not None:
            state["list_parent"] = None
        if "报告的预算执行情况" in text or "预算执行情况中" in text:
            state["stage"] = Stage.EXECUTION
        pos = 0
        last_in_para: int | None = None
        balance: dict[str, list[int]] | None = None  # 资金来源 … 收支相抵 …
        total: int | None = None
        first = len(self.mentions)
        opened = False  # a 资金来源 sentence opened a balance in this paragraph
        for m in _SENTENCE_END.finditer(text + "。"):
            end = min(m.end(), len(text))
            if end > pos:
                sent = text[pos:end]
                before = len(self.mentions)
                if "资金来源" in sent:
                    opened = True
                    if balance and balance["balance"]:
                        self.balances.append((total, balance))
                    balance = {"sources": [], "uses": [], "balance": []}
                    total = self._balance_total(sent, last_in_para)
                    phase = "sources"
                elif balance is not None:
                    phase = "balance" if "收支相抵" in sent[:8] else "uses"
                last_in_para = self.sentence(para, pos, end, state, last_in_para)
                if not opened:
                    self._net_balance(sent, first, before)
                if balance is not None:
                    balance[phase].extend(range(before, len(self.mentions)))
                    if phase == "balance":
                        self.balances.append((total, balance))
                        balance = None
            pos = end

    def _net_balance(self, sent: str, first: int, before: int) -> None:
        """A paragraph that states a book's revenue and its expenditure, then "收支相抵，
        （年终滚存）结余 x" or "本年收支结余 x": x = revenue − expenditure.  The revenue and
        expenditure are the paragraph's figures that are no part of another (其中 lists are
        parts), each named as revenue (收入, 上年结转) or expenditure (支出); any other figure
        before the balance leaves its role unknown, and no relation is made."""
        head = sent.lstrip(" 。；，,")
        if head.startswith("收支相抵"):
            candidates = range(before, len(self.mentions))
        else:
            candidates = [i for i in range(before, len(self.mentions))
                          if _YEAR_NET.match(self.mentions[i].indicator)]
        if not candidates:
            return
        bal = candidates[0]
        sources: list[int] = []
        uses: list[int] = []
        for i in range(first, bal):
            m = self.mentions[i]
            if m.parent_index is not None:
                continue
            if re.search(r"支出$", m.indicator):
                uses.append(i)
            elif re.search(r"收入$|^上年结[转余]", m.indicator):
                sources.append(i)
            else:
                return
        if len(uses) == 1 and len(sources) >= 1 and all(
            self.mentions[i].scope == self.mentions[bal].scope
            and self.mentions[i].period == self.mentions[bal].period
            for i in (*sources, *uses)
        ):
            self.net_balances.append((bal, sources, uses))

    def _not_occurred(self, para: Paragraph, s0: int, s1: int, state: dict) -> int | None:
        """ "州本级国有资本经营预算支出数据上半年暂未发生": a book's figure stated as nil is a
        figure of 0 (in the unit of the figure before it), so the sums it belongs to (州本级地方
        财政支出 = 一般公共预算支出 + 政府性基金预算支出 + 国有资本经营预算支出) are whole."""
        text = para.text.text
        m = _NOT_OCCURRED.match(text, s0, s1)
        if m is None:
            return None
        lead_text = m.group("lead")
        lead = parse_lead(lead_text, self.self_names)
        indicator = canonical_name(lead.indicator) if lead.indicator else ""
        book = book_of(indicator)
        if book is None or not re.search(r"(?:收入|支出)$", indicator):
            return None
        unit = next((x.amount.unit for x in reversed(self.mentions) if x.paragraph is para),
                    None)
        if unit is None:
            return None
        scope = lead.scope or state["scope"] or self.section.scope or self.default_scope
        if scope in self.self_names:
            scope = Scope.WHOLE
        stage = self._stage(lead, indicator, text[s0:s1], "", state)
        period = self._period(stage, lead_text, state, text[s0:m.start("lead")])
        start = m.start("lead") + _lead_offset(lead_text, lead.start, text, m.start("lead"))
        self.mentions.append(_Mention(
            indicator=indicator, amount=Amount(Decimal(0), unit), scope=scope, stage=stage,
            period=period, start=start, end=m.end(), book=book, paragraph=para,
            derived="文中称未发生，按 0 记 (stated as not occurred: read as 0)"))
        return len(self.mentions) - 1

    # ------------------------------------------------------------------
    def sentence(
        self, para: Paragraph, s0: int, s1: int, state: dict, last_in_para: int | None
    ) -> int | None:
        text = para.text.text
        sent = text[s0:s1]
        asof = _ASOF.search(sent)
        if asof:
            self.section.asof = date(int(asof.group("y")), 12, 31)
        if _POINT_START.match(sent):
            # "二是…2024年上半年…。三是…": each point of a paragraph has its own time and scope
            state["year"] = state["months"] = state["scope"] = None
        if not AMOUNT_RE.search(sent):
            nil = self._not_occurred(para, s0, s1, state)
            if nil is not None:
                return nil
        if not AMOUNT_RE.search(sent) and not YEAR_RE.match(sent):
            return last_in_para
        # Sentence-initial year and months persist through the paragraph.
        head = sent[:14]
        y = YEAR_RE.search(head)
        if y:
            state["year"] = int(y.group("y"))
        span = month_span(head)
        if span:
            state["months"] = span
        changes = [c for c in CHANGE_RE.finditer(text, s0, s1)]
        change_spans = [(c.start(), c.end()) for c in changes]
        amounts = [
            a
            for a in AMOUNT_RE.finditer(text, s0, s1)
            if not any(cs <= a.start() < ce for cs, ce in change_spans)
        ]
        sentence_scope, _ = scope_word(_LEAD_PREP.sub("", _strip_time(sent)), self.self_names)
        if sentence_scope is not None:
            state["scope"] = sentence_scope
        respective = _respective_names(sent, self.self_names)
        resp_index = 0
        prev_index: int | None = None
        prev_end = s0
        clause_scope: str | None = None
        paren_parent: int | None = None
        paren_close = -1
        paren_outer: int | None = None  # the list the figure before a parenthesis is part of
        first_part: int | None = None
        siblings_end = False
        part_parent: int | None = state.pop("list_parent", None)
        for a_i, a in enumerate(amounts):
            lead_start = prev_end
            cut = _last_delim(text, lead_start, a.start(), _CLAUSE_DELIMS)
            raw_lead_end = a.start()
            lead_text = text[lead_start : a.start()]
            if cut >= lead_start:
                # "…（A、B之和）完成144.7亿元": skip back over the parenthesis.
                if text[cut] in "）)" and text[cut - 1] in "类款项":
                    lead_start = _clause_start(text, lead_start, cut - 2)
                    lead_text = text[lead_start : a.start()]
                    parts_named = ()
                elif text[cut] in "）)" and (
                    re.fullmatch(r"[\u4e00-\u9fa5]{0,4}", text[cut + 1 : a.start()])
                    or _name_paren(text, lead_start, cut, a.start())
                ):
                    open_at = max(
                        text.rfind("（", lead_start, cut), text.rfind("(", lead_start, cut)
                    )
                    inner_text = text[open_at + 1 : cut] if open_at >= lead_start else ""
                    if open_at >= lead_start and (
                        "之和" in inner_text or "、" in inner_text or len(inner_text) > 4
                    ):
                        inner = text[open_at + 1 : cut]
                        before = _last_delim(text, lead_start, open_at, _CLAUSE_DELIMS)
                        start_at = before + 1 if before >= lead_start else lead_start
                        lead_text = text[start_at:open_at] + text[cut + 1 : a.start()]
                        lead_start = start_at
                        parts_named = (
                            tuple(
                                p for p in re.split(r"[、，,和及]", inner.replace("之和", "")) if p
                            )
                            if "之和" in inner
                            else ()
                        )
                    else:
                        # "因公出国（境）费": a parenthesis inside the name.
                        parts_named = ()
                        if open_at >= lead_start:
                            k = _last_delim(text, lead_start, open_at, "，,：:；;")
                            lead_start = k + 1 if k >= lead_start else lead_start
                        else:
                            lead_start = cut + 1
                        lead_text = text[lead_start:raw_lead_end]
                else:
                    parts_named = ()
                    lead_start = cut + 1
                    lead_text = text[lead_start:raw_lead_end]
            else:
                parts_named = ()
            if (
                _NON_MONEY_AFTER.match(text, a.end())
                or _COMPARED.search(lead_text)
                or _PER_UNIT.search(lead_text)
                or _RANGE_START.search(lead_text)
                or _THRESHOLD_BEFORE.search(lead_text)
                or _THRESHOLD_AFTER.match(text, a.end())
            ):
                prev_end = a.end()
                continue
            # 其中 between the previous fact and this one: parts follow.
            between = text[prev_end : a.start()] if prev_index is not None else text[s0 : a.start()]
            if paren_parent is not None and a.start() > paren_close:
                if part_parent == paren_parent:
                    # "其中：…运行维护费 1,203.04 万元（购置费…；运行维护费…）；公务接待费 47.69
                    # 万元": back to the list the amount before the parenthesis was part of
                    part_parent = paren_outer
                prev_index = paren_parent  # back to the amount before the parenthesis
                paren_parent = None
            if paren_parent is not None and a.start() < paren_close:
                part_parent = paren_parent
                siblings_end = False
            elif _PART_WORDS.search(between):
                part_parent = prev_index if prev_index is not None else last_in_para
                if prev_index is None and "用于" in between:
                    # "中央…补助资金，用于A 3084万元、B 376万元": the subject named before
                    subject = canonical(
                        parse_lead(between[: between.index("用于")], self.self_names).indicator
                    )
                    part_parent = next(
                        (
                            j
                            for j in range(
                                len(self.mentions) - 1, max(-1, len(self.mentions) - 200), -1
                            )
                            if canonical(self.mentions[j].indicator) == subject
                        ),
                        part_parent,
                    )
                first_part = None
                marker = _PART_WORDS.search(between)
                if part_parent is not None and between[marker.end() : marker.end() + 1] in "：:":
                    self.colon_lists.add(part_parent)
                if part_parent is not None and marker.group(0) == "其中":
                    self.open_lists.add(part_parent)
            elif "；" in between or ";" in between:
                clause_scope = None
                siblings_end = part_parent is not None
            else:
                siblings_end = False
            mention_end_override: int | None = None
            lead = parse_lead(lead_text, self.self_names)
            if not lead.indicator and lead_start > s0 and text[lead_start - 1] in "：:":
                # "行政运行（项）：2024年预算数为774.78万元": the subject precedes the colon.
                before = _clause_start(text, s0, lead_start - 1)
                subject = parse_lead(text[before : lead_start - 1], self.self_names)
                if subject.indicator:
                    lead = Lead(
                        subject.indicator,
                        subject.scope or lead.scope,
                        lead.stage,
                        lead.verb or subject.verb,
                        0,
                    )
                    lead_text = text[before : a.start()]
                    lead_start = before
            if (
                lead.scope == Scope.OWN
                and prev_index is None
                and lead.indicator in GENERIC_TAILS
                and lead_text.lstrip(" ，,、：:；;").startswith("本级" + lead.indicator)
            ):
                # "资金来源包括：本级预算收入 4.53 亿元、自治区转移支付…": a bare 本级 before a
                # bare 收入/支出 names the level's own revenue (against transfers from above);
                # it stays in the name (after a figure, "其中：本级收入" completes that figure's
                # stem below instead)
                lead = Lead(
                    "本级" + lead.indicator, lead.scope, lead.stage, lead.verb, lead.start - 2
                )
            if lead.verb in _LEVERAGED:
                # "带动消费 3.2 亿元": money the budget drew in, not a budget figure
                prev_end = a.end()
                continue
            indicator = lead.indicator
            if self.context.kind == DocKind.DEPARTMENT_BUDGET and lead.scope == Scope.OWN:
                # a department's budget is its own level's: "州本级行政事业单位房屋建筑物
                # 保险费" names whose buildings are insured, not the scope
                level = _OWN_OPENING.search(lead_text[: max(0, lead_text.rfind(indicator))])
                if indicator and level:
                    indicator = level.group(0) + indicator
            prev_ind = self.mentions[prev_index].indicator if prev_index is not None else None
            if _AMOUNT_WORDS.match(indicator or "x") or indicator in ("金额", "资金", "价值"):
                # "项目10个，涉及资金1.1亿元" / "房屋9,864.44平方米，价值…": the counted object.
                clause = text[_clause_start(text, s0, lead_start - 1) : lead_start - 1]
                obj = count_object(clause, loose="涉及" in lead_text)
                if obj:
                    indicator = re.sub(r"^共", "", obj + lead_text.strip("，,、"))
                elif lead.verb and indicator == "资金":
                    # "筹措资金1.74亿元，支持被征地农民…养老保险补贴": named by its purpose;
                    # without one, by its verb ("筹措资金")
                    purpose = _purpose(text, a.end(), s1)
                    if purpose is not None:
                        indicator, mention_end_override = purpose
                    else:
                        # "拨付资金 1267 万元，加大…": no name but the verb; a reviewer and
                        # the checker are better served without it
                        prev_end = a.end()
                        continue
                else:
                    indicator = ""
            indicator = complete_stem(indicator, prev_ind)
            if indicator.endswith(tuple(_SECTION_AMOUNT)) and self.section.title:
                indicator = self.section.title  # "预算安排规模：157.00万元" under "项目名称：…"
            if indicator in _GENERIC_ALONE:
                indicator = ""  # "全年预算 152万元": no subject of its own
            scope = lead.scope
            semi = max(text.rfind("；", s0, lead_start), text.rfind(";", s0, lead_start))
            if semi >= 0:
                found, _ = scope_word(_strip_time(text[semi + 1 : lead_start]), self.self_names)
                if found is not None and clause_scope is None:
                    clause_scope = found
            inside_paren = paren_parent is not None and a.start() < paren_close
            if scope is not None:
                # "9.69亿元（沙坡头区收入3.71亿元）": a scope inside the parenthesis is
                # that figure's own and does not carry to the clauses after it
                if not inside_paren:
                    clause_scope = scope
            elif clause_scope is not None:
                scope = clause_scope
            period_lead = lead_text
            if respective and "分别" in text[s0 : a.start()] and resp_index < len(respective):
                scope = respective[resp_index]
                resp_index += 1
            if (
                (not indicator or CUT_VERBS.fullmatch(indicator))
                and lead.verb == ""
                and (lead_text.endswith(_VERB_BEFORE_AMOUNT))
            ):
                # "其中投入17862万元农田建设补助资金": the noun follows the amount.
                after = _NOUN_AFTER.match(text, a.end())
                if after and _FISCAL_NOUN.search(after.group(1)):
                    indicator = after.group(1)
                    mention_end_override = after.end(1)
            elif indicator in ("", "的") and lead.verb and lead_text.rstrip().endswith("的"):
                # "自治区提前下达的104.59亿元转移支付预算资金": the noun follows the amount;
                # an advance ("提前") is part of what the money is
                after = _NOUN_AFTER.match(text, a.end())
                noun = _NOUN_STOP.split(after.group(1), maxsplit=1)[0] if after else ""
                if len(noun) >= 2 and _FISCAL_NOUN.search(noun[-2:]):
                    early = "提前" + lead.verb if "提前" + lead.verb in lead_text else ""
                    indicator = early + noun
                    if noun in ("限额", "余额", "资金") and part_parent is not None:
                        # "其中：1—4月份下达的414亿元限额": a tranche of the total
                        indicator = self.mentions[part_parent].indicator
                    assert after is not None
                    mention_end_override = after.start(1) + len(noun)
            if not indicator or _is_only_scope(indicator, self.self_names):
                # "中宁县 7.11 亿元", "决算数为23.17亿元": the subject is carried.
                carried = prev_ind or state.get("subject")
                if carried is None:
                    prev_end = a.end()
                    continue
                indicator = _SCOPE_NOTE.sub("", carried)
            named = _year_named(lead_text, lead.indicator) if lead.indicator else None
            if named and (
                part_parent is not None
                or (_ITEM_START.match(lead_text) and _year_of(named) != self.context.year)
            ):
                # "其中：以前年度专项支出…；2024年提前告知专项转移支付支出57893万元", "1．2023
                # 年会计考务费" in a 2024 budget: a year opening a part's or an item's name tells
                # it from its siblings; it stays in the name and sets no period
                indicator = named
                period_lead = lead_text.replace(named, "")
                if state.get("year") == _year_of(named):
                    state["year"] = None
            capped = _CAPPED_AT.fullmatch(indicator)
            if capped:
                # "政府债务余额全部严格控制在限额74.98亿元": the figure is the limit
                indicator = capped.group("x") + "限额"
            indicator = canonical_name(indicator)
            list_item = text[max(s0, lead_start - 1) : lead_start] in ("：", "；", "、", ":", ";")
            if (
                not _plausible(indicator)
                or CUT_VERBS.fullmatch(indicator)
                or (
                    not _FISCAL_NOUN.search(indicator)
                    and not list_item
                    and not _FUSED_CODE.fullmatch(a.group("num"))
                    and part_parent is None
                    and lead.stage is None
                )
            ):
                prev_end = a.end()
                continue
            if scope is None:
                scope = state["scope"] or self.section.scope or self.default_scope
            if scope in self.self_names:
                scope = Scope.WHOLE
            if scope == Scope.WHOLE and self.context.kind == DocKind.DEPARTMENT_BUDGET:
                scope = Scope.OWN  # a department's budget is its government's own level
            if scope == Scope.OWN and self.level_note is not None:
                word, note = self.level_note
                at_level = text.rfind(word, 0, a.start())
                if at_level > text.rfind("本级", 0, a.start()) and not indicator.endswith(note):
                    indicator += note
            # Stage and period.
            clause_after = text[a.end() : s1]
            stage = self._stage(lead, indicator, sent, clause_after, state)
            period = self._period(stage, period_lead, state, text[s0 : a.start()])
            value = decimal_of(a.group("num"))
            fused = _FUSED_CODE.fullmatch(a.group("num"))
            if fused and a.group("unit") == "万元":
                # "特定目标 1710069030.91 万元": an 8-digit project code fused with the amount
                value = decimal_of(fused.group("amount"))
                indicator = f"{indicator} {fused.group('code')}"
                s_at, _ = para.text.span(a.start(), a.end())
                self.problems.append(
                    Problem(
                        file=self.document.name,
                        message=f"数字疑似由项目编码与金额粘连：{a.group(0)}，按编码 "
                        f"{fused.group('code')}、金额 {fused.group('amount')} 万元读取",
                        message_en=f"number looks like a project code fused with an amount: "
                        f"{a.group(0)} read as code {fused.group('code')}, "
                        f"amount {fused.group('amount')} 万元",
                        line=self.document.line_at(s_at),
                        code="extract.fused_code",
                    )
                )
            amount = Amount(-value if a.group("neg") else value, unit_of(a.group("unit")))
            mention = _Mention(
                indicator=indicator,
                amount=amount,
                scope=scope,
                stage=stage,
                period=period,
                start=lead_start + _lead_offset(lead_text, lead.start, text, lead_start),
                end=a.end(),
                book=book_of(indicator) or self.section.book,
                parts_named=parts_named,
                paragraph=para,
            )
            # Modifiers until the next amount; a parenthesis right after the amount
            # ("9.69亿元（沙坡头区收入3.71亿元），为预算的100.4%") is stepped over.
            mod_from = a.end()
            inner_close = -1
            k = a.end()
            while k < s1 and text[k] == " ":
                k += 1
            if k < s1 and text[k] in "（(":
                close = _matching(text, k, s1)
                if close > k:
                    mod_from = close + 1
                    if AMOUNT_RE.search(text, k, close):
                        inner_close = close
            following = [b.start() for b in amounts[a_i + 1 :] if b.start() >= mod_from]
            next_start = following[0] if following else s1
            if paren_parent is not None and a.start() < paren_close:
                next_start = min(next_start, paren_close)
                mod_from = min(mod_from, paren_close)
            next_lead = _clause_start(text, mod_from, next_start)
            self._modifiers(mention, text, mod_from, next_start, next_lead, changes, prev_index)
            if mention_end_override is not None:
                mention.end = max(mention.end, mention_end_override)
            if inner_close < 0 and mention.end > a.end():
                # "1,203.04 万元，为预算数的 94.89%，同比增长 11.89%（公务用车购置费 412.42 万元
                # …）": the parenthesis after the amount's rates breaks the amount down
                k = mention.end
                while k < s1 and text[k] == " ":
                    k += 1
                if k < s1 and text[k] in "（(":
                    close = _matching(text, k, s1)
                    if close > k and AMOUNT_RE.search(text, k, close):
                        inner_close = close
            forced = state.get("forced_parent")
            if forced is not None and normal(forced) != normal(mention.indicator):
                self._lead_list_item(mention, lead, forced, state.get("forced_index"))
                part_parent = None
            item_clause = text[_semi_after(text, s0, a.start()) : a.start()]
            if (
                siblings_end
                and part_parent is not None
                and self._new_subject(part_parent, first_part, mention, lead, item_clause)
            ):
                part_parent = None
            if part_parent is not None and first_part is None:
                first_part = len(self.mentions)
            if part_parent is not None and part_parent != len(self.mentions):
                parent = self.mentions[part_parent]
                levels = _LEVELS_REVENUE.fullmatch(lead.indicator)
                if levels or (
                    normal(parent.indicator) == normal(mention.indicator)
                    and lead.indicator in ("收入", "支出")
                    and lead.scope is not None
                    and lead.scope == parent.scope
                ):
                    # "市本级国有资本经营预算收入250万元，其中：市本级收入60万元": the
                    # level's own revenue, not the total again
                    # (also "全市…收入310万元，其中：市县（区）收入60万元": the levels' own)
                    mention.indicator = canonical_name(
                        re.sub(r"(收入|支出)$", r"本级\1", parent.indicator)
                    )
                by_scope = (
                    _base(parent.indicator) == _base(mention.indicator)
                    and mention.scope != parent.scope
                )
                if normal(parent.indicator) != normal(mention.indicator) or by_scope:
                    # "全市…收入 23.17 亿元。其中：市级 13.4 亿元…；中宁县 7.11 亿元": each
                    # listed government's figure is a part of the whole's
                    mention.parent = parent.indicator
                    if parent.indicator.endswith(
                        ("限额", "余额")
                    ) and not mention.indicator.endswith(("限额", "余额")):
                        mention.indicator = canonical_name(
                            mention.indicator + parent.indicator[-2:]
                        )
                        mention.stage = parent.stage
                        mention.period = parent.period
                mention.parent_index = part_parent
                if mention.book is None:
                    mention.book = parent.book
                if mention.indicator in _BARE_DEBT:
                    # "再融资债券额度…其中：一般债券" -> "再融资一般债券"
                    qualifier = next((q for q in ("再融资", "新增") if q in parent.indicator), "")
                    mention.indicator = canonical_name(qualifier + mention.indicator)
                own_cue = (
                    lead.verb
                    or lead.stage
                    or "余额" in mention.indicator
                    or "限额" in mention.indicator
                )
                if not own_cue:
                    mention.stage = parent.stage
                    mention.period = parent.period
            elif (
                prev_index is not None
                and not lead.verb
                and lead.stage is None
                and (
                    text[prev_end : a.start()].lstrip(" ").startswith("、")
                    # "下达新增一般债券 3.1 亿元（…），专项债券 2.37 亿元": the verb is shared
                    or (
                        text[prev_end : a.start()].lstrip(" ）)").startswith(("，", ","))
                        and normal(indicator)[-2:]
                        == normal(self.mentions[prev_index].indicator)[-2:]
                        and self.mentions[prev_index].stage in (Stage.PLAN, Stage.OTHER)
                    )
                )
            ):
                mention.stage = self.mentions[prev_index].stage
                mention.period = self.mentions[prev_index].period
                sibling_name = self.mentions[prev_index].indicator
                if mention.indicator in _BARE_DEBT:
                    # "新增地方政府一般债券 3.1 亿元，专项债券 2.37 亿元": the qualifier is shared
                    for word in _BARE_DEBT:
                        if sibling_name.endswith(word) and len(sibling_name) > len(word):
                            qualified = sibling_name[: -len(word)] + mention.indicator
                            mention.indicator = canonical_name(qualified)
                            mention.book = book_of(mention.indicator) or mention.book
                            break
            self.mentions.append(mention)
            index = len(self.mentions) - 1
            if not lead.indicator or _is_only_scope(lead.indicator, self.self_names):
                pass
            else:
                state["subject"] = indicator
            prev_index = index
            prev_end = max(a.end(), mention.end)
            if inner_close > 0 and paren_parent is None:
                # parts in a parenthesis: "5.55亿元（财政预算安排还本1.33亿元、…）"
                paren_parent = index
                paren_close = inner_close
                paren_outer = part_parent
                prev_end = a.end()
            last_in_para = index
        return last_in_para

    def _new_subject(
        self, total: int, first: int | None, mention: _Mention, lead: Lead, clause: str
    ) -> bool:
        """Whether an item after "；" in a 其中 list opens a new sentence subject rather than
        naming the list's next part.

        Only words decide, never arithmetic (parts that overshoot their total are a finding
        for the checker, not a reason to detach them): a sentence-level opener ("共偿还到期本息"),
        a scope the list is not broken down by, another book, a lexicon indicator whose whole
        is something else, or a stage word other than the whole's.
        """
        whole = self.mentions[total]
        if _NEW_SUBJECT_OPENER.match(clause):
            return True
        ref = self.mentions[first] if first is not None else None
        by_scope = ref is not None and ref.scope != whole.scope
        if lead.scope is not None and not by_scope and lead.scope != whole.scope:
            return True
        book = book_of(mention.indicator)
        if (
            book not in (None, Book.ALL)
            and whole.book not in (None, Book.ALL)
            and book != whole.book
        ):
            return True
        known = lookup(mention.indicator)
        if (
            known is not None
            and known.parent is not None
            and canonical(known.parent) not in canonical(_base(whole.indicator))
        ):
            return True
        return lead.stage is not None and lead.stage != whole.stage

    def _lead_list_item(self, mention: _Mention, lead: Lead, name: str, index: int | None) -> None:
        """An item of "专项转移支付收入：一般公共服务 3,113 万元；国防 631 万元": a part of
        the whole its lead names, in that whole's context; a functional 类 name gets its
        code (国防 -> 203 国防支出)."""
        mention.parent = name
        mention.code = _function_code(mention.indicator, mention.period.year)
        if index is None:
            return
        whole = self.mentions[index]
        mention.parent = whole.indicator
        mention.parent_index = index
        self.colon_lists.add(index)
        if lead.scope is None:
            mention.scope = whole.scope
        if not lead.verb and lead.stage is None:
            mention.stage = whole.stage
            mention.period = whole.period
        if mention.book is None:
            mention.book = whole.book

    # ------------------------------------------------------------------
    def _stage(self, lead, indicator: str, sent: str, after: str, state: dict) -> Stage:
        if "限额" in indicator[-6:]:
            return Stage.LIMIT
        if "余额" in indicator and "结余" not in indicator:
            return Stage.BALANCE
        if lead.stage is not None:
            return lead.stage
        if re.match(r"[^，。；]{0,12}纳入年初预算", after) or "年初预算" in indicator:
            return Stage.BUDGET
        if indicator.endswith("价值"):
            return Stage.OTHER
        if indicator.endswith("预算") and lead.stage is None:
            return Stage.BUDGET  # "安排公务用车购车预算104万元"
        if lead.verb in _PLAN_VERBS:
            return Stage.PLAN
        if lead.verb in _OTHER_VERBS or "涉及" in indicator:
            return Stage.OTHER
        if "规模" in indicator:
            return Stage.PLAN
        if state.get("stage") is not None:
            return state["stage"]
        if self.section.stage is not None:
            return self.section.stage
        year = state.get("year") or self.section.year
        if (
            self.context.kind == DocKind.BUDGET_REPORT
            and year is not None
            and self.context.year is not None
            and year < self.context.year
        ):
            return Stage.EXECUTION
        return self.default_stage

    def _period(self, stage: Stage, before: str, state: dict, prefix: str = "") -> Period:
        year = self.section.year or self.context.year or 0
        if state.get("year"):
            year = state["year"]
        ys = [int(m.group("y")) for m in YEAR_RE.finditer(before)]
        if ys:
            year = ys[-1]
        months = month_span(before) or state.get("months")
        if months is None and stage == Stage.EXECUTION:
            # "完成5月绩效监控工作，…执行数57661.58万元": execution to that month's end
            m = None
            for m in _MONTH_END_IN.finditer(prefix):  # noqa: B007 - the last one counts
                pass
            if m and 1 <= int(m.group("m")) <= 12:
                months = (1, int(m.group("m")))
        day = explicit_date(before)
        if stage == Stage.BALANCE:
            if day:
                try:
                    return Period.at(date(*day))
                except ValueError:
                    pass
            span = months or self.section.months or self._doc_months(year)
            end_month = span[1] if span else 12
            return Period.at(_month_end(year, end_month))
        if stage == Stage.LIMIT:
            # "5月份财政部下达…新增地方政府债务限额914亿元": a tranche of the year's limit
            tranche = _TRANCHE.search(before)
            if tranche:
                first = int(tranche.group("a"))
                last = int(tranche.group("b") or first)
                if 1 <= first <= last <= 12:
                    return Period(year, first, last)
            return Period(year)
        if stage == Stage.OTHER and self.section.asof is not None:
            return Period.at(self.section.asof)
        if stage == Stage.OTHER and months is None and "年初" not in prefix:
            # work an execution report reports ("共组织实施…项目10个，涉及资金1.1亿元") was
            # done in its months; targets set on the year-start budget ("年初部门预算…") not
            months = self._doc_months(year)
        if stage in (Stage.EXECUTION,):
            span = months or self.section.months or self._doc_months(year)
            return Period(year, *span) if span else Period(year)
        if months:
            return Period(year, *months)
        return Period(year)

    def _doc_months(self, year: int) -> tuple[int, int] | None:
        if (
            self.context.months
            and self.context.kind == DocKind.EXECUTION_REPORT
            and self.context.year in (None, year)
        ):
            return self.context.months
        return None

    def _modifiers(
        self,
        mention: _Mention,
        text: str,
        a_end: int,
        limit: int,
        lead_limit: int,
        changes: list[re.Match[str]],
        prev_index: int | None,
    ) -> None:
        cursor = a_end
        end = a_end
        stop = min(limit, lead_limit) if lead_limit > a_end else limit
        found = True
        while found:
            found = False
            gap = _gap(text, cursor, stop)
            for c in changes:
                if c.start() >= cursor and c.start() - cursor <= gap and c.end() <= limit:
                    if c.group("cyear") and int(c.group("cyear")) != mention.period.year - 1:
                        continue  # "较 2019 年下降 …": not a change on the year before
                    value = signed(c.group("word"), decimal_of(c.group("num")))
                    unit = c.group("unit")
                    if unit == "%":
                        if mention.yoy_pct is None:
                            mention.yoy_pct = value
                    elif unit == "个百分点":
                        pass
                    else:
                        change = Amount(value, unit_of(unit))
                        is_difference = (
                            mention.stage == Stage.FINAL
                            and c.group("cmp") is None
                            and prev_index is not None
                            and self.mentions[prev_index].indicator == mention.indicator
                        )
                        if is_difference:
                            mention.difference = change
                        elif mention.yoy_abs is None:
                            mention.yoy_abs = change
                    cursor = end = c.end()
                    found = True
                    break
            if found:
                continue
            m = PCT_BUDGET_RE.match(text, cursor + _skip(text, cursor, stop))
            if m and m.end() <= limit:
                mention.pct_of_budget = decimal_of(m.group("num"))
                mention.pct_base = pct_base(m)
                cursor = end = m.end()
                found = True
                continue
            m = SHARE_RE.match(text, cursor + _skip(text, cursor, stop))
            if m and m.end() <= limit:
                mention.share_pct = decimal_of(m.group("num"))
                of = (m.group("of") or "").strip("，,、 ")
                mention.share_of = canonical_name(of) if of else None
                cursor = end = m.end()
                found = True
                continue
        mention.end = max(mention.end, end)

    # ------------------------------------------------------------------
    def _nest_principal(self) -> None:
        """Repayments of principal listed after 本金 are parts of it, not of the whole.

        "还本付息总额 1.5 亿元（本金 0.13 亿元，财政预算安排还本 0.13 亿元，再融资债券还本
        0 亿元；财政预算安排付息 1.37 亿元）": 1.5 = 本金 + 付息 and 0.13 = the two 还本.
        """
        ms = self.mentions
        for i, m in enumerate(ms):
            t = m.parent_index
            if (
                t is None
                or "还本付息" not in ms[t].indicator
                or _base(m.indicator)
                not in (
                    "本金",
                    "还本",
                )
            ):
                continue
            for j in range(i + 1, len(ms)):
                n = ms[j]
                if n.parent_index != t or not _base(n.indicator).endswith("还本"):
                    break
                n.parent_index = i
                n.parent = m.indicator

    def _progress_base(self, i: int) -> int | None:
        """The figure a bare 支出进度 x% is measured against: "下达直达资金 40.89 亿元，支出
        25.86 亿元，支出进度 63.2%" (the figure just before, in the same sentence, an
        allocation, plan or budget that the spending is not a part of)."""
        m = self.mentions[i]
        if m.pct_of_budget is None or m.pct_base is not None or i == 0:
            return None
        b = self.mentions[i - 1]
        if (
            m.paragraph is None
            or b.paragraph is not m.paragraph
            or m.parent_index == i - 1
            or b.indicator == m.indicator
            or _SENTENCE_END.search(m.paragraph.text.text, b.end, m.start)
        ):
            return None
        planned = b.stage in (Stage.PLAN, Stage.BUDGET, Stage.ADJUSTED) or re.search(
            r"需求|下达|预算|计划|安排", b.indicator)
        return i - 1 if planned and b.amount.yuan > 0 else None

    def finish(self) -> tuple[list[Fact], list[Relation]]:
        self._nest_principal()
        doc = self.document
        gov = self.context.government_name
        facts: list[Fact] = []
        for m in self.mentions:
            assert m.paragraph is not None
            s, e = m.paragraph.text.span(m.start, m.end)
            source = doc.source(s, e, m.derived)
            government = gov if m.scope in (Scope.WHOLE, Scope.OWN) else m.scope
            fact = Fact(
                indicator=m.indicator,
                amount=m.amount,
                stage=m.stage,
                period=m.period,
                source=source,
                scope=m.scope,
                book=m.book,
                government=government,
                code=m.code,
                division=(
                    self.context.government.code
                    if self.context.government and m.scope in (Scope.WHOLE, Scope.OWN)
                    else None
                ),
                parent=m.parent,
                yoy_abs=m.yoy_abs,
                yoy_pct=m.yoy_pct,
                pct_of_budget=m.pct_of_budget,
                share_pct=m.share_pct,
                share_of=m.share_of,
                pct_base=m.pct_base,
            )
            m.fact = fact
            facts.append(fact)
        return facts, self._relations()

    def _relations(self) -> list[Relation]:
        out: list[Relation] = []
        ms = self.mentions
        ids = [m.fact.id for m in ms if m.fact is not None]
        # Sums under 其中/包括.
        groups: dict[int, list[int]] = {}
        for i, m in enumerate(ms):
            if m.parent_index is not None:
                groups.setdefault(m.parent_index, []).append(i)
        split: list[tuple[int, list[int]]] = []
        for total, parts in groups.items():
            # "9.69亿元（沙坡头区收入3.71亿元）…其中：税收收入…；非税收入…": a district's share
            # and the items are two breakdowns of one figure, each its own sum
            scoped = [i for i in parts if _base(ms[i].indicator) == _base(ms[total].indicator)]
            named = [i for i in parts if i not in scoped]
            split += [(total, ps) for ps in (scoped, named) if ps]
        for total, parts in split:
            names = {canonical(_base(ms[i].indicator)) for i in parts}
            same = all(_base(ms[i].indicator) == _base(ms[total].indicator) for i in parts)
            complete = {canonical(n) for n in parts_of(_base(ms[total].indicator))}
            whole = ms[total]
            # "其中：A x、B y" listing two or more parts of the same context is a breakdown.
            listed = (
                total in self.colon_lists
                and len(parts) >= 2
                and all(
                    ms[i].period == whole.period
                    and ms[i].stage == whole.stage
                    and (same or ms[i].scope == whole.scope)
                    for i in parts
                )
            )
            if same:
                # parts by scope make the whole only when the own level is among them with
                # the subordinate governments ("其中：市级…；中宁县…；海原县…")
                scopes = [str(ms[i].scope) for i in parts]
                listed = (
                    listed
                    and whole.scope == Scope.WHOLE
                    and scopes.count(Scope.OWN) == 1
                    and Scope.WHOLE not in scopes
                    and len(set(scopes)) == len(scopes)
                )
            by_period = same and _tiles_period(whole, [ms[i] for i in parts])
            if by_period:
                # "1328亿元，其中：1—4月份…414亿元，5月份…914亿元": parts by period
                listed = by_period == "whole"
            elif complete and names < complete:
                # a lexicon whole with some of its parts listed is not all of it
                listed = False
            exhaustive = (
                (bool(complete) and names == complete)
                or listed
                or (
                    not same
                    and _pair_of_and_name(whole.indicator, [ms[i].indicator for i in parts])
                )
                or _principal_and_interest(whole.indicator, [ms[i].indicator for i in parts])
            )
            note = "parts by period" if by_period else "parts by scope" if same else "其中"
            out.append(
                Relation(
                    RelationKind.SUM,
                    ids[total],
                    tuple(ids[i] for i in parts),
                    None,
                    exhaustive,
                    ms[total].fact.source if ms[total].fact else None,
                    note,
                )
            )
        # Definitional sums: "（A、B、C之和）" or a lexicon whole whose parts are all stated.
        seen = {
            (_context_key(ms[t]), frozenset(_context_key(ms[i]) for i in ps)) for t, ps in split
        }
        for i, m in enumerate(ms):
            components = m.parts_named or parts_of(m.indicator)
            if not components or i in groups:
                continue
            found: list[int] = []
            for name in components:
                j = _find(ms, canonical(name), m, before=i)
                if j is None:
                    break
                found.append(j)
            else:
                key = (_context_key(m), frozenset(_context_key(ms[j]) for j in found))
                if key in seen:
                    continue
                seen.add(key)
                out.append(
                    Relation(
                        RelationKind.SUM,
                        ids[i],
                        tuple(ids[j] for j in found),
                        None,
                        True,
                        m.fact.source if m.fact else None,
                        "之和" if m.parts_named else "lexicon parts",
                    )
                )
        # 收支相抵: sources = uses + balances.  Parts are ordered sources, uses, balances;
        # the note gives the three counts.
        for total, roles in self.balances:
            if not roles["sources"] or not roles["balance"]:
                continue
            ordered = roles["sources"] + roles["uses"] + roles["balance"]
            src = ms[ordered[-1]].fact.source if ms[ordered[-1]].fact else None
            out.append(
                Relation(
                    RelationKind.BALANCE,
                    ids[total] if total is not None else "",
                    tuple(ids[i] for i in ordered),
                    None,
                    True,
                    src,
                    f"sources={len(roles['sources'])};uses={len(roles['uses'])};"
                    f"balance={len(roles['balance'])};total_is_use=1",
                )
            )
        for bal, sources, uses in self.net_balances:
            out.append(
                Relation(
                    RelationKind.BALANCE,
                    ids[bal],
                    (*(ids[i] for i in sources), *("-" + ids[i] for i in uses)),
                    None,
                    True,
                    ms[bal].fact.source if ms[bal].fact else None,
                    "收支相抵",
                )
            )
        for i, m in enumerate(ms):
            src = m.fact.source if m.fact else None
            if m.yoy_abs is not None or m.yoy_pct is not None:
                out.append(
                    Relation(
                        RelationKind.GROWTH,
                        ids[i],
                        (),
                        m.yoy_pct,
                        False,
                        src,
                        f"yoy_abs={m.yoy_abs}" if m.yoy_abs else "",
                    )
                )
            if m.pct_of_budget is not None:
                out.append(
                    Relation(
                        RelationKind.RATIO,
                        ids[i],
                        (),
                        m.pct_of_budget,
                        False,
                        src,
                        f"pct_of_budget;base={m.pct_base.value}" if m.pct_base else "pct_of_budget",
                    )
                )
            base = self._progress_base(i)
            if base is not None:
                out.append(
                    Relation(RelationKind.RATIO, ids[base], (ids[i],), m.pct_of_budget, False,
                             src, "progress")
                )
            if m.share_pct is not None:
                denom = _find(ms, canonical(m.share_of or m.parent or ""), m, before=len(ms))
                parts = (ids[i],)
                total_id = ids[denom] if denom is not None else ""
                out.append(
                    Relation(
                        RelationKind.SHARE,
                        total_id,
                        parts,
                        m.share_pct,
                        False,
                        src,
                        m.share_of or "",
                    )
                )
            if m.difference is not None:
                j = _previous_same(ms, i)
                if j is not None:
                    out.append(
                        Relation(
                            RelationKind.DIFFERENCE,
                            ids[i],
                            (ids[j],),
                            m.difference.yuan,
                            False,
                            src,
                            f"stated {m.difference} (stated in yuan)",
                        )
                    )
        return out


_NOT_OCCURRED = re.compile(
    r"\s*(?P<lead>[^，。；,;\d]{4,40}?)(?:数据)?(?:上半年|本期|本年|当期|当年)?(?:暂|尚|均)?未发生"
)
_YEAR_NET = re.compile(r"^(?:本年|当年|本期)收支结余$")
_PURPOSE = re.compile(
    r"\s*[，,]?\s*[\u4e00-\u9fa5]{0,8}?(?:用于|支持|保障|发放|实施|建设|推动|办好|落实|开展)"
    r"(?P<obj>[^，。；,;：:\d\s]{2,40})"
)
_PURPOSE_TAIL = re.compile(r"(?:等(?:项目|工作|群体)?|工作)$")
_FUNDED_NOUN = re.compile(r"(?:金|补贴|补助|经费|费|奖补)$")


def _purpose(text: str, at: int, stop: int) -> tuple[str, int] | None:
    """(name, end) of what a verb-named fund is for: "…1.74亿元，支持X" -> ("X", end of X)."""
    m = _PURPOSE.match(text, at, stop)
    if m is None:
        return None
    obj = _PURPOSE_TAIL.sub("", m.group("obj"))
    start = m.start("obj")
    if len(obj) > 20 and "、" in obj:
        head, _, tail = obj.rpartition("等")
        if head and len(tail) >= 4:  # "A、B、C等重点领域安全隐患排查整治": the head noun
            start += len(head) + 1
            obj = tail
        else:
            obj = obj.split("、", 1)[0]
    if len(obj) < 4 or len(obj) > 24 or obj.count("（") != obj.count("）"):
        return None
    end = start + len(obj)
    return (obj if _FUNDED_NOUN.search(obj) else obj + "资金"), end


_ITEM_START = re.compile(r"\s*\d{1,2}\s*(?:[．、]|\.(?!\d))")
_YEAR_OPENING = re.compile(
    r"[\s，,：:；;、]*(?:\d{1,2}\s*(?:[．、]|\.(?!\d))\s*)?(?P<y>\d{4}\s*年)(?!度)"
)


def _year_named(lead_text: str, name: str) -> str | None:
    """ "2023 年全区会计…考务工作经费" -> the words from the year to the end of ``name``."""
    m = _YEAR_OPENING.match(lead_text)
    if m is None:
        return None
    at = lead_text.find(name, m.end())
    if at < 0 or CUT_VERBS.search(lead_text, m.end(), at):
        return None
    return lead_text[m.start("y") : at + len(name)]


def _year_of(name: str) -> int:
    return int(re.match(r"\d{4}", name).group(0))  # type: ignore[union-attr]


def _base(name: str) -> str:
    """A name without a scope note: "一般公共预算收入（含沙坡头区）" -> "一般公共预算收入"."""
    return normal(_SCOPE_NOTE.sub("", name))


def _function_code(name: str, year: int | None) -> str | None:
    """The 类 code of a functional name printed without 支出 ("国防" -> "203")."""
    if not name or name.endswith("支出") or not re.fullmatch(r"[\u4e00-\u9fa5]{2,12}", name):
        return None
    try:
        codes = load_codes(year or 2024)
    except (FileNotFoundError, OSError):
        return None
    for full in (name + "支出", name + "等支出"):
        found = [c for c in codes.by_name(full, "function") if len(c.code) == 3]
        if len(found) == 1:
            return found[0].code
    return None


def _tiles_period(whole: _Mention, parts: list[_Mention]) -> str:
    """How parts of one indicator split ``whole`` by period: "" when they don't.

    "whole" when the parts' month ranges follow one another from the whole's first month
    to its last, or to the date of a cumulative ("累计") whole; "part" when they follow
    one another but leave months out.
    """
    wp = whole.period
    if (
        len(parts) < 2
        or wp.day is not None
        or any(
            p.period.day is not None or p.period.year != wp.year or p.scope != whole.scope
            for p in parts
        )
    ):
        return ""
    spans = sorted((p.period.start_month, p.period.end_month) for p in parts)
    if len(set(spans)) < len(spans) or spans[0][0] != wp.start_month:
        return ""
    if any(b[0] != a[1] + 1 for a, b in pairwise(spans)):
        return ""
    if spans[-1][1] == wp.end_month:
        return "whole"
    if spans[-1][1] < wp.end_month and whole.paragraph is not None:
        text = whole.paragraph.text.text
        clause = _clause_start(text, 0, whole.start)
        if "累计" in text[clause : whole.end]:
            return "whole"
    return "part" if spans[-1][1] < wp.end_month else ""


def _principal_and_interest(name: str, parts: list[str]) -> bool:
    """Whether the parts of a 还本付息 figure are its principal and its interest.

    "还本付息总额 1.5 亿元（本金 0.13 亿元…；财政预算安排付息 1.37 亿元）".
    """
    if "还本付息" not in _base(name) or len(parts) != 2:
        return False
    kinds = sorted(
        "principal"
        if _base(p) in ("本金", "还本") or _base(p).endswith("还本")
        else "interest"
        if _base(p).endswith(("付息", "利息"))
        else ""
        for p in parts
    )
    return kinds == ["interest", "principal"]


def _pair_of_and_name(name: str, parts: list[str]) -> bool:
    """Whether two parts are the two halves of a name "A及B".

    "公务用车购置及运行维护费" = "公务用车购置费" + "公务用车运行维护费".
    """
    name = _base(name)
    if len(parts) != 2 or name.count("及") != 1:
        return False
    left, right = name.split("及")
    bases = [_base(p) for p in parts]
    for first, second in (bases, bases[::-1]):
        for k in range(len(right)):
            suffix = right[k:]
            if first != left + suffix:
                continue
            for j in range(len(left)):
                if second == left[:j] + right:
                    return True
    return False


def _context_key(m: _Mention) -> tuple[str, str, str, str]:
    return (canonical(m.indicator), str(m.scope), str(m.stage), str(m.period))


def _find(ms: list[_Mention], name: str, like: _Mention, before: int) -> int | None:
    best = None
    for j, other in enumerate(ms[:before]):
        if (
            canonical(other.indicator) == name
            and other.scope == like.scope
            and other.period == like.period
            and other.stage == like.stage
        ):
            best = j
    if best is None:
        for j, other in enumerate(ms):
            if (
                canonical(other.indicator) == name
                and other.scope == like.scope
                and other.period == like.period
                and other.stage == like.stage
            ):
                return j
    return best


def _previous_same(ms: list[_Mention], i: int) -> int | None:
    for j in range(i - 1, max(-1, i - 4), -1):
        if (
            ms[j].indicator == ms[i].indicator
            and ms[j].scope == ms[i].scope
            and ms[j].stage != ms[i].stage
        ):
            return j
    return None


_TIME_PREFIX = re.compile(
    r"^(?:\d{4}年度?|\d{1,2}-\d{1,2}月份?|上半年|截至\d{1,2}月底|前\d{1,2}个月|[，,：:])+"
)


def _matching(text: str, at: int, stop: int) -> int:
    """Position of the parenthesis closing the one at ``at`` (``-1`` when unclosed)."""
    depth = 0
    for k in range(at, stop):
        if text[k] in "（(":
            depth += 1
        elif text[k] in "）)":
            depth -= 1
            if depth == 0:
                return k
    return -1


def _strip_time(text: str) -> str:
    return _TIME_PREFIX.sub("", text)


def _last_delim(text: str, lo: int, hi: int, delims: str) -> int:
    """Position of the last delimiter in ``text[lo:hi]`` (``-1`` when none).

    An ASCII comma between digits is a thousands separator, not a delimiter.
    """
    for k in range(hi - 1, lo - 1, -1):
        ch = text[k]
        if ch in delims:
            if (
                ch == ","
                and 0 < k < len(text) - 1
                and text[k - 1].isdigit()
                and text[k + 1].isdigit()
            ):
                continue
            return k
    return -1


# "督促各县市（园区）将…资金": words that make a clause, not a name, around a parenthesis
_CLAUSE_OPENER = re.compile(r"[将把对向给从由在]|督促|组织|指导|推动|引导|要求|盘活")


def _name_paren(text: str, lo: int, close: int, at: int) -> bool:
    """Whether the parenthesis closing at ``close`` is inside a name that runs on to ``at``:
    "市直属各学校（幼儿园）生均公用经费", "县（区）一般公共预算收入" (a short note right after a
    word, no figure in it), not "…亿元（含沙坡头区）" nor a list's "（A、B之和）"."""
    tail = text[close + 1 : at]
    if not re.fullmatch(r"[\u4e00-\u9fa5“”]{5,24}", tail) or _CLAUSE_OPENER.match(tail):
        return False
    open_at = max(text.rfind("（", lo, close), text.rfind("(", lo, close))
    return (
        open_at > lo
        and re.fullmatch(r"[\u4e00-\u9fa5]{1,4}", text[open_at + 1 : close]) is not None
        and re.match(r"[\u4e00-\u9fa5]", text[open_at - 1]) is not None
        and not _CLAUSE_OPENER.match(text, _clause_start(text, lo, open_at))
    )


def _semi_after(text: str, lo: int, hi: int) -> int:
    """The position after the last "；" in ``text[lo:hi]`` (``lo`` when none)."""
    k = max(text.rfind("；", lo, hi), text.rfind(";", lo, hi))
    return k + 1 if k >= 0 else lo


def _clause_start(text: str, lo: int, hi: int) -> int:
    """The position after the last clause delimiter in ``text[lo:hi]`` (``lo`` when none)."""
    k = _last_delim(text, lo, hi, "，,；;：:")
    return k + 1 if k >= lo else lo


def _gap(text: str, cursor: int, stop: int) -> int:
    return _skip(text, cursor, stop) + _MAX_CHANGE_GAP


def _skip(text: str, cursor: int, stop: int) -> int:
    """Delimiters and fillers after an amount before its modifiers."""
    k = cursor
    while k < stop and text[k] in "，,、（(）) ":
        k += 1
    return k - cursor


def _respective_names(sent: str, self_names: tuple[str, ...]) -> list[str]:
    """ "昌吉市、奇台县和玛纳斯县…分别完成…" -> the names, in order."""
    if "分别" not in sent:
        return []
    head = sent[: sent.index("分别")]
    m = re.search(
        r"((?:[\u4e00-\u9fa5]{2,5}?(?:开发区|园区|县|市|区)[、和及]){1,}[\u4e00-\u9fa5]{2,5}?(?:开发区|园区|县|市|区))",
        head,
    )
    if not m:
        return []
    names = [n for n in re.split(r"[、和及]", m.group(1)) if n]
    out = []
    for n in names:
        found, length = scope_word(n, self_names)
        out.append(found if isinstance(found, str) and length == len(n) else n)
    return out


def _is_only_scope(text: str, self_names: tuple[str, ...]) -> bool:
    found, length = scope_word(text, self_names)
    return found is not None and length == len(text)


def _lead_offset(lead_text: str, offset: int, text: str, lead_start: int) -> int:
    """Where the quote starts within the lead: at the scope word, after time words."""
    k = 0
    while k < len(lead_text) and lead_text[k] in "，,、：:；;（(）) ":
        k += 1
    m = re.match(
        r"(?:其中|包括|以及|另外|同时|此外|并|共)?(?:\d{4}年[度初]?|\d{1,2}-\d{1,2}月份?|截至\d{1,2}月底)?[，,]?",
        lead_text[k:],
    )
    if m and m.end() and lead_text[k : k + 2] not in ("其中", "包括"):
        k += m.end() if re.match(r"\d", lead_text[k:]) else 0
    return k


_BAD_INDICATOR = re.compile(r"^[\d.%，,、]+$|^[的了和及与]$|[≤≥<>]|指标|赋分")


def _plausible(indicator: str) -> bool:
    return bool(indicator) and len(indicator) <= 40 and not _BAD_INDICATOR.search(indicator)


def canonical_name(name: str) -> str:
    """The lexicon's name where the lexicon knows it, else the text's own words."""
    found = lookup(name)
    if found is not None:
        return found.name
    return name


def extract_narrative(
    document: Document, paragraphs: list[Paragraph], context: DocContext
) -> tuple[list[Fact], list[Relation], list[Problem]]:
    reader = _Reader(document, context)
    reader.read(paragraphs)
    facts, relations = reader.finish()
    return facts, relations, reader.problems


__all__ = ["extract_narrative"]
