"""How long the HTML auditor page takes for many reports: checks N full-size variants of the
examples (district renamed, nothing cut), then times rendering and reports the page size.

    .venv/bin/python bench/html_report.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.engine import CheckOptions, check_path  # noqa: E402
from linter.reporting.html import render  # noqa: E402
from linter.rules.registry import select_rules  # noqa: E402


def main(n: int) -> None:
    examples = sorted((ROOT / "examples").glob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(n):
            text = examples[i % len(examples)].read_text(encoding="utf-8")
            text = text.replace("bydel: ", f"bydel: V{i:03d} ", 1)
            path = Path(tmp) / f"r{i:03d}.md"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        options = CheckOptions(rules=select_rules(None, None))
        start = time.perf_counter()
        results = [check_path(p, options) for p in paths]
        checked = time.perf_counter()
        page = render(results)
        done = time.perf_counter()
    findings = sum(len(r.findings) for r in results)
    print(f"{n} reports, {findings} findings: check {checked - start:.2f} s, "
          f"render {done - checked:.2f} s, page {len(page.encode('utf-8')) / 1e6:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
