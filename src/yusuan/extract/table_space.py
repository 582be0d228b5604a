"""Space-separated table rows (PDF text without cell delimiters).

The body of such a table is read with the help of its header: the
column-number row ("※ ※ ※ ※ 1 2 3") tells how many label and value
columns there are; each row is split by the shapes of its tokens into
code ("201 06 01"), name and amounts ("2,400.54"); a two-sided table
(收入 | 支出) gives each row up to two segments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations, product

from yusuan.extract.table_cells import (
    Segment,
    Token,
    code_run,
    is_amount,
    is_decimal_amount,
    join_name,
    normalize_code,
    parse_number,
    split_segments,
    squash,
    strip_prefix,
    tokens,
)
from yusuan.extract.table_columns import default_stage, kind_of, make_column
from yusuan.model import Cell, Column, ColumnKind, Line, Row, Stage

NUMBER_ROW_RE = re.compile(r"^\s*(?:※\s*)+(?:\d+\s*)+$")
_NAME_WORD_RE = re.compile(r"(名称|内容|^项目$|^支出功能分类$|^科目$)")


@dataclass
class SpaceHeader:
    """What the header of a space-separated table tells."""

    labels: int = 0  # label columns (code parts, name, project)
    values: list[str] = field(default_factory=list)  # value column names
    sides: tuple[str, str] | None = None  # ("收入", "支出") for two-sided tables
    side_values: tuple[list[str], list[str]] | None = None
    side_names: tuple[str, str] = ("项目", "项目")
    project: bool = False  # a 项目名称 column after the name
    name: str = ""  # the name column's header ("功能分类科目名称")
    code: str = ""  # the code columns' header ("功能分类科目编码")
    groups: tuple[str, str] = ("", "")  # over the label and the value columns ("科目", "支出预算")


def is_number_row(text: str) -> bool:
    return bool(NUMBER_ROW_RE.match(text))


def read_header(lines: list[Line]) -> SpaceHeader:
    """The header of a space-separated table from its header lines."""
    h = SpaceHeader()
    texts = [ln.text.strip() for ln in lines if ln.text.strip()]
    if not texts:
        return h
    first = texts[0].split()
    if len(first) == 2 and first[0].endswith("收入") and first[1].endswith("支出"):
        h.sides = (first[0], first[1])
    number_row = next((t for t in texts if is_number_row(t)), None)
    if number_row is not None:
        parts = number_row.split()
        h.labels = sum(1 for p in parts if p == "※")
        count = sum(1 for p in parts if p != "※")
    else:
        count = 0
    joined = squash("".join(texts))
    h.project = "项目名称" in joined and ("科目名称" in joined or "科目编码" in joined)
    pairs = _header_words(texts)
    words = [w for w, _ in pairs]
    if h.sides:
        # "项目 预算数 支出功能分类 预算数" + wrapped fragments
        names = [i for i, w in enumerate(words) if _NAME_WORD_RE.search(w)]
        if len(names) >= 2:
            left = words[names[0] + 1 : names[1]]
            right = words[names[1] + 1 :]
            h.side_names = (words[names[0]], words[names[1]])
            h.side_values = (left, right)
        else:
            h.side_values = (["预算数"], ["预算数"])
        return h
    name_at = max((i for i, w in enumerate(words) if _NAME_WORD_RE.search(w)), default=-1)
    after = words[name_at + 1 :] if name_at >= 0 else []
    names = [
        w
        for w in words[: name_at + 1]
        if _NAME_WORD_RE.search(w) and not (h.project and w == "项目名称")
    ]
    h.name = names[-1] if names else ""
    h.code = next((w for w in words if w.endswith("编码")), "")
    if (
        len(first) == 2
        and not _NAME_WORD_RE.search(first[1])
        and (first[0] == "科目" or not _NAME_WORD_RE.search(first[0]))
    ):
        h.groups = (first[0], first[1])
    if count and len(after) != count:
        grouped = _grouped(pairs[name_at + 1 :], count) if name_at >= 0 else None
        if grouped is not None:
            after = grouped
        else:
            # the names cannot be told apart: the document's column numbers
            after = (
                after[:1] + [f"列{k}" for k in range(2, count + 1)]
                if after
                else [f"列{k}" for k in range(1, count + 1)]
            )
    h.values = after if after else [f"列{k}" for k in range(1, count + 1)]
    return h


def _header_words(texts: list[str]) -> list[tuple[str, bool]]:
    """Header words, each with whether it stood on a line of its own.

    Wrapped fragments are joined: a fragment as wide as the widest of its
    run continues on the next line; a shorter one ends the word.
    """
    words: list[tuple[str, bool]] = []
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        width = max(len(x) for x in run)
        cur: list[str] = []
        for frag in run:
            cur.append(frag)
            if len(frag) < width:
                words.append(("".join(cur), True))
                cur = []
        words.extend((c, True) for c in cur)
        run.clear()

    for t in texts:
        if is_number_row(t) or t.startswith("编制部门") or "单位：" in t:
            continue
        parts = [p for p in t.split() if p not in ("类", "款", "项")]
        if len(parts) == 1 and len(parts[0]) <= 8 and len(t.split()) == 1:
            run.append(parts[0])
            continue
        flush()
        words.extend((p, False) for p in parts)
    flush()
    return words


def _grouped(after: list[tuple[str, bool]], count: int) -> list[str] | None:
    """Value column names when one group word ("资金来源") stands over the
    words after it: the only lone word with at least two words after it
    whose removal leaves ``count`` names."""
    if len(after) != count + 1:
        return None
    groups = [i for i, (w, alone) in enumerate(after) if alone and len(after) - i - 1 >= 2]
    if len(groups) != 1:
        return None
    g = groups[0]
    group = after[g][0]
    return [w for w, _ in after[:g]] + [f"{group}/{w}" for w, _ in after[g + 1 :]]


@dataclass
class SpaceRow:
    """One logical row of a space-separated table (possibly wrapped over lines)."""

    lines: list[Line]
    segments: list[Segment]

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end


def read_rows(lines: list[Line], decimals: bool) -> list[SpaceRow]:
    """Logical rows: a line holding only a code starts a row that the
    following lines (name fragments, then amounts) complete."""
    rows: list[SpaceRow] = []
    pending: list[Line] = []
    pending_toks: list[Token] = []

    def flush() -> None:
        if pending:
            rows.append(SpaceRow(list(pending), split_segments(pending_toks, decimals)))
            pending.clear()
            pending_toks.clear()

    for ln in lines:
        toks = tokens(ln.text, ln.start)
        if not toks:
            continue
        code_only = code_run(toks, 0) == len(toks)
        has_values = any(is_decimal_amount(t.text) if decimals else is_amount(t.text) for t in toks)
        if pending:
            if code_run(toks, 0):
                flush()
            else:
                pending.append(ln)
                pending_toks.extend(toks)
                if has_values:
                    flush()
                continue
        if code_only:
            pending.append(ln)
            pending_toks.extend(toks)
            continue
        rows.append(SpaceRow([ln], split_segments(toks, decimals)))
    flush()
    return rows


# --------------------------------------------------------------------------
# Parsing a space-separated table body


_UNIT_LINE_RE = re.compile(r"单位\s*[:：]\s*(?:万元|亿元|元)")
_MAX_COMBINATIONS = 4096


@dataclass
class _Layout:
    labels: list[int]  # column indices of label columns (code parts, name)
    left_values: list[int]
    right_name: int | None = None
    right_values: list[int] = field(default_factory=list)
    project: int | None = None


@dataclass
class _Draft:
    """A row being read: placed cells and values still looking for a column."""

    code: str | None
    code_printed: str | None
    name: str
    line: int
    start: int
    end: int
    cells: dict[int, Cell] = field(default_factory=dict)
    # values of one side still looking for a column, with the columns they
    # may stand in (in printed order); at most one group per side
    pending: list[_Pending] = field(default_factory=list)
    extra: list[Token] = field(default_factory=list)  # more values than columns

    @property
    def unplaced(self) -> list[Token]:
        return [t for g in self.pending for t in g.tokens] + self.extra


@dataclass
class _Pending:
    tokens: list[Token]
    candidates: list[int]


def parse_space_table(
    body: list[Line], title: str, year: int | None, government: str | None
) -> tuple[list[Column], list[Row]]:
    """Columns and rows of a space-separated table body (header included)."""
    decimals = _decimals(body)
    head_end = next((k for k, ln in enumerate(body) if is_number_row(ln.text)), None)
    if head_end is None:
        head_end = 0
        for k, ln in enumerate(body):
            rows = read_rows([ln], decimals)
            if rows and any(s.values or s.code for s in rows[0].segments):
                head_end = k
                break
        header = read_header(body[:head_end])
        data_lines = body[head_end:]
    else:
        header = read_header(body[: head_end + 1])
        data_lines = body[head_end + 1 :]
    data_lines = _drop_repeated_headers(data_lines)
    columns, layout = _columns(header, year, default_stage(title), government)
    drafts = [d for sr in read_rows(data_lines, decimals) if (d := _draft(sr, header, layout))]
    value_cols = [
        j for j, c in enumerate(columns) if c.kind not in (ColumnKind.CODE, ColumnKind.NAME)
    ]
    if header.sides:
        _close_by_other_side(drafts, columns, layout)
    else:
        _resolve(drafts, layout.left_values)
        _close_by_total(drafts, layout.left_values)
    rows = [_row(d, value_cols) for d in drafts]
    return columns, rows


def _decimals(body: list[Line]) -> bool:
    """Whether the table prints its amounts with decimals ("2,400.54")."""
    dec = ints = 0
    for ln in body:
        for t in ln.text.split():
            if re.fullmatch(r"[-−]?[\d,]+\.\d+", t):
                dec += 1
            elif re.fullmatch(r"\d+", t) and len(t) not in (3, 5, 7):
                ints += 1
    return dec > 0 and dec >= ints


def _drop_repeated_headers(lines: list[Line]) -> list[Line]:
    """Drop a page-break header: from a repeated unit line to the number row."""
    out: list[Line] = []
    skipping = False
    for ln in lines:
        if _UNIT_LINE_RE.search(ln.text):
            skipping = True
            continue
        if skipping:
            if is_number_row(ln.text):
                skipping = False
            continue
        out.append(ln)
    return out


def _columns(
    h: SpaceHeader, year: int | None, stage: Stage, government: str | None
) -> tuple[list[Column], _Layout]:
    cols: list[Column] = []

    def add(name: str, kind: ColumnKind, side: str | None = None) -> int:
        if kind is ColumnKind.AMOUNT:
            kind = kind_of(name)
            if kind is ColumnKind.NAME:
                kind = ColumnKind.AMOUNT
        cols.append(make_column(name, kind, year, stage, government, side))
        return len(cols) - 1

    layout = _Layout([], [])
    if h.sides and h.side_values:
        left, right = h.sides
        layout.labels.append(add(f"{left}/{h.side_names[0]}", ColumnKind.NAME, left))
        layout.left_values = [add(f"{left}/{n}", ColumnKind.AMOUNT, left) for n in h.side_values[0]]
        layout.right_name = add(f"{right}/{h.side_names[1]}", ColumnKind.TEXT, right)
        layout.right_values = [
            add(f"{right}/{n}", ColumnKind.AMOUNT, right) for n in h.side_values[1]
        ]
        return cols, layout
    codes = max(0, h.labels - (2 if h.project else 1))
    label_group = h.groups[0] + "/" if h.groups[0] else ""
    value_group = h.groups[1] + "/" if h.groups[1] else ""
    for part in ("类", "款", "项")[:codes]:
        layout.labels.append(add(f"{label_group}{h.code or '科目编码'}/{part}", ColumnKind.CODE))
    name = h.name or ("科目名称" if codes else "项目")
    layout.labels.append(add(label_group + name, ColumnKind.NAME))
    if h.project:
        layout.project = add("项目名称", ColumnKind.TEXT)
    layout.left_values = [
        add(n if n.startswith("列") else value_group + n, ColumnKind.AMOUNT) for n in h.values
    ]
    return cols, layout


def _text_of(sr: SpaceRow, start: int, end: int) -> str:
    out = []
    for ln in sr.lines:
        s, e = max(start, ln.start), min(end, ln.end)
        if s < e:
            out.append(ln.text[s - ln.start : e - ln.start])
    return "\n".join(out)


def _draft(sr: SpaceRow, h: SpaceHeader, layout: _Layout) -> _Draft | None:
    segs = sr.segments
    if not segs:
        return None
    d = _Draft(None, None, "", sr.lines[0].number, sr.start, sr.end)
    if h.sides:
        left = right = None
        for s in segs:
            if s.code and right is None:
                right = s
            elif left is None and right is None:
                left = s
            elif right is None:
                right = s
        if left is not None:
            d.name = left.name_text
            _place(d, left.values, layout.left_values)
        if right is not None and layout.right_name is not None:
            toks = right.code + right.name
            if toks:
                d.cells[layout.right_name] = Cell(
                    _text_of(sr, toks[0].start, toks[-1].end), None, toks[0].start, toks[-1].end
                )
            _place(d, right.values, layout.right_values)
        return d
    names = [t for s in segs for t in s.name]
    d.code_printed = segs[0].code_printed
    d.code = normalize_code(d.code_printed) if d.code_printed else None
    if layout.project is not None and d.code and len(names) >= 2:
        d.name = names[0].text
        proj = names[1:]
        d.cells[layout.project] = Cell(
            _text_of(sr, proj[0].start, proj[-1].end), None, proj[0].start, proj[-1].end
        )
    else:
        d.name = join_name([t.text for t in names])
    _place(d, [t for s in segs for t in s.values], layout.left_values)
    return d


def _cell(tok: Token) -> Cell:
    return Cell(tok.text, parse_number(tok.text), tok.start, tok.end)


def _place(d: _Draft, values: list[Token], targets: list[int]) -> None:
    """Values into their columns.  The text prints no blank cells: when a row
    has fewer values than columns, the first is the row's total (first
    column) and the others wait for :func:`_resolve` and the closing passes."""
    if not values:
        return
    if len(values) >= len(targets):
        for tok, j in zip(values, targets, strict=False):
            d.cells[j] = _cell(tok)
        d.extra.extend(values[len(targets) :])
        return
    d.cells[targets[0]] = _cell(values[0])
    if len(values) > 1:
        d.pending.append(_Pending(list(values[1:]), list(targets[1:])))


def _settle(d: _Draft, closed: set[int]) -> None:
    """Place every pending group whose open columns are exactly as many as
    its values: printed order then fixes the column of each, whatever the
    numbers are (so a changed figure still lands in its column)."""
    keep = []
    for g in d.pending:
        open_cols = [j for j in g.candidates if j not in closed]
        if len(open_cols) == len(g.tokens):
            for tok, j in zip(g.tokens, open_cols, strict=True):
                d.cells[j] = _cell(tok)
        else:
            keep.append(g)
    d.pending = keep


def _close_by_total(drafts: list[_Draft], targets: list[int]) -> None:
    """A column the fully placed total row leaves blank is blank in every row."""
    total = next(
        (d for d in drafts if d.code is None and squash(d.name) in ("总计", "合计")), None
    )
    if total is None or total.pending or total.extra:
        return
    closed = {j for j in targets[1:] if _value(total, j) == 0}
    if closed:
        for d in drafts:
            if d.pending:
                _settle(d, closed)


def _close_by_other_side(drafts: list[_Draft], columns: list[Column], layout: _Layout) -> None:
    """In a two-sided table the right side's value columns may be named by
    rows of the left side (财政拨款支出 by 一般公共预算, 政府性基金预算, …, the
    sources listed as 财政拨款收入): a source the left side leaves blank
    funds nothing, so its column is blank on the right."""
    by_name: dict[str, bool] = {}
    for d in drafts:
        name = squash(strip_prefix(d.name)) if d.name else ""
        if name:
            filled = any(_value(d, j) != 0 for j in layout.left_values)
            by_name[name] = by_name.get(name, False) or filled
    closed = set()
    for j in layout.right_values[1:]:
        name = squash(columns[j].name.rsplit("/", 1)[-1])
        if by_name.get(name) is False:
            closed.add(j)
    if closed:
        for d in drafts:
            if d.pending:
                _settle(d, closed)


def _value(d: _Draft, j: int) -> Decimal:
    c = d.cells.get(j)
    return c.value if c is not None and c.value is not None else Decimal(0)


def _resolve(drafts: list[_Draft], targets: list[int]) -> None:
    """Place pending values by the code hierarchy: in every column the
    children of a row add up to it.  The placement taken is the one that
    leaves the fewest columns not adding up, when it is the only one that
    does so and at most one column is off (a single misprinted figure
    breaks one column; moving a value to a wrong column breaks two);
    otherwise the values stay unplaced."""
    if len(targets) < 2:
        return
    children: dict[int, list[int]] = {}
    total = next(
        (i for i, d in enumerate(drafts) if d.code is None and d.name in ("总计", "合计")), None
    )
    last_at: dict[str, int] = {}
    for i, d in enumerate(drafts):
        if d.code is None:
            continue
        parent = last_at.get(d.code[:-2]) if len(d.code) > 3 else total
        if parent is not None:
            children.setdefault(parent, []).append(i)
        last_at[d.code] = i
    changed = True
    while changed:
        changed = False
        for p, kids in children.items():
            if drafts[p].pending or not any(drafts[k].pending for k in kids):
                continue
            if _resolve_children(drafts[p], [drafts[k] for k in kids], targets[1:]):
                changed = True


def _half_unit(text: str) -> Decimal:
    """Half a unit of the last printed digit: "2,400.54" -> 0.005."""
    t = text.replace(",", "").rstrip("%")
    decimals = len(t) - t.index(".") - 1 if "." in t else 0
    return Decimal(5).scaleb(-decimals - 1)


def _resolve_children(parent: _Draft, kids: list[_Draft], columns: list[int]) -> bool:
    open_cols = [j for j in columns if _value(parent, j) != 0]
    choices: list[list[tuple[int, ...]]] = []
    size = 1
    settled = False
    for k in kids:
        if not k.pending:
            choices.append([()])
            continue
        g = k.pending[0]
        cand = [j for j in g.candidates if j in open_cols]
        opts = list(combinations(cand, len(g.tokens)))
        if len(opts) == 1:
            # the parent's blank columns leave one place: no sum needed
            _take(k, opts[0])
            settled = True
            choices.append([()])
            continue
        if not opts:
            return settled
        choices.append(opts)
        size *= len(opts)
        if size > _MAX_COMBINATIONS:
            return settled
    if size == 1:
        return settled
    printed = [c.text for d in (parent, *kids) for c in d.cells.values() if c.value is not None]
    units = [_half_unit(t) for t in printed]
    units += [_half_unit(t.text) for k in kids for t in k.unplaced]
    tolerance = max(units, default=Decimal("0.005")) * (len(kids) + 1)
    base = {j: sum((_value(k, j) for k in kids), Decimal(0)) for j in columns}
    best: list[tuple[tuple[int, ...], ...]] = []
    best_off = len(columns) + 1
    for combo in product(*choices):
        sums = dict(base)
        for k, cols in zip(kids, combo, strict=True):
            if cols:
                for tok, j in zip(k.pending[0].tokens, cols, strict=True):
                    sums[j] += parse_number(tok.text) or Decimal(0)
        off = sum(1 for j in columns if abs(sums[j] - _value(parent, j)) > tolerance)
        if off < best_off:
            best, best_off = [combo], off
        elif off == best_off:
            best.append(combo)
    if len(best) != 1 or best_off > 1:
        return settled
    for k, cols in zip(kids, best[0], strict=True):
        if cols:
            _take(k, cols)
    return True


def _take(k: _Draft, cols: tuple[int, ...]) -> None:
    """Place the first pending group of ``k`` in ``cols``."""
    for tok, j in zip(k.pending[0].tokens, cols, strict=True):
        k.cells[j] = _cell(tok)
    k.pending = k.pending[1:]


def _row(d: _Draft, value_cols: list[int]) -> Row:
    cells = tuple(d.cells.get(j, Cell("", None, d.start, d.start)) for j in value_cols)
    return Row(
        code=d.code,
        name=d.name,
        cells=cells,
        line=d.line,
        start=d.start,
        end=d.end,
        code_printed=d.code_printed,
        level=len(d.code) // 2 if d.code else 0,
        unplaced=tuple(_cell(t) for t in sorted(d.unplaced, key=lambda t: t.start)),
    )
