"""Reference data: the classification code lists by year, region codes, and the
indicator lexicon.  Each lives in ``data/`` with its sources (``data/SOURCES.md``)
and is read on first use, once.

* :mod:`yusuan.refdata.codes` — 政府收支分类科目: ``load_codes(2024).get("2010601")``;
* :mod:`yusuan.refdata.regions` — 行政区划: ``regions.resolve("昌吉州")``.
"""

from yusuan.refdata.codes import (
    CodeList,
    Conflict,
    clean_name,
    code_depth,
    load_codes,
    normalize_code,
)

__all__ = ["CodeList", "Conflict", "clean_name", "code_depth", "load_codes", "normalize_code"]
