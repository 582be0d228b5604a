"""The document's context: its government, fiscal year, kind and date."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from yusuan.extract.numbers import YEAR_RE, explicit_date, month_span
from yusuan.model import DocKind, Document, Government

try:  # provided by the refdata helper; optional until it lands
    from yusuan.refdata import regions as _regions
except ImportError:  # pragma: no cover - depends on the tree's state
    _regions = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class DocContext:
    government: Government | None
    government_name: str | None  # as printed, e.g. "昌吉回族自治州"
    year: int | None  # the fiscal year the document is mainly about
    kind: DocKind
    date: date | None
    title: str
    department: str | None = None  # "财政局" for a department budget
    months: tuple[int, int] | None = None  # month range the title names (上半年 = 1..6)


_SPACE_RE = re.compile(r"[\s\u3000]+")
_TITLE_WORDS = ("报告", "预算", "决算", "公开")
# Full names by the generic word a title uses for its own government.
_NAME_BY_GENERIC = {
    "自治区": re.compile(r"(?:[\u4e00-\u9fa5]{2}(?:维吾尔|回族|壮族)|西藏|内蒙古)自治区"),
    "自治州": re.compile(r"[\u4e00-\u9fa5]{2,4}自治州"),
    "州": re.compile(r"[\u4e00-\u9fa5]{2,4}?州"),
    "市": re.compile(r"[\u4e00-\u9fa5]{2,3}?市"),
    "县": re.compile(r"[\u4e00-\u9fa5]{2,3}?县"),
}
_ANY_NAME_RE = re.compile(
    r"[\u4e00-\u9fa5]{2,4}?(?:维吾尔自治区|回族自治区|壮族自治区|回族自治州|蒙古自治州|自治州|市|县)"
)
_LEAD_NOISE = "关于在于对向和及与的了是由为从年月日全本级"
_GENERIC = frozenset({"自治区", "自治州", "全市", "本市", "市本级", "全县", "全州", "全区", "城市"})
_DEPARTMENT_RE = re.compile(
    r"(?P<gov>[\u4e00-\u9fa5]{2,8}?(?:自治州|自治区|市|县|州))"
    r"(?P<dept>[\u4e00-\u9fa5]{2,12}?(?:局|委员会|厅|办公室|委|院|中心))部门(?:预算|概况|决算)"
)
_NOT_A_NAME = frozenset("年月日全本上下半报告预算情况承担负责")


def _clean(text: str) -> str:
    return _SPACE_RE.sub("", text)


def _title(document: Document) -> str:
    lines = [_clean(ln.text) for ln in document.lines[:80] if ln.text.strip()]
    for i, text in enumerate(lines[:20]):
        if any(w in text for w in _TITLE_WORDS) and len(text) < 60 and "目录" not in text:
            if "报告" not in text and i + 1 < len(lines) and lines[i + 1].endswith("报告"):
                return text + lines[i + 1]
            return text
    return lines[0] if lines else ""


def _strip_noise(name: str) -> str:
    while len(name) > 3 and name[0] in _LEAD_NOISE:
        name = name[1:]
    return name


def _government_name(title: str, text: str) -> str | None:
    m = _ANY_NAME_RE.search(title)
    if m:
        name = _strip_noise(m.group(0))
        if name not in _GENERIC and not _NOT_A_NAME.intersection(name):
            return name
    generic = next((g for g in ("自治区", "自治州", "州", "市", "县") if g in title), None)
    if generic is None:
        return None
    counts: Counter[str] = Counter()
    for m in _NAME_BY_GENERIC[generic].finditer(text[:60000]):
        name = _strip_noise(m.group(0))
        if name in _GENERIC or _NOT_A_NAME.intersection(name):
            continue
        counts[name] += 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _kind(title: str) -> DocKind:
    if "部门预算" in title or "部门决算" in title:
        return DocKind.DEPARTMENT_BUDGET
    if "决算" in title:
        return DocKind.FINAL_REPORT
    if "执行情况" in title:
        return DocKind.EXECUTION_REPORT
    if "预算" in title:
        return DocKind.BUDGET_REPORT
    return DocKind.OTHER


def resolve_government(name: str | None) -> Government | None:
    """A printed name resolved by ``yusuan.refdata.regions`` when available."""
    if not name or _regions is None:
        return None
    for attr in ("resolve", "resolve_government", "lookup"):
        fn = getattr(_regions, attr, None)
        if callable(fn):
            try:
                found = fn(name)
            except Exception:  # a resolver failure must not stop extraction
                return None
            return found if isinstance(found, Government) else None
    return None


def detect_context(document: Document) -> DocContext:
    title = _title(document)
    head = _clean(document.text[:4000])
    name = _government_name(title, _clean(document.text))
    department = None
    m = _DEPARTMENT_RE.search(title) or _DEPARTMENT_RE.search(head[:600])
    if m:
        name = _strip_noise(m.group("gov"))
        department = m.group("dept")
        title = f"{name}{department}部门预算"
        if not YEAR_RE.search(title):
            found = YEAR_RE.search(head[:600])
            title = (found.group(0) if found else "") + title
    years = [int(y.group("y")) for y in YEAR_RE.finditer(title)]
    kind = _kind(title)
    year = years[0] if years else None
    if year is None:
        found = YEAR_RE.search(head)
        year = int(found.group("y")) if found else None
    day = explicit_date(head[:600])
    when = None
    if day is not None:
        try:
            when = date(*day)
        except ValueError:
            when = None
    months = month_span(title)
    return DocContext(
        government=resolve_government(name),
        government_name=name,
        year=year,
        kind=kind,
        date=when,
        title=title,
        department=department,
        months=months,
    )
