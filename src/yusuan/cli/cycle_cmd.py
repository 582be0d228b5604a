"""``yusuan cycle …``: the management cycle from the command line.

Budget versions, indicators and payments, the project library, the debt
register and transfers.  Every command takes ``--db``; the database is
migrated on open.  A refused command prints its reason (Chinese first) and
its stable code, and exits with status 2.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

import click

from yusuan.cli.common import db_option, render_table
from yusuan.cycle.db import CycleDB, open_db
from yusuan.cycle.errors import Refused
from yusuan.model.serialize import dumps

F = TypeVar("F", bound=Callable[..., Any])

LINE_FIELDS = ("department", "func_code", "econ_code", "project", "fund_source", "amount", "name",
               "sanbao", "sangong", "required")


def _open(db: str) -> CycleDB:
    from yusuan.store.db import upgrade

    try:
        cdb = open_db(db)
        upgrade(cdb.engine)
    except Exception as exc:
        raise click.ClickException(f"无法打开数据库 {db}：{type(exc).__name__}: {exc}") from exc
    return cdb


def _refusals(func: F) -> F:
    """Turn a refusal into a one-line Chinese error with its code (exit status 2)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except Refused as exc:
            click.echo(f"拒绝 [{exc.code}]：{exc.message}", err=True)
            if exc.message_en:
                click.echo(f"refused [{exc.code}]: {exc.message_en}", err=True)
            raise SystemExit(2) from exc

    return wrapper  # type: ignore[return-value]


class DecimalType(click.ParamType):
    name = "amount"

    def convert(self, value: Any, param: Any, ctx: Any) -> Decimal:
        try:
            return Decimal(str(value))
        except InvalidOperation:
            self.fail(f"不是数字：{value}", param, ctx)


class DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: Any, ctx: Any) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"不是日期（YYYY-MM-DD）：{value}", param, ctx)


AMOUNT = DecimalType()
DATE = DateType()


def _gov_year(func: F) -> F:
    func = click.option("--year", type=int, required=True, help="预算年度。 Fiscal year.")(func)
    return click.option("--gov", required=True, help="行政区划代码。 Division code.")(func)


def _book(func: F) -> F:
    return click.option(
        "--book", default="general", show_default=True,
        type=click.Choice(["general", "fund", "capital", "social"]),
        help="预算本。 Budget book.",
    )(func)


def _read_lines(path: str) -> list[Any]:
    """Budget lines from a CSV with the header ``department,func_code,…,amount`` (yuan)."""
    from yusuan.cycle.versions import Line

    out = []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            req = (row.get("required") or "").strip()
            out.append(Line(
                department=row["department"].strip(), func_code=row["func_code"].strip(),
                amount=Decimal(row["amount"].strip()), econ_code=(row.get("econ_code") or "").strip(),
                project=(row.get("project") or "").strip(),
                fund_source=(row.get("fund_source") or "").strip(),
                name=(row.get("name") or "").strip(), sanbao=(row.get("sanbao") or "").strip(),
                sangong=(row.get("sangong") or "").strip(), required=Decimal(req) if req else None,
            ))
    return out


@click.group("cycle", help="预算管理循环：编制、批准、调整、执行、决算。 The budget management cycle.")
def cycle_cmd() -> None:
    pass


# -- budget versions ---------------------------------------------------------


@cycle_cmd.group("budget", help="预算版本。 Budget versions.")
def budget_cmd() -> None:
    pass


@budget_cmd.command("draft", help="由 CSV 编制预算草案。 Create a draft from a CSV of lines.")
@click.argument("lines_csv", type=click.Path(exists=True, dir_okay=False))
@_gov_year
@_book
@db_option
@_refusals
def budget_draft(lines_csv: str, gov: str, year: int, book: str, db: str) -> None:
    from yusuan.cycle import versions

    vid = versions.create_draft(_open(db), gov, year, book, _read_lines(lines_csv))
    click.echo(f"预算草案 version {vid}")


@budget_cmd.command("adjust", help="由 CSV（新金额）提出预算调整。 Propose an adjustment.")
@click.argument("lines_csv", type=click.Path(exists=True, dir_okay=False))
@_gov_year
@_book
@db_option
@_refusals
def budget_adjust(lines_csv: str, gov: str, year: int, book: str, db: str) -> None:
    from yusuan.cycle import versions

    vid = versions.propose_adjustment(_open(db), gov, year, book, _read_lines(lines_csv))
    click.echo(f"预算调整 version {vid}")


@budget_cmd.command("approve", help="批准一个预算版本。 Approve a version.")
@click.argument("version", type=int)
@click.option("--date", "on_date", type=DATE, required=True, help="批准日期。 Approval date.")
@click.option("--session", default="", help="批准会议。 Approving session.")
@db_option
@_refusals
def budget_approve(version: int, on_date: date, session: str, db: str) -> None:
    from yusuan.cycle import versions

    entries = versions.approve(_open(db), version, on_date, session=session)
    click.echo(f"已批准 version {version}，指标分录 {len(entries)} 笔")


@budget_cmd.command("reallocate", help="预算调剂（总额不变）。 Move funds between lines.")
@click.option("--from", "source", required=True,
              help="调出行：部门/功能科目/经济科目/项目/资金来源。 Source line key.")
@click.option("--to", "target", required=True, help="调入行（同上格式）。 Target line key.")
@click.option("--amount", type=AMOUNT, required=True, help="金额（元）。 Amount in yuan.")
@click.option("--date", "on_date", type=DATE, required=True, help="日期。 Date.")
@_gov_year
@_book
@db_option
@_refusals
def budget_reallocate(source: str, target: str, amount: Decimal, on_date: date, gov: str,
                      year: int, book: str, db: str) -> None:
    from yusuan.cycle import versions

    def key(text: str) -> tuple[str, str, str, str, str]:
        parts = ([*text.split("/"), "", "", "", ""])[:5]
        return (parts[0], parts[1], parts[2], parts[3], parts[4])

    t = key(target)
    mv = versions.Move(key(source), versions.Line(t[0], t[1], amount, econ_code=t[2], project=t[3],
                                                  fund_source=t[4]))
    vid = versions.reallocate(_open(db), gov, year, book, [mv], on_date)
    click.echo(f"预算调剂 version {vid}")


@budget_cmd.command("versions", help="列出预算版本。 List versions.")
@_gov_year
@_book
@db_option
def budget_versions(gov: str, year: int, book: str, db: str) -> None:
    from yusuan.cycle import versions

    rows = [[str(v.id), str(v.seq), versions.KINDS[v.kind], v.status, str(v.approved_on or ""),
             v.session or "", str(versions.total(versions.lines(_open(db), v.id)))]
            for v in versions.versions(_open(db), gov, year, book)]
    for line in render_table(["id", "序", "类型", "状态", "批准日期", "会议", "合计（元）"], rows,
                             right=(6,)):
        click.echo(line)


@budget_cmd.command("show", help="某日有效的预算各行。 The budget lines in force at a date.")
@click.option("--at", "at", type=DATE, required=True, help="日期。 As of this date.")
@_gov_year
@_book
@db_option
def budget_show(at: date, gov: str, year: int, book: str, db: str) -> None:
    from yusuan.cycle import versions

    lines = versions.lines_at(_open(db), gov, year, book, at)
    rows = [["/".join(ln.key), ln.name, str(ln.amount)] for ln in lines]
    for line in render_table(["行", "名称", "金额（元）"], rows, right=(2,)):
        click.echo(line)
    click.echo(f"合计 {versions.total(lines)} 元")


@budget_cmd.command("diff", help="逐行比较两个版本。 Line-by-line diff of two versions.")
@click.argument("a", type=int)
@click.argument("b", type=int)
@db_option
def budget_diff(a: int, b: int, db: str) -> None:
    from yusuan.cycle import versions

    rows = [["/".join(c.key), c.name, str(c.before), str(c.after), str(c.change)]
            for c in versions.diff(_open(db), a, b)]
    for line in render_table(["行", "名称", "原数", "新数", "增减"], rows, right=(2, 3, 4)):
        click.echo(line)


@budget_cmd.command("close", help="年终结账并生成决算草案。 Close the year into final accounts.")
@click.option("--date", "on_date", type=DATE, required=True, help="结账日期。 Closing date.")
@_gov_year
@_book
@db_option
@_refusals
def budget_close(on_date: date, gov: str, year: int, book: str, db: str) -> None:
    from yusuan.cycle import versions

    vid = versions.close_year(_open(db), gov, year, book, on_date)
    click.echo(f"决算草案 version {vid}")


# -- indicators and payments -------------------------------------------------


@cycle_cmd.command("pay", help="按指标支付。 Pay against an indicator.")
@click.argument("indicator", type=int)
@click.argument("amount", type=AMOUNT)
@click.option("--date", "on_date", type=DATE, required=True, help="支付日期。 Payment date.")
@click.option("--payee", default="", help="收款人。 Payee.")
@click.option("--memo", default="", help="摘要。 Memo.")
@db_option
@_refusals
def pay_cmd(indicator: int, amount: Decimal, on_date: date, payee: str, memo: str, db: str) -> None:
    from yusuan.cycle import ledger

    p = ledger.pay(_open(db), indicator, amount, on_date, payee=payee, memo=memo)
    click.echo(f"已支付 {p.amount} 元，分录 {p.entry_id}，可用余额 {p.available_after} 元")
    for n in p.notices:
        click.echo(f"提示 [{n.code}]：{n.message}", err=True)


@cycle_cmd.command("reverse", help="冲销一笔支付。 Reverse a payment.")
@click.argument("entry", type=int)
@click.option("--date", "on_date", type=DATE, required=True, help="冲销日期。 Date.")
@db_option
@_refusals
def reverse_cmd(entry: int, on_date: date, db: str) -> None:
    from yusuan.cycle import ledger

    click.echo(f"冲销分录 {ledger.reverse(_open(db), entry, on_date)}")


@cycle_cmd.command("indicators", help="预算指标及余额。 Indicators and balances.")
@_gov_year
@db_option
def indicators_cmd(gov: str, year: int, db: str) -> None:
    from yusuan.cycle import ledger

    rows = [[str(i.id), i.key.book, i.key.department, i.key.func_code, i.key.econ_code,
             i.key.project, i.name, str(i.budget), str(i.paid), str(i.available)]
            for i in ledger.list_indicators(_open(db), gov, year)]
    for line in render_table(["id", "预算本", "部门", "功能科目", "经济科目", "项目", "名称", "指标",
                              "已支付", "可用"], rows, right=(7, 8, 9)):
        click.echo(line)


@cycle_cmd.command("history", help="指标的全部分录。 An indicator's journal.")
@click.argument("indicator", type=int)
@db_option
def history_cmd(indicator: int, db: str) -> None:
    from yusuan.cycle import ledger

    rows = [[str(e.id), str(e.on_date), e.kind, str(e.budget_delta), str(e.paid_delta),
             str(e.budget_after - e.paid_after), e.payee]
            for e in ledger.history(_open(db), indicator)]
    for line in render_table(["分录", "日期", "类型", "指标变动", "支付", "可用余额", "收款人"], rows,
                             right=(3, 4, 5)):
        click.echo(line)


@cycle_cmd.command("reconcile", help="核对分录与余额。 Reconcile journal and balances.")
@db_option
def reconcile_cmd(db: str) -> None:
    from yusuan.cycle import ledger

    cdb = _open(db)
    bad = ledger.reconcile(cdb)
    broken = ledger.verify_chain(cdb)
    for m in bad:
        click.echo(f"不符：指标 {m.indicator_id} 余额表 {m.budget_row}/{m.paid_row}，"
                   f"分录 {m.budget_journal}/{m.paid_journal}")
    for entry in broken:
        where = f"指标 {-entry} 的最后哈希" if entry < 0 else f"分录 {entry}"
        click.echo(f"哈希链断裂：{where}")
    if bad or broken:
        raise SystemExit(1)
    click.echo("分录与余额一致，哈希链完整。 Journal and balances agree; hash chain intact.")


@cycle_cmd.command("facts", help="由账本生成数据项（JSON）。 Facts derived from the ledger.")
@_gov_year
@click.option("--through", type=click.IntRange(1, 12), default=12, show_default=True,
              help="执行数截至月份。 Execution through this month.")
@click.option("--name", "gov_name", default=None, help="政府名称。 Government name.")
@_book
@db_option
def facts_cmd(gov: str, year: int, through: int, gov_name: str | None, book: str, db: str) -> None:
    from yusuan.cycle import debt, ledger, versions
    from yusuan.model.serialize import fact_dict

    cdb = _open(db)
    facts = versions.budget_facts(cdb, gov, year, book, government_name=gov_name)
    facts += ledger.execution_facts(cdb, gov, year, through, government_name=gov_name, books=[book])
    facts += debt.debt_facts(cdb, gov, year, ledger.month_end(year, through),
                             government_name=gov_name)
    click.echo(dumps([fact_dict(f) for f in facts]))


# -- project library ---------------------------------------------------------


@cycle_cmd.group("project", help="项目库。 Project library.")
def project_cmd() -> None:
    pass


@project_cmd.command("add", help="申报项目入库。 Propose a project.")
@click.argument("code")
@click.argument("name")
@click.option("--gov", required=True, help="行政区划代码。 Division code.")
@click.option("--dept", required=True, help="主管部门。 Department.")
@click.option("--total", type=AMOUNT, required=True, help="总投资（元）。 Total in yuan.")
@click.option("--date", "on_date", type=DATE, required=True, help="申报日期。 Date.")
@db_option
@_refusals
def project_add(code: str, name: str, gov: str, dept: str, total: Decimal, on_date: date,
                db: str) -> None:
    from yusuan.cycle import projects

    click.echo(f"项目 {projects.propose(_open(db), gov, code, name, dept, total, on_date=on_date)}")


@project_cmd.command("move", help="项目状态流转。 Move a project along its lifecycle.")
@click.argument("code")
@click.argument("status", type=click.Choice(["reviewed", "in_budget", "in_progress", "completed",
                                             "withdrawn"]))
@click.option("--gov", required=True, help="行政区划代码。 Division code.")
@click.option("--date", "on_date", type=DATE, required=True, help="日期。 Date.")
@db_option
@_refusals
def project_move(code: str, status: str, gov: str, on_date: date, db: str) -> None:
    from yusuan.cycle import projects

    cdb = _open(db)
    p = projects.get(cdb, gov, code)
    if p is None:
        raise Refused("cycle.project.unknown", f"项目 {code} 不在项目库中", f"no project {code}")
    projects.advance(cdb, p.id, status, on_date)
    click.echo(f"{code}: {projects.STATUSES[p.status]} → {projects.STATUSES[status]}")


@project_cmd.command("list", help="项目库清单。 List the library.")
@click.option("--gov", required=True, help="行政区划代码。 Division code.")
@db_option
def project_list(gov: str, db: str) -> None:
    from yusuan.cycle import projects

    rows = [[p.code, p.name, p.department, projects.STATUSES[p.status], str(p.total)]
            for p in projects.library(_open(db), gov)]
    for line in render_table(["编码", "名称", "部门", "状态", "总投资（元）"], rows, right=(4,)):
        click.echo(line)


# -- debt ----------------------------------------------------------------------


@cycle_cmd.group("debt", help="政府债务登记。 Debt register.")
def debt_cmd() -> None:
    pass


@debt_cmd.command("limit", help="设定债务限额。 Set a debt limit.")
@_gov_year
@click.option("--kind", type=click.Choice(["general", "special"]), required=True,
              help="一般/专项。 Kind.")
@click.option("--amount", type=AMOUNT, required=True, help="限额（元）。 Limit in yuan.")
@click.option("--new", "new_limit", type=AMOUNT, default=None, help="新增限额（元）。 New-debt limit.")
@db_option
@_refusals
def debt_limit(gov: str, year: int, kind: str, amount: Decimal, new_limit: Decimal | None,
               db: str) -> None:
    from yusuan.cycle import debt

    debt.set_limit(_open(db), gov, year, kind, amount, new_limit)
    click.echo("已设定限额。")


@debt_cmd.command("issue", help="登记债券。 Register a bond.")
@click.argument("code")
@click.option("--gov", required=True, help="行政区划代码。 Division code.")
@click.option("--kind", type=click.Choice(["general", "special"]), required=True,
              help="一般/专项。 Kind.")
@click.option("--purpose", type=click.Choice(["new", "refinancing"]), default="new",
              show_default=True, help="新增/再融资。 Purpose.")
@click.option("--amount", type=AMOUNT, required=True, help="金额（元）。 Amount in yuan.")
@click.option("--term", type=int, required=True, help="期限（年）。 Term in years.")
@click.option("--rate", type=AMOUNT, required=True, help="票面利率（%）。 Rate in percent.")
@click.option("--date", "on_date", type=DATE, required=True, help="发行日期。 Issue date.")
@db_option
@_refusals
def debt_issue(code: str, gov: str, kind: str, purpose: str, amount: Decimal, term: int,
               rate: Decimal, on_date: date, db: str) -> None:
    from yusuan.cycle import debt

    bid = debt.issue_bond(_open(db), gov, code, kind=kind, purpose=purpose, amount=amount,
                          term_years=term, rate=rate, issue_date=on_date)
    click.echo(f"债券 {bid}")


@debt_cmd.command("status", help="债务余额、限额使用率与债务率。 Balance and debt indicators.")
@click.option("--gov", required=True, help="行政区划代码。 Division code.")
@click.option("--date", "on_date", type=DATE, required=True, help="截至日期。 As of.")
@click.option("--resources", type=AMOUNT, default=None, help="综合财力（元）。 Resources in yuan.")
@db_option
def debt_status(gov: str, on_date: date, resources: Decimal | None, db: str) -> None:
    from yusuan.cycle import debt

    d = debt.indicators(_open(db), gov, on_date, resources)
    click.echo(f"限额 {d.limit} 元，余额 {d.balance} 元，限额使用率 {d.limit_usage_pct}%")
    if d.debt_ratio_pct is not None:
        click.echo(f"债务率 {d.debt_ratio_pct}%（{d.band_zh}）")


# -- transfers -------------------------------------------------------------------


@cycle_cmd.group("transfer", help="转移支付分配与下达。 Transfers.")
def transfer_cmd() -> None:
    pass


@transfer_cmd.command("allocate", help="按因素法分配（CSV：recipient,因素…）。 Factor allocation.")
@click.argument("transfer", type=int)
@click.argument("factors_csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--weight", "weights", multiple=True, required=True,
              help="因素=权重[,inverse]，如 相关人群收入=0.3,inverse。 factor=weight.")
@click.option("--quantum", type=AMOUNT, default=Decimal(10000), show_default=True,
              help="取整单位（元）。 Rounding unit in yuan.")
@db_option
@_refusals
def transfer_allocate(transfer: int, factors_csv: str, weights: tuple[str, ...], quantum: Decimal,
                      db: str) -> None:
    from yusuan.cycle import transfers
    from yusuan.cycle.factors import Factor

    factors = []
    for spec in weights:
        name, _, rest = spec.partition("=")
        w, _, flag = rest.partition(",")
        factors.append(Factor(name.strip(), Decimal(w), inverse=flag.strip() == "inverse"))
    with Path(factors_csv).open(encoding="utf-8-sig", newline="") as fh:
        data = {row.pop("recipient"): {k: Decimal(v) for k, v in row.items()}
                for row in csv.DictReader(fh)}
    result = transfers.allocate_by_factors(_open(db), transfer, factors, data, quantum=quantum)
    for line in result.explain("元"):
        click.echo(line)


@transfer_cmd.command("overdue", help="逾期未下达的转移支付。 Overdue transfers.")
@_gov_year
@click.option("--date", "today", type=DATE, required=True, help="检查日期。 As of.")
@db_option
def transfer_overdue(gov: str, year: int, today: date, db: str) -> None:
    from yusuan.cycle import transfers

    for t in transfers.overdue(_open(db), gov, year, today):
        click.echo(f"{t.id}\t{t.name}\t期限 {t.deadline_on}\t逾期 {t.overdue_days(today)} 天")


@transfer_cmd.command("receive", help="登记待下达的转移支付。 Register a transfer to pass down.")
@click.argument("name")
@_gov_year
@click.option("--amount", type=AMOUNT, required=True, help="金额（元）。 Amount in yuan.")
@click.option("--date", "on_date", type=DATE, required=True, help="收到日期。 Date received.")
@click.option("--days", type=int, default=30, show_default=True,
              help="下达期限（天）。 Days allowed to pass it down.")
@db_option
@_refusals
def transfer_receive(name: str, gov: str, year: int, amount: Decimal, on_date: date, days: int,
                     db: str) -> None:
    from yusuan.cycle import transfers

    tid = transfers.receive(_open(db), gov, year, name, amount, on_date, deadline_days=days)
    click.echo(f"转移支付 {tid}")


@transfer_cmd.command("pass", help="记录已下达。 Record a transfer as passed down.")
@click.argument("transfer", type=int)
@click.option("--date", "on_date", type=DATE, required=True, help="下达日期。 Date.")
@db_option
@_refusals
def transfer_pass(transfer: int, on_date: date, db: str) -> None:
    from yusuan.cycle import transfers

    late = transfers.pass_down(_open(db), transfer, on_date)
    click.echo(f"已下达{'，逾期 ' + str(late) + ' 天' if late else ''}")


@debt_cmd.command("allocate", help="债券资金安排到项目。 Allocate a bond to a project.")
@click.argument("bond", type=int)
@click.argument("project")
@click.option("--amount", type=AMOUNT, required=True, help="金额（元）。 Amount in yuan.")
@db_option
@_refusals
def debt_allocate(bond: int, project: str, amount: Decimal, db: str) -> None:
    from yusuan.cycle import debt

    click.echo(f"安排 {debt.allocate_bond(_open(db), bond, project, amount)}")


@debt_cmd.command("repay", help="记录还本付息。 Record a scheduled repayment as paid.")
@click.argument("schedule", type=int)
@click.option("--date", "on_date", type=DATE, required=True, help="偿还日期。 Date.")
@db_option
@_refusals
def debt_repay(schedule: int, on_date: date, db: str) -> None:
    from yusuan.cycle import debt

    debt.repay(_open(db), schedule, on_date)
    click.echo("已偿还。")
