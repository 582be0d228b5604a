"""Performance target forms: tables, money facts and PerformanceTarget records."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import seed
from yusuan.extract.context import detect_context
from yusuan.extract.tables import extract_tables
from yusuan.extract.targets import parse_target_value, targets_from_tables
from yusuan.model import Document, Period, Stage, Unit
from yusuan.read.base import make_document


def doc(text: str) -> Document:
    """A document from text: ``|`` stands for a tab (a cell boundary)."""
    text = text.replace("|", "\t")
    return make_document(text.encode("utf-8"), "t.txt", "txt", text)


# A project form as PDF text prints it: words wrapped inside their cells.
SPACE_FORM = """\
(四) 预算绩效情况
具体情况见下表：
 项目支出绩效目标表
（2024 年）
预算单位 某县财政局
项目名称 信息化经费 项目负责人 张三
项目资金(万
元)
年度预算总额 50.00
其中：财政拨
款
40.00 其他资金 10.00
项目总体目标
维护系统 2 套，全年预算 50 万元。
一级
指标
二级
指标
三级指标
指标
值
指标值设置依
据
上年
完成
值
指标
分值
权重
指标赋分规则 佐证资料
产出
指标
数量
指标
维护软件系统数量 ≥2个 历史标准 2 10
按照完成比例赋
分
工作资料
成本
指标
经济
成本
指标
系统运行维护经费
≤50
万元
计划标准 新增 10 直接赋分 原始凭证
效益
指标
社会
效益
指标
财政业务保障能力明显提
升
显著
提高
计划标准 15 按评判等级赋分 工作资料
(五) 其他需说明的事项
本部门无其他需要说明的事项。
"""


def test_space_form_table_claims_its_lines_only() -> None:
    d = doc(SPACE_FORM)
    tables, _, claimed = extract_tables(d, None)
    (t,) = tables
    assert (t.number, t.title, t.unit, t.empty) == (None, "项目支出绩效目标表", "万元", False)
    assert (t.line_start, t.line_end) == (3, 57)
    assert claimed == set(range(3, 58))
    assert [c.name for c in t.columns][:5] == [
        "三级指标",
        "一级指标",
        "二级指标",
        "指标值",
        "指标值设置依据",
    ]


def test_space_form_money_facts_only_from_the_head() -> None:
    d = doc(SPACE_FORM)
    _, facts, _ = extract_tables(d, None)
    got = [
        (
            f.indicator,
            f.column,
            f.amount.value,
            f.amount.unit,
            f.stage,
            f.period,
            f.table,
            f.source.quote,
        )
        for f in facts
    ]
    label = "项目支出绩效目标表（信息化经费）"
    assert got == [
        (
            "信息化经费",
            "年度预算总额",
            Decimal("50.00"),
            Unit.WAN,
            Stage.BUDGET,
            Period(2024),
            label,
            "50.00",
        ),
        (
            "信息化经费",
            "其中：财政拨款",
            Decimal("40.00"),
            Unit.WAN,
            Stage.BUDGET,
            Period(2024),
            label,
            "40.00",
        ),
        (
            "信息化经费",
            "其他资金",
            Decimal("10.00"),
            Unit.WAN,
            Stage.BUDGET,
            Period(2024),
            label,
            "10.00",
        ),
    ]


def test_space_form_targets() -> None:
    d = doc(SPACE_FORM)
    tables, _, _ = extract_tables(d, None)
    got = [
        (
            t.level1,
            t.level2,
            t.level3,
            t.comparison,
            t.value,
            t.unit,
            t.weight,
            t.basis,
            t.prior,
            t.project,
            t.department,
        )
        for t in targets_from_tables(d, tables)
    ]
    assert got == [
        (
            "产出指标",
            "数量指标",
            "维护软件系统数量",
            "≥",
            Decimal(2),
            "个",
            Decimal(10),
            "历史标准",
            "2",
            "信息化经费",
            "某县财政局",
        ),
        (
            "成本指标",
            "经济成本指标",
            "系统运行维护经费",
            "≤",
            Decimal(50),
            "万元",
            Decimal(10),
            "计划标准",
            "新增",
            "信息化经费",
            "某县财政局",
        ),
        (
            "效益指标",
            "社会效益指标",
            "财政业务保障能力明显提升",
            "",
            "显著提高",
            "",
            Decimal(15),
            "计划标准",
            "",
            "信息化经费",
            "某县财政局",
        ),
    ]
    first = targets_from_tables(d, tables)[0]
    assert first.source.quote.startswith("维护软件系统数量 ≥2个")
    assert first.source.line == 35


TAB_TEMPLATE = """\
附件2
项目支出绩效目标表
(2024年度)
项目名称||2024年补助资金|||
预算单位||XX县(市)有关部门|||
项目资金(万元)|年度资金总额:||||
|其中:财政拨款||||
绩效指标|一级指标|二级指标|三级指标|指标值
||产出指标|数量指标|指标1:|
塔城地区财政局
"""


def test_blank_tab_template_is_an_empty_form_without_facts() -> None:
    d = doc(TAB_TEMPLATE)
    tables, facts, claimed = extract_tables(d, None)
    (t,) = tables
    assert (t.title, t.empty, t.rows, facts) == ("项目支出绩效目标表", True, (), [])
    assert claimed == set(range(2, 10))
    assert targets_from_tables(d, tables) == []


def test_parse_target_value() -> None:
    assert [
        parse_target_value(v)
        for v in ("＞=2 次", "=100%", "≤3.20万元", "5门以上", "显著提升", "7月20日前", "＜5%")
    ] == [
        ("≥", Decimal(2), "次"),
        ("=", Decimal(100), "%"),
        ("≤", Decimal("3.20"), "万元"),
        ("≥", Decimal(5), "门"),
        ("", "显著提升", ""),
        ("≤", "7月20日", ""),
        ("<", Decimal(5), "%"),
    ]


def _seed(prefix: str) -> Document:
    path = seed(prefix)
    data = path.read_bytes()
    return make_document(data, str(path), "txt", data.decode("utf-8"))


def test_seed_003_forms_cost_targets_add_up_to_the_project_budget() -> None:
    """In every project form of 003 the ≤ cost targets (万元) add up to the
    project's 年度预算总额, and the department form's sources are read."""
    d = _seed("003")
    tables, facts, _ = extract_tables(d, detect_context(d))
    forms = [t for t in tables if "绩效目标" in t.title]
    assert len(forms) == 6
    budgets = {
        f.indicator: f.amount.value
        for f in facts
        if f.table and "绩效目标" in f.table and f.column == "年度预算总额"
    }
    assert budgets == {
        "财政信息化建设经费": Decimal("237.00"),
        "财政业务工作经费": Decimal("152.00"),
        "机关运行补助经费": Decimal("262.00"),
        "预算绩效全过程管理及咨询": Decimal("102.00"),
        "债券资金管理及政府债务管理": Decimal("52.00"),
    }
    targets = targets_from_tables(d, tables)
    cost: dict[str, Decimal] = {}
    for t in targets:
        if t.level2 == "经济成本指标" and t.unit == "万元" and isinstance(t.value, Decimal):
            cost[t.project] = cost.get(t.project, Decimal(0)) + t.value
    assert cost == budgets
    dept = {(f.column, f.amount.value) for f in facts if f.indicator == "昌吉回族自治州财政局本级"}
    assert dept == {
        ("财政资金/上级安排", Decimal("0.00")),
        ("财政资金/本级安排", Decimal("2285.54")),
        ("其他资金/其他", Decimal("115.00")),
    }
    assert len(targets) == 4 + 12 + 9 + 10 + 12 + 10
    assert all(t.level1 and t.level2 and t.level3 and t.basis for t in targets)


FILLED_TAB_FORM = """\
项目支出绩效目标表
(2024年度)
项目名称||农村道路建设|||
预算单位||某县交通运输局|||
项目资金(万元)|年度资金总额:|120.00|||
|其中:财政拨款|100.00|||
|其他资金|20.00|||
绩效指标|一级指标|二级指标|三级指标|指标值|分值权重
|产出指标|数量指标|新建道路里程|≥12公里|20
||质量指标|验收合格率|=100%|10
|满意度指标|满意度指标|群众满意度|≥95%|10
塔城地区财政局
"""


def test_tab_form_targets_by_header_columns() -> None:
    d = doc(FILLED_TAB_FORM)
    tables, facts, _ = extract_tables(d, None)
    (t,) = tables
    assert (t.empty, t.unit) == (False, "万元")
    assert [(f.indicator, f.column, f.amount.value) for f in facts] == [
        ("农村道路建设", "年度资金总额", Decimal("120.00")),
        ("农村道路建设", "其中:财政拨款", Decimal("100.00")),
        ("农村道路建设", "其他资金", Decimal("20.00")),
    ]
    got = [
        (x.level1, x.level2, x.level3, x.comparison, x.value, x.unit, x.weight, x.department)
        for x in targets_from_tables(d, tables)
    ]
    assert got == [
        (
            "产出指标",
            "数量指标",
            "新建道路里程",
            "≥",
            Decimal(12),
            "公里",
            Decimal(20),
            "某县交通运输局",
        ),
        (
            "产出指标",
            "质量指标",
            "验收合格率",
            "=",
            Decimal(100),
            "%",
            Decimal(10),
            "某县交通运输局",
        ),
        (
            "满意度指标",
            "满意度指标",
            "群众满意度",
            "≥",
            Decimal(95),
            "%",
            Decimal(10),
            "某县交通运输局",
        ),
    ]


def test_a_form_title_in_a_list_of_attachments_is_no_form() -> None:
    text = "后附：\n直达资金绩效目标表\n监督电话：0992-8508532\n通讯地址：乌苏市财政局\n"
    d = doc(text)
    tables, facts, claimed = extract_tables(d, None)
    assert (tables, facts, claimed) == ([], [], set())


def test_space_form_without_a_basis_column() -> None:
    """Four columns only (一级 二级 三级 指标值): each row ends at its value."""
    d = doc("""\
项目支出绩效目标表
（2024 年）
项目名称 道路养护 项目负责人 李四
年度预算总额 30.00
一级指标 二级指标 三级指标 指标值
产出指标 数量指标 养护里程 ≥12 公里
成本指标 经济成本指标 养护经费
≤30
万元
满意度指标 满意度指标 群众满意度 ≥95%
(五) 其他需说明的事项
""")
    tables, _, claimed = extract_tables(d, None)
    got = [
        (x.level1, x.level2, x.level3, x.comparison, x.value, x.unit)
        for x in targets_from_tables(d, tables)
    ]
    assert got == [
        ("产出指标", "数量指标", "养护里程", "≥", Decimal(12), "公里"),
        ("成本指标", "经济成本指标", "养护经费", "≤", Decimal(30), "万元"),
        ("满意度指标", "满意度指标", "群众满意度", "≥", Decimal(95), "%"),
    ]
    assert claimed == set(range(1, 11))
