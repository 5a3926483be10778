"""The taxonomy: how row labels and column headers map to concepts, scenarios, measures and
units. It is pack data (the ``fakta:`` key of rules/*.yaml), so a district's own wording is a
data change, not code. A pack may take another pack's taxonomy with ``fra: <pack id>`` and add
to it (``alias`` groups are added; the other keys replace).

Labels and headers are compared in the shared normalised form (linter/normalize.py), with the
pack's ``synonymer:``, like the selectors of every other rule family: case, spaces, dashes,
punctuation and footnote markers do not matter, and "Totalt X" / "X i alt" read as "Sum X".
Globs (scenarios, measures, non-value columns) use ``glob_match``; a row pattern (a regular
expression) matches the folded label with the synonyms or without them, so a synonym only ever
adds matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from linter.normalize import NO_SYNONYMS, Synonyms, fold, glob_match

if TYPE_CHECKING:
    from linter.packs import RulePack

_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


class RowRule:  # a plain class: a @dataclass costs about 0.4 ms to build at import
    __slots__ = ("pattern", "concept", "without_fo", "table", "table_types", "scenario", "measure", "year_offset")

    def __init__(self, pattern: re.Pattern, concept: str | None, without_fo: str | None = None,
                 table: re.Pattern | None = None, table_types: tuple[str, ...] = (), scenario: str | None = None,
                 measure: str | None = None, year_offset: int = 0) -> None:
        self.pattern = pattern
        self.concept = concept  # None: the row is no concept (e.g. "Sum driftsutgifter" inside an FO table)
        self.without_fo = without_fo
        self.table = table
        self.table_types = table_types
        self.scenario = scenario
        self.measure = measure
        self.year_offset = year_offset


@dataclass(slots=True)
class Taxonomy:
    synonyms: Synonyms = NO_SYNONYMS  # the pack's ``synonymer:``
    scenarios: list[tuple[str, list[str]]] = field(default_factory=list)  # globs
    year_only: str = "resultat"  # a header that is only a year ("2023")
    empty_header: str = "resultat"  # an indicator table's value column with no header
    measures: list[tuple[str, list[str]]] = field(default_factory=list)  # globs
    units: dict[str, tuple[str, Decimal]] = field(default_factory=dict)
    not_values: list[str] = field(default_factory=list)  # globs
    rows: list[RowRule] = field(default_factory=list)
    indicator_types: tuple[str, ...] = ("indikatorer", "nøkkeltall", "måltabell")
    indicator_prefix: re.Pattern | None = None
    table_code: re.Pattern | None = None  # a code in the caption that qualifies its indicators ("Kostra 251")
    aliases: dict[str, str] = field(default_factory=dict)
    across_documents: tuple[str, ...] = ("regnskap", "opprinnelig-budsjett", "resultat", "måltall")
    budget_own_year: dict[str, str] = field(default_factory=dict)  # budsjett's own-year scenario → årsberetning's
    city_districts: tuple[str, ...] = ()
    _memo: dict = field(default_factory=dict)  # header → scenario / value column, per taxonomy
    # The header and label lookups (glob matching: most of a first extraction) are kept on disk
    # under the taxonomy and the source of the code matching them (linter/cache.py).
    _disk: tuple[str, str] | None = None  # (key, slot)
    _stored: dict = field(default_factory=dict)  # read from disk, not yet used in this process
    _unsaved: bool = False

    # ------------------------------------------------------------------ folding
    def fold(self, text: str) -> str:
        """The normalised form with the pack's synonyms ("X i alt" → "sum x")."""
        return fold(text, self.synonyms)

    def forms(self, text: str) -> tuple[str, ...]:
        """The folded forms a row pattern is tried on: with the synonyms first, then without
        them when that differs (a pattern written for "totalt" still matches)."""
        with_synonyms = fold(text, self.synonyms)
        plain = fold(text)
        return (with_synonyms,) if plain == with_synonyms else (with_synonyms, plain)

    def _globs(self, patterns: list[str], text: str) -> bool:
        return any(glob_match(p, text, self.synonyms) for p in patterns)

    # ------------------------------------------------------------------ lookups
    def scenario_of(self, header: str) -> str | None:
        known = self._memo.get(("s", header), self)
        if known is not self:
            return known  # type: ignore[return-value]
        return self._recall(("s", header), self._scenario_of)

    def _scenario_of(self, header: str) -> str | None:
        folded = fold(header)
        if not folded:
            return None
        for name, patterns in self.scenarios:
            if self._globs(patterns, header):
                return name
        if _YEAR.fullmatch(folded):
            return self.year_only
        return None

    def is_value_column(self, header: str) -> bool:
        known = self._memo.get(("v", header))
        if known is None:
            known = self._recall(("v", header), self._is_value_column)
        return known

    def _is_value_column(self, header: str) -> bool:
        return not self._globs(self.not_values, header)

    def measure_of(self, text: str) -> str | None:
        known = self._memo.get(("m", text), self)
        if known is not self:
            return known  # type: ignore[return-value]
        return self._recall(("m", text), self._measure_of)

    def _recall(self, key: tuple[str, str], compute: Any) -> Any:
        """A lookup not yet made in this process: read from disk, or made afresh (and then
        written at the end of the extraction)."""
        found = self._stored.pop(key, self)
        if found is self:
            found = compute(key[1])
            self._unsaved = True
        self._memo[key] = found
        return found

    # ------------------------------------------------------------------ lookups kept on disk
    def load_lookups(self, key: str, slot: str) -> None:
        from linter import cache

        self._disk = (key, slot)
        stored = _valid_entries(cache.get("taxonomy", key, slot=slot))
        for kind, text, value in stored:
            self._stored.setdefault((kind, text), value)
        if len(stored) > _STORED_LOOKUPS_LIMIT:
            self._unsaved = True  # a file written before the bound: cut it down at the next save

    def save_lookups(self) -> None:
        """Write the lookups when some were made afresh, merged with what is on disk now (other
        processes, the workers of a batch, may have added theirs since this one read it), and
        not when the file already has them all. The file keeps the lookups this process used
        first, then the others', at most _STORED_LOOKUPS_LIMIT: what a first check reads stays
        bounded however much was checked before, and what is dropped is only matched again."""
        if not self._unsaved or self._disk is None:
            return
        from linter import cache

        self._unsaved = False
        key, slot = self._disk
        on_disk = _valid_entries(cache.get("taxonomy", key, slot=slot))
        known = {(kind, text) for kind, text, _ in on_disk}
        entries = [[kind, text, value] for (kind, text, *rest), value in self._memo.items()
                   if kind in _STORED_LOOKUPS and not rest][:_STORED_LOOKUPS_LIMIT]
        if len(on_disk) <= _STORED_LOOKUPS_LIMIT and all((kind, text) in known for kind, text, _ in entries):
            return
        used = {(kind, text) for kind, text, _ in entries}
        entries.extend(entry for entry in on_disk if (entry[0], entry[1]) not in used)
        cache.put("taxonomy", key, entries[:_STORED_LOOKUPS_LIMIT], slot=slot)

    def forget_lookups(self) -> None:
        """Empty the lookups in place (what is new saved first): they outlive every check."""
        self.save_lookups()
        self._memo.clear()

    def _measure_of(self, text: str) -> str | None:
        for name, patterns in self.measures:
            if self._globs(patterns, text):
                return name
        return None

    def unit_of(self, unit: str | None) -> tuple[str, Decimal] | None:
        if not unit:
            return None
        return self.units.get(self.fold(unit))

    def canonical_indicator(self, label: str) -> str:
        folded = self.fold(label)
        if self.indicator_prefix is not None:
            folded = self.indicator_prefix.sub("", folded, count=1) or folded
        return self.aliases.get(folded, folded)


# the lookups kept on disk, with the type of their answer
_STORED_LOOKUPS: dict[str, tuple[type, ...]] = {"s": (str, type(None)), "m": (str, type(None)), "v": (bool,)}
_STORED_LOOKUPS_LIMIT = 2000  # a report makes 100-300; reading 2000 costs under a millisecond


def _valid_entries(stored: Any) -> list[list]:
    """The well-formed entries of a stored list ([kind, text, answer]); a damaged one is left
    out (that lookup is then made afresh)."""
    if not isinstance(stored, list):
        return []
    return [entry for entry in stored
            if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and entry[0] in _STORED_LOOKUPS
            and isinstance(entry[1], str) and isinstance(entry[2], _STORED_LOOKUPS[entry[0]])]


@lru_cache(maxsize=8192)
def year_in(header: str) -> int | None:
    found = _YEAR.findall(header)
    return int(found[-1]) if found else None


def taxonomy_for(pack: "RulePack | None") -> Taxonomy | None:
    """The pack's taxonomy, or None when the pack has no ``fakta:`` (the fact rules then say
    that they could not run)."""
    if pack is None:
        return None
    return pack.derived("facts:taxonomy", lambda: _taxonomy_of(pack))


def _taxonomy_of(pack: "RulePack") -> Taxonomy | None:
    data = pack.get("fakta")
    if not isinstance(data, dict):
        return None
    return _build(pack.id, _freeze(_resolve(data)), Synonyms.from_pack(pack))


def _resolve(data: dict, depth: int = 0) -> dict:
    base_id = data.get("fra")
    if not base_id or depth > 5:
        return data
    from linter.packs import load_pack

    base = load_pack(base_id).get("fakta") or {}
    merged = dict(_resolve(base, depth + 1))
    for key, value in data.items():
        if key == "fra":
            continue
        if key == "alias":
            merged["alias"] = list(merged.get("alias", [])) + list(value)
        else:
            merged[key] = value
    return merged


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    if isinstance(value, list):
        return ("__list__",) + tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        if value and value[0] == "__list__":
            return [_thaw(v) for v in value[1:]]
        return {k: _thaw(v) for k, v in value}
    return value


@lru_cache(maxsize=8)
def _build(pack_id: str, frozen: Any, synonyms: Synonyms = NO_SYNONYMS) -> Taxonomy:
    data = _thaw(frozen)
    tax = Taxonomy(synonyms=synonyms)
    for name, patterns in (data.get("scenarier") or {}).items():
        tax.scenarios.append((name, [str(p) for p in patterns]))
    tax.year_only = data.get("årstall", tax.year_only)
    tax.empty_header = data.get("tom_overskrift", tax.empty_header)
    for name, patterns in (data.get("målinger") or {}).items():
        tax.measures.append((name, [str(p) for p in patterns]))
    for unit, (base, factor) in (data.get("enheter") or {}).items():
        tax.units[tax.fold(unit)] = (str(base), Decimal(str(factor)))
    tax.not_values = [str(p) for p in data.get("ikke_verdikolonner", [])]
    for entry in data.get("rader", []):
        tax.rows.append(RowRule(
            pattern=re.compile(entry["mønster"]),
            concept=entry.get("begrep"),
            without_fo=entry.get("uten_fo"),
            table=re.compile(entry["tabell"]) if entry.get("tabell") else None,
            table_types=tuple(entry.get("tabelltyper", ())),
            scenario=entry.get("scenario"),
            measure=entry.get("måling"),
            year_offset=int(entry.get("år", 0)),
        ))
    if data.get("indikatortabeller"):
        tax.indicator_types = tuple(data["indikatortabeller"])
    if data.get("indikatorprefiks"):
        tax.indicator_prefix = re.compile(data["indikatorprefiks"])
    if data.get("tabellkode"):
        tax.table_code = re.compile(data["tabellkode"])
    for group in data.get("alias", []):
        folded = [tax.fold(str(m)) for m in group]
        for member in folded:
            tax.aliases[member] = folded[0]
    if data.get("på_tvers"):
        tax.across_documents = tuple(data["på_tvers"])
    tax.budget_own_year = dict(data.get("budsjettets_eget_år") or {})
    tax.city_districts = tuple(fold(d) for d in data.get("bynivå", []))  # names: no synonyms
    from linter import cache
    from linter import normalize

    source = cache.source_key(__file__, normalize.__file__)
    if source is not None:
        tax.load_lookups(cache.key_for("taxonomy", source, repr(frozen), repr(synonyms.groups)),
                         "taxonomy-" + cache.key_for("taxonomy-slot", pack_id)[:24])
    return tax
