"""Performance target forms (绩效目标表) into tables and money facts.

A form (部门整体绩效目标表, 项目支出绩效目标表) is no grid of numbers: a
head of labelled fields (项目名称, 预算单位, 项目资金(万元) with 年度预算总额
and its sources), a goal in prose, then the indicators, one per row:
一级指标, 二级指标, 三级指标, 指标值 (comparison, number, unit as printed),
指标值设置依据, 上年完成值, 分值权重, 指标赋分规则, 佐证资料.

PDF text prints the form as words wrapped inside their cells ("产出" /
"指标", "≤500" / "0 平方" / "米"), so the indicators are read as a token
stream anchored on the 指标值设置依据 token of each row (历史标准, 计划标准,
行业标准, 工作计划): the tokens before it are the level words, the name and
the value; those after it the prior value, the weight, the scoring rule and
the evidence.  A form without that column is read row by row up to each
value (a token opening with ≥, ≤, =, …).  Tab-separated forms (Word,
Excel, HTML) give their cells as tokens to the same reader, and where it
finds no row, their indicators are read by the columns the header names.

Facts are made only of the money of the head (年度预算总额 and the like);
targets ("≤127万元") stay text and become
:class:`yusuan.extract.targets.PerformanceTarget` records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from yusuan.extract.table_cells import parse_number, squash
from yusuan.extract.table_columns import make_column, year_of
from yusuan.model import (
    Amount,
    Cell,
    Column,
    ColumnKind,
    Document,
    Fact,
    Line,
    Row,
    Scope,
    Stage,
    Table,
    Unit,
)

FORM_TITLE_RE = re.compile(r"^(?:\d{4}年(?:度)?)?[\u4e00-\u9fa5（）()]{0,30}绩效目标(?:申报)?表$")
# lines that end a form printed without cell delimiters
FORM_END_RE = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|表\s*\d+\s*$)"
)

# the indicator columns of a form, in order; "三级指标" names the row
COLUMNS = (
    "一级指标",
    "二级指标",
    "指标值",
    "指标值设置依据",
    "上年完成值",
    "分值权重",
    "指标赋分规则",
    "佐证资料",
)
AMOUNT_COLUMN = "金额"
NAME_COLUMN = "三级指标"
NOTE_PROJECT = "项目名称："
NOTE_UNIT = "预算单位："
NOTE_GOAL = "总体目标："

_LEVEL1 = {
    "产出指标",
    "效益指标",
    "履职效能",
    "管理效率",
    "运行成本",
    "社会效应",
    "成本指标",
    "满意度指标",
}
_LEVEL2 = {
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济成本指标",
    "社会成本指标",
    "生态环境成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "满意度指标",
    "服务对象满意度指标",
}
_LEVEL_WORDS = _LEVEL1 | _LEVEL2
_AMBIGUOUS = _LEVEL1 & _LEVEL2
_BASIS_RE = re.compile(r"^[\u4e00-\u9fa5]{0,4}(?:标准|计划)$")
_EVIDENCE_RE = re.compile(r"^[\u4e00-\u9fa5]{0,4}(?:资料|凭证|材料)$")
_COMPARISON_RE = re.compile(r"^(＞=|＜=|>=|<=|≥|≤|＞|＜|>|<|=|＝)")
_QUALITATIVE_RE = re.compile(
    r"^(?:(?:显著|明显|有效|逐步|持续|进一步|稳步)?(?:提升|提高|改善|增强|降低|减少|下降)"
    r"|达标|合格|良好|优秀|是|否|有效|完成|按时完成|\d{1,2}月\d{1,2}日(?:之?前))$"
)
_FUND_RE = re.compile(
    r"(?P<label>(?:其中[:：])?(?:年度预算总额|年度资金总额|中长期资金总额|资金总额|预算总额"
    r"|上级安排|本级安排|财政拨款|其他资金|其他))[:：]?"
    r"(?P<num>[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
)
_GROUP_RE = re.compile(r"(财政资金|其他资金)[(（](?:万元|亿元|元)[)）](?![\d])")
_UNIT_RE = re.compile(r"[(（](万元|亿元|元)[)）]")
_GOAL_WORDS = ("项目总体目标", "年度绩效目标", "总体目标", "年度目标")
_GOAL_END_RE = re.compile(r"^(?:年度预算|项目资金|资金来源|一级|绩效指标)")
_GOAL_LABEL_RE = re.compile(r"^(?:中长期目标|年度目标)")
_UNITS = {"元": Unit.YUAN, "万元": Unit.WAN, "亿元": Unit.YI}


def is_form_title(text: str) -> bool:
    return bool(FORM_TITLE_RE.match(squash(text)))


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    start: int
    end: int
    line: int  # index into the form's lines


def _tokens(lines: list[Line]) -> list[_Tok]:
    out: list[_Tok] = []
    for k, ln in enumerate(lines):
        if ln.cells is not None:
            for c in ln.cells:
                t = c.text.strip()
                if t:
                    lead = len(c.text) - len(c.text.lstrip())
                    out.append(_Tok(t, c.start + lead, c.start + lead + len(t), k))
        else:
            for m in re.finditer(r"\S+", ln.text):
                out.append(_Tok(m.group(), ln.start + m.start(), ln.start + m.end(), k))
    return out


def _join(toks: list[_Tok]) -> str:
    return "".join(squash(t.text) for t in toks)


# --------------------------------------------------------------------------
# Level words printed over several lines ("产出" / "指标")


def _split_levels(text: str, partial: bool) -> list[str] | None:
    """``text`` as a run of level words; with ``partial`` the last may be cut short."""
    if not text:
        return []
    for w in sorted(_LEVEL_WORDS, key=len, reverse=True):
        if text.startswith(w):
            rest = _split_levels(text[len(w) :], partial)
            if rest is not None:
                return [w, *rest]
    if partial and any(w.startswith(text) for w in _LEVEL_WORDS):
        return []
    return None


def _leading_levels(toks: list[_Tok]) -> tuple[list[str], int]:
    """Level words at the start of ``toks`` and how many tokens they take."""
    buf, best, best_n = "", [], 0
    for i, t in enumerate(toks):
        cand = buf + squash(t.text)
        if _split_levels(cand, partial=True) is None:
            break
        buf = cand
        words = _split_levels(buf, partial=False)
        if words is not None:
            best, best_n = words, i + 1
    return best, best_n


def _assign_levels(words: list[str], level1: str, level2: str) -> tuple[str, str]:
    for k, w in enumerate(words):
        more = k + 1 < len(words)
        if w in _AMBIGUOUS:
            prev_is_l1 = k > 0 and words[k - 1] == level1
            if more:
                level1, level2 = w, ""
            elif prev_is_l1 or (level1 and level1 != w):
                level2 = w
            else:
                level1, level2 = w, ""
        elif w in _LEVEL1:
            level1, level2 = w, ""
        else:
            level2 = w
    return level1, level2


# --------------------------------------------------------------------------
# Reading a form


@dataclass
class _Indicator:
    level1: str
    level2: str
    name: list[_Tok]
    value: list[_Tok]
    basis: _Tok | None
    prior: list[_Tok]
    weight: _Tok | None
    rule: list[_Tok]
    evidence: _Tok | None


def _split_name_value(toks: list[_Tok]) -> tuple[list[_Tok], list[_Tok]]:
    """Name and value of an indicator from the tokens before its basis."""
    for k, t in enumerate(toks):
        if k and _COMPARISON_RE.match(t.text):
            return toks[:k], toks[k:]
    for k, t in enumerate(toks):
        if k and t.text[0].isdigit():
            return toks[:k], toks[k:]
    for n in range(min(4, len(toks) - 1), 0, -1):
        if _QUALITATIVE_RE.match(_join(toks[-n:])):
            return toks[:-n], toks[-n:]
    return toks, []


_UNIT_FRAGMENT_RE = re.compile(r"^[\u4e00-\u9fa5%％]{1,3}$")


def _value_records(body: list[_Tok]) -> list[_Indicator]:
    """Indicators of a form that prints no 指标值设置依据 column: each row ends
    with its value, a token opening with a comparison ("≥98%"), plus the
    rest of that line and a unit wrapped onto the next ("≤127" / "万元")."""
    out: list[_Indicator] = []
    level1 = level2 = ""
    pos, n = 0, len(body)
    while pos < n:
        a = next((i for i in range(pos, n) if _COMPARISON_RE.match(body[i].text)), None)
        if a is None:
            break
        end = a
        while end + 1 < n and body[end + 1].line == body[a].line:
            end += 1
        while (
            end + 1 < n
            and body[end + 1].line != body[end].line
            and _UNIT_FRAGMENT_RE.match(body[end + 1].text)
            and (end + 2 >= n or body[end + 2].line != body[end + 1].line)
            and not _split_levels(squash(body[end + 1].text), partial=True)
        ):
            end += 1
        words, used = _leading_levels(body[pos:a])
        level1, level2 = _assign_levels(words, level1, level2)
        name = body[pos + used : a]
        value = body[a : end + 1]
        weight = None
        if len(value) > 1 and parse_number(value[-1].text) is not None:
            value, weight = value[:-1], value[-1]
        if name:
            out.append(_Indicator(level1, level2, name, value, None, [], weight, [], None))
        pos = end + 1
    return out


def _indicators(body: list[_Tok], evidence_column: bool) -> list[_Indicator]:
    if not any(_BASIS_RE.match(t.text) for t in body):
        return _value_records(body)
    out: list[_Indicator] = []
    level1 = level2 = ""
    pos = 0
    n = len(body)
    while pos < n:
        b = next((i for i in range(pos, n) if _BASIS_RE.match(body[i].text)), None)
        if b is None:
            break
        pre = body[pos:b]
        words, used = _leading_levels(pre)
        level1, level2 = _assign_levels(words, level1, level2)
        name, value = _split_name_value(pre[used:])
        # the row's end: its evidence, else the end of the basis line
        nxt = next((i for i in range(b + 1, n) if _BASIS_RE.match(body[i].text)), n)
        e = None
        if evidence_column:
            e = next((i for i in range(b + 1, nxt) if _EVIDENCE_RE.match(body[i].text)), None)
        if e is None:
            end = b
            while end + 1 < n and body[end + 1].line == body[b].line:
                end += 1
            post, evidence, pos = body[b + 1 : end + 1], None, end + 1
        else:
            post, evidence, pos = body[b + 1 : e], body[e], e + 1
        r = next((i for i, t in enumerate(post) if "赋" in t.text), len(post))
        rule = post[r:]
        before = post[:r]
        w = next(
            (i for i in range(len(before) - 1, -1, -1) if parse_number(before[i].text) is not None),
            None,
        )
        weight = before[w] if w is not None and w == len(before) - 1 else None
        prior = before[:w] if weight is not None and w is not None else before
        if not name and not value:
            continue
        out.append(_Indicator(level1, level2, name, value, body[b], prior, weight, rule, evidence))
    return out


_PLACEHOLDER_RE = re.compile(r"^(?:指标\d+[:：]?|…+|\.+)$")
_GRID_COLUMNS = (
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("name", ("三级指标",)),
    ("value", ("指标值", "目标值")),
    ("basis", ("指标值设置依据", "指标设定依据", "设置依据")),
    ("prior", ("上年完成值", "上年指标值")),
    ("weight", ("分值权重", "权重", "分值")),
    ("rule", ("指标赋分规则", "赋分规则", "评分规则")),
    ("evidence", ("佐证资料",)),
)


def _grid_indicators(lines: list[Line]) -> list[_Indicator]:
    """Indicators of a form whose cells are delimited (Word, Excel, HTML):
    by the columns its header names.  Where the header names a group twice
    (中长期 then 年度), the later (annual) group is read; a blank level cell
    repeats the level above (a merged cell)."""
    head = next(
        (
            k
            for k, ln in enumerate(lines)
            if ln.cells is not None
            and {"一级指标", "三级指标"} <= {squash(c.text) for c in ln.cells}
        ),
        None,
    )
    if head is None:
        return []
    names = [squash(c.text) for c in lines[head].cells or ()]
    at: dict[str, int] = {}
    for key, words in _GRID_COLUMNS:
        hits = [j for j, n in enumerate(names) if any(n.startswith(w) for w in words)]
        if hits:
            at[key] = hits[0] if key == "level1" else hits[-1]
    if "name" not in at or "value" not in at:
        return []
    out: list[_Indicator] = []
    level1 = level2 = ""
    for ln in lines[head + 1 :]:
        if ln.cells is None:
            continue
        cells = ln.cells

        def tok(key: str, cells: tuple = cells, ln: Line = ln) -> list[_Tok]:
            j = at.get(key)
            if j is None or j >= len(cells) or not cells[j].text.strip():
                return []
            c = cells[j]
            t = c.text.strip()
            lead = len(c.text) - len(c.text.lstrip())
            return [_Tok(t, c.start + lead, c.start + lead + len(t), 0)]

        level1 = _join(tok("level1")) or level1
        level2 = _join(tok("level2")) or level2
        name, value = tok("name"), tok("value")
        if not name or not value or _PLACEHOLDER_RE.match(value[0].text):
            continue
        if squash(name[0].text) in _LEVEL_WORDS:
            continue  # cells shifted by a merged cell: no reading to trust
        basis, weight, evidence = tok("basis"), tok("weight"), tok("evidence")
        out.append(
            _Indicator(
                level1,
                level2,
                name,
                value,
                basis[0] if basis else None,
                tok("prior"),
                weight[0] if weight and parse_number(weight[0].text) is not None else None,
                tok("rule"),
                evidence[0] if evidence else None,
            )
        )
    return out


@dataclass
class _Fund:
    label: str
    value: Decimal
    start: int  # of the label
    num_start: int
    num_end: int
    text: str


def _funds(head: list[_Tok]) -> tuple[str | None, list[_Fund]]:
    """The unit and the money of a form's head (before its goal prose)."""
    chars: list[str] = []
    offs: list[int] = []
    for t in head:
        for j, ch in enumerate(t.text):
            if not ch.isspace():
                chars.append(ch)
                offs.append(t.start + j)
    s = "".join(chars)
    m = _UNIT_RE.search(s)
    unit = m.group(1) if m else None
    groups = [(g.start(), g.group(1)) for g in _GROUP_RE.finditer(s)]
    out: list[_Fund] = []
    for f in _FUND_RE.finditer(s):
        value = parse_number(f.group("num"))
        if value is None:
            continue
        label = f.group("label")
        group = next((g for at, g in reversed(groups) if at < f.start()), None)
        if group and label != group and not label.startswith("其中"):
            label = f"{group}/{label}"
        ns, ne = f.start("num"), f.end("num") - 1
        out.append(_Fund(label, value, offs[f.start()], offs[ns], offs[ne] + 1, f.group("num")))
    return unit, out


def _field(toks: list[_Tok], labels: tuple[str, ...], stops: tuple[str, ...]) -> str:
    """The text after a field label on its line (or in the next cell)."""
    for i, t in enumerate(toks):
        if squash(t.text) in labels:
            parts = []
            for u in toks[i + 1 :]:
                if u.line != t.line or squash(u.text) in stops:
                    break
                parts.append(squash(u.text))
            return "".join(parts)
    return ""


def parse_form(
    lines: list[Line], title: str, year: int | None, government: str | None
) -> tuple[Table, str]:
    """The table of a form (title line first) and the name its money is about."""
    toks = _tokens(lines[1:])
    # the caption under the title: "（2024 年）", "(2024年度)"
    if toks:
        year = year_of(_join([t for t in toks if t.line == toks[0].line])) or year
    project = _field(toks, ("项目名称",), ("项目负责人",))
    unit_name = _field(
        toks, ("部门名称（盖章）", "部门名称(盖章)", "部门名称", "预算单位", "单位名称"), ()
    )
    head_end = next((i for i, t in enumerate(toks) if squash(t.text).startswith("一级")), len(toks))
    # the goal's prose is no field: its numbers are no money of the form
    goal_at = next((i for i in range(head_end) if squash(toks[i].text) in _GOAL_WORDS), None)
    goal: list[_Tok] = []
    head = toks[:head_end]
    if goal_at is not None:
        g_end = next(
            (i for i in range(goal_at + 1, head_end) if _GOAL_END_RE.match(squash(toks[i].text))),
            head_end,
        )
        goal = [t for t in toks[goal_at + 1 : g_end] if not _GOAL_LABEL_RE.match(t.text)]
        head = toks[:goal_at] + toks[g_end:head_end]
    unit, funds = _funds(head)
    # the header of the indicators runs to its last column word
    header_end = head_end
    for i in range(head_end, min(head_end + 30, len(toks))):
        w = squash(toks[i].text)
        if i > head_end and _split_levels(w, partial=True) is not None and len(w) >= 2:
            break
        same_line = toks[i].line == toks[head_end].line
        if same_line or any(k in w for k in ("佐证资料", "赋分规则", "权重", "依据")):
            header_end = i
    header = _join(toks[head_end : header_end + 1])
    body = toks[header_end + 1 :]
    indicators = _indicators(body, "佐证" in header)
    if not indicators and any(ln.cells is not None for ln in lines):
        indicators = _grid_indicators(lines)

    name_col = Column(NAME_COLUMN, ColumnKind.NAME)
    columns = [name_col] + [Column(c, ColumnKind.TEXT) for c in COLUMNS]
    columns.append(make_column(AMOUNT_COLUMN, ColumnKind.AMOUNT, year, Stage.BUDGET, government))
    rows: list[Row] = []
    blank_width = len(COLUMNS)
    for f in funds:
        at = f.start
        blanks = tuple(Cell("", None, at, at) for _ in range(blank_width))
        rows.append(
            Row(
                code=None,
                name=f.label,
                cells=(*blanks, Cell(f.text, f.value, f.num_start, f.num_end)),
                line=_line_of(lines, f.num_start),
                start=f.start,
                end=f.num_end,
            )
        )
    for ind in indicators:
        first = (ind.name or ind.value)[0]
        last = (
            ind.evidence
            or (ind.rule[-1] if ind.rule else None)
            or ind.weight
            or ind.basis
            or (ind.value or ind.name)[-1]
        )
        at = first.start

        def cell(toks_: list[_Tok], at: int = at) -> Cell:
            if not toks_:
                return Cell("", None, at, at)
            return Cell(_join(toks_), None, toks_[0].start, toks_[-1].end)

        label = Cell("", None, at, at)
        cells = (
            Cell(ind.level1, None, at, at) if ind.level1 else label,
            Cell(ind.level2, None, at, at) if ind.level2 else label,
            cell(ind.value),
            cell([ind.basis] if ind.basis else []),
            cell(ind.prior),
            cell([ind.weight] if ind.weight else []),
            cell(ind.rule),
            cell([ind.evidence] if ind.evidence else []),
            Cell("", None, at, at),
        )
        rows.append(
            Row(
                code=None,
                name=_join(ind.name),
                cells=cells,
                line=_line_of(lines, first.start),
                start=first.start,
                end=last.end,
            )
        )
    notes = []
    if project:
        notes.append(NOTE_PROJECT + project)
    if unit_name:
        notes.append(NOTE_UNIT + unit_name)
    if goal:
        notes.append(NOTE_GOAL + _join(goal))
    first_line, last_line = lines[0], _last_nonblank(lines)
    table = Table(
        number=None,
        title=squash(title),
        unit=unit,
        columns=tuple(columns),
        rows=tuple(rows),
        empty=not rows,
        line_start=first_line.number,
        line_end=last_line.number,
        start=first_line.start,
        end=last_line.end,
        book=None,
        scope=Scope.OWN,
        notes=tuple(notes),
    )
    return table, project or unit_name


def _line_of(lines: list[Line], offset: int) -> int:
    for ln in lines:
        if ln.start <= offset <= ln.end:
            return ln.number
    return lines[0].number


def _last_nonblank(lines: list[Line]) -> Line:
    for ln in reversed(lines):
        if ln.text.strip():
            return ln
    return lines[0]


def form_facts(
    document: Document,
    table: Table,
    subject: str,
    government: str | None,
    label: str,
) -> list[Fact]:
    """One budget fact per money figure of a form's head, about ``subject``
    (the project, else the budget unit)."""
    unit = _UNITS.get(table.unit or "")
    amount_col = len(table.value_columns) - 1
    col = table.value_columns[amount_col]
    if unit is None or col.period is None or not subject:
        return []
    facts: list[Fact] = []
    for index, row in enumerate(table.rows):
        cell = row.cells[amount_col]
        if cell.value is None:
            continue
        facts.append(
            Fact(
                indicator=subject,
                amount=Amount(cell.value, unit),
                stage=Stage.BUDGET,
                period=col.period,
                source=document.source(cell.start, cell.end),
                scope=table.scope or Scope.OWN,
                book=None,
                government=government,
                table=label,
                column=row.name,
                row=index,
            )
        )
    return facts


__all__ = [
    "AMOUNT_COLUMN",
    "COLUMNS",
    "FORM_END_RE",
    "NAME_COLUMN",
    "NOTE_GOAL",
    "NOTE_PROJECT",
    "NOTE_UNIT",
    "form_facts",
    "is_form_title",
    "parse_form",
]
