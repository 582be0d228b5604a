"""PDF: text lines and ruled tables, with pypdfium2 (Apache-2.0/BSD-3-Clause).

pypdfium2 was chosen by measurement (bench/pdf_libs.md): about ten times
faster than pdfplumber on the generated seed documents, with the same
text.  pdfium has no table finder, so ruled tables are found here from the
page's path objects: horizontal and vertical rules (stroked lines,
rectangles, thin filled bars) are merged into a grid, each band between
two horizontal rules that vertical rules cross is a row, and the
characters whose centres fall in a cell make its text.  Each table row
becomes one tab-separated line; text outside tables is grouped into lines
by position.  Items are ordered top to bottom on each page as displayed
(a page's /Rotate is honoured); one column of text is assumed, so
multi-column layouts are not separated.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from yusuan.model import Document, Problem
from yusuan.read.base import clean_cell, make_document
from yusuan.read.problems import problem

TOL = 1.5  # points: rules closer than this are one rule
THIN = 2.5  # points: a path thinner than this is a rule, not a box


class Char:
    """A drawn character: its box in display space and its em size."""

    __slots__ = ("bottom", "ch", "cx", "cy", "left", "right", "size", "top")

    def __init__(
        self, ch: str, left: float, bottom: float, right: float, top: float, size: float
    ) -> None:
        self.ch, self.size = ch, size
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        self.cx, self.cy = (left + right) / 2, (bottom + top) / 2


@dataclass(slots=True)
class Grid:
    """A ruled table: rows top to bottom, each a list of (x0, x1) cells."""

    left: float
    bottom: float
    right: float
    top: float
    rows: list[tuple[float, float, list[tuple[float, float]]]]  # (top, bottom, cells)
    chars: dict[tuple[int, int], list[Char]] = field(default_factory=dict)

    def contains(self, x: float, y: float) -> bool:
        return self.left - TOL <= x <= self.right + TOL and self.bottom - TOL <= y <= self.top + TOL

    def place(self, c: Char) -> bool:
        """File the character under its cell; False when it is in no cell."""
        x, y = c.cx, c.cy
        rows = self.rows
        # rows run top to bottom: find the first whose bottom is below y
        lo, hi = 0, len(rows)
        while lo < hi:
            mid = (lo + hi) // 2
            if rows[mid][1] > y:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(rows) or rows[lo][0] < y:
            return False
        for k, (x0, x1) in enumerate(rows[lo][2]):
            if x0 <= x <= x1:
                self.chars.setdefault((lo, k), []).append(c)
                return True
        return False


# --------------------------------------------------------------------------
# Characters and lines


Turn = Callable[[float, float], tuple[float, float]]

# Page space to display space (y up) for each /Rotate value (clockwise).
_TURNS: dict[int, Turn] = {
    0: lambda x, y: (x, y),
    90: lambda x, y: (y, -x),
    180: lambda x, y: (-x, -y),
    270: lambda x, y: (-y, x),
}


def _box(turn: Turn, left: float, bottom: float, right: float, top: float) -> tuple[float, ...]:
    x0, y0 = turn(left, bottom)
    x1, y1 = turn(right, top)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _chars(textpage: object, raw: object, turn: Turn | None = None) -> list[Char]:
    """The page's drawn characters (pdfium's generated spaces and breaks left out)."""
    handle = textpage.raw
    n = raw.FPDFText_CountChars(handle)
    text = textpage.get_text_range() if n > 0 else ""
    per_char = len(text) != n
    rect = raw.FS_RECTF()
    box = raw.FPDFText_GetLooseCharBox
    font_size = raw.FPDFText_GetFontSize
    out: list[Char] = []
    for i in range(n):
        ch = textpage.get_text_range(i, 1) if per_char else text[i]
        if ch in "\r\n" or (ch == " " and raw.FPDFText_IsGenerated(handle, i)):
            continue
        if ch.isspace():
            ch = " "  # ideographic and no-break spaces are spaces
        box(handle, i, rect)
        if turn is None:
            left, bottom, right, top = rect.left, rect.bottom, rect.right, rect.top
        else:
            left, bottom, right, top = _box(turn, rect.left, rect.bottom, rect.right, rect.top)
        # The em size, guarded against text drawn at "1 Tf" and scaled by its matrix.
        size = max(font_size(handle, i), (top - bottom) / 1.3) or 10.0
        out.append(Char(ch, left, bottom, right, top, size))
    return out


def _group_lines(chars: list[Char]) -> list[tuple[float, str]]:
    """Characters into lines (top y, text), top to bottom; spaces from gaps."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: -c.cy)
    lines: list[list[Char]] = []
    lo = hi = 0.0
    for c in ordered:
        if lines:
            blank = c.ch == " "
            bottom, top = c.bottom, c.top
            overlap = (hi if hi < top else top) - (lo if lo > bottom else bottom)
            if not blank and overlap >= 0.5 * min(hi - lo, top - bottom):
                lines[-1].append(c)
                lo = lo if lo < bottom else bottom
                hi = hi if hi > top else top
                continue
            if blank and lo <= c.cy <= hi:
                lines[-1].append(c)
                continue
        lines.append([c])
        lo, hi = c.bottom, c.top
    out = []
    for line in lines:
        line.sort(key=lambda c: c.left)
        text, prev, pending = "", None, False
        for c in line:
            if c.ch == " ":
                pending = True
                continue
            if prev is not None and c.ch == prev.ch and abs(c.left - prev.left) < 0.3 * c.size:
                continue  # the same glyph drawn again, offset (fake bold) where pdfium kept both
            if prev is not None and (pending or c.left - prev.right > 0.25 * c.size):
                text += " "
            text += c.ch
            prev, pending = c, False
        if text:
            out.append((max(c.top for c in line), text))
    return out


# --------------------------------------------------------------------------
# Rules and grids


def _edges(
    page: object, raw: object, turn: Turn | None = None
) -> tuple[list[list[float]], list[list[float]]]:
    """Horizontal [y, x0, x1] and vertical [x, y0, y1] rules of the page."""
    hs: list[list[float]] = []
    vs: list[list[float]] = []

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        if turn is not None:
            (x0, y0), (x1, y1) = turn(x0, y0), turn(x1, y1)
        if abs(y1 - y0) <= THIN and abs(x1 - x0) > THIN:
            hs.append([(y0 + y1) / 2, min(x0, x1), max(x0, x1)])
        elif abs(x1 - x0) <= THIN and abs(y1 - y0) > THIN:
            vs.append([(x0 + x1) / 2, min(y0, y1), max(y0, y1)])

    handle = page.raw
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    px, py = ctypes.c_float(), ctypes.c_float()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    matrix = raw.FS_MATRIX()
    for k in range(raw.FPDFPage_CountObjects(handle)):
        obj = raw.FPDFPage_GetObject(handle, k)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        x0, y0, x1, y1 = left.value, bottom.value, right.value, top.value
        if x1 - x0 <= THIN or y1 - y0 <= THIN:
            add(x0, y0, x1, y1)  # a line, or a thin filled bar
            continue
        raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        if not stroke.value:
            continue  # a filled area (shading), not rules
        raw.FPDFPageObj_GetMatrix(obj, matrix)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        segments: list[tuple[float, float, float, float]] = []
        last: tuple[float, float] | None = None
        start: tuple[float, float] | None = None
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_BEZIERTO:
                segments = []  # a curve: a shape, not a table's rules
                break
            raw.FPDFPathSegment_GetPoint(seg, px, py)
            x = a * px.value + c * py.value + e
            y = b * px.value + d * py.value + f
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = (x, y)
            elif last is not None:
                segments.append((*last, x, y))
            last = (x, y)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                segments.append((x, y, *start))
        for segment in segments:
            add(*segment)
    return hs, vs


def _merge(edges: list[list[float]]) -> list[list[float]]:
    """Join collinear overlapping rules: [pos, a0, a1]."""
    out: list[list[float]] = []
    cluster: list[list[float]] = []

    def flush() -> None:
        pos = sum(e[0] for e in cluster) / len(cluster)
        current: list[float] | None = None
        for e in sorted(cluster, key=lambda e: e[1]):
            if current is not None and e[1] <= current[2] + TOL:
                current[2] = max(current[2], e[2])
            else:
                current = [pos, e[1], e[2]]
                out.append(current)
        cluster.clear()

    for e in sorted(edges):
        if cluster and e[0] - cluster[-1][0] > TOL:
            flush()
        cluster.append(e)
    if cluster:
        flush()
    return out


def _grids(hs: list[list[float]], vs: list[list[float]]) -> list[Grid]:
    hs, vs = _merge(hs), _merge(vs)
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(hs):
        for j, (x, y0, y1) in enumerate(vs):
            if x0 - TOL <= x <= x1 + TOL and y0 - TOL <= y <= y1 + TOL:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[list[float]], list[list[float]]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids = []
    for gh, gv in groups.values():
        if len(gh) < 2 or len(gv) < 2:
            continue
        ys = sorted({round(h[0], 1) for h in gh}, reverse=True)
        rows = []
        for top, bottom in pairwise(ys):
            if top - bottom <= TOL:
                continue
            mid = (top + bottom) / 2
            xs = sorted(v[0] for v in gv if v[1] - TOL <= mid <= v[2] + TOL)
            xs = [x for k, x in enumerate(xs) if k == 0 or x - xs[k - 1] > TOL]
            cells = list(pairwise(xs))
            if cells:
                rows.append((top, bottom, cells))
        # A frame round a page or a boxed paragraph is no table: it needs two cells in a row.
        if any(len(cells) > 1 for _, _, cells in rows):
            grids.append(
                Grid(
                    left=min(h[1] for h in gh),
                    bottom=min(ys),
                    right=max(h[2] for h in gh),
                    top=max(ys),
                    rows=rows,
                )
            )
    return grids


# --------------------------------------------------------------------------
# A page as lines


def page_lines(page: object, raw: object) -> list[str]:
    """The page's lines top to bottom: table rows tab-separated."""
    rotation = page.get_rotation() % 360
    turn = _TURNS.get(rotation) if rotation else None
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, raw, turn)
    finally:
        textpage.close()
    grids = _grids(*_edges(page, raw, turn)) if chars else []
    free: list[Char] = []
    for c in chars:
        for g in grids:
            if g.contains(c.cx, c.cy) and (g.place(c) or not c.ch.strip()):
                break
        else:
            free.append(c)
    items: list[tuple[float, int, str]] = [(top, 0, text) for top, text in _group_lines(free)]
    for g in grids:
        for r, (top, _bottom, cells) in enumerate(g.rows):
            texts = []
            for k in range(len(cells)):
                parts = [t for _, t in _group_lines(g.chars.get((r, k), []))]
                texts.append(clean_cell("\n".join(parts)))
            items.append((top, 1, "\t".join(texts)))
    items.sort(key=lambda item: (-item[0], item[1]))
    _drop_page_numbers(items, page, turn)
    return [text for _, _, text in items]


_PAGE_NO = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)


def _drop_page_numbers(
    items: list[tuple[float, int, str]], page: object, turn: Turn | None
) -> None:
    """Remove a page number ("- 3 -", "第 3 页", "3/20") printed as the page's first or last line.

    Only a free line (not a table row) in the top or bottom eighth of the page.
    """
    left, bottom, right, top = page.get_mediabox()
    corners = [(left, bottom), (right, top)]
    if turn is not None:
        corners = [turn(x, y) for x, y in corners]
    low = min(y for _, y in corners)
    high = max(y for _, y in corners)
    margin = (high - low) / 8
    last, first = items[-1] if items else None, items[0] if items else None
    if last and last[1] == 0 and last[0] < low + margin and _PAGE_NO.match(last[2]):
        items.pop()
    if first and first[1] == 0 and first[0] > high - margin and _PAGE_NO.match(first[2]):
        items.pop(0)


class PdfReader:
    format = "pdf"
    extensions = (".pdf",)

    def read(self, data: bytes, path: str) -> tuple[Document | None, list[Problem]]:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw

        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            return None, [
                problem(
                    "read.truncated",
                    path,
                    what="PDF ",
                    what_en="PDF",
                    reason=str(exc),
                    kept="未能读取任何内容。",
                    kept_en="nothing could be read.",
                )
            ]
        problems: list[Problem] = []
        try:
            count = len(pdf)
            pieces: list[str] = []
            starts: list[int] = []
            pos = 0
            blank = 0
            failed: list[str] = []
            for i in range(count):
                try:
                    page = pdf[i]
                    try:
                        lines = page_lines(page, raw)
                    finally:
                        page.close()
                except pdfium.PdfiumError as exc:
                    failed.append(f"第 {i + 1} 页: {exc}")
                    lines = []
                if not lines:
                    blank += 1
                piece = "\n".join(lines) + "\n"
                starts.append(pos)
                pieces.append(piece)
                pos += len(piece)
            title = (pdf.get_metadata_dict().get("Title") or "").strip()
        finally:
            pdf.close()
        tail = data[-2048:]
        if b"%%EOF" not in tail or failed:
            reason = "; ".join(failed) or "缺少文件结束标记 %%EOF"
            problems.append(
                problem(
                    "read.truncated",
                    path,
                    what="PDF ",
                    what_en="PDF",
                    reason=reason,
                    kept=f"已读取能读的 {count - len(failed)} 页。",
                    kept_en=f"kept the {count - len(failed)} readable pages.",
                )
            )
        if count and blank == count:
            problems.append(problem("read.scanned", path, pages=count, empty=blank))
            return None, problems
        if count and blank * 2 >= count:
            problems.append(problem("read.scanned", path, pages=count, empty=blank))
        text = "".join(pieces)
        return make_document(
            data, path, self.format, text, pages=count, title=title, page_starts=tuple(starts)
        ), problems
