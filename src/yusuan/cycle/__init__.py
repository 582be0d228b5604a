"""The management cycle: compile, approve, adjust, execute, close.

Service functions over a :class:`~yusuan.cycle.db.CycleDB` (an engine with
the cycle's transaction discipline), thin enough to expose as they are: each
takes plain values, returns frozen dataclasses, and raises
:class:`~yusuan.cycle.errors.Refused` (a stable code, a Chinese message and
its English) when the budget rules do not allow a command.

- :mod:`.versions` — budget versions: draft, approval, adjustment, reallocation
  (调剂), final accounts; figures as at any date; line-by-line diff.
- :mod:`.ledger` — the indicator ledger (预算指标账): payments only against
  available balance, reversals, the append-only journal, reconciliation,
  execution figures as model facts.
- :mod:`.projects` — the project library (项目库) and its lifecycle.
- :mod:`.debt` — the debt register: limits, bonds, allocations, repayments,
  限额使用率 and 债务率.
- :mod:`.factors`, :mod:`.transfers` — factor allocation of transfers (因素法)
  and deadlines for passing them down.
- :mod:`.controls` — 三保 status and the 三公 "only decrease" comparison.
- :mod:`.performance` — performance targets, monitoring, self-evaluation.

Money is ``Decimal`` yuan at these functions' edges and integer fen in the
database (:mod:`.money`).
"""
