"""Analysis: budget against outturn, indicators as data, comparisons, code mapping."""

from yusuan.analyze.codemap import CodeLink, CodeMapping, link_codes, remap_facts
from yusuan.analyze.compare import PeerRow, YearRow, across_years, against_peers
from yusuan.analyze.indicators import IndicatorResult, Library, compute, library
from yusuan.analyze.ledger import Context, Ledger, level_of_division
from yusuan.analyze.outturn import OutturnLine, outturn_lines

__all__ = [
    "CodeLink",
    "CodeMapping",
    "Context",
    "IndicatorResult",
    "Ledger",
    "Library",
    "OutturnLine",
    "PeerRow",
    "YearRow",
    "across_years",
    "against_peers",
    "compute",
    "level_of_division",
    "library",
    "link_codes",
    "outturn_lines",
    "remap_facts",
]
