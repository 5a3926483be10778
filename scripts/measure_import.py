#!/usr/bin/env python3
"""How close `rapportlint import` gets to the hand-written examples.

For each real seed (../shared/seeds) with a hand-written example (examples/), import the seed
and compare element by element:

- sections: a heading matches when its number and normalised title are the same (unnumbered
  headings by title alone);
- tables: per type, an example table matches an imported one of the same type with at least
  half of its row labels;
- cells: (normalised row label, column position, normalised cell text) in tables of the same
  type; the label and text compared with spaces, dashes and case normalised.

Prints precision (of what the import produced, how much is in the example) and recall (of
what the example has, how much the import found) per element kind.

    python scripts/measure_import.py [--seeds DIR] [--examples DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.importer import import_text  # noqa: E402
from linter.parsing.builder import parse_report  # noqa: E402
from linter.titles import normalize_title  # noqa: E402

PAIRS = {
    "000_3cdce0f130d07e45.txt": "bjerke-budsjett-2026.md",
    "001_46d2a15018328a56.txt": "vestre-aker-arsberetning-2024.md",
    "002_4fd001b7b407f4d9.txt": "grunerlokka-arsberetning-2024.md",
    "004_bbfe1d3ccb16203e.txt": "sagene-arsberetning-2024.md",
}


def norm(text: str) -> str:
    text = text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2212", "-").replace("\u2013", "-")
    text = re.sub(r"\s*\*\)|\s*\d\)$", "", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def sections(report) -> Counter:
    return Counter(((s.number or "").rstrip("."), normalize_title(s.title)) for s in report.sections())


def tables_by_type(report) -> dict[str, list]:
    out: dict[str, list] = {}
    for t in report.tables:
        out.setdefault(t.type or "-", []).append(t)
    return out


def cells(tables) -> Counter:
    found = Counter()
    for t in tables:
        for row in t.rows:
            label = norm(row.label)
            for cell in row.cells[1:]:
                if cell.text:
                    found[(label, cell.column, norm(cell.text))] += 1
    return found


def matched_tables(mine: list, theirs: list) -> int:
    count = 0
    used = set()
    for t in theirs:
        labels = {norm(r.label) for r in t.rows if r.label}
        if not labels:
            continue
        for n, m in enumerate(mine):
            if n in used:
                continue
            if len(labels & {norm(r.label) for r in m.rows}) >= max(1, len(labels) // 2):
                used.add(n)
                count += 1
                break
    return count


def pr(hit: int, produced: int, expected: int) -> str:
    p = hit / produced if produced else 0.0
    r = hit / expected if expected else 0.0
    return f"precision {p:6.1%} ({hit}/{produced})  recall {r:6.1%} ({hit}/{expected})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--examples", type=Path, default=ROOT / "examples")
    args = ap.parse_args()
    if not args.seeds.is_dir():
        print(f"no seeds at {args.seeds}", file=sys.stderr)
        return 2
    totals: dict[str, list[int]] = {}
    for seed, example in PAIRS.items():
        seed_path, example_path = args.seeds / seed, args.examples / example
        if not seed_path.exists() or not example_path.exists():
            print(f"{seed}: skipped (seed or example {example} missing)")
            continue
        result = import_text(seed_path.read_text(encoding="utf-8"), seed)
        mine = parse_report(result.text, "import")
        theirs = parse_report(example_path.read_text(encoding="utf-8"), example)
        print(f"{seed} → {example}  (ambiguous rows left raw: {len(result.summary.ambiguous)})")
        rows = []
        ms, ts = sections(mine), sections(theirs)
        rows.append(("sections", sum((ms & ts).values()), sum(ms.values()), sum(ts.values())))
        mt, tt = tables_by_type(mine), tables_by_type(theirs)
        for kind in sorted(set(mt) | set(tt)):
            if kind in ("-", "tekst"):
                continue
            a, b = mt.get(kind, []), tt.get(kind, [])
            rows.append((f"tables {kind}", matched_tables(a, b), len(a), len(b)))
            ca, cb = cells(a), cells(b)
            rows.append((f"cells {kind}", sum((ca & cb).values()), sum(ca.values()), sum(cb.values())))
        for name, hit, produced, expected in rows:
            print(f"  {name:<24} {pr(hit, produced, expected)}")
            acc = totals.setdefault(name, [0, 0, 0])
            acc[0] += hit
            acc[1] += produced
            acc[2] += expected
    if totals:
        print("all seeds")
        for name, (hit, produced, expected) in sorted(totals.items()):
            print(f"  {name:<24} {pr(hit, produced, expected)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
