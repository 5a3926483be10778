"""The `rapportlint` command's entry point. Kept to builtins on purpose: a re-check of unchanged
reports is answered from the results cache (linter/results_cache.py), and a check of changed ones
by the warm background process when one runs (linter/daemon.py), before click, lark or the engine
are imported; everything else goes on to the click CLI (linter/cli.py) in this process."""

from __future__ import annotations

import os
import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["check"]:
        # Start-up creates many objects and frees few (modules, classes, compiled patterns): the
        # collector's passes find nothing and cost about a tenth of a cold check. It stays off
        # while `check` imports, and `check` turns it back on (gc.freeze: what start-up made is
        # never scanned again) before the first report; every other command has it as usual.
        import gc

        gc.disable()
    plan = _plan(argv, replay=True)
    code = None
    try:
        from linter import daemon

        code = daemon.run(argv, os.environ)
    except Exception:  # the server is an optimisation: anything odd means running here
        code = None
    if code is not None:
        sys.exit(code)
    environ = dict(os.environ)  # as it was: the check sets a few variables for its workers
    try:
        _run_cli(plan)
    except SystemExit as exc:
        if exc.code in (0, 1, None):  # a check that ran (not a usage error, not Ctrl-C)
            _start_daemon(argv, environ)
        raise
    _start_daemon(argv, environ)


def run_here(argv: list[str], replay: bool = False) -> int:
    """Run the command in this process (the warm server's child does this); the exit code."""
    try:
        _run_cli(_plan(argv, replay=replay))
        return 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except BaseException:  # what the interpreter does with an exception nobody caught
        import traceback

        traceback.print_exc()
        return 1


def _plan(argv: list[str], replay: bool):
    """The results cache's entry for this invocation (replayed, and the process exits, when valid)."""
    try:
        from linter import results_cache

        plan = results_cache.plan(argv, os.environ)
        if plan is not None and replay:
            results_cache.replay(plan)  # exits when the entry is valid
        return plan
    except (OSError, ValueError):
        return None  # the cache is an optimisation: anything odd means a real check


def _run_cli(plan) -> None:
    if plan is not None:
        from linter import results_cache

        try:
            results_cache.start_recording(plan)
        except (OSError, ValueError):
            plan = None
    from linter.cli import main as cli_main

    if plan is None:
        cli_main()
        return
    code = 2
    try:
        cli_main()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) or exc.code is None else 2
        raise
    finally:
        results_cache.finish(code)


def _start_daemon(argv: list[str], environ: dict) -> None:
    """After a cold `check`: start the warm server in the background for the next one (unless
    opted out, in CI, or one is starting); see docs/daemon.md."""
    try:
        from linter import daemon

        if daemon.may_start(argv, environ):
            directory = daemon.directory_for(argv, environ)
            if directory:
                daemon.start_in_background(directory, environ)
    except Exception:
        pass  # never a reason for a check to fail
