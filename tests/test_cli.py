"""The CLI: ingest (good and bad files), facts (filters and formats), demo."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_store import make_extraction
from yusuan.cli.common import ingest_file, render_table, width
from yusuan.cli.demo import run_checks, sample_files
from yusuan.cli.main import main
from yusuan.store import Store

REPORT = (
    "关于测试县2024年上半年预算执行情况的报告\n"
    "1-6月，全县一般公共预算收入完成3.52亿元，比上年同期增收0.21亿元，增长6.34%。\n"
)


def _pdf_bytes() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(3):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 8, "General public budget revenue 3.52. " * 40)
    return bytes(pdf.output())


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """One good file and one bad file of each kind."""
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "good.txt").write_text(REPORT, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    (d / "truncated.pdf").write_bytes(_pdf_bytes()[:300])
    (d / "wrong_ext.pdf").write_text(REPORT + "另一份\n", encoding="utf-8")
    (d / "gbk.txt").write_bytes(REPORT.replace("测试县", "乙县").encode("gbk"))
    (d / "notes.bin").write_bytes(b"not taken: unknown extension in a folder walk")
    return d


BAD = ("empty.txt", "garbage.txt", "truncated.pdf", "wrong_ext.pdf", "gbk.txt")


def test_ingest_file_outcomes(folder: Path, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "o.db")
    outcomes = {
        p.name: ingest_file(store, p) for p in sorted(folder.rglob("*")) if p.name.endswith(
            (".txt", ".pdf"))
    }
    flat = {
        name: (o.failed, bool(o.problems) or bool(o.error),
               all(p.code.startswith("read.") for p in o.problems))
        for name, o in outcomes.items()
    }
    assert flat["good.txt"] == (False, False, True)
    for name in ("empty.txt", "garbage.txt", "truncated.pdf", "gbk.txt"):
        assert flat[name] == (True, True, True), name
    # a text file named .pdf is read for what it is, with a problem saying so
    assert flat["wrong_ext.pdf"][1:] == (True, True)
    assert outcomes["good.txt"].error is None
    store.close()


def test_ingest_folder_with_bad_files(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    for name in BAD:
        path = str(folder / name)
        assert any(path + ":" in line for line in err), (name, result.stderr)
    assert "notes.bin" not in result.output + result.stderr
    out = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in out] == sorted(
        ["good.txt", *[n for n in ("wrong_ext.pdf",) if any(n in line for line in out)]]
    )
    with Store.open(db) as store:
        names = sorted(d.name for d in store.documents())
    assert "good.txt" in names
    assert not set(names) & {"empty.txt", "garbage.txt", "truncated.pdf", "gbk.txt"}


def test_ingest_twice_says_already_present(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    db = str(tmp_path / "l.db")
    first = CliRunner().invoke(main, ["ingest", str(good), "--db", db])
    second = CliRunner().invoke(main, ["ingest", str(good), str(tmp_path), "--db", db])
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert first.stdout.splitlines()[0].split("\t")[-1] == "新入库"
    assert second.stdout.splitlines()[0].split("\t")[-1] != "新入库"
    assert len(second.stdout.splitlines()) == 1  # the folder's copy is the same file
    with Store.open(db) as store:
        assert len(store.documents()) == 1
        assert len(store.facts()) == store.documents()[0].facts


def test_ingest_missing_path_and_unknown_extension_fail(tmp_path: Path) -> None:
    odd = tmp_path / "notes.xyz"
    odd.write_text(REPORT, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["ingest", str(tmp_path / "nothing.txt"), str(odd), "--db", str(tmp_path / "l.db")]
    )
    assert result.exit_code == 1
    err = result.stderr.splitlines()
    assert [any(line.startswith(str(p) + ":") for line in err)
            for p in (tmp_path / "nothing.txt", odd)] == [True, True]
    with Store.open(tmp_path / "l.db") as store:
        assert store.documents() == []


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    monkeypatch.setenv("YUSUAN_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(main, ["ingest", str(good)]).exit_code == 0
    assert (tmp_path / "env.db").exists()


@pytest.fixture
def ledger(tmp_path: Path) -> str:
    db = str(tmp_path / "facts.db")
    with Store.open(db) as store:
        store.ingest(make_extraction())
    return db


def _facts(db: str, *args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(main, ["facts", "--db", db, "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_facts_json_and_filters(ledger: str) -> None:
    every = _facts(ledger)
    assert [(f["indicator"], f["value"], f["unit"], f["period"]) for f in every] == [
        ("一般公共预算收入", "3.52", "亿元", "2024-01..06"),
        ("税收收入", "2.10", "亿元", "2024-01..06"),
        ("税收收入", "21000", "万元", "2024"),
        ("债务余额", "100", "万元", "2024-06-30"),
    ]
    assert [f["indicator"] for f in _facts(ledger, "--book", "fund")] == ["债务余额"]
    assert [f["indicator"] for f in _facts(ledger, "--government", "999901")] == ["一般公共预算收入"]
    assert [f["code"] for f in _facts(ledger, "--code", "1*")] == ["101"]
    assert [f["scope"] for f in _facts(ledger, "--indicator", "税收*", "--stage", "execution")] == [
        "own"
    ]
    assert [f["period"] for f in _facts(ledger, "--period", "2024")] == ["2024"]
    assert [f["scope"] for f in _facts(ledger, "--scope", "甲镇")] == ["甲镇"]
    assert len(_facts(ledger, "--limit", "2")) == 2
    sha = make_extraction().document.id
    assert len(_facts(ledger, "--document", sha[:10])) == 4
    bad = CliRunner().invoke(main, ["facts", "--db", ledger, "--document", "nope"])
    assert bad.exit_code != 0


def test_facts_csv_has_bom_and_exact_values(ledger: str) -> None:
    result = CliRunner().invoke(main, ["facts", "--db", ledger, "--format", "csv"])
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["indicator"], r["value"], r["unit"], r["yoy_pct"]) for r in rows[:2]] == [
        ("一般公共预算收入", "3.52", "亿元", "6.34"),
        ("税收收入", "2.10", "亿元", ""),
    ]
    empty = CliRunner().invoke(main, ["facts", "--db", ledger, "--format", "csv", "--book",
                                      "social"])
    assert empty.stdout.lstrip("\ufeff").startswith("id,indicator,")


def test_facts_table_is_aligned_for_cjk(ledger: str) -> None:
    result = CliRunner().invoke(main, ["facts", "--db", ledger])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 + 4
    # the unit column starts at the same display column on every line
    starts = {width(line[: line.index(unit)]) for line, unit in zip(
        lines[2:], ("亿元", "亿元", "万元", "万元"), strict=True)}
    assert len(starts) == 1
    assert width(lines[0][: lines[0].index("单位")]) in starts


def test_render_table_pads_by_display_width() -> None:
    lines = render_table(["名称", "n"], [["一般公共预算", "1"], ["tax", "22"]], right=(1,))
    assert [width(line) for line in lines] == [16, 16, 16, 16]
    assert lines[2].endswith(" 1") and lines[3].endswith("22")


def test_demo_runs_and_replaces_its_database(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    for _ in range(2):
        result = CliRunner().invoke(main, ["demo", "--db", str(db)])
        assert result.exit_code == 0, result.output + result.stderr
    for sample in sample_files():
        assert sample.name in result.stdout
    with Store.open(db) as store:
        docs = store.documents()
        assert sorted(d.name for d in docs) == sorted(p.name for p in sample_files())
        assert all(d.facts > 0 for d in docs)
        # the deliberate error of the samples: 101 prints 75000, its items add to 74900
        tax = store.facts(code="101", period="2024")
        items = [f for f in store.facts(code="101*", period="2024") if f.code != "101"]
        assert [str(f.amount.value) for f in tax] == ["75000"]
        assert sum(f.amount.value for f in items) == 74900
        # the checker's findings were saved: that error, and nothing else
        findings = store.findings()
        assert len(findings) == len(run_checks([store.extraction(d.id) for d in docs]) or [])
        where = (tax[0].source.document, tax[0].source.start, tax[0].source.end)
        assert [
            tax[0].id in f.facts or where in [(s.document, s.start, s.end) for s in f.sources]
            for f in findings
        ] == [True]


def test_samples_are_our_own_two_documents() -> None:
    names = [p.name for p in sample_files()]
    assert len(names) == 2
    assert all(p.read_text(encoding="utf-8").strip() for p in sample_files())
