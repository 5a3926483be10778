"""Where the time of one `rapportlint check` run over many files goes: the parent process's phases
and the worker processes' share, in CPU seconds (which other jobs on a shared machine do not
inflate) and wall seconds. Used by bench/benchmark.py's batch section; also by hand:

    python bench/batch_split.py check --no-cache --jobs 0 DIR [--format html -o side.html]

prints one JSON object on standard error after the command's own output. The command runs as
`rapportlint` runs it (linter.entry.main, in this process); the phases are measured by wrapping
the functions that do them, so the figures include nothing the command does not do.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _cpu() -> float:
    return time.process_time()


def in_workers_seen(worker_dir: str) -> bool:
    return bool(os.listdir(worker_dir))


def main(argv: list[str]) -> dict:
    wall0 = time.perf_counter()
    parent = os.getpid()
    phases: dict[str, float] = {}
    walls: dict[str, float] = {}
    marks: dict[str, tuple[float, float]] = {}
    worker_dir = tempfile.mkdtemp(prefix="rapportlint-split-")

    def add(name: str, cpu: float, wall: float) -> None:
        phases[name] = phases.get(name, 0.0) + cpu
        walls[name] = walls.get(name, 0.0) + wall

    def timed(module, attribute: str, name: str, in_workers: bool = False, in_parent: bool = True):
        original = getattr(module, attribute)

        def wrapper(*args, **kwargs):
            c, w = _cpu(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                dc, dw = _cpu() - c, time.perf_counter() - w
                if os.getpid() == parent:
                    if in_parent:
                        add(name, dc, dw)
                elif in_workers:
                    with open(os.path.join(worker_dir, f"{os.getpid()}.txt"), "a", encoding="utf-8") as out:
                        out.write(f"{name} {dc}\n")

        # picklable by reference (the HTML format's prepare goes to the workers with the options)
        wrapper.__module__, wrapper.__qualname__ = module.__name__, attribute
        setattr(module, attribute, wrapper)

    import linter.cli as cli  # noqa: F401 - what the entry point imports anyway, wrapped below
    import linter.discovery as discovery
    import linter.engine as engine
    import linter.facts.crossdoc as crossdoc
    import linter.reporting as reporting

    original_discover = discovery.discover

    def discover(*args, **kwargs):
        marks["files"] = (_cpu(), time.perf_counter())
        add("start-up: interpreter, imports, configuration", _cpu(), time.perf_counter() - wall0)
        return original_discover(*args, **kwargs)

    discovery.discover = discover
    original_check_many = engine.check_many

    def check_many(*args, **kwargs):
        c, w = marks.pop("files")
        add("files: discovery, configuration per file", _cpu() - c, time.perf_counter() - w)
        c, w = _cpu(), time.perf_counter()
        try:
            return original_check_many(*args, **kwargs)
        finally:
            add("check_many", _cpu() - c, time.perf_counter() - w)

    engine.check_many = check_many
    timed(engine, "check_path", "check", in_workers=True)
    timed(crossdoc, "finish_run", "post-pass (D702)")
    if hasattr(crossdoc, "post_pass_data"):  # what a worker sends for it
        timed(crossdoc, "post_pass_data", "post-pass data (D702)", in_workers=True, in_parent=False)
    original_formatter = reporting.formatter_module

    def formatter_module(name: str):
        module = original_formatter(name)
        if not getattr(module, "_split_wrapped", False):
            if getattr(module, "prepare", None) is not None:
                timed(module, "prepare", "prepare (the format's part in the worker)", in_workers=True)
            timed(module, "render", "output: render")
            module._split_wrapped = True
        return module

    reporting.formatter_module = formatter_module
    timed(cli, "_write_output", "output: write -o")
    # the run itself, in this process: not handed to a warm background process (linter/daemon.py)
    os.environ.setdefault("RAPPORTLINT_DAEMON", "0")
    stdout = sys.stdout
    sys.argv = ["rapportlint", *argv]
    sys.stdout = open(os.devnull, "w", encoding="utf-8")
    code = 0
    try:
        from linter.entry import main as entry

        entry()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        sys.stdout.close()
        sys.stdout = stdout
    wall = time.perf_counter() - wall0
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    parent_cpu = own.ru_utime + own.ru_stime
    workers_cpu = children.ru_utime + children.ru_stime
    # The first file is checked in the parent (it loads what the workers then inherit): its check.
    first = phases.pop("check", 0.0)
    first_wall = walls.pop("check", 0.0)
    name = "checks, in the parent" if not in_workers_seen(worker_dir) else "first check, in the parent"
    phases[name] = first
    walls[name] = first_wall
    # check_many less the check done in the parent: the pool (start, receiving the results)
    phases["pool: start, receiving the results"] = max(0.0, phases.pop("check_many", 0.0) - first)
    walls["pool: start, receiving the results"] = max(0.0, walls.pop("check_many", 0.0) - first_wall)
    in_workers: dict[str, float] = {}
    for name in os.listdir(worker_dir):
        with open(os.path.join(worker_dir, name), encoding="utf-8") as source:
            for line in source:
                key, _, value = line.rpartition(" ")
                in_workers[key] = in_workers.get(key, 0.0) + float(value)
        os.remove(os.path.join(worker_dir, name))
    os.rmdir(worker_dir)
    accounted = sum(phases.values())
    phases["rest (exit code, messages)"] = max(0.0, parent_cpu - accounted)
    workers = {"checks": in_workers.get("check", 0.0)}
    for key, value in in_workers.items():
        if key != "check":
            workers[key] = value
    workers["rest (pool, pickling results back, fork)"] = max(0.0, workers_cpu - sum(workers.values()))
    return {"exit": code, "wall": wall, "parent_cpu": parent_cpu, "workers_cpu": workers_cpu,
            "workers_sys": children.ru_stime,
            "parent": phases, "parent_wall": walls, "workers": workers, "load": os.getloadavg()[0]}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])), file=sys.stderr)
