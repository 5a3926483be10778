"""--statistics: how many findings of each rule, most frequent first, and per file what was
checked and what could not be (the coverage the rule families report), so "checked, nothing
wrong" can be told from "not checked"."""

from __future__ import annotations

import json
from collections import Counter

from linter.reporting import as_run


def rows(run) -> list[dict]:
    counted: Counter[str] = Counter()
    first = {}
    for result in as_run(run).results:
        for finding in result.findings:
            counted[finding.code] += 1
            first.setdefault(finding.code, finding)
    return [{"code": code, "name": first[code].name, "severity": first[code].severity.value, "count": n,
             "fixable": first[code].fix is not None}
            for code, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))]


def coverage(run) -> list[dict]:
    return [{"path": r.path, "checked": not r.failed, "coverage": getattr(r, "coverage", None) or {}}
            for r in as_run(run).results]


def _coverage_lines(run, lang: str) -> list[str]:
    en = lang == "en"
    lines = []
    for entry in coverage(run):
        if not entry["checked"]:
            lines.append(f"  {entry['path']}: " + ("not checked (see the error)" if en else "ikke kontrollert (se feilen)"))
            continue
        arithmetic = entry["coverage"].get("aritmetikk")
        if not arithmetic:
            continue
        checks = arithmetic["checks"]
        relations = arithmetic["relations"]
        not_run = relations["not_run"]
        if en:
            text = (f"  {entry['path']}: {checks['run']} checks ({checks['held']} held, {checks['failed']} failed, "
                    f"{checks['skipped']} skipped); {relations['run']} of {relations['declared']} relationships run")
        else:
            text = (f"  {entry['path']}: {checks['run']} kontroller ({checks['held']} holdt, {checks['failed']} feilet, "
                    f"{checks['skipped']} hoppet over); {relations['run']} av {relations['declared']} relasjoner kjørt")
        lines.append(text)
        for item in not_run:
            optional = (" (optional)" if en else " (valgfri)") if item.get("optional") else ""
            reason = item["reason_en"] if en else item["reason"]
            lines.append(f"      {'not run' if en else 'ikke kjørt'}{optional}: «{item['relation']}»: {reason}")
    if lines:
        lines.insert(0, "coverage (arithmetic):" if en else "dekning (aritmetikk):")
    return lines


def render(run, lang: str = "nb", as_json: bool = False, **_: object) -> str:
    table = rows(run)
    if as_json:
        return json.dumps({"rules": table, "files": coverage(run)}, ensure_ascii=False, indent=2) + "\n"
    from linter.rules.base import Severity

    if not table:
        lines = ["no findings" if lang == "en" else "ingen funn"]
    else:
        lines = [f"{row['count']:>6}  {row['code']}  {row['name']:<34} {Severity(row['severity']).label(lang)}"
                 for row in table]
        total = sum(row["count"] for row in table)
        lines.append(f"{total:>6}  {'in total' if lang == 'en' else 'totalt'}")
    extra = _coverage_lines(run, lang)
    if extra:
        lines.append("")
        lines.extend(extra)
    return "\n".join(lines) + "\n"
