"""Performance targets as the seeds print them, and the proportional score."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from yusuan.cycle.errors import Refused
from yusuan.cycle.performance import parse_target, score_one


@pytest.mark.parametrize(
    ("printed", "expected"),
    [  # as in seed 003's 绩效目标表
        ("＞=2 次", ("≥", D(2), "次")),
        ("=100%", ("=", D(100), "%")),
        ("≥5个", ("≥", D(5), "个")),
        ("≤5%", ("≤", D(5), "%")),
        ("≤12", ("≤", D(12), "")),
        ("=2 套", ("=", D(2), "套")),
        ("≥98%", ("≥", D(98), "%")),
    ],
)
def test_parse_target(printed: str, expected: tuple) -> None:
    assert parse_target(printed) == expected


def test_parse_target_refuses_text() -> None:
    with pytest.raises(Refused):
        parse_target("及时")


@pytest.mark.parametrize(
    ("op", "actual", "target", "score"),
    [
        ("≥", D(98), D(98), D(10)),
        ("≥", D(49), D(98), D(5)),  # 按照完成比例赋分: half done, half the points
        ("≤", D(10), D(5), D(5)),  # twice the allowed failure rate: half the points
        ("≤", D(4), D(5), D(10)),
        ("=", D(1), D(2), D(0)),
        ("≥", None, D(1), D(0)),
    ],
)
def test_score_one(op: str, actual: D | None, target: D, score: D) -> None:
    assert score_one(op, actual, target, D(10)) == score
