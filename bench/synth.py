"""A synthetic ledger: N governments x Y years of facts shaped like the extractor's.

Deterministic (seeded).  Per government and year: the final accounts of the
four books' main items, the original budget, the 1-6月 execution, debt
balance and limit, and the functional (2xx) and revenue (1xx) 类 items in
budget and final, so that every indicator of the library has its inputs.

    python bench/synth.py --governments 3000 --years 5 --out ledger.jsonl
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from yusuan.model import Amount, Book, Fact, Period, Source, Stage, Unit

FUNCTIONS = ("201", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214", "221")
REVENUES = ("101", "103")


def _amount(rng: random.Random, lo: int, hi: int) -> Amount:
    """An amount in 万元 with two decimals."""
    return Amount(Decimal(rng.randrange(lo * 100, hi * 100)) / 100, Unit.WAN)


def synth_facts(
    governments: int = 3000, years: int = 5, first_year: int = 2019, seed: int = 20261122
) -> Iterator[Fact]:
    rng = random.Random(seed)
    for g in range(governments):
        name = f"样本县{g:04d}"
        division = f"{650000 + g * 2 + 1:06d}"
        doc = f"synthetic-{g:04d}"
        pos = 0

        def fact(
            indicator: str,
            amount: Amount,
            stage: Stage,
            period: Period,
            *,
            code: str | None = None,
            book: Book | None = None,
            scope: str = "whole",
            name: str = name,
            division: str = division,
            doc: str = doc,
        ) -> Fact:
            nonlocal pos
            pos += 1
            return Fact(
                indicator=indicator,
                amount=amount,
                stage=stage,
                period=period,
                source=Source(doc, pos, pos * 40, pos * 40 + 20, f"{indicator}{amount}"),
                scope=scope,
                book=book,
                government=name,
                division=division,
                code=code,
            )

        for y in range(first_year, first_year + years):
            year = Period(y)
            tax = _amount(rng, 20_000, 90_000)
            nontax = _amount(rng, 5_000, 40_000)
            revenue = Amount(tax.value + nontax.value, Unit.WAN)
            spend = _amount(rng, 150_000, 400_000)
            fund = _amount(rng, 10_000, 80_000)
            for stage in (Stage.FINAL, Stage.BUDGET):
                k = Decimal(1) if stage is Stage.FINAL else Decimal(rng.randrange(90, 110)) / 100
                yield fact(
                    "一般公共预算收入",
                    Amount((revenue.value * k).quantize(Decimal("0.01")), Unit.WAN),
                    stage,
                    year,
                    book=Book.GENERAL,
                )
                yield fact(
                    "一般公共预算支出",
                    Amount((spend.value * k).quantize(Decimal("0.01")), Unit.WAN),
                    stage,
                    year,
                    book=Book.GENERAL,
                )
                for code in FUNCTIONS:
                    yield fact(
                        f"功能{code}",
                        _amount(rng, 2_000, 40_000),
                        stage,
                        year,
                        code=code,
                        book=Book.GENERAL,
                    )
                for code, amount in zip(REVENUES, (tax, nontax), strict=True):
                    yield fact(
                        "税收收入" if code == "101" else "非税收入",
                        Amount((amount.value * k).quantize(Decimal("0.01")), Unit.WAN),
                        stage,
                        year,
                        code=code,
                        book=Book.GENERAL,
                    )
            yield fact("政府性基金预算收入", fund, Stage.FINAL, year, book=Book.FUND)
            yield fact(
                "国有土地使用权出让收入",
                Amount(fund.value * Decimal("0.6"), Unit.WAN),
                Stage.FINAL,
                year,
                book=Book.FUND,
            )
            yield fact(
                "政府性基金预算支出",
                _amount(rng, 10_000, 90_000),
                Stage.FINAL,
                year,
                book=Book.FUND,
            )
            yield fact(
                "国有资本经营预算收入", _amount(rng, 10, 900), Stage.FINAL, year, book=Book.CAPITAL
            )
            yield fact(
                "上级补助收入", _amount(rng, 80_000, 250_000), Stage.FINAL, year, book=Book.GENERAL
            )
            yield fact(
                "民生支出", Amount(spend.value * Decimal("0.75"), Unit.WAN), Stage.FINAL, year
            )
            yield fact(
                "三保支出", Amount(spend.value * Decimal("0.4"), Unit.WAN), Stage.FINAL, year
            )
            yield fact("债务付息支出", _amount(rng, 1_000, 9_000), Stage.FINAL, year, code="232")
            yield fact(
                "地方政府债务余额",
                _amount(rng, 100_000, 500_000),
                Stage.BALANCE,
                Period.at(date(y, 12, 31)),
            )
            yield fact("地方政府债务限额", _amount(rng, 300_000, 600_000), Stage.LIMIT, year)
            h1 = Period(y, 1, 6)
            yield fact(
                "一般公共预算收入",
                Amount(revenue.value / 2, Unit.WAN),
                Stage.EXECUTION,
                h1,
                book=Book.GENERAL,
            )
            yield fact(
                "一般公共预算支出",
                Amount(spend.value * Decimal("0.45"), Unit.WAN),
                Stage.EXECUTION,
                h1,
                book=Book.GENERAL,
            )
            yield fact(
                "税收收入",
                Amount(tax.value / 2, Unit.WAN),
                Stage.EXECUTION,
                h1,
                code="101",
                book=Book.GENERAL,
            )


def main() -> None:  # pragma: no cover - a script
    from yusuan.model.serialize import dumps, fact_dict

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--governments", type=int, default=3000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    out = open(args.out, "w", encoding="utf-8") if args.out != "-" else None  # noqa: SIM115
    n = 0
    for f in synth_facts(args.governments, args.years):
        line = dumps(fact_dict(f), indent=None)
        if out:
            out.write(line + "\n")
        else:
            print(line)
        n += 1
    if out:
        out.close()
        print(f"{n} facts -> {args.out}")


if __name__ == "__main__":  # pragma: no cover
    main()
