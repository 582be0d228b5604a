"""Read + extract speed: facts/s and MB/s for the five seeds and their PDF renderings.

    python bench/ingest.py [--repeat N]

Prints, per seed, the best CPU time of read + extract over N runs, the facts
found, facts per second and MB per second; then the same for PDF renderings
of the seeds (made with the test generator), with pages per second.
Targets (issue: "Read real budget documents"): all five seeds in under 1 s
of CPU on one core; PDFs at 20 pages per second or more.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from yusuan.extract import extract  # noqa: E402
from yusuan.read import read  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def best_cpu(path: Path, repeat: int) -> tuple[float, int, int]:
    """(best CPU seconds, facts, pages) of read + extract."""
    best = float("inf")
    facts = pages = 0
    for _ in range(repeat):
        t0 = time.process_time()
        document, problems = read(path)
        if document is None:
            raise SystemExit(f"{path}: {problems}")
        ex = extract(document)
        best = min(best, time.process_time() - t0)
        facts, pages = len(ex.facts), document.pages
    return best, facts, pages


def loading_cost() -> None:
    """Cold load of the reference data (code list, region table), best of 3."""
    from yusuan.refdata import codes, regions

    def cold(load: object) -> float:
        best = float("inf")
        for _ in range(3):
            codes._read_year.cache_clear()
            codes.load_codes.cache_clear()
            regions._table.cache_clear()
            t0 = time.perf_counter()
            load()  # type: ignore[operator]
            best = min(best, time.perf_counter() - t0)
        return best * 1000

    code_ms = cold(lambda: codes.load_codes(2024).get("201"))
    region_ms = cold(lambda: regions.resolve("乌苏市"))
    print(f"reference data, cold load: code list 2024 {code_ms:.1f} ms; "
          f"region table + first resolve {region_ms:.1f} ms\n")


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(str(c).rjust(w) for c, w in zip(r, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        raise SystemExit(f"no seeds at {SEEDS}")

    loading_cost()
    # warm up imports and caches (code lists, regions, regexes) once
    best_cpu(seeds[0], 1)

    print(f"read + extract, best CPU time of {args.repeat} runs, one core")
    rows, total_t, total_f, total_b = [], 0.0, 0, 0
    for path in seeds:
        t, f, _ = best_cpu(path, args.repeat)
        size = path.stat().st_size
        total_t, total_f, total_b = total_t + t, total_f + f, total_b + size
        rows.append((path.name[:3], f"{size / 1e3:.1f} kB", f"{t * 1000:.0f} ms", str(f),
                     f"{f / t:,.0f}", f"{size / 1e6 / t:.2f}"))
    rows.append(("all", f"{total_b / 1e3:.1f} kB", f"{total_t * 1000:.0f} ms", str(total_f),
                 f"{total_f / total_t:,.0f}", f"{total_b / 1e6 / total_t:.2f}"))
    table(rows, ("seed", "size", "CPU", "facts", "facts/s", "MB/s"))
    print(f"target: five seeds < 1000 ms CPU -> {'met' if total_t < 1 else 'NOT met'}"
          f" ({total_t * 1000:.0f} ms)")

    if args.no_pdf:
        return
    from tests.support.render import render_pdf

    print("\nPDF renderings (tests/support/render.py), read + extract")
    rows, total_t, total_p, total_f = [], 0.0, 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in seeds:
            pdf = render_pdf(path.read_text(encoding="utf-8"), Path(tmp) / (path.stem + ".pdf"))
            t, f, pages = best_cpu(pdf, max(1, args.repeat // 2))
            total_t, total_p, total_f = total_t + t, total_p + pages, total_f + f
            rows.append((path.name[:3], str(pages), f"{t * 1000:.0f} ms", str(f),
                         f"{pages / t:.1f}", f"{f / t:,.0f}"))
    rows.append(("all", str(total_p), f"{total_t * 1000:.0f} ms", str(total_f),
                 f"{total_p / total_t:.1f}", f"{total_f / total_t:,.0f}"))
    table(rows, ("seed", "pages", "CPU", "facts", "pages/s", "facts/s"))
    print(f"target: >= 20 pages/s -> {'met' if total_p / total_t >= 20 else 'NOT met'}"
          f" ({total_p / total_t:.1f} pages/s)")


if __name__ == "__main__":
    main()
