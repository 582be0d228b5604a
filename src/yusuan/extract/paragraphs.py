"""Narrative paragraphs: lines joined across PDF breaks, repaired, mapped back.

Text taken from PDFs breaks sentences at line and page ends, puts blank
lines between lines, spaces inside numbers (``1112.5 亿元``) and em dashes
in month ranges (``1—6 月``).  A paragraph here is the run of lines that
continue one another, repaired into a :class:`MappedText` whose every
character keeps the offset of the source character it came from.
"""

from __future__ import annotations

import re

from yusuan.model import Document, Line, MappedText, Paragraph

# A line that starts a new section or list item.
HEADING_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+(?:部分|章|节)"
    r"|[一二三四五六七八九十]+[、．.]"
    r"|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]"
    r"|\d{1,2}\s*[、．]|\d{1,2}\s*\.(?!\d)"
    r"|[①-⑳]"
    r"|目\s*录)"
)
# Sentence-final marks: a line ending in one of them ends its paragraph.
_FINAL = frozenset("。！？；：:;!?")
# Page numbers and page-header debris.
_PAGE_NUMBER = re.compile(r"^\s*[-—－–]*\s*\d{1,3}\s*[-—－–]*\s*$")
_SPACES = frozenset(" \u3000\xa0\t\r")
_DASHES = frozenset("—–－~～")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_HEADING_MAX = 40
# A next line that finishes a broken word: "退休（项）：2024年预算数为…".
_FINISHES_WORD = re.compile(r"^[^，。；：,;:\s]{1,16}[）)][：:]")
_HEADING_ENDS = ("说明", "情况", "概况", "明细")
_MONEY = re.compile(r"\d\s*(?:亿元|万元|元)")


def is_heading_line(text: str) -> bool:
    """A short line that starts with a section marker and is not a sentence."""
    stripped = text.strip()
    if not HEADING_START.match(stripped):
        return False
    if len(stripped) > _HEADING_MAX:
        return False
    if _MONEY.search(stripped) or re.search(r"[：:].*\d", stripped):
        return False  # "1、…（项）：2024年预算", "(1) 外债还本付息 497 万元；"
    # "1.一般公共预算收支决算情况。市本级…" is a heading fused with its text.
    return stripped.count("。") <= 1 and not stripped.endswith(("，", ",", "；", ";"))


def repair(source: str, spans: list[tuple[int, int]]) -> MappedText:
    """Join the character ranges ``spans`` of ``source`` and repair them.

    Spaces are removed except between two ASCII letters or digits
    (``17100690 30.91`` stays two numbers); a dash between two digits
    becomes ``-`` (``1—6月`` -> ``1-6月``).
    """
    chars: list[str] = []
    offsets: list[int] = []
    for start, end in spans:
        for i in range(start, end):
            chars.append(source[i])
            offsets.append(i)
    n = len(chars)
    keep_chars: list[str] = []
    keep_offsets: list[int] = []
    i = 0
    while i < n:
        ch = chars[i]
        if ch in _SPACES:
            j = i
            while j < n and chars[j] in _SPACES:
                j += 1
            before = keep_chars[-1] if keep_chars else ""
            after = chars[j] if j < n else ""
            if before and after and _ASCII_ALNUM.match(before) and _ASCII_ALNUM.match(after):
                keep_chars.append(" ")
                keep_offsets.append(offsets[i])
            i = j
            continue
        if ch in _DASHES and keep_chars and keep_chars[-1].isdigit():
            j = i + 1
            while j < n and chars[j] in _SPACES:
                j += 1
            if j < n and chars[j].isdigit():
                ch = "-"
        keep_chars.append(ch)
        keep_offsets.append(offsets[i])
        i += 1
    return MappedText("".join(keep_chars), tuple(keep_offsets))


def _content(line: Line) -> tuple[int, int] | None:
    text = line.text
    left = len(text) - len(text.lstrip())
    right = len(text.rstrip())
    if right <= left:
        return None
    return line.start + left, line.start + right


def assemble_paragraphs(document: Document, claimed: set[int]) -> list[Paragraph]:
    """Paragraphs from the lines not ``claimed`` (by line number) by tables."""
    out: list[Paragraph] = []
    current: list[tuple[Line, tuple[int, int]]] = []

    def flush(heading: bool = False) -> None:
        if not current:
            return
        first = current[0][0]
        spans = [span for _, span in current]
        text = repair(document.text, spans)
        if text.text:
            out.append(Paragraph(len(out), first.number, spans[0][0], spans[-1][1], text, heading))
        current.clear()

    usable: list[tuple[Line, tuple[int, int] | None]] = []
    for line in document.lines:
        if line.number in claimed:
            usable.append((line, None))
            continue
        span = _content(line)
        if span is None or _PAGE_NUMBER.match(line.text):
            continue
        usable.append((line, span))
    skip = -1
    for i, (line, span) in enumerate(usable):
        if i == skip:
            continue
        if span is None:
            flush()
            continue
        body = document.text[span[0] : span[1]]
        nxt = usable[i + 1][1] if i + 1 < len(usable) else None
        next_text = document.text[nxt[0] : nxt[1]] if nxt else ""
        if line.cells is not None and len([c for c in line.cells if c.text.strip()]) > 1:
            flush()
            current.append((line, span))
            flush()
            continue
        if (
            HEADING_START.match(body)
            and nxt is not None
            and len(next_text) <= 4
            and (body + next_text).endswith(_HEADING_ENDS)
        ):
            # "七、关于…项目支出情况说" + "明": a heading broken before its last word.
            flush()
            current.extend([(line, span), (usable[i + 1][0], nxt)])
            flush(heading=True)
            skip = i + 1
            continue
        if is_heading_line(body) and not _FINISHES_WORD.match(next_text):
            flush()
            current.append((line, span))
            # A bare heading stands alone; "1.标题。正文" continues as text.
            if "。" not in body.rstrip("。") and not body.endswith(("，", ",")):
                flush(heading=True)
            continue
        if current and HEADING_START.match(body):
            flush()
        current.append((line, span))
        if body[-1] in _FINAL:
            flush()
    flush()
    return out
