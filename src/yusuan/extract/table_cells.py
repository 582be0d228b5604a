"""Shapes of table tokens: classification codes, amounts, percentages, names.

Every function here looks at one printed token and says what it is; none
of them knows about tables.  Space-separated rows (PDF text without cell
delimiters) are split here into code, name and value tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# A classification code as printed: "2010601", or split "201 06 01" / "301 01".
CODE_RE = re.compile(r"^(?:[1-9]\d{2}(?:\d{2}){0,3})$")
_CODE_PART_RE = re.compile(r"^\d{2}$")
_CODE_HEAD_RE = re.compile(r"^[1-9]\d{2}$")
# Thousands separators are accepted where they stand, even out of place
# ("1,1985.54" is a misprint of an amount, not a word): the value is read,
# and :func:`is_misgrouped` lets the caller say so.
_AMOUNT_RE = re.compile(r"^[-−]?\d+(?:,\d+)*(?:\.\d+)?$")
_DECIMAL_AMOUNT_RE = re.compile(r"^[-−]?\d+(?:,\d+)*\.\d+$|^[-−]?\d+(?:,\d+)+$")
_GROUPED_RE = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?$")
_PERCENT_RE = re.compile(r"^([-−]?\d+(?:\.\d+)?)\s*[%％]$")
# List prefixes of row names: 一、 （一） 1. 1、 (1) 其中：
_PREFIX_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]\s*|\d+\s*[.．、](?!\d)\s*)"
)
_AMONG_RE = re.compile(r"^其中\s*[:：]\s*")
_WS_RE = re.compile(r"\s+")
_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")


@lru_cache(maxsize=16384)
def squash(text: str) -> str:
    """``text`` without any whitespace (PDF text breaks words with spaces)."""
    return _WS_RE.sub("", text)


def is_code(token: str) -> bool:
    """A whole classification code token: 3, 5, 7 or 9 digits starting 1-9."""
    return bool(CODE_RE.match(token))


def is_amount(token: str) -> bool:
    return bool(_AMOUNT_RE.match(token))


def is_decimal_amount(token: str) -> bool:
    """An amount printed with decimals or thousands separators ("2,400.54")."""
    return bool(_DECIMAL_AMOUNT_RE.match(token))


def is_misgrouped(token: str) -> bool:
    """An amount whose thousands separators are out of place ("1,1985.54")."""
    t = token.strip()
    return "," in t and bool(_AMOUNT_RE.match(t)) and not _GROUPED_RE.match(t)


def is_percent(token: str) -> bool:
    return bool(_PERCENT_RE.match(token.strip()))


@lru_cache(maxsize=16384)
def parse_number(text: str) -> Decimal | None:
    """The value of a printed amount or percentage; ``None`` when not a number.

    ``"2,400.54"`` -> 2400.54, ``"-9.07%"`` -> -9.07 (percent points),
    ``""`` -> None.  The printed precision is kept (``"6.00"`` -> 6.00).
    """
    t = squash(text).replace("−", "-").replace("％", "%")
    if not t:
        return None
    if t.endswith("%"):
        t = t[:-1]
    t = t.replace(",", "")
    if not _NUMBER_RE.match(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the regex guards it
        return None


def normalize_code(printed: str) -> str | None:
    """``"201 06 01"`` -> ``"2010601"``; ``None`` when ``printed`` is no code."""
    parts = printed.split()
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0] if is_code(parts[0]) else None
    if _CODE_HEAD_RE.match(parts[0]) and all(_CODE_PART_RE.match(p) for p in parts[1:]):
        return "".join(parts)
    return None


def strip_prefix(name: str) -> str:
    """A row name without its list prefix: ``"一、税收收入"`` -> ``"税收收入"``,
    ``"其中：（1）公务用车运行维护费"`` -> ``"公务用车运行维护费"``."""
    out = _PREFIX_RE.sub("", _AMONG_RE.sub("", name.strip(), count=1), count=1).strip()
    return out or name


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str, offset: int) -> list[Token]:
    """Whitespace-separated tokens of ``text`` with document offsets."""
    return [
        Token(m.group(), offset + m.start(), offset + m.end()) for m in re.finditer(r"\S+", text)
    ]


@dataclass(frozen=True, slots=True)
class Segment:
    """One side of a space-separated row: code tokens, name tokens, amount tokens."""

    code: list[Token]
    name: list[Token]
    values: list[Token]

    @property
    def code_printed(self) -> str | None:
        return " ".join(t.text for t in self.code) or None

    @property
    def name_text(self) -> str:
        return join_name([t.text for t in self.name])


def join_name(parts: list[str]) -> str:
    """Join name fragments: no space between CJK characters, one between Latin words."""
    out = ""
    for p in parts:
        if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z]", p[0]):
            out += " "
        out += p
    return out


def split_segments(toks: list[Token], decimals: bool) -> list[Segment]:
    """Split a space-separated row into segments ``code? name* amount*``.

    A new segment starts at a code after a name or amount, or at a name
    after amounts.  With ``decimals`` (the table prints amounts with
    decimals) a bare integer inside a name ("2023 年…", "17100690") is part
    of the name.
    """

    def amount(i: int) -> bool:
        t = toks[i].text
        if decimals:
            return is_decimal_amount(t)
        return is_amount(t) and not code_run(toks, i)

    segs: list[Segment] = []
    code: list[Token] = []
    name: list[Token] = []
    vals: list[Token] = []
    i = 0
    while i < len(toks):
        n_code = code_run(toks, i)
        if n_code:
            if code or name or vals:
                segs.append(Segment(code, name, vals))
            code, name, vals = list(toks[i : i + n_code]), [], []
            i += n_code
            continue
        if amount(i):
            vals.append(toks[i])
        else:
            if vals:
                segs.append(Segment(code, name, vals))
                code, name, vals = [], [], []
            name.append(toks[i])
        i += 1
    if code or name or vals:
        segs.append(Segment(code, name, vals))
    return segs


def code_run(toks: list[Token], i: int) -> int:
    """Number of tokens from ``i`` forming a printed code ("201", "201 06 01")."""
    t = toks[i].text
    if not is_code(t):
        return 0
    if len(t) != 3:
        # a 5/7-digit code must be followed by a name, not be the last amount
        nxt = toks[i + 1].text if i + 1 < len(toks) else ""
        return 1 if nxt and not is_amount(nxt) else 0
    n = 1
    while n < 3 and i + n < len(toks) and _CODE_PART_RE.match(toks[i + n].text):
        # "06" is a code part only when followed by a name or another part
        n += 1
    nxt = toks[i + n].text if i + n < len(toks) else ""
    if n == 1 and (not nxt or is_amount(nxt)):
        return 0 if nxt else 1
    return n
