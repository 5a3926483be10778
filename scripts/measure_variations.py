#!/usr/bin/env python3
"""The variation matrix: every meaning-preserving variation (tests/variations/) applied to every
example, and how many findings it loses and gains against the unvaried example.

Each cell is "lost/gained" (findings compared by code and structural address, not by line);
"=" when the variation does not change that example, "ok" when nothing is lost or gained,
"ERR" when the varied file no longer parses. --details lists every lost and gained finding.

    python scripts/measure_variations.py [--details] [--markdown] [VARIATION ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "variations"))

from variation_corpus import VARIATIONS, compare, example_paths  # noqa: E402


def _cell(c) -> str:
    if c.error:
        return "ERR"
    if c.unchanged:
        return "="
    if c.ok:
        return "ok"
    return f"{len(c.lost)}/{len(c.gained)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variations", nargs="*", help="only these variations (default: all)")
    parser.add_argument("--details", action="store_true", help="list every lost and gained finding")
    parser.add_argument("--markdown", action="store_true", help="print the matrix as a Markdown table")
    args = parser.parse_args(argv)
    names = args.variations or list(VARIATIONS)
    unknown = [n for n in names if n not in VARIATIONS]
    if unknown:
        parser.error(f"unknown variation(s): {', '.join(unknown)}; known: {', '.join(VARIATIONS)}")
    paths = example_paths()
    short = [p.stem.split("-")[0] for p in paths]
    rows = [(name, [compare(name, p) for p in paths]) for name in names]
    width = max(len(n) for n in names)
    if args.markdown:
        print("| variation | " + " | ".join(short) + " |")
        print("|---|" + "---|" * len(short))
        for name, comps in rows:
            print(f"| {name} | " + " | ".join(_cell(c) for c in comps) + " |")
    else:
        print("lost/gained findings per variation × example ('=' unchanged, 'ok' same findings)")
        print(" " * width + "  " + "  ".join(f"{s:>11}" for s in short))
        for name, comps in rows:
            print(f"{name:<{width}}  " + "  ".join(f"{_cell(c):>11}" for c in comps))
    failing = [(n, c) for n, comps in rows for c in comps if not c.ok and not c.unchanged]
    total = sum(1 for _, comps in rows for c in comps if not c.unchanged)
    print(f"\n{total - len(failing)} of {total} varied pairs keep exactly the same findings; {len(failing)} differ.")
    if args.details:
        for name, c in failing:
            print(f"\n## {name} × {c.example}")
            if c.error:
                print(f"  error: {c.error}")
            for line in c.lost:
                print(f"  lost:   {line}")
            for line in c.gained:
                print(f"  gained: {line}")
            for line in c.allowed:
                print(f"  (allowed gain: {line})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
