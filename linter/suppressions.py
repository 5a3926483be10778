"""Inline suppressions: ``<!-- rapportlint: ignore CODE[,CODE] begrunnelse="..." -->``.

Directives (exact syntax in docs/suppressions.md):

- ``ignore CODES begrunnelse="..."``: the next block below (blank lines and other comments
  skipped): a whole table with its caption, a paragraph, a list or a heading line. With
  ``rad="label"`` only the table rows whose first cell is that label.
- ``ignore-start CODES begrunnelse="..."`` ... ``ignore-end [CODES]``: every line between.
- ``ignore-file CODES begrunnelse="..."``: the whole file.

CODES are rule codes or prefixes (``A201``, ``A2``), separated by commas or spaces. A directive
without a reason, or one that cannot be read, does not apply (X901, X903); one that suppressed
nothing of a rule that ran is reported (X902). Findings of the X9 rules are never suppressed.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from linter.model import Blank, Comment, Report, Span, Table
from linter.rules.base import Finding

KINDS = ("ignore", "ignore-start", "ignore-end", "ignore-file")
ATTRIBUTES = {"ignore": ("begrunnelse", "rad"), "ignore-start": ("begrunnelse",),
              "ignore-file": ("begrunnelse",), "ignore-end": ()}
# Words that show a directive was meant as a suppression (a typo gets X903 rather than silence);
# any other directive belongs to some other rule and is left alone.
_SUPPRESSION_LIKE = re.compile(r"^(ignor|noqa|disable|skip|unnta|undertrykk)", re.I)
_KIND = re.compile(r"^\s*([^\s=\"«]+)")
_ATTRIBUTE = re.compile(r'\s*([\w-]+)\s*=\s*(?:"([^"]*)"|«([^»]*)»|“([^”]*)”)', re.S)
_CODE = re.compile(r"^[A-Z][0-9]{0,3}$")
_PRECEDENCE = {"ignore": 0, "ignore-range": 1, "ignore-file": 2}
FOREVER = 10**9


@dataclass(slots=True)
class Suppression:
    kind: str  # "ignore", "ignore-range" or "ignore-file"
    codes: list[str]
    reason: str
    span: Span  # the directive (for a range: its ignore-start)
    lines: list[tuple[int, int]]  # inclusive line ranges it covers
    row: str | None = None
    end_span: Span | None = None
    matched: dict[str, int] = field(default_factory=dict)  # code or prefix -> findings covered

    def pattern_for(self, finding: Finding) -> str | None:
        if not any(first <= finding.span.line <= last for first, last in self.lines):
            return None
        return next((code for code in self.codes if finding.code.startswith(code)), None)

    @property
    def count(self) -> int:
        return sum(self.matched.values())

    def to_dict(self) -> dict:
        return {"kind": self.kind, "codes": self.codes, "reason": self.reason, "line": self.span.line,
                "column": self.span.column, "row": self.row, "findings": self.count,
                "matched": dict(self.matched)}


# Plain classes, not @dataclass: made at the import of a first check, and they use none of
# its features (a dataclass costs about 0.25 ms each to build).
class Problem:
    __slots__ = ("code", "key", "span", "args")

    def __init__(self, code: str, key: str, span: Span, args: dict[str, Any]) -> None:
        self.code = code  # X901 or X903
        self.key = key
        self.span = span
        self.args = args


class Parsed:
    __slots__ = ("kind", "codes", "attributes", "span")

    def __init__(self, kind: str, codes: list[str], attributes: dict[str, str], span: Span) -> None:
        self.kind = kind
        self.codes = codes
        self.attributes = attributes
        self.span = span


def _hints(value: str, choices) -> dict[str, str]:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return {"hint": f" (mente du «{close[0]}»?)" if close else "",
            "hint_en": f" (did you mean «{close[0]}»?)" if close else ""}


def parse_directive(body: str, span: Span, known_codes) -> Parsed | Problem | None:
    """One directive's body (after ``rapportlint:``); None when it is not a suppression."""
    match = _KIND.match(body)
    if not match:
        return None
    kind = match.group(1).lower()
    if kind not in KINDS:
        if not _SUPPRESSION_LIKE.match(kind):
            return None
        return Problem("X903", "unknown-kind", span, {"kind": kind, **_hints(kind, KINDS)})
    rest = body[match.end():]
    first_attribute = re.search(r"[\w-]+\s*=", rest)
    code_text = rest[: first_attribute.start()] if first_attribute else rest
    attribute_text = rest[first_attribute.start():] if first_attribute else ""
    codes = [c.upper() for c in re.split(r"[,\s]+", code_text.strip()) if c]
    attributes: dict[str, str] = {}
    position = 0
    while position < len(attribute_text):
        found = _ATTRIBUTE.match(attribute_text, position)
        if not found:
            leftover = attribute_text[position:].strip()
            if not leftover:
                break
            return Problem("X903", "syntax", span, {"text": leftover[:60]})
        name = found.group(1).lower()
        value = next(v for v in found.groups()[1:] if v is not None)
        if name not in ATTRIBUTES[kind]:
            allowed = ATTRIBUTES[kind]
            return Problem("X903", "unknown-attribute", span, {
                "attribute": name, "rad": ", rad" if "rad" in allowed else "",
                **_hints(name, allowed or ("begrunnelse",))})
        attributes[name] = " ".join(value.split())
        position = found.end()
    for code in codes:
        if not code.isalnum():
            return Problem("X903", "syntax", span, {"text": code[:60]})
        if not _CODE.match(code) or not any(k.startswith(code) for k in known_codes):
            return Problem("X903", "unknown-code", span, {"code": code, **_hints(code, known_codes)})
    if kind != "ignore-end" and not codes:
        return Problem("X903", "no-codes", span, {"kind": kind})
    return Parsed(kind, codes, attributes, span)


def collect(report: Report, known_codes) -> tuple[list[Suppression], list[Problem]]:
    """Every suppression in the report with the lines it covers, and the directives' problems."""
    suppressions: list[Suppression] = []
    problems: list[Problem] = []
    open_ranges: list[Parsed] = []
    # The blocks a directive can target, with their first lines, so each directive finds its
    # block by bisection (a scan from the top per directive is quadratic in the directives).
    targets = [b for b in report.blocks if not isinstance(b, (Blank, Comment))]
    target_lines = [b.span.line for b in targets]
    for directive in report.directives:
        parsed = parse_directive(directive.body, directive.span, known_codes)
        if parsed is None:
            continue
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        reason = parsed.attributes.get("begrunnelse", "")
        if parsed.kind != "ignore-end" and not reason:
            problems.append(Problem("X901", "missing", parsed.span, {"codes": ", ".join(parsed.codes)}))
            if parsed.kind != "ignore-start":
                continue  # a range still pairs with its end, but suppresses nothing
        if parsed.kind == "ignore-file":
            suppressions.append(Suppression("ignore-file", parsed.codes, reason, parsed.span, [(1, FOREVER)]))
        elif parsed.kind == "ignore-start":
            open_ranges.append(parsed)
        elif parsed.kind == "ignore-end":
            index = next((i for i in range(len(open_ranges) - 1, -1, -1)
                          if not parsed.codes or open_ranges[i].codes == parsed.codes), None)
            if index is None:
                codes = ", ".join(parsed.codes)
                problems.append(Problem("X903", "stray-end", parsed.span, {"codes": f" for {codes}" if codes else ""}))
                continue
            start = open_ranges.pop(index)
            if not start.attributes.get("begrunnelse"):
                continue
            suppressions.append(Suppression("ignore-range", start.codes, start.attributes["begrunnelse"], start.span,
                                            [(start.span.line, parsed.span.end_line)], end_span=parsed.span))
        else:
            index = bisect.bisect_right(target_lines, parsed.span.end_line)
            target = _target_lines(targets[index] if index < len(targets) else None, parsed)
            if isinstance(target, Problem):
                problems.append(target)
                continue
            suppressions.append(Suppression("ignore", parsed.codes, reason, parsed.span, target,
                                            row=parsed.attributes.get("rad")))
    for start in open_ranges:
        problems.append(Problem("X903", "unclosed", start.span, {}))
    suppressions.sort(key=lambda s: (_PRECEDENCE[s.kind], s.span.line))
    return suppressions, problems


def _target_lines(block, parsed: Parsed) -> list[tuple[int, int]] | Problem:
    """The lines of the block below the directive (None: there is none) that it covers."""
    if block is None:
        return Problem("X903", "nothing-below", parsed.span, {})
    row = parsed.attributes.get("rad")
    if row is None:
        return [(block.span.line, _last_line(block.span))]
    if not isinstance(block, Table):
        return Problem("X903", "row-not-table", parsed.span, {})
    wanted = " ".join(row.split()).casefold()
    lines = [(r.span.line, r.span.line) for r in block.rows if " ".join(r.label.split()).casefold() == wanted]
    return lines or Problem("X903", "row-not-found", parsed.span, {"row": row})


def _last_line(span: Span) -> int:
    if span.end_line > span.line and span.end_column == 1:
        return span.end_line - 1
    return span.end_line


def apply(report: Report, findings: list[Finding], selected: "set[str] | frozenset[str]", audit: bool = False
          ) -> tuple[list[Finding], list[Finding], list[Suppression]]:
    """Split findings into (kept, suppressed) and add the X9 findings of the rules in
    ``selected``. With ``audit`` nothing is suppressed, but each suppression still counts what
    it would have covered."""
    from linter.rules.registry import all_rules

    rules = all_rules()
    suppressions, problems = collect(report, rules.keys())
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    by_line, wide = _index(suppressions)
    for finding in findings:
        if finding.code.startswith("X9"):
            kept.append(finding)
            continue
        hit = None
        line = finding.span.line
        for position in sorted(by_line.get(line, []) + wide) if wide else by_line.get(line, ()):
            suppression = suppressions[position]
            pattern = suppression.pattern_for(finding)
            if pattern:
                suppression.matched[pattern] = suppression.matched.get(pattern, 0) + 1
                hit = suppression
                break
        (suppressed if hit and not audit else kept).append(finding)
    meta: list[Finding] = []
    for problem in problems:
        if problem.code in selected:
            rule = rules[problem.code]()
            meta.append(rule.finding(report, problem.span, problem.key, **problem.args))
    if "X902" in selected and not audit:
        unused = rules["X902"]()
        for suppression in suppressions:
            for code in suppression.codes:
                if suppression.matched.get(code) or not any(c.startswith(code) for c in selected):
                    continue
                where_nb, where_en = _where(suppression)
                meta.append(unused.finding(report, suppression.span, "unused", code=code, where=where_nb,
                                           where_en=where_en, details={"kind": suppression.kind, "reason": suppression.reason}))
    return kept + meta, suppressed, suppressions


NARROW = 64  # a suppression covering at most this many lines is indexed line by line


def _index(suppressions: list[Suppression]) -> tuple[dict[int, list[int]], list[int]]:
    """Positions (in precedence order) of the suppressions that cover each line, and of the wide
    ones (files, long ranges) that are tried for every finding: linear, not findings × directives."""
    by_line: dict[int, list[int]] = {}
    wide: list[int] = []
    for position, suppression in enumerate(suppressions):
        if sum(last - first + 1 for first, last in suppression.lines) > NARROW:
            wide.append(position)
            continue
        for first, last in suppression.lines:
            for line in range(first, last + 1):
                by_line.setdefault(line, []).append(position)
    return by_line, wide


def _where(suppression: Suppression) -> tuple[str, str]:
    if suppression.kind == "ignore-file":
        return "i filen", "in the file"
    if suppression.kind == "ignore-range":
        first, last = suppression.lines[0]
        return f"på linje {first}–{last}", f"on lines {first}–{last}"
    if suppression.row:
        return f"i raden «{suppression.row}»", f"in row «{suppression.row}»"
    first, last = suppression.lines[0]
    return (f"på linje {first}", f"on line {first}") if first == last else (f"på linje {first}–{last}", f"on lines {first}–{last}")
