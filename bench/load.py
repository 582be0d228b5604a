"""Load benchmark of ``yusuan serve`` on loopback.

    /work/venv/bin/python bench/load.py [--governments 1000] [--concurrency 50] [--requests 2000]

Builds a ledger with the five seeds and a synthetic ledger of N governments
(each a small stored document of budget, mid-year execution, final accounts,
类-level expenditure and debt, with real text spans), starts ``yusuan serve``
in a subprocess, logs in, and measures with C concurrent connections:

* the government page's JSON (``/governments/{code}.json``) for random governments,
  first cold: requested at once after start, while the server is still warming
  its caches in the background (a page the warm-up has not reached yet is
  computed by the request); then, once ``/api/v1/health`` says ``warm: true``, warm;
* the aggregate endpoint (``/api/v1/aggregate``) with a mix of cuts and drilldowns.

Before starting the server it also measures, in this process, the CPU cost of
computing one government page: before the facts-by-government index exists (the
path of a request that arrives before the warm-up built it) and after.

Prints p50, p90, p99 and max latency and the request rate of each, and whether
the target is met: p99 under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import httpx  # noqa: E402

from yusuan.model import (  # noqa: E402
    Amount,
    Book,
    DocKind,
    Document,
    Extraction,
    Fact,
    Government,
    Level,
    Period,
    Source,
    Stage,
    Unit,
)
from yusuan.read.base import make_document  # noqa: E402
from yusuan.refdata import regions  # noqa: E402

SEEDS = sorted((ROOT.parent / "shared" / "corpus" / "seeds").glob("*.txt"))
FUNCTIONS = ("201", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "221")
PASSWORD = "bench-password-1"


def governments(n: int) -> list[Government]:
    """``n`` real county-level governments from the region table (deterministic)."""
    table = regions._table()
    out = [g for g in table.governments.values() if g.level is Level.COUNTY]
    out.sort(key=lambda g: g.code)
    return out[:n]


def synthetic_extraction(gov: Government, rng: random.Random) -> Extraction:
    """One small budget document of ``gov`` whose every fact quotes its own line."""
    rows: list[tuple[str, str | None, Book | None, Stage, Period, Decimal]] = []
    base = Decimal(rng.randrange(50_000, 500_000))
    for year in (2023, 2024):
        g = base * (Decimal("1.05") if year == 2024 else 1)
        rev, exp = g.quantize(Decimal(1)), (g * Decimal("2.6")).quantize(Decimal(1))
        rows += [
            ("一般公共预算收入", None, Book.GENERAL, Stage.BUDGET, Period(year), rev),
            ("一般公共预算支出", None, Book.GENERAL, Stage.BUDGET, Period(year), exp),
            ("一般公共预算收入", None, Book.GENERAL, Stage.EXECUTION, Period(year, 1, 6),
             (rev * Decimal("0.52")).quantize(Decimal(1))),
            ("一般公共预算支出", None, Book.GENERAL, Stage.EXECUTION, Period(year, 1, 6),
             (exp * Decimal("0.47")).quantize(Decimal(1))),
            ("税收收入", "101", Book.GENERAL, Stage.BUDGET, Period(year), (rev * Decimal("0.6")).quantize(Decimal(1))),
            ("非税收入", "103", Book.GENERAL, Stage.BUDGET, Period(year), (rev * Decimal("0.4")).quantize(Decimal(1))),
            ("政府性基金预算收入", None, Book.FUND, Stage.BUDGET, Period(year), (rev * Decimal("0.7")).quantize(Decimal(1))),
            ("地方政府债务限额", None, None, Stage.LIMIT, Period(year), (rev * 5).quantize(Decimal(1))),
        ]
        if year == 2023:
            rows += [
                ("一般公共预算收入", None, Book.GENERAL, Stage.FINAL, Period(year), (rev * Decimal("1.01")).quantize(Decimal(1))),
                ("一般公共预算支出", None, Book.GENERAL, Stage.FINAL, Period(year), (exp * Decimal("0.98")).quantize(Decimal(1))),
            ]
        share = exp / len(FUNCTIONS)
        for code in FUNCTIONS:
            rows.append((f"类{code}", code, Book.GENERAL, Stage.BUDGET, Period(year),
                         (share * Decimal(rng.randrange(50, 150)) / 100).quantize(Decimal(1))))
    lines = [f"{gov.name}财政预算（合成数据，用于压力测试）"]
    for name, _code, _book, stage, period, value in rows:
        lines.append(f"{period}{stage.value}{name}{value}万元")
    text = "\n".join(lines) + "\n"
    doc = make_document(text.encode("utf-8"), f"synthetic-{gov.code}.txt", "txt", text)
    facts = []
    pos = len(lines[0]) + 1
    for (name, code, book, stage, period, value), line in zip(rows, lines[1:], strict=True):
        facts.append(Fact(
            indicator=name, code=code,
            amount=Amount(value, Unit.WAN), stage=stage, period=period,
            source=Source(doc.id, text.count("\n", 0, pos) + 1, pos, pos + len(line), line, doc.name),
            book=book, government=gov.name, division=gov.code,
        ))
        pos += len(line) + 1
    return Extraction(document=doc, facts=tuple(facts), tables=(), relations=(), government=gov,
                      kind=DocKind.BUDGET_REPORT, year=2024)


def build_ledger(db: str, n: int) -> list[str]:
    """Store the seeds (checked) and ``n`` synthetic governments; returns their codes."""
    from yusuan.check import check
    from yusuan.extract import extract
    from yusuan.read import read_bytes
    from yusuan.service.auth import hash_password
    from yusuan.store import Store
    from yusuan.store.accounts import Accounts

    store = Store.open(db)
    Accounts(store.engine).add_user("bench", hash_password(PASSWORD), "viewer")
    for path in SEEDS:
        document, _ = read_bytes(path.read_bytes(), path.name)
        assert isinstance(document, Document)
        ex = extract(document)
        stored = store.ingest(ex)
        store.save_findings(stored.document, check([ex]).findings)
    rng = random.Random(20261122)
    codes = []
    for gov in governments(n):
        store.ingest(synthetic_extraction(gov, rng))
        codes.append(gov.code)
    store.close()
    return codes


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: the client must
    cost far less than the server, or the benchmark measures the client."""

    def __init__(self, host: str, port: int, cookie: str) -> None:
        self.host, self.port, self.cookie = host, port, cookie
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: application/json\r\n"
            f"Cookie: {self.cookie}\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_load(base: str, paths: list[str], concurrency: int, cookies: httpx.Cookies) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    host, port = base.removeprefix("http://").split(":")
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())

    async def worker() -> None:
        conn = Connection(host, int(port), cookie)
        try:
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                status, body = await conn.get(path)
                latencies.append(time.perf_counter() - t)
                if status != 200:
                    raise RuntimeError(f"{path}: {status} {body[:200]!r}")
        finally:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


TARGET_P99_MS = 200.0


def page_cpu(db: str, codes: list[str], sample: int = 100) -> None:
    """CPU milliseconds to compute one government page, without and with the
    shared facts-by-government index (measured in this process, no HTTP)."""
    from yusuan.service.core import Service
    from yusuan.store import Store

    service = Service(Store.open(db))
    try:
        service.governments()
        picked = codes[:2 * sample]

        def per_page(batch: list[str]) -> float:
            t = time.process_time()
            for c in batch:
                service.government_page(c, None)
            return (time.process_time() - t) * 1000 / max(1, len(batch))

        before = per_page(picked[:sample])
        t = time.process_time()
        service.facts_by_government()
        index_s = time.process_time() - t
        after = per_page(picked[sample:])
        print(f"government page CPU, cold: {before:.1f} ms/page before the index, {after:.1f} ms/page "
              f"with it (index built once per ledger version in {index_s:.1f} s CPU)")
    finally:
        service.store.close()


def report(label: str, latencies: list[float], wall: float) -> None:
    ms = sorted(x * 1000 for x in latencies)

    def pct(q: float) -> float:
        return ms[min(len(ms) - 1, int(q * len(ms)))]

    met = "met" if pct(0.99) < TARGET_P99_MS else "NOT met"
    print(f"{label:<34} n={len(ms):5d}  p50={pct(0.50):7.1f} ms  p90={pct(0.90):7.1f} ms  "
          f"p99={pct(0.99):7.1f} ms  max={ms[-1]:7.1f} ms  {len(ms) / wall:7.1f} req/s  "
          f"[p99 < {TARGET_P99_MS:.0f} ms: {met}]")
    # where the slowest answers fall: the first tenth of the run (caches filling) or later
    k = max(1, len(latencies) // 10)
    first = sorted(x * 1000 for x in latencies[:k])
    rest = sorted(x * 1000 for x in latencies[k:]) or [0.0]
    print(f"{'':<34} first {k}: p99={first[min(len(first) - 1, int(0.99 * len(first)))]:7.1f} ms;  "
          f"the rest: p50={rest[len(rest) // 2]:7.1f} ms  p99={rest[min(len(rest) - 1, int(0.99 * len(rest)))]:7.1f} ms")


def wait_warm(base: str, started: float, timeout: float = 300.0) -> float:
    """Wait until the server's health says its caches are warm; seconds since start."""
    while time.monotonic() - started < timeout:
        if httpx.get(base + "/api/v1/health", timeout=5).json()["data"].get("warm"):
            break
        time.sleep(0.2)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--governments", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="requests per measured round")
    ap.add_argument("--db", help="ledger URL (default: a new SQLite file in a temp folder)")
    ap.add_argument("--reuse", action="store_true",
                    help="the --db ledger was built by an earlier run: measure only")
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="yusuan-load-"))
    db = args.db or f"sqlite:///{tmp / 'ledger.db'}"
    t = time.perf_counter()
    if args.reuse and args.db:
        codes = [g.code for g in governments(args.governments)]
    else:
        codes = build_ledger(db, args.governments)
    print(f"ledger: 5 seeds + {len(codes)} synthetic governments in {time.perf_counter() - t:.1f} s ({db})")
    page_cpu(db, codes)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", "from yusuan.cli.serve_cmd import serve_cmd; serve_cmd()",
         "--db", db, "--port", str(port), "--host", "127.0.0.1"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.DEVNULL, stderr=(tmp / "server.log").open("wb"),
    )
    started = time.monotonic()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("yusuan serve did not start")
            time.sleep(0.2)
        login = httpx.post(base + "/api/v1/session", json={"username": "bench", "password": PASSWORD})
        login.raise_for_status()
        cookies = login.cookies
        rng = random.Random(7)
        n = args.requests
        seeds_govs = [g["code"] for g in httpx.get(base + "/api/v1/governments", cookies=cookies,
                                                    params={"pagesize": 1000}).json()["data"]
                      if g["code"] not in set(codes)]
        cold = [f"/governments/{c}.json" for c in rng.sample(codes, min(n, len(codes)))]
        warm = [f"/governments/{rng.choice(codes + seeds_govs)}.json" for _ in range(n)]
        aggregates = []
        for _ in range(n):
            kind = rng.randrange(4)
            if kind == 0:
                aggregates.append("/api/v1/aggregate?cut=year:2024|stage:budget&drilldown=government")
            elif kind == 1:
                aggregates.append(f"/api/v1/aggregate?cut=year:2024|stage:budget|government:{rng.choice(codes)}"
                                  "&drilldown=code")
            elif kind == 2:
                aggregates.append(f"/api/v1/aggregate?cut=year:{rng.choice((2023, 2024))}&drilldown=stage|code")
            else:
                aggregates.append(f"/api/v1/aggregate?cut=stage:budget|government:{rng.choice(codes)}"
                                  "&drilldown=year|code")
        print(f"concurrency {args.concurrency}, loopback, one uvicorn worker")
        for label, paths in (("government page JSON (cold)", cold), ("government page JSON (warm)", warm),
                             ("aggregate (mixed cuts)", aggregates)):
            if label.endswith("(warm)"):
                print(f"{'':<34} server warm after {wait_warm(base, started):.1f} s from start")
            t = time.perf_counter()
            lat = asyncio.run(run_load(base, paths, args.concurrency, cookies))
            report(label, lat, time.perf_counter() - t)
    except Exception:
        print((tmp / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
