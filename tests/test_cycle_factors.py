"""Factor allocation (因素法): a worked example computed by hand, and rounding that keeps the total."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yusuan.cycle.errors import Refused
from yusuan.cycle.factors import RURAL_REVITALISATION_FACTORS, Factor, allocate

# Three townships, the four factors and weights of seed 002 (30/30/30/10), income inverse.
#
# By hand:
#   人群   500, 300, 200         → shares .5, .3, .2
#   收入   10000, 20000, 20000   → 1/v = 1e-4, .5e-4, .5e-4 → .5, .25, .25
#   政策   1, 1, 2               → .25, .25, .5
#   绩效   90, 90, 120           → .3, .3, .4
#   weighted A = .3×.5 + .3×.5 + .3×.25 + .1×.3 = .405
#            B = .3×.3 + .3×.25 + .3×.25 + .1×.3 = .27
#            C = .3×.2 + .3×.25 + .3×.5 + .1×.4 = .325
#   total 1001 万元 → 405.405, 270.27, 325.325 → floors 405, 270, 325 (= 1000);
#   the one 万元 left goes to the largest remainder (A, .405) → 406, 270, 325.
DATA = {
    "甲镇": {"相关人群数量及结构": D(500), "相关人群收入": D(10000), "政策因素": D(1), "绩效考核结果": D(90)},
    "乙镇": {"相关人群数量及结构": D(300), "相关人群收入": D(20000), "政策因素": D(1), "绩效考核结果": D(90)},
    "丙乡": {"相关人群数量及结构": D(200), "相关人群收入": D(20000), "政策因素": D(2), "绩效考核结果": D(120)},
}


def test_worked_example_by_hand() -> None:
    result = allocate(D(1001), RURAL_REVITALISATION_FACTORS, DATA, D(1))
    rows = [(r.recipient, r.weighted_share, r.exact, r.floor, r.bonus, r.amount) for r in result.rows]
    assert rows == [
        ("甲镇", D("0.405"), D("405.405"), D(405), True, D(406)),
        ("乙镇", D("0.27"), D("270.27"), D(270), False, D(270)),
        ("丙乡", D("0.325"), D("325.325"), D(325), False, D(325)),
    ]
    assert [s for s in result.rows[0].factor_shares] == [D("0.5"), D("0.5"), D("0.25"), D("0.3")]
    assert sum(result.amounts.values()) == D(1001)
    working = result.explain()
    assert working[-1] == "合计 1001 万元"
    assert "甲镇" in working[2] and "406" in working[2]


def test_precision_in_tenths() -> None:
    # 100 split evenly three ways at 0.1: 33.3 each, 0.1 left → the first in order (ties)
    data = {k: {"n": D(1)} for k in ("a", "b", "c")}
    result = allocate(D(100), [Factor("n", D(1))], data, D("0.1"))
    assert [r.amount for r in result.rows] == [D("33.4"), D("33.3"), D("33.3")]


@pytest.mark.parametrize(
    ("factors", "data", "code"),
    [
        ([Factor("n", D("0.9"))], {"a": {"n": D(1)}}, "cycle.factor.weights"),
        ([Factor("n", D(1))], {"a": {}}, "cycle.factor.missing"),
        ([Factor("n", D(1))], {"a": {"n": D(0)}}, "cycle.factor.zero"),
        ([Factor("n", D(1), inverse=True)], {"a": {"n": D(0)}}, "cycle.factor.value"),
        ([Factor("n", D(1))], {"a": {"n": D(-1)}}, "cycle.factor.value"),
    ],
)
def test_refusals(factors: list[Factor], data: dict, code: str) -> None:
    with pytest.raises(Refused) as info:
        allocate(D(10), factors, data, D(1))
    assert info.value.code == code


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(min_value=0, max_value=10**9),
    values=st.lists(
        st.tuples(st.integers(1, 10**6), st.integers(1, 10**6)), min_size=1, max_size=12
    ),
    w=st.integers(0, 100),
)
def test_total_is_exact_and_amounts_fair(total: int, values: list, w: int) -> None:
    factors = [Factor("x", D(w) / 100), Factor("y", D(100 - w) / 100, inverse=True)]
    data = {f"r{i}": {"x": D(x), "y": D(y)} for i, (x, y) in enumerate(values)}
    result = allocate(D(total), factors, data, D(1))
    assert sum(result.amounts.values()) == D(total)
    for r in result.rows:
        assert r.floor <= r.exact < r.floor + 1
        assert r.amount - r.exact < 1 and r.exact - r.amount < 1
