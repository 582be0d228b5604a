"""Charts as inline SVG, drawn on the server: they work offline and print.

Each function takes plain labelled numbers and returns an ``<svg>`` string
with a ``<title>`` and a text fallback in ``<desc>``; every label is
escaped.  Numbers are Decimal; coordinates are rounded to 0.1 px.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

PALETTE = ("#2f6db3", "#e08a2e", "#3a9a5b", "#b8403a", "#7d5ba6", "#8c8c8c", "#c9a227")
FONT = "font-family=\"'Noto Sans CJK SC','Noto Serif CJK SC','Microsoft YaHei',sans-serif\""


def _f(x: Decimal | float | int) -> str:
    return f"{float(x):.1f}"


def _pct(x: Decimal) -> str:
    return f"{x.quantize(Decimal('0.01'))}%"


@dataclass(frozen=True, slots=True)
class Progress:
    label: str
    rate: Decimal  # percent of budget executed
    elapsed: Decimal  # 序时进度, percent


def progress_chart(items: Sequence[Progress], title: str = "执行进度与序时进度") -> str:
    """Horizontal bars of execution rate, each with a marker at 序时进度."""
    width, left, right, bar, gap, top = 640, 190, 70, 18, 14, 34
    height = top + len(items) * (bar + gap) + 30
    plot = width - left - right
    top_value = max([Decimal(100), *(i.rate for i in items), *(i.elapsed for i in items)])
    scale = Decimal(plot) / top_value
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-progress" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT} font-size="12">',
           f"<title>{escape(title)}</title>",
           "<desc>" + escape("；".join(f"{i.label} {_pct(i.rate)}（序时 {_pct(i.elapsed)}）"
                                      for i in items)) + "</desc>",
           f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for tick in range(0, int(top_value) + 1, 25):
        x = left + Decimal(tick) * scale
        out.append(f'<line x1="{_f(x)}" y1="{top - 6}" x2="{_f(x)}" y2="{height - 24}" '
                   f'stroke="#ddd"/>')
        out.append(f'<text x="{_f(x)}" y="{height - 10}" text-anchor="middle" fill="#666">'
                   f"{tick}%</text>")
    for n, item in enumerate(items):
        y = top + n * (bar + gap)
        w = max(Decimal(0), item.rate) * scale
        behind = item.rate < item.elapsed - 5
        color = PALETTE[3] if behind else PALETTE[0]
        out.append(f'<text x="{left - 8}" y="{_f(y + bar * 0.75)}" text-anchor="end">'
                   f"{escape(item.label)}</text>")
        out.append(f'<rect class="bar" x="{left}" y="{y}" width="{_f(w)}" height="{bar}" '
                   f'fill="{color}"/>')
        mx = left + item.elapsed * scale
        tx = left + w + 4
        if tx - 4 <= mx <= tx + 52:  # keep the figure clear of the 序时进度 marker
            tx = mx + 6
        out.append(f'<text x="{_f(tx)}" y="{_f(y + bar * 0.75)}">{_pct(item.rate)}</text>')
        out.append(f'<line class="elapsed" x1="{_f(mx)}" y1="{y - 3}" x2="{_f(mx)}" '
                   f'y2="{y + bar + 3}" stroke="#222" stroke-width="2" stroke-dasharray="3,2"/>')
    out.append(f'<text x="{width - right + 4}" y="16" fill="#222" font-size="11">┆ 序时进度</text>')
    out.append("</svg>")
    return "".join(out)


def composition_chart(parts: Sequence[tuple[str, Decimal]], total_label: str,
                      unit: str = "亿元", title: str = "收入构成") -> str:
    """One stacked 100% bar with a legend: the parts of a total."""
    width, height, left, top, bar = 640, 120, 20, 34, 30
    plot = width - 2 * left
    total = sum((v for _, v in parts if v > 0), Decimal(0))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-composition" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT} font-size="12">',
           f"<title>{escape(title)}</title>",
           "<desc>" + escape("；".join(f"{k} {v}{unit}" for k, v in parts)) + "</desc>",
           f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}'
           f"（{escape(total_label)}）</text>"]
    x = Decimal(left)
    legend_x = left
    for n, (label, value) in enumerate(parts):
        color = PALETTE[n % len(PALETTE)]
        share = value / total if total else Decimal(0)
        w = share * plot if value > 0 else Decimal(0)
        out.append(f'<rect class="segment" x="{_f(x)}" y="{top}" width="{_f(w)}" height="{bar}" '
                   f'fill="{color}"/>')
        if w > 40:
            out.append(f'<text x="{_f(x + w / 2)}" y="{top + 20}" text-anchor="middle" fill="#fff">'
                       f"{_pct(share * 100)}</text>")
        x += w
        text = f"{label} {value}{unit}"
        out.append(f'<rect x="{legend_x}" y="{top + bar + 16}" width="10" height="10" '
                   f'fill="{color}"/>')
        out.append(f'<text x="{legend_x + 14}" y="{top + bar + 25}">{escape(text)}</text>')
        legend_x += 24 + 13 * len(text)
    out.append("</svg>")
    return "".join(out)


def debt_chart(balance: Decimal | None, limit: Decimal | None, unit: str = "亿元",
               title: str = "债务余额与限额") -> str:
    """Two bars on one scale: the debt balance and the limit it must stay under."""
    width, height, left, top, bar = 640, 110, 110, 34, 22
    plot = width - left - 110
    values = [v for v in (balance, limit) if v is not None]
    top_value = max(values) if values else Decimal(1)
    scale = Decimal(plot) / top_value if top_value else Decimal(0)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-debt" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT} font-size="12">',
           f"<title>{escape(title)}</title>",
           f"<desc>{escape(f'余额 {balance}{unit}；限额 {limit}{unit}')}</desc>",
           f'<text x="20" y="16" font-size="13" font-weight="bold">{escape(title)}</text>']
    for n, (label, value, color) in enumerate(
        (("债务余额", balance, PALETTE[0]), ("债务限额", limit, PALETTE[5]))
    ):
        y = top + n * (bar + 12)
        out.append(f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{label}</text>')
        if value is None:
            out.append(f'<text x="{left}" y="{y + 16}" fill="#b8403a">未披露</text>')
            continue
        w = value * scale
        out.append(f'<rect class="bar" x="{left}" y="{y}" width="{_f(w)}" height="{bar}" '
                   f'fill="{color}"/>')
        out.append(f'<text x="{_f(left + w + 4)}" y="{y + 16}">{value}{unit}</text>')
    out.append("</svg>")
    return "".join(out)
