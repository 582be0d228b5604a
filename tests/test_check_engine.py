"""The rule engine: registry, selection, crash handling, docs in step with the rules."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from tests.check.build import document, extraction, fact, rel, run
from yusuan.check import REGISTRY, Context, Lifecycle, Registry, Rule
from yusuan.check.docs import render_rules_md, rules_md_path
from yusuan.check.engine import RegistryError, register
from yusuan.check.engine import run as run_rules
from yusuan.model import RelationKind, Severity

TESTS = Path(__file__).resolve().parent


class _Dummy(Rule):
    """What: nothing. Why: tests. Example: none. Fix: none."""

    code = "YS101"
    title = "重复"
    title_en = "duplicate"
    message = "x"


def test_duplicate_code_fails() -> None:
    with pytest.raises(RegistryError):
        Registry([*REGISTRY, _Dummy])


def test_removed_code_is_never_reused() -> None:
    with pytest.raises(RegistryError):
        Registry([_Dummy], removed={"YS101": "gone"})


def test_registry_is_sealed() -> None:
    with pytest.raises(RegistryError):
        register(_Dummy)


def test_selection_by_prefix_tag_and_ignore() -> None:
    codes = [r.code for r in REGISTRY.select(["YS1"], ["YS105"])]
    assert codes and all(c.startswith("YS1") for c in codes) and "YS105" not in codes
    assert {r.code for r in REGISTRY.select(["#debt"])} == {
        "YS401", "YS402", "YS403", "YS404", "YS405", "YS406", "YS407", "YS408", "YS409",
        "YS410"}
    with pytest.raises(ValueError):
        REGISTRY.select(["YS9"])


def test_preview_rules_need_opt_in() -> None:
    preview = {r.code for r in REGISTRY if r.lifecycle == Lifecycle.PREVIEW}
    assert preview == {"YS209"}
    assert not preview & {r.code for r in REGISTRY.select()}
    assert preview <= {r.code for r in REGISTRY.select(preview=True)}


def test_every_rule_is_documented_and_tested() -> None:
    tested = "".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_check_rules*.py"))
    for r in REGISTRY:
        doc = inspect.cleandoc(r.__doc__ or "")
        for part in ("What:", "Why:", "Example:", "Fix:"):
            assert part in doc, (r.code, part)
        assert re.match(r"^YS\d{3}$", r.code)
        assert r.severity in Severity
        if r.code != "YS001":
            assert f"test_{r.code.lower()}_" in tested, f"{r.code} has no test"


def test_rules_md_is_in_step() -> None:
    assert rules_md_path().read_text(encoding="utf-8") == render_rules_md(), (
        "docs/rules.md is stale: run python -m yusuan.check.docs")


class _Boom(Rule):
    """What: crashes. Why: tests. Example: none. Fix: none."""

    code = "YS999"
    title = "崩溃"
    title_en = "boom"
    message = "x"

    def check(self, ctx: Context):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("boom")


def test_ys001_crashing_rule_becomes_a_finding_others_still_run() -> None:
    doc = document("收入135.5亿元，其中税收77.48亿元，非税54.01亿元。")
    whole, tax, non = fact(doc, "收入", "135.5"), fact(doc, "税收", "77.48"), fact(doc, "非税", "54.01")
    ex = extraction(doc, [whole, tax, non], [rel(RelationKind.SUM, whole, [tax, non],
                                                 exhaustive=True)])
    result = run_rules(Context.build([ex]), [_Boom, REGISTRY["YS201"]])
    assert sorted((f.code, f.severity) for f in result.findings) == [
        ("YS001", Severity.ERROR), ("YS201", Severity.ERROR)]
    crash = next(f for f in result.findings if f.code == "YS001")
    assert "YS999" in crash.message and "ZeroDivisionError" in crash.message_en


def test_findings_are_deterministic() -> None:
    doc = document("收入135.5亿元，其中税收77.48亿元，非税54.01亿元。")
    whole, tax, non = fact(doc, "收入", "135.5"), fact(doc, "税收", "77.48"), fact(doc, "非税", "54.01")
    ex = extraction(doc, [whole, tax, non], [rel(RelationKind.SUM, whole, [tax, non],
                                                 exhaustive=True)])
    assert [f.id for f in run(ex)] == [f.id for f in run(ex)]
