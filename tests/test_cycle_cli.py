"""``yusuan cycle``: a budget approved, paid against and refused from the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from yusuan.cli.cycle_cmd import cycle_cmd
from yusuan.cycle import ledger
from yusuan.cycle.db import open_db

LINES = """department,func_code,econ_code,project,fund_source,amount,name,sanbao,sangong,required
县政府办,2010301,30201,,,1000.00,机关运行,,,
县政府办,2010301,30217,,,50.00,公务接待费,,reception,
"""


def test_budget_pay_refuse_reconcile(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    csv_path = tmp_path / "lines.csv"
    csv_path.write_text(LINES, encoding="utf-8")
    run = CliRunner().invoke
    r = run(cycle_cmd, ["budget", "draft", str(csv_path), "--gov", "999901", "--year", "2024",
                        "--db", db])
    assert r.exit_code == 0, r.output
    vid = r.output.split()[-1]
    r = run(cycle_cmd, ["budget", "approve", vid, "--date", "2024-01-10", "--db", db])
    assert r.exit_code == 2 and "cycle.version.session" in r.output
    r = run(cycle_cmd, ["budget", "approve", vid, "--date", "2024-01-10", "--session", "县人代会",
                        "--db", db])
    assert r.exit_code == 0, r.output
    ind = ledger.lookup(open_db(db), ledger.IndicatorKey(
        "999901", 2024, "general", "县政府办", "2010301", "30201"))
    r = run(cycle_cmd, ["pay", str(ind), "600", "--date", "2024-02-01", "--db", db])
    assert r.exit_code == 0 and "可用余额 400.00 元" in r.output
    r = run(cycle_cmd, ["pay", str(ind), "400.01", "--date", "2024-02-02", "--db", db])
    assert r.exit_code == 2 and "cycle.pay.insufficient" in r.output
    r = run(cycle_cmd, ["budget", "reallocate", "--from", "县政府办/2010301/30201",
                        "--to", "县政府办/2010301/30217", "--amount", "10", "--date", "2024-03-01",
                        "--gov", "999901", "--year", "2024", "--db", db])
    assert r.exit_code == 2 and "cycle.realloc.sangong" in r.output
    r = run(cycle_cmd, ["budget", "show", "--at", "2024-01-09", "--gov", "999901", "--year",
                        "2024", "--db", db])
    assert r.exit_code == 0 and r.output.strip().endswith("合计 0.00 元")
    r = run(cycle_cmd, ["budget", "show", "--at", "2024-01-10", "--gov", "999901", "--year",
                        "2024", "--db", db])
    assert r.output.strip().endswith("合计 1050.00 元")
    r = run(cycle_cmd, ["reconcile", "--db", db])
    assert r.exit_code == 0
    r = run(cycle_cmd, ["indicators", "--gov", "999901", "--year", "2024", "--db", db])
    assert r.exit_code == 0 and "400.00" in r.output
    r = run(cycle_cmd, ["facts", "--gov", "999901", "--year", "2024", "--through", "2",
                        "--db", db])
    assert r.exit_code == 0 and '"stage": "execution"' in r.output
