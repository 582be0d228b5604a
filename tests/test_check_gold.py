"""Every relation of gold/000_*.relations.json, checked on records built from the gold files.

The facts are those of gold/000_*.json (with their stated changes, rates, percentages of
budget and shares); the relations are the gold relations.  Relations marked as holding give no
finding; each checkable relation, with one of its printed figures changed, gives one (so the
rules do check it).  Relations the gold marks as not holding (none in 000) must be reported.
This test does not depend on extraction.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from tests.check.build import document, extraction
from tests.conftest import gold
from yusuan.check import check
from yusuan.model import Amount, Fact, Period, Relation, RelationKind, Source, Stage, Unit

_REF = re.compile(r"^(.*?) \[(.*?), (.*?), (.*?)\] = ([\d.]+)")


def _load(name: str):  # type: ignore[no-untyped-def]
    return json.loads(gold(name).read_text(encoding="utf-8"), parse_float=Decimal,
                      parse_int=Decimal)


def _fact(row: dict, doc, n: int, value: Decimal | None = None) -> Fact:  # type: ignore[no-untyped-def,type-arg]
    dec = lambda v: None if v is None else Decimal(v)  # noqa: E731
    unit = Unit(row.get("unit") or "亿元")
    return Fact(
        indicator=row["indicator"],
        amount=Amount(value if value is not None else Decimal(row["value"]), unit),
        stage=Stage(row["stage"]),
        period=Period.parse(row["period"]),
        source=Source(doc.id, 1, 1000 * n, 1000 * n + 1, row.get("quote") or row["indicator"],
                      doc.path),
        scope=row["scope"],
        government="昌吉回族自治州",
        yoy_abs=None if row.get("yoy_abs") is None else Amount(dec(row["yoy_abs"]), unit),  # type: ignore[arg-type]
        yoy_pct=dec(row.get("yoy_pct")),
        pct_of_budget=dec(row.get("pct_of_budget")),
        share_pct=dec(row.get("share_pct")),
    )


class Gold:
    """The gold facts and relations of seed 000 as records; ``bump`` changes one figure."""

    def __init__(self, bump: tuple[str, str] | None = None) -> None:
        self.doc = document("gold 000")
        self.rows = _load("000_*[0-9a-f].json")
        self.relations = _load("000_*.relations.json")
        self.facts: dict[tuple[str, str, str, str, str], Fact] = {}
        self.bump = bump

    def ref(self, text: str) -> Fact:
        m = _REF.match(text)
        if m is None:  # "0 (暂未发生)" and the like
            m = re.match(r"^(.*?) \[(.*?), (.*?), (.*?)\] = (0)", text)
        assert m, text
        name, scope, period, stage, value = m.groups()
        key = (name, scope, period, stage, value)
        if key not in self.facts:
            row = next((r for r in self.rows if (r["indicator"], r["scope"], r["period"],
                                                 r["stage"]) == key[:4]
                        and Decimal(r["value"]) == Decimal(value)), None)
            row = row or {"indicator": name, "scope": scope, "period": period, "stage": stage,
                          "value": value, "unit": "亿元"}
            v = Decimal(value)
            if self.bump == (name, scope):
                v = v * Decimal("1.2") if v else Decimal("1.00")
                v = v.quantize(Decimal(value) if "." in value else Decimal(1))
            self.facts[key] = _fact(row, self.doc, len(self.facts), v)
        return self.facts[key]

    def build(self):  # type: ignore[no-untyped-def]
        rels: list[Relation] = []
        for g in self.relations:
            kind = g["kind"]
            if kind in ("sum", "part_le_total"):
                whole = self.ref(g["total"])
                parts = [self.ref(p) for p in g["parts"]]
                rels.append(Relation(RelationKind.SUM, whole.id, tuple(p.id for p in parts),
                                     None, kind == "sum"))
            elif kind in ("yoy", "yoy_components", "pct_of_budget_components"):
                if "fact" in g:
                    self.ref(g["fact"])
                for f in g.get("facts", []):
                    self.ref(f)
            elif kind in ("share", "progress") and g["holds"] is not None:
                part = self.ref(g["fact"])
                whole = self.ref(g["denominator"])
                stated = part.share_pct if kind == "share" else part.pct_of_budget
                rk = RelationKind.SHARE if kind == "share" else RelationKind.RATIO
                rels.append(Relation(rk, whole.id, (part.id,), stated))
            elif kind == "consistency" and g["holds"] is not None:
                for f in g["facts"]:
                    self.ref(f)
        return extraction(self.doc, list(self.facts.values()), rels)


def _findings(ex):  # type: ignore[no-untyped-def]
    return check([ex], preview=True).findings


def test_gold_000_relations_that_hold_give_no_finding() -> None:
    ex = Gold().build()
    assert len(ex.relations) >= 13
    assert [(f.code, f.message) for f in _findings(ex)] == []
    not_holding = [g for g in Gold().relations if g["holds"] is False]
    assert not_holding == []  # the gold file marks none as not holding


CHANGED = [
    # (indicator, scope) whose printed figure is changed by 20%: the relation it sits in
    ("一般公共预算收入", "whole"),  # sum 税收 + 非税; yoy; share of 非税
    ("地方财政收入", "whole"),  # sum of three books
    ("地方财政支出", "whole"),
    ("一般公共预算收入", "own"),
    ("地方财政收入", "own"),
    ("地方财政支出", "own"),
    ("新增地方政府债务限额", "whole"),
    ("转贷地方政府债券", "whole"),  # sum; consistency with 再融资 and 新增
    ("新增地方政府债券", "whole"),
    ("三保支出", "whole"),
    ("非税收入", "whole"),  # sum 税收 + 非税; yoy; share 41.07%
    ("一般公共预算支出", "whole"),  # yoy 191.14 / 2.15 / 1.14%
    ("政府性基金预算收入", "whole"),  # yoy
    ("国有土地使用权出让收入", "whole"),  # yoy
    ("政府性基金预算支出", "whole"),  # yoy
    ("民生支出", "whole"),  # share 74.23%
    ("直达资金支出", "whole"),  # progress 63.2%
]


@pytest.mark.parametrize("changed", CHANGED, ids=[f"{a}-{b}" for a, b in CHANGED])
def test_gold_000_relation_with_a_changed_figure_is_reported(changed: tuple[str, str]) -> None:
    found = _findings(Gold(bump=changed).build())
    assert found, f"changing {changed} raised no finding"
