"""Numbers, units, percentages, change words and periods in repaired text.

All patterns run on repaired paragraph text (spaces inside numbers removed,
``1—6 月`` normalised to ``1-6月``); they are compiled once at import.
"""

from __future__ import annotations

import re
from decimal import Decimal

from yusuan.model import Stage, Unit

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
UNITS = {"亿元": Unit.YI, "万元": Unit.WAN, "元": Unit.YUAN}

# A money amount: "131.5亿元", "-9,571万元", "1,507.69万元".
AMOUNT_RE = re.compile(rf"(?<![\d.,])(?P<neg>[-－])?(?P<num>{NUM})(?P<unit>亿元|万元|元)(?![/／])")
# A change phrase: "比上年同期增收12.59亿元", "同比下降5.18%", "减少3.80万元".
CHANGE_RE = re.compile(
    r"(?P<cmp>比上年同期|较上年同期|比去年同期|比上年预算|较上年预算|比上年决算|比上年|较上年|同比|环比"
    r"|[比较]\s*(?P<cyear>\d{4})\s*年(?:同期)?)?"
    r"(?P<word>增收|减收|增支|减支|增加|减少|增长|下降|提高|降低)了?"
    rf"(?P<num>{NUM})(?P<unit>亿元|万元|元|%|个百分点)"
)
NEGATIVE_WORDS = frozenset({"减收", "减支", "减少", "下降", "降低"})
# Ratio to budget: "为预算的44.76%", "为调整预算的90.2%", "完成年度预算的108.3%",
# "支出进度达到63.2%", "执行率99.98%".
PCT_BUDGET_RE = re.compile(
    r"(?:(?:为|完成|达)(?P<base>调整后?|年度|年初)?预算(?:数)?的"
    r"|(?:支出|执行|支付)?(?:进度|执行率|支付率)(?:达到|为|达)?)"
    rf"(?P<num>{NUM})%"
)
# Share: "占一般公共预算收入的41.07%", "占比86%", "占一般公共预算支出比例为27%", "占92.13%".
SHARE_RE = re.compile(
    r"占(?:比|(?P<of>[^，。；,;%\d]{0,20}?)(?:的比重|的比例|比重|比例)?)(?:的|为|达到|是)?"
    rf"(?P<num>{NUM})%"
)

_MONTH_RANGE_RE = re.compile(r"(?P<a>\d{1,2})-(?P<b>\d{1,2})月")
_UPTO_MONTH_RE = re.compile(r"(?:截至|截止|截至到)?(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?:底|末)")
_FIRST_MONTHS_RE = re.compile(r"前(?P<m>\d{1,2})个月")
_DATE_RE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
YEAR_RE = re.compile(r"(?<!\d)(?P<y>20\d{2})年")
_HALVES = {
    "上半年": (1, 6),
    "一季度": (1, 3),
    "第一季度": (1, 3),
    "前三季度": (1, 9),
    "全年": (1, 12),
}


def pct_base(match: re.Match[str]) -> Stage | None:
    """The budget a ``PCT_BUDGET_RE`` match is measured against: "为调整预算的" -> ADJUSTED,
    "为预算的"/"为年初预算的"/"完成年度预算的" -> BUDGET; a bare rate ("执行率") -> None."""
    base = match.group("base")
    if base is not None and base.startswith("调整"):
        return Stage.ADJUSTED
    if "预算" in match.group(0):
        return Stage.BUDGET
    return None


def decimal_of(text: str) -> Decimal:
    """``"1,507.69"`` -> ``Decimal("1507.69")``."""
    return Decimal(text.replace(",", ""))


def unit_of(text: str) -> Unit:
    return UNITS[text]


def month_span(text: str) -> tuple[int, int] | None:
    """The month range a phrase names: 1-6月, 上半年, 前6个月, 截至6月底."""
    m = _MONTH_RANGE_RE.search(text)
    if m and 1 <= int(m.group("a")) <= int(m.group("b")) <= 12:
        return int(m.group("a")), int(m.group("b"))
    m = _FIRST_MONTHS_RE.search(text)
    if m and 1 <= int(m.group("m")) <= 12:
        return 1, int(m.group("m"))
    for word, span in _HALVES.items():
        if word in text:
            return span
    m = _UPTO_MONTH_RE.search(text)
    if m and 1 <= int(m.group("m")) <= 12:
        return 1, int(m.group("m"))
    return None


def explicit_date(text: str) -> tuple[int, int, int] | None:
    m = _DATE_RE.search(text)
    if m:
        return int(m.group("y")), int(m.group("m")), int(m.group("d"))
    return None


def signed(word: str, value: Decimal) -> Decimal:
    return -value if word in NEGATIVE_WORDS else value
