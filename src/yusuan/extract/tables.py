"""Tables: numbered disclosure tables into columns, rows and cell facts.

A table starts at its number line ("表 1"), followed by its title and its
unit line ("单位：万元", possibly after "编制部门：…"); its body runs until
the next table or the first line of prose, with the 备注 lines after it.
Rows are read from tab-separated lines (every reader renders table rows
that way) or, for PDF text without delimiters, from space-separated lines
split by the shapes of their tokens.  Tab-separated lines outside
numbered tables are unnumbered tables (allocation lists, forms), titled by
the short line above them.

Every line of a table is claimed, so that narrative extraction never reads
a table row as prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from yusuan.extract.context import DocContext
from yusuan.extract.table_cells import (
    is_misgrouped,
    parse_number,
    squash,
    strip_prefix,
)
from yusuan.extract.table_columns import (
    book_of,
    year_of,
)
from yusuan.extract.table_facts import table_facts
from yusuan.extract.table_forms import FORM_END_RE, form_facts, is_form_title, parse_form
from yusuan.extract.table_space import parse_space_table
from yusuan.extract.table_tab import parse_tab_table
from yusuan.model import (
    ColumnKind,
    Document,
    Fact,
    Line,
    Problem,
    Row,
    Scope,
    Table,
)

NUMBER_RE = re.compile(r"^\s*表\s*(\d+)\s*$")
NUMBER_TITLE_RE = re.compile(r"^\s*表\s*(\d+)\s+(\S.*表(?:[（(][^）)]*[）)])?)\s*$")
UNIT_RE = re.compile(r"单位\s*[:：]\s*(万元|亿元|元)")
NOTE_RE = re.compile(r"^\s*(?:备注|注|说明)\s*[:：]")
EMPTY_RE = re.compile(r"此表为空|为空表|表为空|本表为空")
SECTION_RE = re.compile(r"^\s*第[一二三四五六七八九十]+部分")
TITLE_RE = re.compile(r"表(?:[（(][^）)]{1,20}[）)])?\s*$")
_GOV_RE = re.compile(
    r"([\u4e00-\u9fa5]{2,12}?(?:维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|盟|省|市|县|旗|区))"
)
_RULER_RE = re.compile(r"^[-—_=\s]*$")


@dataclass
class _Block:
    """The lines of one table before parsing."""

    number: str | None
    title: str
    unit: str | None
    first: int  # index into document.lines of the first claimed line
    body: list[Line] = field(default_factory=list)
    notes: list[Line] = field(default_factory=list)
    last: int = 0  # index of the last claimed line
    unit_line: str = ""


def extract_tables(
    document: Document, context: DocContext | None
) -> tuple[list[Table], list[Fact], set[int]]:
    """Tables, one fact per amount cell, and the line numbers the tables claim."""
    lines = document.lines
    doc_year, doc_gov = _document_context(document, context)
    blocks = _numbered_blocks(lines)
    taken = set()
    for b in blocks:
        taken.update(range(b.first, b.last + 1))
    forms = _form_spans(lines, taken)
    for first, last in forms:
        taken.update(range(first, last + 1))
    blocks += _unnumbered_blocks(lines, taken)
    blocks.sort(key=lambda b: b.first)

    parsed: list[tuple[int, Table, str, str | None, int | None, bool]] = []
    for b in blocks:
        gov = _government(b, doc_gov)
        year = year_of(b.title) or doc_year
        table = _parse_block(b, lines, year, gov)
        if b.number is None and table.unit is None:
            table = _infer_unit(table, lines, b.first, taken)
        parsed.append((b.first, table, "", gov, year, False))
    for first, last in forms:
        title = lines[first].text.strip()
        table, subject = parse_form(list(lines[first : last + 1]), title, doc_year, doc_gov)
        parsed.append((first, table, subject, doc_gov, doc_year, True))
    parsed.sort(key=lambda p: p[0])

    tables: list[Table] = []
    facts: list[Fact] = []
    claimed: set[int] = set()
    labels = _labels([(t, subject) for _, t, subject, *_ in parsed])
    for (_, table, subject, gov, year, form), label in zip(parsed, labels, strict=True):
        tables.append(table)
        if form:
            facts.extend(form_facts(document, table, subject, gov, label))
        else:
            facts.extend(table_facts(document, table, gov, year, label))
        claimed.update(range(table.line_start, table.line_end + 1))
    return tables, facts, claimed


def _labels(tables: list[tuple[Table, str]]) -> list[str]:
    """A stable label per table for its facts: the number ("表3"), else the
    title (with the project of a form), made unique by its first line."""
    raw = []
    for t, subject in tables:
        if t.number:
            raw.append(t.number)
        elif subject:
            raw.append(f"{squash(t.title)}（{subject}）")
        else:
            raw.append(squash(t.title) or f"L{t.line_start}")
    out = []
    for label, (t, _) in zip(raw, tables, strict=True):
        out.append(label if raw.count(label) == 1 or t.number else f"{label}@L{t.line_start}")
    return out


def _infer_unit(table: Table, lines: tuple[Line, ...], first: int, taken: set[int]) -> Table:
    """The unit of a list that prints none: when the sum of its amount column
    equals a figure the text just before it states with a unit
    ("…补助资金3460万元"), the list is in that unit."""
    amount_cols = [i for i, c in enumerate(table.value_columns) if c.kind is ColumnKind.AMOUNT]
    if len(amount_cols) != 1 or not table.rows:
        return table
    vi = amount_cols[0]
    values = [r.cells[vi].value for r in table.rows if not r.total]
    if any(v is None for v in values):
        return table
    total = sum(values, Decimal(0))  # type: ignore[arg-type]
    k, seen = first - 1, 0
    while k >= 0 and seen < 12 and k not in taken:
        text = lines[k].text
        if text.strip():
            seen += 1
            for m in _STATED_RE.finditer(text):
                value = parse_number(m.group(1))
                if value is not None and value == total:
                    a = max(0, m.start() - 12)
                    quote = text[a : m.end()].strip()
                    note = (
                        f"单位未印出：{table.value_columns[vi].name}合计 {total} 等于第"
                        f"{lines[k].number}行所述“…{quote}”，按{m.group(2)}计"
                    )
                    return replace(table, unit=m.group(2), notes=(*table.notes, note))
        k -= 1
    return table


_STATED_RE = re.compile(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(亿元|万元|元)")


def _form_spans(lines: tuple[Line, ...], taken: set[int]) -> list[tuple[int, int]]:
    """Line ranges of performance target forms: from the form's title to the
    end of its tab rows, or (printed without delimiters) to the next form,
    table or heading."""
    starts = [
        i
        for i, ln in enumerate(lines)
        if i not in taken and "绩效目标" in ln.text and (t := _plain(ln)) and is_form_title(t)
    ]
    spans = []
    for k, i in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        last, tab_seen, j = i, False, i + 1
        while j < stop and j not in taken:
            ln = lines[j]
            text = ln.text.strip()
            if text:
                if ln.cells is not None:
                    tab_seen = True
                elif tab_seen or FORM_END_RE.match(text):
                    break
                last = j
            j += 1
        if last > i and _looks_like_form(lines, i + 1, last):
            spans.append((i, last))
    return spans


_FORM_FIELDS = ("项目名称", "预算单位", "部门名称", "单位名称", "一级指标")


def _looks_like_form(lines: tuple[Line, ...], first: int, last: int) -> bool:
    """A form names its fields within its first lines (a title alone, as in a
    list of attachments "3、直达资金绩效目标表", is no form)."""
    seen = 0
    for ln in lines[first : last + 1]:
        if not ln.text.strip():
            continue
        if ln.cells is not None or any(f in squash(ln.text) for f in _FORM_FIELDS):
            return True
        seen += 1
        if seen >= 6:
            return False
    return False


# --------------------------------------------------------------------------
# Finding tables


def _document_context(
    document: Document, context: DocContext | None
) -> tuple[int | None, str | None]:
    year = context.year if context else None
    gov = context.government_name if context else None
    if year is None or gov is None:
        for ln in document.lines[:8]:
            t = ln.text.strip()
            if not t:
                continue
            if year is None:
                year = year_of(t) or _year_plain(t)
            if gov is None:
                m = _GOV_RE.search(re.sub(r"\d{4}\s*年(?:度)?", "", t))
                gov = m.group(1) if m else None
            if year is not None and gov is not None:
                break
    return year, gov


def _year_plain(text: str) -> int | None:
    m = re.search(r"(20\d{2})", text)
    return int(m.group(1)) if m else None


def _government(b: _Block, doc_gov: str | None) -> str | None:
    """The government a table is about: the title names it, else the document."""
    for text in (b.title, b.unit_line):
        t = re.sub(r"^\s*(?:20\d{2}\s*年(?:度)?)", "", text)
        t = re.sub(r"编制(?:部门|单位)\s*[:：]", "", t)
        m = _GOV_RE.match(t.strip())
        if m:
            name = m.group(1)
            if doc_gov is None or doc_gov.startswith(name) or name.startswith(doc_gov):
                return doc_gov if doc_gov and doc_gov.startswith(name) else name
            # a name unlike the document's ("城乡社区" of "城乡社区支出表") is
            # no government; a table of another government names it in its rows
    return doc_gov


def _plain(line: Line) -> str | None:
    """The text of a line that is not a table row: a plain line, or a row
    with a single filled cell (a spreadsheet's title or unit row)."""
    if line.cells is None:
        return line.text.strip()
    filled = [c.text.strip() for c in line.cells if c.text.strip()]
    return filled[0] if len(filled) == 1 else None


def _next_nonblank(lines: tuple[Line, ...], i: int, stop: int) -> int | None:
    while i < stop:
        if lines[i].text.strip():
            return i
        i += 1
    return None


def _numbered_blocks(lines: tuple[Line, ...]) -> list[_Block]:
    markers: list[tuple[int, str, str | None]] = []
    for i, ln in enumerate(lines):
        if "表" not in ln.text:
            continue
        text = _plain(ln)
        if text is None:
            continue
        m = NUMBER_RE.match(text)
        if m:
            markers.append((i, f"表{m.group(1)}", None))
            continue
        m = NUMBER_TITLE_RE.match(text)
        if m:
            markers.append((i, f"表{m.group(1)}", m.group(2).strip()))
    blocks: list[_Block] = []
    for k, (i, number, title) in enumerate(markers):
        stop = markers[k + 1][0] if k + 1 < len(markers) else len(lines)
        j = i + 1
        if title is None:
            t = _next_nonblank(lines, j, stop)
            title = _plain(lines[t]) if t is not None else None
            if t is None or not title:
                continue
            j = t + 1
        b = _Block(number, title, None, i, last=j - 1)
        _read_unit_and_body(b, lines, j, stop)
        blocks.append(b)
    return blocks


def _read_unit_and_body(b: _Block, lines: tuple[Line, ...], j: int, stop: int) -> None:
    u = _next_nonblank(lines, j, stop)
    text = _plain(lines[u]) if u is not None else None
    if u is not None and text is not None:
        m = UNIT_RE.search(text)
        if m:
            b.unit, b.unit_line, j = m.group(1), text, u + 1
            b.last = u
    tab = any(ln.cells is not None for ln in lines[j : min(stop, j + 12)] if ln.text.strip())
    if tab:
        _tab_body(b, lines, j, stop)
    else:
        _space_body(b, lines, j, stop)


def _tab_body(b: _Block, lines: tuple[Line, ...], j: int, stop: int) -> None:
    in_notes = False
    for i in range(j, stop):
        ln = lines[i]
        if not ln.text.strip():
            continue
        if ln.cells is not None and not in_notes:
            b.body.append(ln)
            b.last = i
        elif NOTE_RE.match(ln.text) or EMPTY_RE.search(ln.text):
            b.notes.append(ln)
            b.last = i
            in_notes = True
        else:
            break


def _space_body(b: _Block, lines: tuple[Line, ...], j: int, stop: int) -> None:
    in_notes = False
    for i in range(j, stop):
        ln = lines[i]
        text = ln.text.strip()
        if not text:
            continue
        if SECTION_RE.match(text):
            break
        if in_notes or NOTE_RE.match(text) or EMPTY_RE.search(_with_next(lines, i, stop)):
            b.notes.append(ln)
            b.last = i
            in_notes = True
            continue
        if "。" in text and len(text) > 20:
            break
        b.body.append(ln)
        b.last = i
    # a stated-empty note may wrap onto the next line
    if b.notes:
        joined = "".join(n.text.strip() for n in b.notes)
        if not EMPTY_RE.search(joined):
            b.notes.clear()


def _with_next(lines: tuple[Line, ...], i: int, stop: int) -> str:
    """Line ``i`` joined with the next non-blank line (a note may wrap)."""
    k = _next_nonblank(lines, i + 1, stop)
    nxt = lines[k].text if k is not None and lines[k].cells is None else ""
    return squash(lines[i].text + nxt)


def _unnumbered_blocks(lines: tuple[Line, ...], taken: set[int]) -> list[_Block]:
    """Runs of tab-separated lines outside numbered tables.

    Tab-separated lines are table rows in every format, never prose, so each
    run is a table; its title is the short line before it (a line ending in
    表 preferred), with an optional unit line and caption ("(2024年度)")
    between them.
    """
    blocks: list[_Block] = []
    n = len(lines)
    i = 0
    while i < n:
        if i in taken or lines[i].cells is None:
            i += 1
            continue
        end = i
        while (
            end < n
            and end not in taken
            and (lines[end].cells is not None or not lines[end].text.strip())
        ):
            end += 1
        b = _titled_block(lines, i, taken)
        stop = end + 1 if end < n and end not in taken and NOTE_RE.match(lines[end].text) else end
        _tab_body(b, lines, i, stop)
        blocks.append(b)
        i = max(b.last + 1, i + 1)
    return blocks


def _titled_block(lines: tuple[Line, ...], first_row: int, taken: set[int]) -> _Block:
    """A block for the tab rows at ``first_row`` with the title and unit above them."""
    unit, unit_line, title_at = None, "", None
    k, seen = first_row - 1, 0
    while k >= 0 and seen < 3 and k not in taken and lines[k].cells is None:
        text = lines[k].text.strip()
        if text:
            seen += 1
            if UNIT_RE.search(text) and unit is None and title_at is None:
                unit, unit_line = UNIT_RE.search(text).group(1), text  # type: ignore[union-attr]
            elif TITLE_RE.search(text) and len(text) <= 60 and "。" not in text:
                title_at = k
                break
            elif len(text) > 40 or "。" in text or "，" in text:
                break
        k -= 1
    if title_at is None:
        # no 表 title: the nearest short line above, if any ("5项任务具体测算指标")
        k = _prev_nonblank(lines, first_row - 1, taken)
        if (
            k is not None
            and unit is None
            and len(lines[k].text.strip()) <= 30
            and "。" not in lines[k].text
            and "：" not in lines[k].text.strip()[-1:]
        ):
            title_at = k
    first = title_at if title_at is not None else first_row
    title = lines[title_at].text.strip() if title_at is not None else ""
    b = _Block(None, title, unit, first, last=first)
    b.unit_line = unit_line
    return b


def _prev_nonblank(lines: tuple[Line, ...], k: int, taken: set[int]) -> int | None:
    while k >= 0 and k not in taken and lines[k].cells is None:
        if lines[k].text.strip():
            return k
        k -= 1
    return None


# --------------------------------------------------------------------------
# Parsing a table


def _parse_block(b: _Block, lines: tuple[Line, ...], year: int | None, gov: str | None) -> Table:
    if any(ln.cells is not None for ln in b.body):
        columns, rows = parse_tab_table(b.body, b.title, year, gov)
    else:
        columns, rows = parse_space_table(b.body, b.title, year, gov)
    rows = _flag_totals(rows)
    notes = tuple(n.text.strip() for n in b.notes)
    empty = not rows or bool(EMPTY_RE.search("".join(notes)))
    first, last = lines[b.first], lines[b.last]
    title = b.title
    book = book_of(title)
    scope = Scope.OWN if "本级" in squash(title) else Scope.WHOLE
    if b.unit_line.startswith("编制部门") or "编制部门" in b.unit_line:
        scope = Scope.OWN
    return Table(
        number=b.number,
        title=title,
        unit=b.unit,
        columns=tuple(columns),
        rows=tuple(rows),
        empty=bool(empty),
        line_start=first.number,
        line_end=last.number,
        start=first.start,
        end=last.end,
        book=book,
        scope=scope,
        notes=notes,
    )


# --------------------------------------------------------------------------
# Problems


def table_problems(document: Document, tables: list[Table] | tuple[Table, ...]) -> list[Problem]:
    """One ``extract.table_ambiguous`` problem per table that keeps values
    whose column the text does not determine (``Row.unplaced``): they make
    no facts, so no check sees them, and the reader should know."""
    out = []
    for t in tables:
        label = t.number or squash(t.title) or f"L{t.line_start}"
        name = f"{label}（{squash(t.title)}）" if t.number and t.title else label
        out.extend(_misgrouped(document, t, name))
        rows = [r for r in t.rows if r.unplaced]
        if not rows:
            continue
        values = sum(len(r.unplaced) for r in rows)
        shown = [str(r.line) for r in rows[:8]]
        more_zh = "等" if len(rows) > 8 else ""
        more_en = ", …" if len(rows) > 8 else ""
        out.append(
            Problem(
                file=document.name,
                message=(
                    f"{name}第{'、'.join(shown)}{more_zh}行共{len(rows)}行的{values}个数值"
                    "无法确定所在列（文本未印出空白单元格），已保留为未定位数值，未生成数据项"
                ),
                message_en=(
                    f"{name} lines {', '.join(shown)}{more_en}: {values} values in "
                    f"{len(rows)} rows cannot be placed in a column (the text prints no "
                    "blank cells); kept as unplaced values, no facts made"
                ),
                line=rows[0].line,
                code="extract.table_ambiguous",
            )
        )
    return out


def _misgrouped(document: Document, t: Table, name: str) -> list[Problem]:
    """An ``extract.number_format`` problem per value printed with its
    thousands separators out of place ("1,1985.54"): read as written
    without them, but likely a misprint."""
    out = []
    for r in t.rows:
        for c in (*r.cells, *r.unplaced):
            if c.value is None or not is_misgrouped(c.text):
                continue
            out.append(
                Problem(
                    file=document.name,
                    message=f"{name}第{r.line}行数值“{c.text}”的千分位分隔符位置不对，"
                    f"按 {c.value} 读取，可能印错",
                    message_en=f"{name} line {r.line}: “{c.text}” has its thousands "
                    f"separators out of place; read as {c.value}, possibly a misprint",
                    line=r.line,
                    code="extract.number_format",
                )
            )
    return out


# --------------------------------------------------------------------------
# Totals


def total_rank(name: str) -> int:
    """3 for 总计, 2 for 合计, 1 for 小计, 0 otherwise."""
    n = squash(strip_prefix(name))
    n = re.sub(r"[（(]小计[）)]$", "小计", n)
    if n.endswith("总计"):
        return 3
    if n.endswith("合计"):
        return 2
    if n.endswith("小计"):
        return 1
    return 0


def _flag_totals(rows: list[Row]) -> list[Row]:
    if not rows:
        return rows
    ranks = [total_rank(r.name) for r in rows]
    best = max(ranks)
    if best == 0:
        last = rows[-1]
        coded = sum(1 for r in rows if r.code)
        has_value = any(c.value is not None for c in last.cells)
        if last.code is None and coded * 2 >= len(rows) and has_value and len(rows) > 2:
            return [*rows[:-1], _with_total(last)]
        return rows
    return [_with_total(r) if k == best else r for r, k in zip(rows, ranks, strict=True)]


def _with_total(r: Row) -> Row:
    return replace(r, total=True)


__all__ = ["extract_tables", "table_problems", "total_rank"]
