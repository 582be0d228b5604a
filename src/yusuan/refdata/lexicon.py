"""The lexicon of indicator names: canonical names, synonyms, book, parent, parts.

Data in ``data/indicators.json``.  ``canonical`` maps a name as printed
(quotes and spaces removed) to the lexicon's name; ``book_of`` guesses the
book from the name; ``parts_of`` gives the components that make a whole
complete (税收收入 + 非税收入 = 一般公共预算收入).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from yusuan.model import Book

_QUOTES_RE = re.compile(r"[\s\u3000“”\"‘’'「」]")


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    book: Book | None = None
    parent: str | None = None
    synonyms: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()


# Words that say which figure of an item is meant, not what the item is: the stage
# (预算数/执行数/决算数) and 总额 are kept apart from the indicator's name.
_FIGURE_SUFFIX_RE = re.compile(r"(?<=.{4})(?:总额|预算数|执行数|决算数)$")


# "各类项目资金", "各项税收收入": a leading quantifier; the text keeps it in its name, and
# names are compared without it.
_QUANTIFIER_RE = re.compile(r"^(?:各类|各项)(?=.{2})")


def normal(name: str) -> str:
    """A name without spaces, quotation marks, a leading quantifier or a trailing figure word.

    "“三保”支出" -> "三保支出"; "政府债务限额总额" -> "政府债务限额";
    "项目绩效目标预算数" -> "项目绩效目标"; "各类水利投资" -> "水利投资".
    """
    return _FIGURE_SUFFIX_RE.sub("", _QUANTIFIER_RE.sub("", _QUOTES_RE.sub("", name)))


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Indicator], dict[str, str]]:
    raw = json.loads(
        resources.files("yusuan.refdata").joinpath("data/indicators.json").read_text("utf-8")
    )
    by_name: dict[str, Indicator] = {}
    alias: dict[str, str] = {}
    for item in raw["indicators"]:
        ind = Indicator(
            name=item["name"],
            book=Book(item["book"]) if item.get("book") else None,
            parent=item.get("parent"),
            synonyms=tuple(item.get("synonyms", ())),
            parts=tuple(item.get("parts", ())),
        )
        by_name[ind.name] = ind
        alias[normal(ind.name)] = ind.name
        for syn in ind.synonyms:
            alias.setdefault(normal(syn), ind.name)
    return by_name, alias


def lookup(name: str) -> Indicator | None:
    by_name, alias = _load()
    key = alias.get(normal(name))
    return by_name.get(key) if key else None


def canonical(name: str) -> str:
    """The lexicon's name for ``name``; ``name`` itself (normalised) when unknown."""
    _, alias = _load()
    return alias.get(normal(name), normal(name))


def parts_of(name: str) -> tuple[str, ...]:
    found = lookup(name)
    return found.parts if found else ()


# The revenue of each book, the figure a book's "本级（预算）收入" among its sources of funds
# stands for ("政府性基金预算支出资金来源包括：本级预算收入 4.53 亿元" is the year's
# 政府性基金预算收入 4.53 亿元).
_BOOK_REVENUE: dict[Book, str] = {
    Book.GENERAL: "一般公共预算收入",
    Book.FUND: "政府性基金预算收入",
    Book.CAPITAL: "国有资本经营预算收入",
    Book.SOCIAL: "社会保险基金预算收入",
}


def own_revenue_of(name: str, book: Book | None) -> str | None:
    """The book revenue a source of funds named ``name`` stands for, when it is the own revenue.

    ``own_revenue_of("本级预算收入", Book.FUND)`` -> "政府性基金预算收入"; ``None`` for any
    other name, or a book without a revenue of its own.
    """
    if book is None:
        return None
    raw = _raw_flags()
    if canonical(name) not in raw:
        return None
    return _BOOK_REVENUE.get(book)


@lru_cache(maxsize=1)
def _raw_flags() -> frozenset[str]:
    raw = json.loads(
        resources.files("yusuan.refdata").joinpath("data/indicators.json").read_text("utf-8")
    )
    return frozenset(item["name"] for item in raw["indicators"] if item.get("own_revenue"))


_BOOK_WORDS: tuple[tuple[str, Book], ...] = (
    ("地方财政", Book.ALL),
    ("一般公共预算", Book.GENERAL),
    ("政府性基金", Book.FUND),
    ("国有资本经营", Book.CAPITAL),
    ("国有资金经营", Book.CAPITAL),
    ("社会保险基金", Book.SOCIAL),
    ("社保基金", Book.SOCIAL),
)


def book_of(name: str) -> Book | None:
    """The book an indicator belongs to, from the lexicon or the words of its name."""
    found = lookup(name)
    if found and found.book:
        return found.book
    for word, book in _BOOK_WORDS:
        if word in name:
            return book
    return None
