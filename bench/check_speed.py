"""Time ``yusuan check`` on all five seeds (read + extract + check, as the CLI does it).

    python bench/check_speed.py [--repeat 3]

Prints the wall time of each repetition of the whole command (in process) and of the check
stage alone; the target is under 2 s for the whole command.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from click.testing import CliRunner  # noqa: E402

from yusuan.check import check  # noqa: E402
from yusuan.cli.check_cmd import check_cmd, load_paths  # noqa: E402

SEEDS = sorted((ROOT.parent / "shared" / "corpus" / "seeds").glob("*.txt"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    paths = [str(p) for p in SEEDS]
    for n in range(args.repeat):
        t0 = time.perf_counter()
        result = CliRunner().invoke(check_cmd, [*paths, "--format", "json"])
        whole = time.perf_counter() - t0
        exs, _ = load_paths(paths)
        t1 = time.perf_counter()
        findings = check(exs).findings
        stage = time.perf_counter() - t1
        print(
            f"run {n + 1}: yusuan check on {len(paths)} seeds {whole:.3f} s "
            f"(check stage {stage:.3f} s, {len(findings)} findings, exit {result.exit_code})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
