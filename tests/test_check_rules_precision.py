"""YS6xx printed-precision rules: a figure printed with more (or fewer) decimals than its peers."""

from __future__ import annotations

from decimal import Decimal

from tests.check.build import document, extraction, fact, run, table
from yusuan.check.rules.precision import Figure, outliers
from yusuan.model import ColumnKind, Severity, Unit

A, G = ColumnKind.AMOUNT, ColumnKind.GROWTH

# twelve narrative figures: amount in 亿元 and growth rate, each with at most two decimals
AMOUNTS = ["131.5", "77.48", "54.01", "191.14", "12.82", "11.83",
           "42.62", "0.38", "25.6", "3.07", "18.25", "9.9"]
RATES = ["10.59", "5.18", "45.24", "1.14", "18.26", "17.26",
         "23.08", "287.89", "6.1", "3.02", "12.5", "7.77"]


def _narrative(amounts: list[str] = AMOUNTS, rates: list[str] = RATES,
               unit: str = "亿元"):  # type: ignore[no-untyped-def]
    lines = [f"第{i}项收入完成{a}{unit}，增长{r}%。" for i, (a, r) in
             enumerate(zip(amounts, rates, strict=True), start=1)]
    doc = document("\n".join(lines) + "\n")
    facts = []
    for i, (a, r) in enumerate(zip(amounts, rates, strict=True), start=1):
        quote = f"{a}{unit}，增长{r}%"
        facts.append(fact(doc, f"第{i}项收入", quote, value=a, yoy_pct=Decimal(r),
                          unit=Unit(unit)))
    return extraction(doc, facts)


def _flat(found):  # type: ignore[no-untyped-def]
    return [(f.code, f.severity, f.sources[0].line, f.sources[0].quote, f.expected, f.printed)
            for f in found]


def test_ys601_convention_kept() -> None:
    assert run(_narrative(), ["YS601"]) == ()


def test_ys601_more_decimals_than_the_unit() -> None:
    found = run(_narrative([*AMOUNTS[:4], "12.872", *AMOUNTS[5:]]), ["YS601"])
    assert _flat(found) == [("YS601", Severity.NOTICE, 5, "12.872", "[1, 2]", "3")]


def test_ys601_percentage_with_more_decimals() -> None:
    found = run(_narrative(rates=[*RATES[:6], "23.008", *RATES[7:]]), ["YS601"])
    assert _flat(found) == [("YS601", Severity.NOTICE, 7, "23.008", "[1, 2]", "3")]


def test_ys601_a_small_figure_and_a_common_precision_pass() -> None:
    # one-decimal figures: 0.05 cannot print at one decimal
    one = ["131.5", "77.4", "54.1", "191.1", "12.8", "11.8", "42.6", "0.05", "25.6", "3.1",
           "18.2", "9.9"]
    assert run(_narrative(one), ["YS601"]) == ()
    # three figures with three decimals are a precision of the document, not an outlier
    three = [*AMOUNTS[:9], "3.071", "18.251", "9.912"]
    assert run(_narrative(three), ["YS601"]) == ()
    # too few peers to set a convention
    assert run(_narrative(AMOUNTS[:6], RATES[:6]), ["YS601"]) == ()


def test_ys601_trailing_zero_counts_only_when_the_document_pads() -> None:
    # peers with one decimal, none padded: 9.90 is 9.9 in another format
    one = ["131.5", "77.4", "54.1", "191.1", "12.8", "11.8", "42.6", "0.4", "25.6", "3.1",
           "18.2", "9.90"]
    assert run(_narrative(one), ["YS601"]) == ()
    # peers padded to two decimals (4.10): 9.900 has three
    padded = [*AMOUNTS[:10], "4.10", "9.900"]
    found = run(_narrative(padded), ["YS601"])
    assert [(f.sources[0].quote, f.printed) for f in found] == [("9.900", "3")]


def test_ys601_fewer_decimals_than_a_padded_convention() -> None:
    rates = ["10.59", "5.18", "45.24", "1.14", "18.26", "0.00", "23.08", "287.89", "6.10",
             "3.02", "12.50", "7.77"]
    assert run(_narrative(rates=rates), ["YS601"]) == ()
    found = run(_narrative(rates=[*rates[:3], "1.4", *rates[4:]]), ["YS601"])
    assert _flat(found) == [("YS601", Severity.NOTICE, 4, "1.4", "2", "1")]
    # without a padded peer, 1.4 may be 1.40 with its zero dropped
    unpadded = ["10.59", "5.18", "45.24", "1.4", "18.26", "17.26", "23.08", "287.89", "6.11",
                "3.02", "12.51", "7.77"]
    assert run(_narrative(rates=unpadded), ["YS601"]) == ()


COLS = [("2023年预算数", A), ("2024年预算数", A), ("比上年预算数增(减)%", G)]


def _table(rows: list[tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    names = ["工资福利支出", "基本工资", "津贴补贴", "奖金", "社会保障缴费", "商品和服务支出",
             "办公费", "差旅费"]
    doc = document("".join(f"30{i}\t{names[i]}\t{a}\t{b}\t{g}\n"
                           for i, (a, b, g) in enumerate(rows)))
    return extraction(doc, tables=[table(doc, COLS, title="一般公共预算基本支出情况表")])


WHOLE = [("3130", "3299", "5.40%"), ("1220", "1250", "2.46%"), ("800", "812", "1.50%"),
         ("410", "433", "5.61%"), ("300", "316", "5.33%"), ("400", "488", "22.00%"),
         ("150", "160", "6.67%"), ("250", "328", "31.20%")]


def test_ys602_table_in_one_format() -> None:
    assert run(_table(WHOLE), ["YS602"]) == ()


def test_ys602_decimals_in_a_whole_wan_table() -> None:
    rows = [*WHOLE[:3], ("410", "433.5", "5.61%"), *WHOLE[4:]]
    found = run(_table(rows), ["YS602"])
    assert _flat(found) == [("YS602", Severity.NOTICE, 4, "433.5", "[0, 0]", "1")]
    # 433.00 is the same figure in another format; 0.5 cannot print as a whole 万元
    assert run(_table([*WHOLE[:3], ("410", "433.00", "5.61%"), *WHOLE[4:]]), ["YS602"]) == ()
    assert run(_table([*WHOLE[:3], ("410", "0.5", "5.61%"), *WHOLE[4:]]), ["YS602"]) == ()


def test_ys602_rate_with_a_digit_added() -> None:
    rows = [*WHOLE[:5], ("400", "488", "22.005%"), *WHOLE[6:]]
    found = run(_table(rows), ["YS602"])
    assert _flat(found) == [("YS602", Severity.NOTICE, 6, "22.005%", "[2, 2]", "3")]


def test_ys602_digit_dropped_from_padded_decimals() -> None:
    padded = [("3130.00", "3299.54", "5.40%"), ("1220.10", "1250.22", "2.46%"),
              ("800.00", "812.31", "1.50%"), ("410.27", "433.18", "5.61%"),
              ("300.00", "316.40", "5.33%"), ("400.16", "488.93", "22.18%")]
    assert run(_table(padded), ["YS602"]) == ()
    rows = [*padded[:3], ("410.27", "433.1", "5.61%"), *padded[4:]]
    found = run(_table(rows), ["YS602"])
    assert _flat(found) == [("YS602", Severity.NOTICE, 4, "433.1", "2", "1")]
    # no padded cell: 433.1 may be 433.10 with its zero dropped
    unpadded = [("3130.01", "3299.54", "5.41%"), ("1220.11", "1250.22", "2.46%"),
                ("800.03", "812.31", "1.51%"), ("410.27", "433.1", "5.61%"),
                ("300.02", "316.41", "5.33%"), ("400.16", "488.93", "22.18%")]
    assert run(_table(unpadded), ["YS602"]) == ()


def test_outliers_statistic() -> None:
    def figs(*values: str) -> list[Figure]:
        return [Figure(Decimal(v), i, i + 1) for i, v in enumerate(values)]

    peers = ["1.5", "2.25", "3.75", "4.5", "5.25"]
    assert [(o.figure.value, o.pattern) for o in outliers(figs(*peers, "6.125"), 5, 1)] == [
        (Decimal("6.125"), "more")]
    assert outliers(figs(*peers[:4], "6.125"), 5, 1) == []  # four peers are not enough
    assert outliers(figs(*peers, "6.125", "7.375"), 5, 1) == []  # two outliers, one allowed
    assert len(outliers(figs(*peers, "6.125", "7.375"), 5, 2)) == 2
