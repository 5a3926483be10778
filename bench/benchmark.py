"""rapportlint benchmark: prints figures, passes or fails nothing.

    python -m pip install -e '.[bench]'
    python bench/benchmark.py            # all figures (about a minute)
    python bench/benchmark.py --quick    # fewer repetitions
    python bench/benchmark.py --profile  # plus a cProfile of the full check of the 10x report

Figures, each the median of several runs (the in-process and scaling ones in CPU time of the
process, which another job on a shared machine does not inflate; the command-line ones in wall time):
- in-process (issue 17, target 1): for every example and a synthetic 10x report (the examples'
  bodies one after another, renumbered so that it still parses and checks): parse time, full check
  time (every registered rule), the first check of the file in a fresh interpreter, peak memory
  of the check (tracemalloc), and the ratios of the check and the first check to markdown-it-py's
  parse of the same text, and of the first check to markdown-it-py's own first parse in a fresh
  interpreter (both with their modules imported first); then where a warm check of the largest
  example goes (parse, pack, each rule family); `--first`: only this table;
- cold command line (issue 17, targets 2 and 3): `rapportlint check --no-cache` of the clean
  example and of the largest one, and the same re-check answered by the results cache, against
  `python -c pass`, each in a fresh process, interleaved (`--cli`: only the command-line figures);
- scaling (issue 17, target 4): parse and check time, markdown-it-py's parse and the peak memory
  of the check and of the parse alone (resident set, in a fresh process) at 1x, 10x and 100x the
  largest example; then
  the pathological inputs (bench/pathological.py: a million-digit figure, a 5000-term formula, a
  backtracking glob, a wrong sum over 4000 rows, 20000 suppressions, a 10000-column table...):
  check time at n/4, n/2 and n (`--scaling`: only these);
- 200 reports in one run (issue 17, target 5): --jobs 0, --jobs 0 with the HTML page, --jobs 1,
  and the re-run of the unchanged files answered by the results cache.
Targets (issue 17): full check at most 0.5x markdown-it-py's parse (also the first check in a
fresh interpreter); the 100x input in at most 110x the 1x time, peak memory at most 3x its size
plus a constant.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import resource
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
_FORMULA_ATTRIBUTE = re.compile(r'formel\s*=\s*"[^"]*"')


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
        def suffixed(match: re.Match) -> str:
            return f"{match.group(1)}-k{copy}"

        def caption(line: str) -> str:
            # only the id itself and the ids a formula names: a type or another attribute may be
            # spelt like an id ({#verbalvedtak type=verbalvedtak}) and must stay as it is
            line = _CAPTION_ID.sub(lambda m: "{#" + suffixed(m), line)
            return _FORMULA_ATTRIBUTE.sub(lambda m: pattern.sub(suffixed, m.group(0)), line)

        body = "".join(caption(line) if line.lstrip().startswith(":") else line
                       for line in body.splitlines(keepends=True))

    def shift(match: re.Match) -> str:
        number = int(match.group(2)) + 10 * copy
        return f"{match.group(1)}{number if number < 100 else match.group(2)}"

    return _HEADING_NUMBER.sub(shift, body)


def synthetic(factor: int, sources: list[Path], first_copy: int = 0) -> str:
    """The first source's front matter, then ``factor`` bodies taken in turn from the sources
    (numbered from ``first_copy``: a number no other input used gives tables this process has
    not seen)."""
    head, _ = split_front_matter(sources[0].read_text(encoding="utf-8"))
    bodies = [split_front_matter(p.read_text(encoding="utf-8"))[1] for p in sources]
    parts = [head]
    for copy in range(first_copy, first_copy + factor):
        body = bodies[copy % len(bodies)]
        parts.append(body if body.endswith("\n") else body + "\n")
        parts[-1] = renumbered(parts[-1], copy)
    return "".join(parts)


# ---------------------------------------------------------------- measuring


def median_time(func, repeat: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = clock()
        func()
        times.append(clock() - start)
    return statistics.median(times)


def median_cpu_time(func, repeat: int) -> float:
    """Like median_time, in CPU seconds of this process (time.process_time): the in-process and
    scaling figures are single-threaded work, and on a shared machine wall time adds the time
    spent waiting for a core, more of it the longer a run takes (it skews the 100x ratio)."""
    return median_time(func, repeat, clock=time.process_time)


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
        "parse": median_cpu_time(lambda: parse_report(text), repeat),
        "check": median_cpu_time(lambda: check_text(text, name, CheckOptions(rules=rules)), repeat),
        "memory": peak_memory(lambda: check_text(text, name, CheckOptions(rules=rules))),
    }
    if md is not None:
        md.parse(text)
        row["markdown_it"] = median_cpu_time(lambda: md.parse(text), repeat)
    return row


# ---------------------------------------------------------------- in-process check (issue 17, target 1)

# A fresh interpreter: the modules are imported (import time is measured elsewhere), then the
# first check of the file is timed; what it pays on top of a warm check (the modules the check
# imports lazily, the parser's tables and patterns, the rule pack, the first run of every memo and
# disk cache) counts.
_FIRST_CHECK = """
import sys, time
from linter.engine import CheckOptions, check_text
from linter.rules.registry import all_rules
rules = list(all_rules().values())
text = open(sys.argv[1], encoding="utf-8").read()
start = time.process_time()
check_text(text, sys.argv[1], CheckOptions(rules=rules))
print(time.process_time() - start)
"""


# The yardstick's own first parse in a fresh interpreter, measured the same way: markdown_it
# imported and the parser made (as the modules above are imported), then the first parse timed
# (what it pays on top of a warm parse: its compiled patterns, its rules' first run).
_FIRST_MARKDOWN = """
import sys, time
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark").enable("table")
text = open(sys.argv[1], encoding="utf-8").read()
start = time.process_time()
md.parse(text)
print(time.process_time() - start)
"""


def _fresh_cpu(script: str, path: Path, repeat: int, what: str, cache: str | None = None) -> float:
    """The median of ``repeat`` fresh interpreters' printed CPU time, after one unmeasured run
    (it writes the bytecode and, with ``cache``, rapportlint's start-up caches, as a user's
    first run does; the caches in a directory of the benchmark's own, so that other work on the
    machine with another copy of the code does not replace them between runs)."""
    env = _cli_env(cache)
    times = []
    for index in range(repeat + 1):
        done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, cwd=ROOT, env=env)
        if done.returncode != 0:
            sys.exit(f"benchmark: {what} of {path.name} failed:\n{done.stderr}")
        if index:
            times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def first_check(path: Path, repeat: int, cache: str | None) -> float:
    return _fresh_cpu(_FIRST_CHECK, path, repeat, "the first check", cache)


def first_markdown(path: Path, repeat: int) -> float:
    """markdown-it-py's first parse of the file in a fresh interpreter (CPU seconds)."""
    return _fresh_cpu(_FIRST_MARKDOWN, path, repeat, "markdown-it-py's first parse")


def family_times(text: str, rules, repeat: int) -> dict[str, float]:
    """A warm check split up: parse, choosing the pack, and each rule family (by code letter);
    each the median of ``repeat`` runs over one parsed report."""
    from linter.engine import choose_pack
    from linter.rules.base import RuleContext

    parts: dict[str, list[float]] = {}
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # as check_text does (linter/engine.py)
        start = time.process_time()
        report = parse_report(text, recover=True)
        parts.setdefault("parse", []).append(time.process_time() - start)
        start = time.process_time()
        pack, _ = choose_pack(report, None)
        parts.setdefault("pack", []).append(time.process_time() - start)
        shared: dict = {}
        selected = frozenset(r.code for r in rules)
        run: dict[str, float] = {}
        for rule_class in rules:
            rule = rule_class()
            context = RuleContext(pack=pack, settings=pack.rule_settings(rule.code) if pack else {},
                                  shared=shared, selected=selected)
            start = time.process_time()
            list(rule.check(report, context))
            run[rule.code[0]] = run.get(rule.code[0], 0.0) + time.process_time() - start
        gc.enable()
        for family, took in run.items():
            parts.setdefault(family, []).append(took)
    return {name: statistics.median(times) for name, times in parts.items()}


def in_process_section(sources: list[Path], text_10x: str, rules, md, repeat: int) -> None:
    """Target 1 (issue 17): a full check (parse + every rule) of each example at most 0.5x
    markdown-it-py's parse of the same file, warm and as the first check in a fresh interpreter."""
    print("\n== in-process: parse and full check of each example (CPU time, median of %d; target: check/md <= 0.5, "
          "also the first check)" % repeat)
    print(f"{'report':<34}{'size':>8}{'parse':>11}{'check':>11}{'first':>11}{'peak mem':>11}"
          f"{'markdown-it':>13}{'md first':>11}{'parse/md':>9}{'check/md':>9}{'first/md':>9}{'first/md1':>10}")
    print("  (first: rapportlint's first check in a fresh interpreter; md first: markdown-it-py's first parse in one;\n"
          "   first/md: the first check against markdown-it's warm parse, first/md1: against its first parse)")
    rows = [(path.name, path.read_text(encoding="utf-8"), path) for path in sources]
    rows.append(("synthetic 10x", text_10x, None))
    nan = float("nan")
    cache = tempfile.mkdtemp(prefix="rl-first-")
    for name, text, path in rows:
        row = measure_file(name, text, rules, md, repeat)
        fresh_runs = 3 if repeat > 3 else 1
        first = first_check(path, fresh_runs, cache) if path is not None else None
        md_time = row.get("markdown_it")
        md_first = first_markdown(path, fresh_runs) if path is not None and md is not None else None
        print(f"{name:<34}{row['bytes'] / 1024:6.0f}kB{ms(row['parse'])[1:]} {ms(row['check'])[1:]} "
              f"{ms(first)[1:] if first is not None else '         -'} {mib(row['memory'])}"
              f"{ms(md_time) if md_time else '           -':>13}"
              f"{ms(md_first)[1:] if md_first else '         -':>11}"
              f"{row['parse'] / md_time if md_time else nan:9.2f}"
              f"{row['check'] / md_time if md_time else nan:9.2f}"
              f"{first / md_time if md_time and first is not None else nan:9.2f}"
              f"{first / md_first if md_first and first is not None else nan:10.2f}")
    shutil.rmtree(cache, ignore_errors=True)
    largest = rows[0]
    print(f"\n   where a warm check of {largest[0]} goes (median of {repeat}; letters are rule families):")
    parts = family_times(largest[1], rules, repeat)
    total = sum(parts.values())
    print("   " + "  ".join(f"{name} {took * 1000:.1f} ms ({took / total:.0%})"
                           for name, took in sorted(parts.items(), key=lambda kv: -kv[1]) if took >= 0.0005))


# ---------------------------------------------------------------- scaling (issue 17, target 4)

# Peak memory of one check in a fresh process: the resident set's high-water mark after the
# check minus the one before it (the interpreter, the modules and the text itself). Linux's
# VmHWM belongs to the process's own memory; ru_maxrss would carry over the parent's peak
# (the benchmark's, which holds the 100x text and markdown-it's tokens) across fork and exec.
_PEAK_MEMORY = """
import sys
from linter.engine import CheckOptions, check_text
from linter.rules.registry import all_rules

def high_water():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)

rules = list(all_rules().values())
text = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[3] == "parse":  # the parse alone: the document model (and lark's tree while it is read)
    from linter.parsing.builder import parse_report
    parse_report(open(sys.argv[2], encoding="utf-8").read())
    before = high_water()
    report = parse_report(text, recover=True)
else:
    check_text(open(sys.argv[2], encoding="utf-8").read(), "warm", CheckOptions(rules=rules))
    before = high_water()
    check_text(text, sys.argv[1], CheckOptions(rules=rules))
print(high_water() - before)
"""


def peak_memory_subprocess(text: str, warm: Path, what: str = "check") -> int | None:
    """Bytes the check (``what="parse"``: the parse alone) added to a fresh process's peak
    resident set; None when it cannot be read."""
    with tempfile.NamedTemporaryFile("w", suffix=".md", encoding="utf-8", delete=False) as handle:
        handle.write(text)
    try:
        done = subprocess.run([sys.executable, "-c", _PEAK_MEMORY, handle.name, str(warm), what],
                              capture_output=True, text=True, cwd=ROOT)
        return int(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
    finally:
        os.unlink(handle.name)


def scaling_section(sources: list[Path], rules, md, repeat: int, quick: bool = False) -> None:
    """Target 4 (issue 17): the 100x input checks in at most 110x the time of the 1x input, with
    a peak memory at most 3x the input's size plus a constant; pathological inputs alongside."""
    largest = sources[0]
    factors = (1, 10, 100)
    print("\n== scaling: the largest example's body 1x, 10x, 100x (renumbered copies; CPU time); target: 100x check "
          "<= 110x the 1x check, peak memory <= 3x the size + a constant")
    print("   'first': the first check of that text in this process (its tables are new to it: each factor's copies are")
    print("   numbered apart); 'check': the same text again (what the rules memoise by table and label is then warm);")
    print("   'vs 1x' and '/factor' compare 'check' with 'check' and, in brackets, 'first' with 'first'")
    print(f"{'factor':<8}{'size':>10}{'parse':>11}{'first':>12}{'check':>12}{'vs 1x':>8}{'/factor':>9}{'(first)':>9}"
          f"{'markdown-it':>13}{'check/md':>9}{'peak mem':>11}{'/size':>7}{'parse peak':>12}{'/size':>7}")
    check_text(largest.read_text(encoding="utf-8"), largest.name, CheckOptions(rules=rules))  # the process warm
    base = first_base = None
    for factor in factors:
        text = synthetic(factor, [largest], first_copy=1000 * factor)
        runs = repeat if factor == 1 else (3 if factor <= 10 and not quick else 1)
        parse_report(text)
        parse_time = median_cpu_time(lambda: parse_report(text), runs)
        first_time = median_cpu_time(lambda: check_text(text, "x", CheckOptions(rules=rules)), 1)
        check_time = median_cpu_time(lambda: check_text(text, "x", CheckOptions(rules=rules)), runs)
        md_time = median_cpu_time(lambda: md.parse(text), runs) if md is not None else None
        size = len(text.encode("utf-8"))
        memory = peak_memory_subprocess(text, largest)
        parse_memory = peak_memory_subprocess(text, largest, "parse")
        base = base or check_time
        first_base = first_base or first_time
        print(f"{factor}x{'':<6}{size / 1024:8.0f}kB{ms(parse_time)[1:]} {ms(first_time)[1:]} {ms(check_time)[1:]}  "
              f"{check_time / base:7.1f}{check_time / base / factor:9.2f}{first_time / first_base / factor:9.2f}"
              f"{ms(md_time) if md_time else '           -':>13}"
              f"{check_time / md_time if md_time else float('nan'):9.2f}"
              f"{mib(memory) if memory is not None else '          -':>11}"
              f"{memory / size if memory is not None else float('nan'):7.1f}"
              f"{mib(parse_memory) if parse_memory is not None else '          -':>12}"
              f"{parse_memory / size if parse_memory is not None else float('nan'):7.1f}")

    print("\n== scaling of pathological inputs (bench/pathological.py): full check at n/4, n/2 and n, where n is")
    print("   the size that once crashed or hung; linear when the time per n stays flat (vs n/4 near 1)")
    print(f"{'input':<20}{'n':>10}{'n/4':>12}{'n/2':>12}{'n':>12}{'per n vs n/4':>14}")
    pathological = _pathological()
    for name, (generate, size) in pathological.INPUTS.items():
        times = []
        for n in (size // 4, size // 2, size):
            text = generate(n)
            times.append(median_cpu_time(lambda: check_text(text, name, CheckOptions(rules=rules)), 1 if quick else 3))
        ratio = (times[-1] / size) / (times[0] / (size // 4))
        print(f"{name:<20}{size:>10}{ms(times[0])}{ms(times[1])}{ms(times[2])}{ratio:14.2f}")


# ---------------------------------------------------------------- the command line (issue 17: targets 2, 3, 5)


def _cli_env(cache: str | None) -> dict:
    """The environment of the measured runs: bytecode caches allowed (as users have them), the
    caches in a directory of their own (None: off)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["RAPPORTLINT_CACHE_DIR"] = cache or ""
    env["RAPPORTLINT_DAEMON"] = "0"  # a fresh process every time: no warm server (the rows that use one say so)
    return env


def cold_times(args: list[str], repeat: int, env: dict, cwd: Path = ROOT) -> float:
    """Median wall time of a command, each run a fresh process; the first, unmeasured run writes
    the bytecode and start-up caches."""
    subprocess.run(args, capture_output=True, env=env, cwd=cwd)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, env=env, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold_cli_section(command: list[str], largest: Path, repeat: int) -> None:
    """Target 2: `rapportlint check` of the clean example <= 5x `python -c pass` (a fresh process,
    start-up caches warm, the results cache skipped), without and with the warm server
    (linter/daemon.py); target 3: the same re-check answered by the results cache <= 2x. Every
    row against `python -c pass` measured in the same run, interleaved; wall and CPU time."""
    from linter import daemon

    clean = EXAMPLES / "ren-arsberetning-2024.md"
    print(f"\n== command line, each run a fresh client process (median wall of {repeat}, mean CPU); "
          "ratios to `python -c pass`")
    with tempfile.TemporaryDirectory(prefix="rl-") as cache, tempfile.TemporaryDirectory(prefix="rl-") as warm_cache, \
            tempfile.TemporaryDirectory(prefix="rl-") as changing:
        env = _cli_env(cache)
        warm_env = dict(env, RAPPORTLINT_CACHE_DIR=warm_cache)
        warm_env.pop("RAPPORTLINT_DAEMON")
        # A pre-commit hook checks a report that has just changed: a copy that differs every round
        # (a comment line), next to a copy of the examples' configuration.
        shutil.copy(EXAMPLES / ".rapportlint.toml", changing)
        changed = Path(changing) / clean.name
        clean_text = clean.read_text(encoding="utf-8")
        rounds = iter(range(10**6))

        def change():
            changed.write_text(clean_text + f"\n<!-- runde {next(rounds)} -->\n", encoding="utf-8")

        change()
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"], env, None),
            ("rapportlint --help", [*command, "--help"], env, None),
            (f"check --no-cache {clean.name}", [*command, "check", "--no-cache", str(clean)], env, None),
            (f"  {clean.name}, warm server", [*command, "check", "--no-cache", str(clean)], warm_env, None),
            ("  a changed copy each run, warm server (pre-commit)", [*command, "check", str(changed)], warm_env, change),
            (f"check {clean.name} (results cache hit)", [*command, "check", str(clean)], env, None),
            (f"check --no-cache {largest.name}", [*command, "check", "--no-cache", str(largest)], env, None),
            (f"  {largest.name}, warm server", [*command, "check", "--no-cache", str(largest)], warm_env, None),
            (f"check {largest.name} (results cache hit)", [*command, "check", str(largest)], env, None),
        ]
        started = subprocess.run([*command, "daemon", "start"], capture_output=True, env=warm_env, text=True)
        print(f"warm server: {started.stdout.strip() or started.stderr.strip()}")
        directory = os.path.join(warm_cache, "daemon")
        keys = [name[:-5] for name in os.listdir(directory) if name.endswith(".sock")] if os.path.isdir(directory) else []

        def server_cpu() -> float:
            answer = daemon.request(directory, keys[0], "status") if keys else None
            return answer["children_cpu"] + answer["own_cpu"] if answer else 0.0

        try:
            # interleaved rounds, so a busy moment on a shared machine hits every row alike
            for _, args, row_env, before in rows:
                subprocess.run(args, capture_output=True, env=row_env, cwd=ROOT)
            times: dict[str, list[float]] = {name: [] for name, *_ in rows}
            cpu: dict[str, list[float]] = {name: [] for name, *_ in rows}
            for _ in range(repeat):
                for name, args, row_env, before in rows:
                    if before:
                        before()
                    warm = row_env is warm_env
                    if warm:
                        time.sleep(0.3)  # a commit is not typed in the same millisecond as the last one
                    server_before, cpu_before = server_cpu() if warm else 0.0, _children_cpu()
                    start = time.perf_counter()
                    subprocess.run(args, capture_output=True, env=row_env, cwd=ROOT)
                    times[name].append(time.perf_counter() - start)
                    cpu[name].append(_children_cpu() - cpu_before + ((server_cpu() - server_before) if warm else 0.0))
        finally:
            subprocess.run([*command, "daemon", "stop"], capture_output=True, env=warm_env)
        base = statistics.median(times["python -c pass"])
        base_cpu = statistics.mean(cpu["python -c pass"])
        print(f"{'':<62}{'wall':>11}{'':>9}{'CPU':>11}")
        for name, *_ in rows:
            took, used = statistics.median(times[name]), statistics.mean(cpu[name])
            print(f"{name:<62}{ms(took)}{took / base:8.1f}x{ms(used)}{used / base_cpu:8.1f}x")
        off = cold_times([*command, "check", str(clean)], repeat, _cli_env(None))
        print(f"{'the same, every cache off (RAPPORTLINT_CACHE_DIR=)':<62}{ms(off)}{off / base:8.1f}x")
    print("targets: check of the clean example <= 5x (cold, or warm for a changed report), results cache hit <= 2x;\n"
          "the warm rows' CPU is the client's plus the server's (its own and its children's, spares included)")


def batch_reports(directory: Path, sources: list[Path], count: int) -> list[Path]:
    """``count`` full-size reports made from the examples in turn, each its own district
    (renamed: the D702 post-pass compares only reports of one district)."""
    paths = []
    for index in range(count):
        source = sources[index % len(sources)]
        text = source.read_text(encoding="utf-8").replace("bydel: ", f"bydel: V{index:03d} ", 1)
        path = directory / f"{index:03d}-{source.name}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def batch_section(command: list[str], sources: list[Path], repeat: int, count: int = 200) -> None:
    """Target 5: 200 reports with --jobs 0 on this machine's cores <= 4 s, and the HTML page for
    them <= 1 s on top of the check; also --jobs 1, and a re-run answered by the results cache.
    Then where the time of a run goes (bench/batch_split.py), in CPU seconds of the parent process
    and of the workers, against the same checks in one process: the overhead of the batch."""
    print(f"\n== {count} reports in one run (the examples in turn, each its own district), {os.cpu_count()} cores, "
          f"median of {repeat}")
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        directory = Path(tmp) / "reports"
        directory.mkdir()
        paths = batch_reports(directory, sources, count)
        env = _cli_env(cache)
        page = Path(tmp) / "side.html"
        rows = [
            ("check --jobs 0", ["check", "--no-cache", "--jobs", "0", str(directory)]),
            ("check --jobs 0 --format html -o side.html", ["check", "--no-cache", "--jobs", "0", "--format", "html",
                                                           "-o", str(page), str(directory)]),
            ("check --jobs 1", ["check", "--no-cache", "--jobs", "1", str(directory)]),
        ]
        took = {}
        for name, args in rows:
            took[name] = cold_times([*command, *args], repeat, env)
            print(f"{name:<62}{ms(took[name])}")
        html = took[rows[1][0]] - took[rows[0][0]]
        print(f"{'the HTML page on top of the check':<62}{ms(html)}")
        files = [str(p) for p in paths]
        hit = cold_times([*command, "check", *files], repeat, env)
        print(f"{'check FILES... again, unchanged (results cache hit)':<62}{ms(hit)}")
        print("targets: --jobs 0 <= 4 s (on 2 cores), the HTML page <= 1 s on top")

        # The same directory, and 200 reports of five districts (the examples unchanged, 40 of
        # each: every report meets 39 others in the cross-document post-pass, D702).
        city = Path(tmp) / "city"
        city.mkdir()
        for index in range(count):
            source = sources[index % len(sources)]
            shutil.copyfile(source, city / f"{index:03d}-{source.name}")
        runs = {
            "--jobs 0": ["check", "--no-cache", "--jobs", "0", str(directory)],
            "+ html": ["check", "--no-cache", "--jobs", "0", "--format", "html", "-o", str(page), str(directory)],
            "5 districts": ["check", "--no-cache", "--jobs", "0", str(city)],
        }
        splits: dict[str, list[dict]] = {name: [] for name in runs}
        for _ in range(repeat):  # interleaved: a busy moment hits every column alike
            for name, args in runs.items():
                splits[name].append(batch_split(args, env))
        in_one = checks_in_one_process(paths)
    print_split(splits, in_one, count)


def batch_split(args: list[str], env: dict) -> dict:
    """One run of bench/batch_split.py: the phases of a run in CPU seconds (and wall)."""
    import json

    script = Path(__file__).resolve().parent / "batch_split.py"
    proc = subprocess.run([sys.executable, str(script), *args], capture_output=True, env=env, cwd=ROOT)
    return json.loads(proc.stderr.decode("utf-8").strip().splitlines()[-1])


def checks_in_one_process(paths: list[Path]) -> float:
    """CPU seconds of the same checks one after another in this process, warm (the first file
    checked before the clock starts, as the batch checks it in the parent before the workers)."""
    from linter.engine import check_path

    options = CheckOptions(rules=list(all_rules().values()), keep_report=False)
    check_path(paths[0], options)
    was = gc.isenabled()
    start = time.process_time()
    for path in paths[1:]:
        check_path(path, options)
    took = time.process_time() - start
    if was:
        gc.enable()
    return took


def print_split(splits: dict[str, list[dict]], in_one: float, count: int) -> None:
    names = list(splits)
    print(f"\n== where the time of a run goes: CPU seconds, median of {len(splits[names[0]])} "
          "(bench/batch_split.py; the columns interleaved)")
    print(f"{'':<52}" + "".join(f"{name:>14}" for name in names))

    def median_of(get) -> list[float]:
        return [statistics.median(get(run) for run in splits[name]) for name in names]

    def line(label: str, values: list[float]) -> None:
        print(f"{label:<52}" + "".join(f"{v:14.2f}" for v in values))

    for side in ("parent", "workers"):
        parts: list[str] = []  # in the order the runs first name them
        for name in names:
            for run in splits[name]:
                parts.extend(p for p in run[side] if p not in parts)
        for part in parts:
            line(f"{side}: {part}", median_of(lambda run, p=part: run[side].get(p, 0.0)))
        line(f"{side}, total", median_of(lambda run: run[f"{side}_cpu"]))
    totals = median_of(lambda run: run["parent_cpu"] + run["workers_cpu"])
    line("CPU, total", totals)
    line("wall (inflated by whatever else runs)", median_of(lambda run: run["wall"]))
    print(f"{'load average during the runs':<52}" + "".join(
        f"{statistics.median(run['load'] for run in splits[name]):14.1f}" for name in names))
    checks = median_of(lambda run: run["workers"].get("checks", 0.0)
                       + sum(v for k, v in run["parent"].items() if "check" in k and "check_many" not in k))
    line("not the checks (CPU, total less every check)", [t - c for t, c in zip(totals, checks)])
    print(f"the same {count - 1} checks one after another in this process, warm: {in_one:.2f} s CPU "
          "(under load the workers' and this figure swing apart: compare the rows above, taken in one run)")


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
    parser.add_argument("--cli", action="store_true", help="only the command-line figures: cold start, results cache, batch")
    parser.add_argument("--batch", action="store_true", help="only the batch figures (200 reports in one run)")
    parser.add_argument("--first", action="store_true", help="only the in-process table (warm and first checks)")
    parser.add_argument("--scaling", action="store_true", help="only the scaling figures (1x, 10x, 100x; pathological inputs)")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    if args.first:
        sources = examples()
        in_process_section(sources, synthetic(10, sources), list(all_rules().values()), markdown_parser(), repeat)
        return
    if args.scaling:
        scaling_section(examples(), list(all_rules().values()), markdown_parser(), repeat, args.quick)
        return
    if args.batch:
        batch_section(cli_command(), examples(), 1 if args.quick else 3)
        return
    if args.cli:
        command = cli_command()
        cold_cli_section(command, examples()[0], repeat + 3)
        batch_section(command, examples(), 1 if args.quick else 3)
        return

    sources = examples()
    largest = sources[0]
    rules = list(all_rules().values())
    md = markdown_parser()
    print(f"rapportlint benchmark: Python {sys.version.split()[0]}, {len(rules)} rules "
          f"({', '.join(sorted({r.code[0] for r in rules}))}), {len(sources)} examples, largest {largest.name}")
    if md is None:
        print("note: markdown-it-py is not installed (pip install -e '.[bench]'): no comparison")

    texts = {largest.name: largest.read_text(encoding="utf-8"), "synthetic 10x": synthetic(10, sources)}
    in_process_section(sources, texts["synthetic 10x"], rules, md, repeat)

    print("\n== facts (issue 12): extraction + duplicate check vs the full check of the largest example (target <= 20 %)")
    from linter.facts.compare import disagreements
    from linter.facts.extract import report_facts
    from linter.packs import load_pack

    text = texts[largest.name]
    report = parse_report(text)
    pack = load_pack(f"{report.kind}-{report.year}")
    facts_time = median_time(lambda: disagreements(report_facts(report, pack)), repeat)
    check_time = median_time(lambda: check_text(text, largest.name, CheckOptions(rules=rules)), repeat)
    print(f"{'facts + D701':<34}{ms(facts_time)} of {ms(check_time).strip()} check = {facts_time / check_time:5.1%}")
    all_texts = [(path, path.read_text(encoding="utf-8")) for path in sources]

    def facts_of_all():
        for path, body in all_texts:
            parsed = parse_report(body)
            report_facts(parsed, load_pack(f"{parsed.kind}-{parsed.year}") if parsed.kind else None)

    print(f"{'rapportlint facts, all examples':<34}{ms(median_time(facts_of_all, repeat))} (parse + extract; target < 1 s)")

    scaling_section(sources, rules, md, repeat, quick=args.quick)

    command = cli_command()
    cold_cli_section(command, largest, repeat + 3)
    batch_section(command, sources, 1 if args.quick else 3)

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
