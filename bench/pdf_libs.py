"""Measure PDF libraries for the reader: speed, Chinese text, ruled tables.

Renders seed documents to PDF with the test generator (fpdf2, CJK font),
then reads them back with

- pypdfium2 (Apache-2.0 / BSD-3-Clause) through yusuan's PDF reader
  (pdfium text + yusuan's ruling-based table finder), and
- pdfplumber (MIT, on pdfminer.six) with ``extract_text`` and
  ``extract_tables`` (its default lines strategy).

PyMuPDF is not measured: it is AGPL-3.0, which the project (Apache-2.0)
does not take on.

Figures: pages per second (best of ``--repeat`` runs, whole read; by wall
clock and by the process's CPU time, which other jobs on the machine
disturb less), text
accuracy (share of the seed's paragraph lines found verbatim, whitespace
removed, in the extracted text), table accuracy (share of the seed's table
rows that come back as the same cells, whitespace removed inside a
cell).  Also checks which library reads fpdf2's CFF (Noto CJK) font.

    /work/venv/bin/python bench/pdf_libs.py [--seeds 000 002 003] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.support.render import FONT_CANDIDATES, blocks, render_pdf  # noqa: E402

from yusuan.read.base import clean_cell  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def _squash(s: str) -> str:
    return "".join(s.split())


def _row_key(cells: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_squash(c) for c in cells)


def expected(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    paragraphs, rows = [], []
    for b in blocks(text):
        if b.rows is None:
            if len(_squash(b.text)) >= 2:
                paragraphs.append(_squash(b.text))
        else:
            rows.extend(_row_key(r) for r in b.rows)
    return paragraphs, rows


def score(
    paragraphs: list[str], rows: list[tuple[str, ...]], text: str, got_rows: list[tuple[str, ...]]
) -> tuple[float, float]:
    flat = _squash(text)
    text_ok = sum(1 for p in paragraphs if p in flat) / max(1, len(paragraphs))
    matched = sum((Counter(rows) & Counter(got_rows)).values())
    return text_ok, matched / max(1, len(rows))


def run_pdfium(data: bytes, path: str) -> tuple[int, str, list[tuple[str, ...]]]:
    from yusuan.read.pdf import PdfReader

    doc, _ = PdfReader().read(data, path)
    assert doc is not None
    rows = [_row_key(line.text.split("\t")) for line in doc.lines if line.cells]
    return doc.pages, doc.text, rows


def run_pdfplumber(data: bytes, path: str) -> tuple[int, str, list[tuple[str, ...]]]:
    import io

    import pdfplumber

    texts, rows = [], []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            texts.append(page.extract_text() or "")
            for table in page.extract_tables():
                rows.extend(_row_key([clean_cell(c or "") for c in r]) for r in table)
            page.close()
    return pages, "\n".join(texts), rows


LIBS = {"pypdfium2 (yusuan reader)": run_pdfium, "pdfplumber": run_pdfplumber}


CFF_TEXT = "一般公共预算收入完成448488万元"


def _hanzi(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def cff_check(directory: Path) -> dict[str, int]:
    """Chinese characters each library gets from a PDF in fpdf2's CFF (Noto) font."""
    from fpdf import FPDF

    noto = next((c for c, _ in FONT_CANDIDATES if "Noto" in c and Path(c).is_file()), None)
    if noto is None:
        return {}
    pdf = FPDF()
    pdf.add_font("noto", "", noto, collection_font_number=2)
    pdf.set_font("noto", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 6, CFF_TEXT)
    path = directory / "noto.pdf"
    pdf.output(str(path))
    data = path.read_bytes()
    out = {}
    for name, run in LIBS.items():
        _, text, _ = run(data, str(path))
        out[name] = _hanzi(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", nargs="*", default=["000", "001", "002", "003", "004"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        docs = []
        for prefix in args.seeds:
            seed = next(SEEDS.glob(f"{prefix}_*.txt"))
            text = seed.read_text(encoding="utf-8")
            path = directory / f"{prefix}.pdf"
            render_pdf(text, path)
            docs.append((prefix, path, text))
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
        print()
        print(
            "| library | seed | pages | pages/s (wall) | pages/s (CPU) | text lines found "
            "| table rows same |"
        )
        print("|---|---|---:|---:|---:|---:|---:|")
        totals: dict[str, list[float]] = {}
        for name, run in LIBS.items():
            all_pages, all_wall, all_cpu = 0, 0.0, 0.0
            for prefix, path, text in docs:
                data = path.read_bytes()
                wall = cpu = float("inf")
                for _ in range(args.repeat):
                    start, start_cpu = time.perf_counter(), time.process_time()
                    pages, got_text, got_rows = run(data, str(path))
                    wall = min(wall, time.perf_counter() - start)
                    cpu = min(cpu, time.process_time() - start_cpu)
                paragraphs, rows = expected(text)
                text_ok, rows_ok = score(paragraphs, rows, got_text, got_rows)
                all_pages += pages
                all_wall += wall
                all_cpu += cpu
                print(
                    f"| {name} | {prefix} | {pages} | {pages / wall:.1f} | {pages / cpu:.1f} | "
                    f"{text_ok:.1%} | "
                    + (f"{rows_ok:.1%} of {len(rows)} |" if rows else "no tables |")
                )
            totals[name] = [all_pages, all_wall, all_cpu]
        print()
        for name, (pages, wall, cpu) in totals.items():
            print(
                f"- {name}: {pages:.0f} pages in {wall:.2f} s wall, {cpu:.2f} s CPU = "
                f"{pages / wall:.1f} pages/s wall, {pages / cpu:.1f} pages/s CPU"
            )
        print(f"(load average {os.getloadavg()[0]:.1f} at the end)")
        cff = cff_check(directory)
        if cff:
            print()
            print(
                "Chinese characters read back from an fpdf2 PDF in Noto Sans CJK (CFF), "
                f"of {_hanzi(CFF_TEXT)}:"
            )
            for name, count in cff.items():
                print(f"- {name}: {count}")


if __name__ == "__main__":
    main()
