"""The post-pass over all files of a run, after every file has been checked (also with
``--jobs``: it works from the results, re-reading a report from its kept source when the worker
did not send the model back):

- D702: the facts of reports from the same district agree across documents (årsberetning Y and
  Y+1, budsjett Y and årsberetning Y, and a city-level report against the sum over districts);
- a D701 finding at a cell where a pack relation (A2xx) or an indicator rule (I5xx) already
  reports the same contradiction is dropped, so one contradiction gives one finding.

A single file never gets a cross-document finding."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Sequence

from linter.facts.model import Fact
from linter.facts.taxonomy import Taxonomy, taxonomy_for
from linter.normalize import fold

if TYPE_CHECKING:
    from linter.engine import CheckOptions, FileResult
    from linter.rules.base import Finding

OWNED_ELSEWHERE = ("A2", "I5")  # these rule families report a contradiction at the cell first


def finish_run(results: Sequence["FileResult"], options: Sequence["CheckOptions | None"]) -> None:
    """Complete the results of one run in place (see the module docstring)."""
    for result in results:
        drop_doubles(result)
    enabled = [opt is not None and any(r.code == "D702" for r in opt.rules) for opt in options]
    wanted = to_compare([(_head(r) if on and not r.failed else None) for r, on in zip(results, enabled)])
    docs = []
    for result, opt, want in zip(results, options, wanted):
        if not want or opt is None:
            continue
        # A worker process sends what the comparison needs of its report (post_pass_data); else
        # it is taken from the model, or from the kept source parsed again.
        data = result.prepared["post_pass"] if "post_pass" in result.prepared else post_pass_data(result, opt)
        if data is not None:
            docs.append((result, data))
    added: dict[int, list] = {}
    for index, finding in _cross_findings(docs):
        added.setdefault(index, []).append(finding)
    if not added:
        return
    from linter.rules.base import Finding as _Finding

    for index, findings in added.items():
        result = docs[index][0]
        result.findings.extend(findings)
        result.findings.sort(key=_Finding.sort_key)


def to_compare(heads: Sequence[str | None]) -> list[bool]:
    """Which reports the comparison reads, from the start of each one's text (None: not taking
    part): a district with two or more reports in the run, and the city level (told from the
    front matter, before any parse). The engine asks before the workers start, so that they send
    what the comparison needs of those reports (post_pass_data)."""
    if sum(1 for head in heads if head is not None) < 2:
        return [False] * len(heads)
    districts = [_district_in(head) if head is not None else None for head in heads]
    counts: dict[str, int] = {}
    for district in districts:
        if district:
            counts[district] = counts.get(district, 0) + 1
    city_names = _city_names()  # reads every pack: once, not once per district
    cities = any(d in city_names for d in counts)
    return [bool(district) and (counts[district] >= 2 or cities) for district in districts]


def post_pass_data(result: "FileResult", options: "CheckOptions") -> tuple | None:
    """What the comparison needs of one report, small enough to send from a worker process:
    (folded district, is the city level, when it was published, its comparable facts by key)."""
    loaded = _facts_of(result, options)
    if loaded is None:
        return None
    taxonomy, facts = loaded
    if not facts:
        return None
    district = fold(facts[0].district or "")
    return (district, district in taxonomy.city_districts, _published(result, facts), _keyed(taxonomy, facts))


_BYDEL = None


def _city_names() -> frozenset[str]:
    """Every pack's «bynivå:» names (only to decide which reports to read again)."""
    from linter.packs import RulePackError, available_packs, load_pack

    names: set[str] = set()
    for pack_id in available_packs():
        try:
            taxonomy = taxonomy_for(load_pack(pack_id))
        except RulePackError:
            continue
        if taxonomy is not None:
            names.update(taxonomy.city_districts)
    return frozenset(names)


def _head(result: "FileResult") -> str | None:
    text = result.report.source if result.report is not None else result.source
    return text[:4000] if text else None


def _district_in(head: str) -> str | None:
    """The folded «bydel:» of a report's front matter, from the start of its text."""
    import re

    global _BYDEL
    if _BYDEL is None:
        _BYDEL = re.compile(r"^bydel\s*:\s*[\"']?(.*?)[\"']?\s*$", re.M)
    head = head[:4000]
    if not head.lstrip("\ufeff").startswith("---"):
        return None
    match = _BYDEL.search(head)
    return fold(match.group(1)) if match and match.group(1) else None


def drop_doubles(result: "FileResult") -> None:
    """The per-file part of the post-pass (idempotent): a worker process runs it before the output
    format prepares its part of the file (linter/engine.py)."""
    others = {(f.span.line, f.span.column) for f in result.findings if f.code.startswith(OWNED_ELSEWHERE)}
    if not others:
        return
    kept = []
    for finding in result.findings:
        if finding.code == "D701":
            cells = {(o["line"], o["column"]) for o in finding.details.get("occurrences", [])}
            if cells & others:
                continue
        kept.append(finding)
    result.findings[:] = kept


def _facts_of(result: "FileResult", options: "CheckOptions") -> tuple[Taxonomy, list[Fact]] | None:
    from linter.engine import choose_pack
    from linter.facts.extract import extract
    from linter.packs import RulePackError
    from linter.parsing.builder import parse_report
    from linter.parsing.errors import ReportInputError, ReportSyntaxError

    report = result.report
    try:
        if report is None:
            if result.source is None:
                return None
            report = parse_report(result.source, result.path, None)
        pack, _ = choose_pack(report, options.ruleset)
    except (ReportSyntaxError, ReportInputError, RulePackError):
        return None
    taxonomy = taxonomy_for(pack)
    if taxonomy is None or not report.district:
        return None
    # Only comparable facts are paired (_comparable): the duplicate check (D701) kept those in
    # the report's shared analysis when it ran on this model.
    facts = result.shared.get("facts:comparable") if report is result.report else None
    return taxonomy, facts if facts is not None else extract(report, taxonomy)


def _published(result: "FileResult", facts: list[Fact]) -> tuple:
    """When a document comes out: a budget for Y in the autumn of Y−1, an annual report for Y in
    the spring of Y+1. The later one restates the earlier one's figures."""
    first = facts[0] if facts else None
    year = first.document_year if first else None
    kind = first.document if first else None
    return ((year or 0) + (1 if kind == "årsberetning" else -1), result.path)


def _comparable(fact: Fact, taxonomy: Taxonomy) -> tuple | None:
    scenario = fact.scenario
    if fact.document == "budsjett" and fact.year == fact.document_year:
        scenario = taxonomy.budget_own_year.get(scenario or "", scenario)
    if not fact.comparable or scenario not in taxonomy.across_documents:
        return None
    # the measure is matched apart (_same_measure): one report's table may not say "netto"
    return (fact.concept, scenario, fact.year, fact.comparator)


def _cross_findings(docs: list) -> list[tuple[int, "Finding"]]:
    out: list[tuple[int, Finding]] = []
    by_district: dict[str, list[int]] = {}
    city: list[int] = []
    for index, (_, (district, is_city, _published_at, _keyed_facts)) in enumerate(docs):
        (city if is_city else by_district.setdefault(district, [])).append(index)
    keyed = [data[3] for _, data in docs]
    for members in by_district.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                primary, other = sorted((a, b), key=lambda k: docs[k][1][2], reverse=True)
                if docs[primary][0].path == docs[other][0].path:
                    continue
                for key, mine in keyed[primary].items():
                    for measure_mine, measure_theirs in _measure_pairs(mine, keyed[other].get(key) or []):
                        if any(x.agrees(y) for x in measure_mine for y in measure_theirs):
                            continue
                        out.append((primary, _pair_finding(measure_mine, measure_theirs)))
    for c in city:
        for key, mine in keyed[c].items():
            parts = []
            for members in by_district.values():
                values = [keyed[k].get(key) for k in members if keyed[k].get(key)]
                if values:
                    parts.append(values[0][0])
            if len(parts) < 2:
                continue
            low = sum((p.bounds()[0] for p in parts), Decimal(0))
            high = sum((p.bounds()[1] for p in parts), Decimal(0))
            fact = mine[0]
            own_low, own_high = fact.bounds()
            if own_low < high and low < own_high:
                continue
            out.append((c, _city_finding(fact, parts)))
    return out


def _measure_pairs(mine: list[Fact], theirs: list[Fact]) -> list[tuple[list[Fact], list[Fact]]]:
    """The facts of both documents with the same measure; a fact whose table does not say
    (None) goes with the other document's facts when they have one measure."""
    if not mine or not theirs:
        return []
    measures = {f.measure for f in mine + theirs if f.measure}
    if len(measures) <= 1:
        return [(mine, theirs)]
    pairs = []
    for measure in sorted(measures):
        a = [f for f in mine if f.measure == measure]
        b = [f for f in theirs if f.measure == measure]
        if a and b:
            pairs.append((a, b))
    return pairs


def _keyed(taxonomy: Taxonomy, facts: list[Fact]) -> dict[tuple, list[Fact]]:
    keyed: dict[tuple, list[Fact]] = {}
    for fact in facts:
        key = _comparable(fact, taxonomy)
        if key is not None:
            keyed.setdefault(key, []).append(fact)
    return keyed


def _pair_finding(mine: list[Fact], theirs: list[Fact]) -> "Finding":
    from linter.rules.facts import CrossDocumentFactMismatch, describe, describe_en, occurrence, what

    rule = CrossDocumentFactMismatch
    fact, other = mine[0], theirs[0]
    what_nb, what_en = what(fact)
    everything = mine + theirs
    nb, en = rule.messages["mismatch"]
    args = dict(what=what_nb, what_en=what_en, value=fact.text, other_value=other.text, other_path=other.path,
                other_line=other.line,
                occurrences="; ".join(f"{f.path}: {describe(f)}" for f in everything),
                occurrences_en="; ".join(f"{f.path}: {describe_en(f)}" for f in everything))
    return _finding(rule, fact, nb.format(**args), en.format(**args), {
        "table": fact.table_id, "row": fact.row, "column": fact.column, "concept": fact.concept,
        "measure": fact.measure, "scenario": fact.scenario, "year": fact.year,
        "related": [occurrence(f) for f in theirs], "occurrences": [occurrence(f) for f in everything]})


def _city_finding(fact: Fact, parts: list[Fact]) -> "Finding":
    from linter.rules.facts import CrossDocumentFactMismatch, occurrence, what

    rule = CrossDocumentFactMismatch
    what_nb, what_en = what(fact)
    total = sum((p.value * p.factor for p in parts), Decimal(0)) / fact.factor
    nb, en = rule.messages["city"]
    args = dict(what=what_nb, what_en=what_en, value=fact.text, count=len(parts), total=_plain(total))
    return _finding(rule, fact, nb.format(**args), en.format(**args), {
        "table": fact.table_id, "row": fact.row, "column": fact.column, "concept": fact.concept,
        "scenario": fact.scenario, "year": fact.year, "computed": _plain(total),
        "related": [occurrence(p) for p in parts]})


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _finding(rule, fact: Fact, message_nb: str, message_en: str, details: dict) -> "Finding":
    from linter.model import Span
    from linter.rules.base import Finding

    return Finding(code=rule.code, name=rule.name, severity=rule.severity, path=fact.path,
                   span=Span(fact.line, fact.col, fact.end_line, fact.end_col, fact.offset, fact.end_offset),
                   message_nb=message_nb, message_en=message_en, details=details)
