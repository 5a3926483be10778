"""rapportlint benchmark: prints figures, passes or fails nothing.

    python -m pip install -e '.[bench]'
    python bench/benchmark.py            # all figures (about a minute)
    python bench/benchmark.py --quick    # fewer repetitions
    python bench/benchmark.py --profile  # plus a cProfile of the full check of the 10x report

Figures, each the median of several runs:
- for the largest example and a synthetic 10x report (the examples' bodies one after another,
  renumbered so that it still parses and checks): parse time, full check time (every registered
  rule), peak memory of the check (tracemalloc), and the ratio of the full check to
  markdown-it-py's parse of the same text;
- cold command line: `rapportlint check <largest example>` against `python -c "import linter"`,
  each in a fresh process;
- scaling: check time at 1x, 2x, 4x and 8x the largest example;
- scaling of pathological inputs (bench/pathological.py: a million-digit figure, a 5000-term
  formula, a backtracking glob, a wrong sum over 4000 rows, 20000 suppressions, a 10000-column
  table...): check time at n/4, n/2 and n;
- 100 reports in one run, with --jobs 1 and --jobs 2 (when the option exists).
Targets (issue 8): full check no slower than markdown-it-py's parse; cold CLI under 0.4 s; time
linear in report size.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT))

from linter.engine import CheckOptions, check_text  # noqa: E402
from linter.parsing.builder import parse_report  # noqa: E402
from linter.rules.registry import all_rules  # noqa: E402

_FRONT_MATTER = re.compile(r"\A(\ufeff?---[ \t]*\r?\n.*?\n---[ \t]*\r?\n)", re.DOTALL)
_HEADING_NUMBER = re.compile(r"^(#{1,6}[ \t]+)(\d{1,2})(?=[.\s])", re.MULTILINE)
_CAPTION_ID = re.compile(r"\{#([^\s\"{}]+)")


# ---------------------------------------------------------------- inputs


def examples() -> list[Path]:
    found = sorted(EXAMPLES.glob("*.md"), key=lambda p: p.stat().st_size, reverse=True)
    if not found:
        sys.exit("benchmark: no examples/*.md to measure")
    return found


def split_front_matter(text: str) -> tuple[str, str]:
    match = _FRONT_MATTER.match(text)
    return (match.group(1), text[match.end():]) if match else ("", text)


def renumbered(body: str, copy: int) -> str:
    """A copy of a report body that can follow other copies in one file: its table ids get a
    suffix (ids are unique in a file, and formulas name them) and its chapters move up by ten."""
    if copy == 0:
        return body
    ids = set(_CAPTION_ID.findall(body))
    if ids:
        pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r")(?![\w-])")
        body = "".join(
            pattern.sub(lambda m: f"{m.group(1)}-k{copy}", line) if line.lstrip().startswith(":") else line
            for line in body.splitlines(keepends=True)
        )

    def shift(match: re.Match) -> str:
        number = int(match.group(2)) + 10 * copy
        return f"{match.group(1)}{number if number < 100 else match.group(2)}"

    return _HEADING_NUMBER.sub(shift, body)


def synthetic(factor: int, sources: list[Path]) -> str:
    """The first source's front matter, then ``factor`` bodies taken in turn from the sources."""
    head, _ = split_front_matter(sources[0].read_text(encoding="utf-8"))
    bodies = [split_front_matter(p.read_text(encoding="utf-8"))[1] for p in sources]
    parts = [head]
    for copy in range(factor):
        body = bodies[copy % len(bodies)]
        parts.append(body if body.endswith("\n") else body + "\n")
        parts[-1] = renumbered(parts[-1], copy)
    return "".join(parts)


# ---------------------------------------------------------------- measuring


def median_time(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_memory(func) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def markdown_parser():
    try:
        from markdown_it import MarkdownIt
    except ImportError:
        return None
    return MarkdownIt("commonmark").enable("table")


def cold_run(args: list[str], repeat: int) -> float:
    """Median wall time of a command in a fresh process (bytecode caches allowed, as users
    have them: the first, unmeasured run writes them)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(args, capture_output=True, env=env, cwd=ROOT)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, env=env, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("rapportlint")
    if script.exists():
        return [str(script)]
    found = shutil.which("rapportlint")
    return [found] if found else [sys.executable, "-m", "linter"]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def mib(size: int) -> str:
    return f"{size / 1024 / 1024:6.1f} MiB"


# ---------------------------------------------------------------- the figures


def measure_file(name: str, text: str, rules, md, repeat: int) -> dict:
    parse_report(text)  # warm: grammar loaded, caches filled
    result = check_text(text, name, CheckOptions(rules=rules))
    if result.failed:
        problems = result.syntax_error.problems if result.syntax_error else []
        sys.exit(f"benchmark: {name} does not check: {result.input_error or result.pack_error or problems[:3]}")
    row = {
        "name": name,
        "bytes": len(text.encode("utf-8")),
        "lines": text.count("\n"),
        "findings": len(result.findings),
        "parse": median_time(lambda: parse_report(text), repeat),
        "check": median_time(lambda: check_text(text, name, CheckOptions(rules=rules)), repeat),
        "memory": peak_memory(lambda: check_text(text, name, CheckOptions(rules=rules))),
    }
    if md is not None:
        md.parse(text)
        row["markdown_it"] = median_time(lambda: md.parse(text), repeat)
    return row


def _pathological():
    import importlib.util

    spec = importlib.util.spec_from_file_location("pathological", Path(__file__).resolve().parent / "pathological.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the 10x check")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7

    sources = examples()
    largest = sources[0]
    rules = list(all_rules().values())
    md = markdown_parser()
    print(f"rapportlint benchmark: Python {sys.version.split()[0]}, {len(rules)} rules "
          f"({', '.join(sorted({r.code[0] for r in rules}))}), {len(sources)} examples, largest {largest.name}")
    if md is None:
        print("note: markdown-it-py is not installed (pip install -e '.[bench]'): no comparison")

    print("\n== parse and full check (median of %d)" % repeat)
    header = f"{'report':<34}{'size':>10}{'lines':>8}{'parse':>12}{'check':>12}{'peak mem':>11}{'markdown-it':>14}{'check/md':>10}"
    print(header)
    texts = {largest.name: largest.read_text(encoding="utf-8"), "synthetic 10x": synthetic(10, sources)}
    for name, text in texts.items():
        row = measure_file(name, text, rules, md, repeat)
        md_time = row.get("markdown_it")
        print(f"{name:<34}{row['bytes'] / 1024:8.0f} kB{row['lines']:8d}{ms(row['parse'])}{ms(row['check'])} "
              f"{mib(row['memory'])}{ms(md_time) if md_time else '           -':>14}"
              f"{row['check'] / md_time if md_time else float('nan'):10.2f}")

    print("\n== scaling: the largest example's body 1x, 2x, 4x, 8x (renumbered copies)")
    print(f"{'factor':<8}{'size':>10}{'parse':>12}{'check':>12}{'check per MB':>15}{'vs 1x':>8}")
    base = None
    for factor in (1, 2, 4, 8):
        text = synthetic(factor, [largest])
        parse_report(text)
        parse_time = median_time(lambda: parse_report(text), repeat)
        check_time = median_time(lambda: check_text(text, "x", CheckOptions(rules=rules)), repeat)
        size = len(text.encode("utf-8"))
        per_mb = check_time / (size / 1024 / 1024)
        base = base or per_mb
        print(f"{factor}x{'':<6}{size / 1024:8.0f} kB{ms(parse_time)}{ms(check_time)}{ms(per_mb):>15}{per_mb / base:8.2f}")

    print("\n== scaling of pathological inputs (bench/pathological.py): full check at n/4, n/2 and n, where n is")
    print("   the size that once crashed or hung; linear when the time per n stays flat (vs n/4 near 1)")
    print(f"{'input':<20}{'n':>10}{'n/4':>12}{'n/2':>12}{'n':>12}{'per n vs n/4':>14}")
    pathological = _pathological()
    for name, (generate, size) in pathological.INPUTS.items():
        times = []
        for n in (size // 4, size // 2, size):
            text = generate(n)
            times.append(median_time(lambda: check_text(text, name, CheckOptions(rules=rules)), 1 if args.quick else 3))
        ratio = (times[-1] / size) / (times[0] / (size // 4))
        print(f"{name:<20}{size:>10}{ms(times[0])}{ms(times[1])}{ms(times[2])}{ratio:14.2f}")

    print("\n== cold command line, each run a fresh process (median of %d)" % (repeat + 3))
    command = cli_command()
    cli_time = cold_run([*command, "check", "--no-color", str(largest)], repeat + 3)
    import_time = cold_run([sys.executable, "-c", "import linter"], repeat + 3)
    print(f"rapportlint check {largest.name:<30}{ms(cli_time)}")
    print(f"python -c 'import linter'{'':<25}{ms(import_time)}")
    print(f"difference (the work of one check){'':<16}{ms(cli_time - import_time)}")

    print("\n== 100 reports in one run (examples copied round-robin into one directory)")
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(100):
            source = sources[i % len(sources)]
            shutil.copyfile(source, Path(tmp) / f"{i:03d}-{source.name}")
        help_text = subprocess.run([*command, "check", "--help"], capture_output=True, text=True).stdout
        sequential = cold_run([*command, "check", "--no-color", tmp], 1 if args.quick else 3)
        print(f"no --jobs option{'':<34}{ms(sequential)}")
        if "--jobs" in help_text:
            for jobs in (1, 2):
                took = cold_run([*command, "check", "--no-color", "--jobs", str(jobs), tmp], 1 if args.quick else 3)
                print(f"--jobs {jobs}{'':<42}{ms(took)}")
        else:
            print("note: `rapportlint check --jobs` does not exist yet (issue 5): --jobs 1 / --jobs 2 skipped")

    if args.profile:
        import cProfile
        import pstats

        text = texts["synthetic 10x"]
        profiler = cProfile.Profile()
        profiler.enable()
        check_text(text, "synthetic", CheckOptions(rules=rules))
        profiler.disable()
        print("\n== cProfile of the full check of the synthetic 10x report")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
