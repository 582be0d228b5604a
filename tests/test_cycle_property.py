"""Property tests: no sequence of operations overspends, exceeds a debt limit, or breaks the journal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yusuan.cycle import debt, ledger, versions
from yusuan.cycle.db import open_db
from yusuan.cycle.errors import Refused
from yusuan.cycle.versions import Line, Move

GOV = "999901"
LINES = [
    Line("甲局", "2010301", D("100"), econ_code="30201"),
    Line("乙局", "2050201", D("50"), econ_code="30101"),
    Line("丙局", "2130101", D("0"), econ_code="31005"),
]
KEYS = [ln.key for ln in LINES]

amounts = st.integers(min_value=1, max_value=12000).map(lambda fen: D(fen) / 100)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 2), amounts),
        st.tuples(st.just("reverse"), st.integers(0, 50), st.just(D(0))),
        st.tuples(st.just("move"), st.tuples(st.integers(0, 2), st.integers(0, 2)), amounts),
        st.tuples(st.just("adjust"), st.integers(0, 2), amounts),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_ledger_never_overspends_and_always_reconciles(sequence: list) -> None:
    db = open_db("sqlite://", create=True)
    v = versions.create_draft(db, GOV, 2024, "general", LINES)
    versions.approve(db, v, date(2024, 1, 10), session="人代会")
    ids = [ledger.lookup(db, ledger.IndicatorKey(GOV, 2024, "general", *k)) for k in KEYS]
    payments: list[int] = []
    expected_paid = {i: D(0) for i in ids}
    day = date(2024, 2, 1)
    for op, arg, amount in sequence:
        day += timedelta(days=1)
        try:
            if op == "pay":
                p = ledger.pay(db, ids[arg], amount, day, check_sanbao=False)
                payments.append(p.entry_id)
                expected_paid[ids[arg]] += amount
            elif op == "reverse" and payments:
                entry = payments[arg % len(payments)]
                original = next(e for e in ledger.journal(db) if e.id == entry)
                ledger.reverse(db, entry, day)
                expected_paid[original.indicator_id] -= original.paid_delta
            elif op == "move":
                src, dst = arg
                if src != dst:
                    versions.reallocate(db, GOV, 2024, "general",
                                        [Move(KEYS[src], Line(*KEYS[dst][:2], amount,
                                                              econ_code=KEYS[dst][2]))], day)
            elif op == "adjust":
                ln = LINES[arg]
                vid = versions.propose_adjustment(db, GOV, 2024, "general", [Line(
                    ln.department, ln.func_code, amount, econ_code=ln.econ_code)])
                try:
                    versions.approve(db, vid, day, session="常委会")
                except Refused:
                    versions.reject(db, vid)
                    raise
        except Refused:
            pass
        for i in ids:
            ind = ledger.get_indicator(db, i)
            assert ind.available >= 0
            assert ind.paid == expected_paid[i]
        assert ledger.reconcile(db) == []
    assert ledger.verify_chain(db) == []
    # the ledger's budgets are the lines of the version in force
    in_force = {ln.key: ln.amount for ln in versions.lines_at(db, GOV, 2024, "general", day)}
    for k, i in zip(KEYS, ids, strict=True):
        assert ledger.get_indicator(db, i).budget == in_force[k]


debt_ops = st.lists(
    st.one_of(
        st.tuples(st.just("limit"), st.integers(2024, 2026), st.sampled_from(["general", "special"]),
                  st.integers(0, 2000)),
        st.tuples(st.just("issue"), st.integers(0, 1000), st.sampled_from(["general", "special"]),
                  st.integers(1, 800)),
        st.tuples(st.just("repay"), st.integers(0, 40), st.just(""), st.just(0)),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(debt_ops)
def test_debt_never_exceeds_limit(sequence: list) -> None:
    db = open_db("sqlite://", create=True)
    limits: dict[tuple[int, str], D] = {}
    n = 0
    for op, a, kind, amount in sequence:
        try:
            if op == "limit":
                debt.set_limit(db, GOV, a, kind, D(amount))
                limits[(a, kind)] = D(amount)
            elif op == "issue":
                n += 1
                debt.issue_bond(db, GOV, f"B{n}", kind=kind, purpose="new", amount=D(amount),
                                term_years=1 + a % 3, rate=D("3"),
                                issue_date=date(2024, 1, 1) + timedelta(days=a))
            elif op == "repay":
                rows = [r for b in debt.bonds(db, GOV) for r in debt.schedule(db, b.id)
                        if r.paid_on is None and r.principal > 0]
                if rows:
                    r = rows[a % len(rows)]
                    debt.repay(db, r.id, r.due_date)
        except Refused:
            pass
        # at every date of every year with a limit, the balance is within it
        event_days = {b.issue_date for b in debt.bonds(db, GOV)}
        event_days |= {r.paid_on for b in debt.bonds(db, GOV) for r in debt.schedule(db, b.id)
                       if r.paid_on}
        for (year, k), lim in limits.items():
            for day in {date(year, 1, 1), date(year, 12, 31)} | {
                    d for d in event_days if d.year == year}:
                assert debt.balance(db, GOV, day, k) <= lim
