"""Findings as text (like a linter), JSON, CSV and a printable HTML review report.

Messages are rendered already (Chinese first); this module only lays them out.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

from yusuan.check.engine import summary
from yusuan.model import Document, Finding, Source
from yusuan.model.serialize import dumps, finding_dict

SEVERITY_ZH = {"error": "错误", "warning": "警告", "notice": "提示"}


def _line_context(docs: Mapping[str, Document], s: Source) -> tuple[str, int, int] | None:
    """The whole line of a source, and the source's span within it."""
    doc = docs.get(s.document)
    if doc is None or not doc.lines or s.line < 1 or s.line > len(doc.lines):
        return None
    ln = doc.lines[s.line - 1]
    if not (ln.start <= s.start <= ln.end):
        return None
    return ln.text, s.start - ln.start, min(s.end, ln.end) - ln.start


def _short(text: str, a: int, b: int, width: int = 60) -> tuple[str, int, int]:
    """Cut a long line around ``[a, b)``."""
    if len(text) <= 2 * width + (b - a):
        return text, a, b
    lo = max(0, a - width)
    hi = min(len(text), b + width)
    pre = "…" if lo > 0 else ""
    post = "…" if hi < len(text) else ""
    return pre + text[lo:hi] + post, a - lo + len(pre), b - lo + len(pre)


def _file(docs: Mapping[str, Document], s: Source) -> str:
    doc = docs.get(s.document)
    return doc.path if doc is not None else s.file


def numbers_line(f: Finding) -> str:
    parts = []
    if f.expected is not None:
        parts.append(f"应为 expected {f.expected}")
    if f.printed is not None:
        parts.append(f"印为 printed {f.printed}")
    if f.gap is not None:
        parts.append(f"差 gap {f.gap}")
    if f.tolerance is not None:
        parts.append(f"容差 tolerance ±{f.tolerance}")
    return "；".join(parts)


def to_text(findings: Sequence[Finding], docs: Mapping[str, Document], *,
            english: bool = False) -> str:
    out: list[str] = []
    for f in findings:
        s0 = f.sources[0] if f.sources else None
        where = f"{_file(docs, s0)}:{s0.line}" if s0 else "-"
        msg = f.message_en if english and f.message_en else f.message
        out.append(f"{where}: {f.code} [{SEVERITY_ZH[f.severity.value]}] {msg}")
        for s in f.sources:
            ctx = _line_context(docs, s)
            if ctx is None:
                out.append(f"    {s.line:>5} | {s.quote}")
                continue
            text, a, b = _short(*ctx)
            out.append(f"    {s.line:>5} | {text.replace(chr(9), '  ')}")
            pad = len(text[:a].replace("\t", "  "))
            width = max(1, len(text[a:b].replace("\t", "  ")))
            out.append(f"          | {' ' * _display_width(text[:a].replace(chr(9), '  '), pad)}"
                       f"{'^' * _display_width(text[a:b].replace(chr(9), '  '), width)}")
        nums = numbers_line(f)
        if nums:
            out.append(f"    = {nums}")
    out.append(summary_text(findings))
    return "\n".join(out) + "\n"


def _display_width(text: str, fallback: int) -> int:
    """Terminal columns of ``text`` (wide CJK characters count twice)."""
    import unicodedata

    if not text:
        return fallback if fallback <= 0 else 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def summary_text(findings: Sequence[Finding]) -> str:
    s = summary(findings)
    if not findings:
        return "未发现问题。 No findings."
    sev = "，".join(f"{SEVERITY_ZH[k]} {v}" for k, v in sorted(s["by_severity"].items()))
    rules = "，".join(f"{k} × {v}" for k, v in s["by_code"].items())
    return f"共 {len(findings)} 项发现（{sev}）：{rules}"


def to_json(findings: Sequence[Finding], extra: Mapping[str, Any] | None = None) -> str:
    return dumps({"findings": [finding_dict(f) for f in findings],
                  "summary": summary(findings), **(extra or {})})


CSV_FIELDS = ["code", "severity", "file", "line", "message", "message_en", "expected", "printed",
              "gap", "tolerance", "quotes"]


def to_csv(findings: Sequence[Finding]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for f in findings:
        s0 = f.sources[0] if f.sources else None
        w.writerow([f.code, f.severity.value, s0.file if s0 else "", s0.line if s0 else "",
                    f.message, f.message_en, f.expected or "", f.printed or "", f.gap or "",
                    f.tolerance or "", " | ".join(f"{s.line}:{s.quote}" for s in f.sources)])
    return buf.getvalue()


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2em auto;max-width:60em;color:#222;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
table.sum{border-collapse:collapse;margin:.5em 0}
table.sum td,table.sum th{border:1px solid #bbb;padding:.2em .6em;text-align:left}
.finding{border:1px solid #ccc;border-left:6px solid #999;padding:.6em 1em;margin:1em 0;
page-break-inside:avoid}
.error{border-left-color:#c62828}.warning{border-left-color:#ef8f00}.notice{border-left-color:#1565c0}
.code{font-weight:bold;font-family:monospace}.where{color:#555;font-family:monospace}
.quote{font-family:monospace;white-space:pre-wrap;background:#f7f7f7;padding:.2em .5em;margin:.2em 0}
mark{background:#ffe082;font-weight:bold}.nums{color:#333}.en{color:#666;font-size:.9em}
@media print{body{margin:0;max-width:none}.finding{border-color:#888}}
"""


def to_html(findings: Sequence[Finding], docs: Mapping[str, Document],
            title: str = "预算审查报告 Budget review report") -> str:
    """A self-contained printable report: summary, then each finding with quotes highlighted."""
    e = html.escape
    s = summary(findings)
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        "<p>文件 Documents: " + "、".join(e(d.name) for d in docs.values()) + "</p>",
        f"<h2>概要 Summary</h2><p>{e(summary_text(findings))}</p>",
    ]
    if findings:
        parts.append("<table class='sum'><tr><th>规则 Rule</th><th>数量 Count</th></tr>")
        for code, n in s["by_code"].items():
            parts.append(f"<tr><td class='code'>{e(code)}</td><td>{n}</td></tr>")
        parts.append("</table><h2>发现 Findings</h2>")
    for n, f in enumerate(findings, start=1):
        s0 = f.sources[0] if f.sources else None
        where = f"{_file(docs, s0)}:{s0.line}" if s0 else ""
        parts.append(f"<div class='finding {f.severity.value}' id='f{n}'>")
        parts.append(f"<div><span class='code'>{n}. {e(f.code)}</span> "
                     f"[{SEVERITY_ZH[f.severity.value]}] <span class='where'>{e(where)}</span></div>")
        parts.append(f"<div>{e(f.message)}</div><div class='en'>{e(f.message_en)}</div>")
        for src in f.sources:
            ctx = _line_context(docs, src)
            if ctx is None:
                body = f"<mark>{e(src.quote)}</mark>"
            else:
                text, a, b = _short(*ctx)
                body = e(text[:a]) + "<mark>" + e(text[a:b]) + "</mark>" + e(text[b:])
            parts.append(f"<div class='quote'>{src.line:>5} | {body}</div>")
        nums = numbers_line(f)
        if nums:
            parts.append(f"<div class='nums'>{e(nums)}</div>")
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts)
