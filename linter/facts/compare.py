"""Duplicate facts must agree: facts with the same concept, measure, scenario, year (and a
target's comparator) agree when their intervals overlap (XBRL's inconsistent-duplicate-facts
check, with the printed precision and the slack of a total of rounded items)."""

from __future__ import annotations

from typing import Iterable

from linter.facts.model import Fact


class Disagreement:  # a plain class: a @dataclass costs about 0.25 ms to build at import
    __slots__ = ("facts", "odd", "majority")

    def __init__(self, facts: list[Fact], odd: Fact, majority: bool) -> None:
        self.facts = facts  # every occurrence, in file order
        self.odd = odd  # where the finding goes: the fact disagreeing with the majority, else the first
        self.majority = majority  # True when most occurrences agree with each other and ``odd`` does not


def groups(facts: Iterable[Fact]) -> list[list[Fact]]:
    """Comparable facts with the same key, two or more, each group split by unit: facts in
    different base units are different facts; a fact with no unit joins the group when it has
    just one unit (an indicator printed "45,3" in one table and "46 %" in another)."""
    by_key: dict[tuple, list[Fact]] = {}
    for fact in facts:
        if fact.comparable:
            by_key.setdefault(fact.key, []).append(fact)
    out = []
    for members in by_key.values():
        if len(members) < 2:
            continue
        units = {f.base_unit for f in members if f.base_unit}
        if len(units) <= 1:
            out.append(members)
            continue
        for unit in sorted(units):
            same = [f for f in members if f.base_unit == unit]
            if len(same) > 1:
                out.append(same)
    return out


def disagreement(members: list[Fact]) -> Disagreement | None:
    n = len(members)
    # Every pair overlaps exactly when the highest low end is below the lowest high end: the
    # usual case, decided in linear time (a value repeated in many tables is a large group).
    bounds = [f.bounds() for f in members]
    if max(low for low, _ in bounds) < min(high for _, high in bounds):
        return None
    # Occurrences with the same interval agree with the same others: compare each distinct
    # interval once (agreement is Fact.agrees: the open intervals overlap).
    classes: dict[tuple, int] = {}
    for interval in bounds:
        classes[interval] = classes.get(interval, 0) + 1
    agree = {(a, b): a[0] < b[1] and b[0] < a[1] for a in classes for b in classes}
    support_of = {interval: sum(count for other, count in classes.items() if agree[(interval, other)])
                  for interval in classes}
    support = [support_of[interval] for interval in bounds]
    anchor = max(range(n), key=lambda i: (support[i], -i))
    outliers = [i for i in range(n) if not agree[(bounds[anchor], bounds[i])]]
    if not outliers:
        # the anchor is a total whose slack covers every value; the others disagree among
        # themselves: the least supported one, the later on a tie, is the odd one
        low = min(support)
        return Disagreement(members, members[max(i for i in range(n) if support[i] == low)], False)
    majority = support[anchor] * 2 > n
    odd = members[outliers[0]] if majority else members[0]
    return Disagreement(members, odd, majority)


def disagreements(facts: Iterable[Fact]) -> list[Disagreement]:
    """Every disagreement; those between the same rows (an indicator that differs between two
    tables in 2021 and in 2022) are one, at the first odd cell, listing every occurrence."""
    merged: dict[tuple, Disagreement] = {}
    for members in groups(facts):
        members.sort(key=lambda f: (f.path, f.offset))
        result = disagreement(members)
        if result is None:
            continue
        rows = frozenset((f.path, f.table_id, f.row, f.line) for f in result.facts)
        key = (result.odd.concept, result.odd.measure, rows)
        if key in merged:
            earlier = merged[key]
            earlier.facts = sorted(earlier.facts + result.facts, key=lambda f: (f.path, f.offset))
            earlier.majority = earlier.majority and result.majority
            if (result.odd.path, result.odd.offset) < (earlier.odd.path, earlier.odd.offset):
                earlier.odd = result.odd
        else:
            merged[key] = result
    return sorted(merged.values(), key=lambda d: (d.odd.path, d.odd.offset))
