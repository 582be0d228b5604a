"""Classification codes linked across years.

The official classification (政府收支分类科目) changes every year: items
are renamed, split, merged or recoded.  Given the code lists of two years
and a mapping of predecessors (new code -> old codes, from the Ministry's
change notes), :func:`link_codes` links every item and reports what it
could not link rather than dropping it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from yusuan.model import Code, Fact


@dataclass(frozen=True, slots=True)
class CodeLink:
    old: str
    new: str
    status: str  # same | renamed | mapped | recoded
    old_name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class CodeMapping:
    old_year: int
    new_year: int
    links: tuple[CodeLink, ...]
    unmatched_old: tuple[Code, ...]  # items of the old year with no successor
    unmatched_new: tuple[Code, ...]  # items of the new year with no predecessor

    def successors(self, old: str) -> tuple[str, ...]:
        return tuple(link.new for link in self.links if link.old == old)


def link_codes(
    old: Iterable[Code],
    new: Iterable[Code],
    predecessors: Mapping[str, Sequence[str]] | None = None,
) -> CodeMapping:
    """Link ``old`` year items to ``new`` year items.

    Order of evidence: an explicit predecessor mapping; the same code
    (``same`` when the name is unchanged, ``renamed`` otherwise); the same
    name under a different code (``recoded``), when the name is unique on
    both sides.
    """
    old_by = {c.code: c for c in old}
    new_by = {c.code: c for c in new}
    old_year = next(iter(old_by.values())).year if old_by else 0
    new_year = next(iter(new_by.values())).year if new_by else 0
    links: list[CodeLink] = []
    linked_old: set[str] = set()
    linked_new: set[str] = set()
    for new_code, olds in (predecessors or {}).items():
        if new_code not in new_by:
            continue
        for o in olds:
            if o in old_by:
                links.append(CodeLink(o, new_code, "mapped", old_by[o].name, new_by[new_code].name))
                linked_old.add(o)
                linked_new.add(new_code)
    for code, item in new_by.items():
        if code in linked_new or code not in old_by:
            continue
        status = "same" if old_by[code].name == item.name else "renamed"
        links.append(CodeLink(code, code, status, old_by[code].name, item.name))
        linked_old.add(code)
        linked_new.add(code)
    old_names: dict[str, list[str]] = defaultdict(list)
    for code, item in old_by.items():
        if code not in linked_old:
            old_names[item.name].append(code)
    new_names: dict[str, list[str]] = defaultdict(list)
    for code, item in new_by.items():
        if code not in linked_new:
            new_names[item.name].append(code)
    for name, codes in new_names.items():
        if len(codes) == 1 and len(old_names.get(name, [])) == 1:
            o, n = old_names[name][0], codes[0]
            links.append(CodeLink(o, n, "recoded", name, name))
            linked_old.add(o)
            linked_new.add(n)
    links.sort(key=lambda link: (link.new, link.old))
    return CodeMapping(
        old_year,
        new_year,
        tuple(links),
        tuple(sorted((c for k, c in old_by.items() if k not in linked_old), key=lambda c: c.code)),
        tuple(sorted((c for k, c in new_by.items() if k not in linked_new), key=lambda c: c.code)),
    )


@dataclass(frozen=True, slots=True)
class Remapped:
    """Facts of the old year re-keyed to the new year's codes."""

    facts: tuple[tuple[str, Fact], ...]  # (new code, fact)
    unmatched: tuple[Fact, ...]  # facts whose code has no successor
    split: tuple[Fact, ...]  # facts whose code has several successors (not apportioned)


def remap_facts(facts: Iterable[Fact], mapping: CodeMapping) -> Remapped:
    """Translate coded facts of ``mapping.old_year`` into ``new_year`` codes.

    A code with one successor is translated; a code split into several is
    reported (its amount cannot be apportioned without more data); a code
    with none is reported as unmatched.  Facts of other years pass through.
    """
    out: list[tuple[str, Fact]] = []
    unmatched: list[Fact] = []
    split: list[Fact] = []
    for fact in facts:
        if not fact.code:
            continue
        if fact.period.year != mapping.old_year:
            out.append((fact.code, fact))
            continue
        successors = mapping.successors(fact.code)
        if len(successors) == 1:
            out.append((successors[0], fact))
        elif successors:
            split.append(fact)
        else:
            unmatched.append(fact)
    return Remapped(tuple(out), tuple(unmatched), tuple(split))
