"""--statistics: how many findings of each rule, most frequent first."""

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


def render(run, lang: str = "nb", as_json: bool = False, **_: object) -> str:
    table = rows(run)
    if as_json:
        return json.dumps(table, ensure_ascii=False, indent=2) + "\n"
    if not table:
        return ("no findings\n" if lang == "en" else "ingen funn\n")
    from linter.rules.base import Severity

    lines = [f"{row['count']:>6}  {row['code']}  {row['name']:<34} {Severity(row['severity']).label(lang)}"
             for row in table]
    total = sum(row["count"] for row in table)
    lines.append(f"{total:>6}  {'in total' if lang == 'en' else 'totalt'}")
    return "\n".join(lines) + "\n"
