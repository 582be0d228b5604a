"""Phrase grammar of budget prose: the subject before an amount, its scope and stage.

A narrative fact reads ``[time][scope][verb]<indicator>[stage word]<amount>
[change][ratio][share]``: "1-6月，全州一般公共预算收入完成131.5亿元，比上年同期
增收12.59亿元，增长10.59%".  :func:`parse_lead` splits the text before an
amount into those pieces; the word lists are module constants, compiled once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from yusuan.model import Scope, Stage
from yusuan.refdata.lexicon import lookup

try:  # the refdata helper's region table; optional until it lands
    from yusuan.refdata import regions as _regions
except ImportError:  # pragma: no cover - depends on the tree's state
    _regions = None  # type: ignore[assignment]

# Scope words at the start of a subject.  Longest first.
WHOLE_WORDS = ("全自治区", "全州", "全区", "全市", "全县", "全疆", "全省", "全盟", "全地区")
OWN_WORDS = (
    "自治区本级",
    "自治州本级",
    "自治区级",
    "自治州级",
    "州本级",
    "市本级",
    "县本级",
    "区本级",
    "省本级",
    "市级",
    "州级",
    "本级",
)
# Government names a text uses for itself.
SELF_WORDS = ("自治区", "自治州", "我州", "我市", "我县", "我区", "全")

# Subordinate governments: a short name ending in 县/市/区/开发区/园区 at a subject's start.
SUBORDINATE_RE = re.compile(
    r"^(?P<name>[\u4e00-\u9fa5]{2,4}?(?:开发区|园区|新区|县|市|区))(?=[\u4e00-\u9fa5（(]|$)"
)
NOT_SUBORDINATE = frozenset(
    {
        "自治区",
        "地区",
        "园区",
        "社区",
        "城区",
        "市区",
        "辖区",
        "全区",
        "全市",
        "本市",
        "城市",
        "县市",
        "各县市",
        "各县区",
        "县区",
        "市县",
        "市县区",
        "各区",
        "开发区",
        "工业园区",
        "示范区",
        "上级市",
        "保障区",
        "市场",
        "山区",
        "牧区",
        "景区",
        "灾区",
        "片区",
        "校区",
        "库区",
        "湖区",
        "乡村振兴示范区",
        "重点区",
        "生态区",
    }
)
NOT_SUBORDINATE_HEADS = tuple("各全本上下对向在其经由收从按将把给为与和及共于到是")

# Verbs and adverbs that precede the indicator and are not part of its name.
CUT_VERBS = re.compile(
    r"(?:下达|收到|拨付|争取到?|投入|(?<!预算)安排|落实|入库|实现|完成|筹集|筹措|发放|兑现|到位|"
    r"审核|核定|设置|组织实施|统筹|整合|用于|支持|带动|撬动|获得|下拨|分配|申请|梳理|"
    r"(?<!公)共(?![计同])|达到|预计|全年|其中|包括|主要有)"
)
# Words that end a subject before the amount and carry a stage.
STAGE_TAILS: tuple[tuple[str, Stage | None], ...] = (
    ("调整预算数为", Stage.ADJUSTED),
    ("调整预算数", Stage.ADJUSTED),
    ("调整预算为", Stage.ADJUSTED),
    ("预计执行数为", Stage.EXECUTION),
    ("预计执行数", Stage.EXECUTION),
    ("执行数为", Stage.EXECUTION),
    ("执行数", Stage.EXECUTION),
    ("预计数为", Stage.EXECUTION),
    ("决算数为", Stage.FINAL),
    ("决算数", Stage.FINAL),
    ("预算数为", Stage.BUDGET),
    ("预算数", Stage.BUDGET),
    ("建议数为", Stage.BUDGET),
    ("建议数", Stage.BUDGET),
    ("年初预算", Stage.BUDGET),
)
TRAIL_WORDS = re.compile(
    r"(?:完成|实现|达到|为|共计|累计投入|累计|总计|约|预计|全部|已|分别|"
    r"发放|拨付|到位|下达|安排|入库|支持)+$"
)
LEAD_DROP = re.compile(
    r"(?:\d{1,2}[．、]|\d{1,2}\.(?!\d)|[（(]\d{1,2}[）)]|[，,、：:；;（(）)\s]|其中|包括|以及|"
    r"另外|同时|此外|并且|并|[和及与](?![\u4e00-\u9fa5])|对|向|为了|主要是|主要用于|主要|共|将|把|说明|含|"
    r"截至|截止|年底|年末|年初|今年|当年|上半年|全年|前\d{1,2}个月|\d{1,2}-\d{1,2}月份?|"
    r"\d{1,2}月(?:底|末)|\d{4}年初|\d{4}年度?|\d{1,2}月\d{1,2}日|\d{1,2}月)+"
)
ADVERBS = re.compile(r"累计|共计|全部|合计(?=.)|分别|[一二三四五六七八九十两\d]+批")
_ORG_AFTER = re.compile(
    r"[\u4e00-\u9fa5]{1,12}?(?:局|委员会|办公室|中心|厅|院|队|站|所|学校|医院|公司)(?!级)"
)
_AGENTS = re.compile(r"自治区|自治州|中央|上级|国家")
_START_ONLY = frozenset({"用于", "投入"})
_CONNECTIVES = frozenset({"其中", "包括", "主要有", "共", "用于"})
YEARS_IN = re.compile(r"\d{4}年度?")
GENERIC_TAILS = (
    "收入",
    "支出",
    "收支结余",
    "结余",
    "还本付息",
    "预算收入",
    "预算支出",
    "实际支付",
    "实际支出",
)
_STEM_RE = re.compile(r"(?:预算)?(?:收入|支出)$")
PAREN_DROP = re.compile(r"[（(][^（）()]*[）)]")


@dataclass(frozen=True, slots=True)
class Lead:
    """What the words before an amount say about it."""

    indicator: str  # "" when the subject is carried from before
    scope: str | None  # Scope or a subordinate government's name
    stage: Stage | None  # from a stage tail ("决算数为") or a verb ("安排")
    verb: str  # the last cut verb, "" when none
    start: int  # offset in the lead where the subject starts (for the quote)


def scope_word(text: str, self_names: tuple[str, ...]) -> tuple[str | None, int]:
    """(scope, length) of a scope word at the start of ``text``."""
    for word in OWN_WORDS:
        if text.startswith(word):
            if word == "本级" and text.startswith("本级政府"):
                return Scope.OWN, 0  # "本级政府专项债券收入" is a name; 本级 stays in it
            return Scope.OWN, len(word)
    for word in WHOLE_WORDS:
        if text.startswith(word):
            return Scope.WHOLE, len(word)
    for name in self_names:
        if name and text.startswith(name):
            rest = text[len(name) :]
            if _ORG_AFTER.match(rest):
                return None, 0  # "乌苏市民政局…": a department, not a scope
            for own in ("本级", "级"):
                if rest.startswith(own):
                    if rest.startswith("本级政府"):
                        return Scope.OWN, len(name)
                    return Scope.OWN, len(name) + len(own)
            return Scope.WHOLE, len(name)
    m = SUBORDINATE_RE.match(text)
    if m:
        name = m.group("name")
        if (
            name not in NOT_SUBORDINATE
            and not name.startswith(NOT_SUBORDINATE_HEADS)
            and "自治" not in name
            and is_government_name(name)
        ):
            return name, len(name)
    return None, 0


@lru_cache(maxsize=4096)
def is_government_name(name: str) -> bool:
    """A division name the region table knows; development zones and parks pass as such."""
    if name.endswith(("开发区", "园区", "新区")):
        return True
    if _regions is None:
        return True
    try:
        return _regions.resolve(name) is not None
    except Exception:  # the region table is optional help, never a failure
        return True


def parse_lead(lead: str, self_names: tuple[str, ...]) -> Lead:
    """Split the subject text before an amount into indicator, scope, stage and verb."""
    stage: Stage | None = None
    text = lead
    for tail, tail_stage in STAGE_TAILS:
        if text.endswith(tail):
            text = text[: -len(tail)]
            stage = tail_stage
            break
    text = TRAIL_WORDS.sub("", text)
    # Scope words and self names at the start, possibly after time words.
    scope: str | None = None
    offset = 0
    while True:
        m = LEAD_DROP.match(text, offset)
        if m and m.end() > offset:
            offset = m.end()
        found, length = scope_word(text[offset:], self_names)
        if found is None:
            break
        if scope is None or found != Scope.WHOLE:
            scope = found
        if length == 0:
            break
        offset += length
    body = text[offset:]
    verb = ""
    if scope == Scope.WHOLE and body.startswith("政府") and body[2:4] in ("一般", "专项", "新增"):
        offset += 2
        body = body[2:]  # "乌苏市政府一般债务余额" -> "一般债务余额"
    if lookup(body) is not None:
        # a name the lexicon knows keeps its verb: "安排预算稳定调节基金"
        return Lead(body, scope, stage, "", offset)
    # The indicator follows the last cut verb ("下达直达资金", "入库部门上缴的罚没收入").
    last = None
    for m in CUT_VERBS.finditer(body):
        if m.end() < len(body) and (m.start() == 0 or m.group(0) not in _START_ONLY):
            last = m
            if m.group(0) not in _CONNECTIVES:
                verb = m.group(0)
    if last is not None:
        cut = last.end()
        if (
            last.group(0) == "下达"
            and body[: last.start()].endswith("上级")
            and scope_word(body[cut:], self_names)[0] is None
        ):
            # "收到上级下达财政衔接…补助资金": money from above keeps its source in its name
            # ("上级下达乌苏市…资金" names the receiver instead, and is cut as usual)
            cut = last.start() - 2
        offset += cut
        body = body[cut:]
    # A scope word may follow the verb: "下达昌吉州新增…", "收到自治区转贷…".
    if verb:
        agent = _AGENTS.match(body)
        if agent and agent.end() < len(body) - 1 and "的" in body:
            offset += agent.end()
            body = body[agent.end() :]
    found, length = scope_word(body, self_names)
    if found is not None and length < len(body):
        if found != Scope.WHOLE or scope is None:
            scope = found
        offset += length
        body = body[length:]
    if "的" in body and not body.endswith("的"):
        cut = body.rindex("的") + 1
        head = body[: cut - 1]
        if len(head) <= 2 and not body[cut:].startswith(("新增", "再融资")):
            body = head + body[cut:]  # "转贷的地方政府债券" -> "转贷地方政府债券"
        elif not head.endswith(("占", "中")) and len(body) - cut >= 2:
            offset += cut
            body = body[cut:]
    body = YEARS_IN.sub("", body)
    body = ADVERBS.sub("", body)
    body = TRAIL_WORDS.sub("", body)
    body = body.lstrip("，,、：:；;（(）) ").rstrip("，,、：:；;（( ")
    if body.count("（") < body.count("）") and body.endswith("）"):
        body = body.rstrip("）)")
    return Lead(body, scope, stage, verb, offset)


def complete_stem(indicator: str, previous: str | None) -> str:
    """ "支出" after "社会保险基金收入" -> "社会保险基金支出"."""
    if previous and indicator in GENERIC_TAILS:
        if indicator.startswith("预算") or "结余" in indicator:
            stem = _STEM_RE.sub("", previous)
        else:
            stem = re.sub(r"(?:收入|支出)$", "", previous)
        if stem:
            return stem + indicator
    return indicator


def count_object(clause: str, loose: bool = False) -> str:
    """The counted object of a clause: "审核新增项目事前绩效评估项目报告166个" -> its name.

    With ``loose``, a clause without a count gives its trailing words.
    """
    m = re.search(
        r"([\u4e00-\u9fa5“”（）]+?)(?:项目报告|报告)?[\d,.]+(?:个|家|项|辆|平方米|台|套|件|处)$",
        clause,
    )
    if not m and loose:
        clause = re.sub(r"(?:申报|评价|监控)?工作$", "", clause)
        # "共有2个项目开展…": the count and its measure word are not part of the name
        m = re.search(
            r"(?<![\u4e00-\u9fa5\d])(?:\d+个)?([\u4e00-\u9fa5“”（）]{2,})$", clause
        ) or re.search(r"(?<=\d个)([\u4e00-\u9fa5“”（）]{2,})$", clause)
    if not m:
        return ""
    name = m.group(1)
    last = None
    for v in CUT_VERBS.finditer(name):
        last = v
    if last is not None and last.end() < len(name):
        name = name[last.end() :]
    found, length = scope_word(name, ())
    if found is not None and length < len(name):
        name = name[length:]
    return name
