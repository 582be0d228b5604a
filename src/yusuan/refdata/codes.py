"""The official classification (政府收支分类科目), by budget year.

The code lists live in ``data/codes-<year>.csv`` (one row per code: code, name,
kind, year, parent, source) with the seed misprints that were resolved while
building them in ``data/codes-<year>-conflicts.csv``.  ``scripts/build_codes.py``
made both from the seed documents; ``data/SOURCES.md`` says how.

Codes are strings of digits: revenue ``1xx`` (类 3 digits, 款 5, 项 7, 目 9),
functional expenditure ``2xx`` (类 3, 款 5, 项 7), government economic
classification ``5xx`` and department economic classification ``3xx`` (类 3,
款 5).  A department budget prints codes split into groups ("201 06 01");
:func:`normalize_code` joins them.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType

from yusuan.model import Code

KINDS = ("revenue", "function", "gov_economic", "dept_economic")

# The leading digit of a code decides its classification.
_KIND_BY_DIGIT = {"1": "revenue", "2": "function", "3": "dept_economic", "5": "gov_economic"}

_DEPTH_BY_LENGTH = {3: 1, 5: 2, 7: 3, 9: 4}

_CODE_FILE = re.compile(r"^codes-(\d{4})\.csv$")

# "201 06 01", "201 06", "201" (groups of 3 then 2 digits), or the joined form.
_GROUPED = re.compile(r"^[1-9]\d{2}(?:\s+\d{2}){0,3}$")
_JOINED = re.compile(r"^[1-9]\d{2}(?:\d{2}){0,3}$")

# List markers that tables print before a name: "一、", "（二）", "1.", "其中：".
_PREFIX = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|其中[：:])"
)
_SPACE = re.compile(r"\s+")


def normalize_code(text: str | None) -> str | None:
    """The code as one string of digits, or ``None`` when ``text`` is no code.

    >>> normalize_code("201 06 01")
    '2010601'
    >>> normalize_code(" 50101 ")
    '50101'
    """
    if text is None:
        return None
    text = text.strip()
    if _JOINED.match(text):
        return text
    if _GROUPED.match(text):
        return _SPACE.sub("", text)
    return None


def code_depth(code: str) -> int:
    """1 for 类, 2 for 款, 3 for 项, 4 for 目; 0 when ``code`` has no code's length."""
    normal = normalize_code(code)
    return _DEPTH_BY_LENGTH.get(len(normal), 0) if normal else 0


def parent_code(code: str) -> str | None:
    """The code one level up (``"2010601"`` -> ``"20106"``); ``None`` for a 类."""
    normal = normalize_code(code)
    if normal is None or len(normal) <= 3:
        return None
    return normal[:-2]


def kind_of_code(code: str) -> str | None:
    """The classification a code belongs to, from its leading digit."""
    normal = normalize_code(code)
    return _KIND_BY_DIGIT.get(normal[0]) if normal else None


def clean_name(text: str) -> str:
    """A name as the code list spells it: no spaces, no list marker, full-width brackets.

    >>> clean_name("二十五、地方政府一般债务还本支 出")
    '地方政府一般债务还本支出'
    >>> clean_name("其中：基本养老金")
    '基本养老金'
    >>> clean_name("机关资本性支出(一)")
    '机关资本性支出（一）'
    """
    name = _SPACE.sub("", text)
    while True:
        stripped = _PREFIX.sub("", name, count=1)
        if stripped == name:
            break
        name = stripped
    return name.replace("(", "（").replace(")", "）")


@dataclass(frozen=True, slots=True)
class Conflict:
    """A seed row whose code or name disagrees with the code list.

    ``kind`` is ``"name"`` (the code was printed with another name), ``"code"``
    (the name was printed with a wrong code; ``official_code`` is the right one)
    or ``"row"`` (a row printed another row's code and name).
    """

    code: str  # as printed (normalised)
    printed: str  # name as printed (cleaned)
    official: str  # the name the code list keeps
    official_code: str  # the code the row should carry
    kind: str
    where: str  # seed file, table and line
    note: str = ""


@dataclass(frozen=True, eq=False)
class CodeList:
    """One year's code list.  Immutable; get one from :func:`load_codes`.

    ``year`` is the year of the list; ``requested`` the year asked for.  When no
    list exists for the requested year the nearest one is given and
    ``fallback`` is true.
    """

    year: int
    codes: MappingProxyType[str, Code]
    conflicts: tuple[Conflict, ...] = ()
    requested: int = 0
    _children: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )
    _by_name: MappingProxyType[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False
    )

    @property
    def fallback(self) -> bool:
        return self.requested != self.year

    @property
    def years(self) -> tuple[int, ...]:
        """The years for which a code list ships."""
        return available_years()

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def get(self, code: str) -> Code | None:
        """The entry for ``code`` (joined or printed in groups), or ``None``."""
        normal = normalize_code(code)
        return self.codes.get(normal) if normal else None

    def name(self, code: str) -> str | None:
        entry = self.get(code)
        return entry.name if entry else None

    def kind_of(self, code: str) -> str | None:
        """ "revenue", "function", "gov_economic" or "dept_economic" (from the leading digit)."""
        entry = self.get(code)
        return entry.kind if entry else kind_of_code(code)

    def parent(self, code: str) -> Code | None:
        """The entry one level up, or ``None`` (a 类, or a parent the list lacks)."""
        up = parent_code(code)
        return self.codes.get(up) if up else None

    def children(self, code: str) -> tuple[Code, ...]:
        """The entries one level down, in code order."""
        normal = normalize_code(code)
        if normal is None:
            return ()
        return tuple(self.codes[c] for c in self._children.get(normal, ()))

    def of_kind(self, kind: str) -> tuple[Code, ...]:
        return tuple(c for c in self.codes.values() if c.kind == kind)

    def by_name(self, name: str, kind: str | None = None) -> tuple[Code, ...]:
        """Entries whose name equals ``name`` (cleaned), optionally of one kind."""
        found = (self.codes[c] for c in self._by_name.get(clean_name(name), ()))
        return tuple(c for c in found if kind is None or c.kind == kind)

    def conflict(self, code: str) -> tuple[Conflict, ...]:
        """The recorded seed conflicts about ``code`` (as printed or as corrected)."""
        normal = normalize_code(code)
        return tuple(c for c in self.conflicts if normal in (c.code, c.official_code))


def _data_dir() -> resources.abc.Traversable:
    return resources.files("yusuan.refdata") / "data"


@lru_cache(maxsize=1)
def available_years() -> tuple[int, ...]:
    """Years with a code list, ascending."""
    years = []
    for entry in _data_dir().iterdir():
        m = _CODE_FILE.match(entry.name)
        if m:
            years.append(int(m.group(1)))
    return tuple(sorted(years))


def nearest_year(year: int) -> int:
    """The shipped year closest to ``year`` (the later one on a tie)."""
    years = available_years()
    if not years:
        raise FileNotFoundError("no code list (codes-<year>.csv) in yusuan/refdata/data")
    return min(years, key=lambda y: (abs(y - year), -y))


@cache
def _read_year(year: int) -> CodeList:
    base = _data_dir()
    codes: dict[str, Code] = {}
    with (base / f"codes-{year}.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            codes[row["code"]] = Code(
                code=row["code"],
                name=row["name"],
                kind=row["kind"],
                year=int(row["year"]),
                parent=row["parent"] or None,
                source=row["source"],
            )
    conflicts: list[Conflict] = []
    conflict_file = base / f"codes-{year}-conflicts.csv"
    if conflict_file.is_file():
        with conflict_file.open(encoding="utf-8", newline="") as fh:
            conflicts = [Conflict(**row) for row in csv.DictReader(fh)]
    children: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for code in sorted(codes):
        entry = codes[code]
        if entry.parent:
            children.setdefault(entry.parent, []).append(code)
        by_name.setdefault(entry.name, []).append(code)
    return CodeList(
        year=year,
        codes=MappingProxyType(codes),
        conflicts=tuple(conflicts),
        requested=year,
        _children=MappingProxyType({k: tuple(v) for k, v in children.items()}),
        _by_name=MappingProxyType({k: tuple(v) for k, v in by_name.items()}),
    )


@cache
def load_codes(year: int) -> CodeList:
    """The code list of budget year ``year``, or of the nearest year that ships
    (then ``fallback`` is true and ``requested`` is ``year``).  Loaded once."""
    actual = nearest_year(year)
    base = _read_year(actual)
    if actual == year:
        return base
    return CodeList(
        year=base.year,
        codes=base.codes,
        conflicts=base.conflicts,
        requested=year,
        _children=base._children,
        _by_name=base._by_name,
    )
