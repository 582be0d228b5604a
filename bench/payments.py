"""Payments per second accepted under indicator control (SQLite; PostgreSQL with YUSUAN_TEST_PG).

Usage:  python bench/payments.py [--payments N] [--threads T] [--indicators K]

Every payment is its own write transaction (BEGIN IMMEDIATE on SQLite, SELECT …
FOR UPDATE of the indicator row on PostgreSQL), checks the available balance,
appends a journal entry and moves the indicator's running totals.  At the end
the journal is reconciled against the indicators and the overspend check is
repeated: the figures count only accepted payments.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from yusuan.cycle import ledger
from yusuan.cycle.db import CycleDB, open_db
from yusuan.cycle.errors import Refused


def run(
    db: CycleDB, payments: int, threads: int, indicators: int, sanbao: bool = False
) -> tuple[int, int, float, float]:
    ids = [
        ledger.allocate(
            db,
            ledger.IndicatorKey("999901", 2024, "general", f"部门{i}", "2010301", "30201"),
            Decimal(payments * 4 // 5 // indicators),  # 4 in 5 payments fit: the rest are refused
            date(2024, 1, 2),
        )
        for i in range(indicators)
    ]
    per_thread = payments // threads
    accepted = refused = 0
    lock = threading.Lock()

    def worker(n: int) -> None:
        nonlocal accepted, refused
        ok = bad = 0
        for j in range(per_thread):
            try:
                ledger.pay(
                    db,
                    ids[(n + j) % len(ids)],
                    Decimal("1.00"),
                    date(2024, 6, 1),
                    check_sanbao=False,
                )
                ok += 1
            except Refused:
                bad += 1
        with lock:
            accepted += ok
            refused += bad

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    start = time.perf_counter()
    cpu = time.process_time()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    assert ledger.reconcile(db) == [], "journal and balances disagree"
    for i in ids:
        assert ledger.get_indicator(db, i).available >= 0
    return accepted, refused, elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=5000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--indicators", type=int, default=1)
    parser.add_argument("--sanbao", action="store_true",
                        help="also look for short 三保 items on every payment (one more query)")
    args = parser.parse_args()
    targets: list[tuple[str, str]] = []
    tmp = tempfile.TemporaryDirectory()
    targets.append(("sqlite", str(Path(tmp.name) / "bench.db")))
    if os.environ.get("YUSUAN_TEST_PG"):
        targets.append(("postgresql", os.environ["YUSUAN_TEST_PG"]))
    for name, url in targets:
        db = open_db(url)
        if name == "postgresql":
            from yusuan.store.cycle import CYCLE_TABLES
            from yusuan.store.schema import Base

            Base.metadata.drop_all(db.engine, tables=CYCLE_TABLES)
        db.create_tables()
        accepted, refused, elapsed, cpu = run(db, args.payments, args.threads, args.indicators,
                                         args.sanbao)
        print(
            f"{name}: {accepted} payments accepted, {refused} refused, "
            f"{args.threads} threads, {args.indicators} indicator(s)"
            f"{', 三保 check' if args.sanbao else ''}, {elapsed:.2f} s: "
            f"{accepted / elapsed:,.0f} payments/s accepted "
            f"(this process used {cpu:.2f} s of CPU: {(accepted + refused) / cpu:,.0f} attempts "
            f"per CPU-second; the machine's load average was {os.getloadavg()[0]:.1f})"
        )
        db.close()
    tmp.cleanup()


if __name__ == "__main__":
    main()
