"""The `rapportlint` command's entry point. Kept to builtins on purpose: a re-check of unchanged
reports is answered from the results cache (linter/results_cache.py) before click, lark or the
engine are imported; everything else goes on to the click CLI (linter/cli.py)."""

from __future__ import annotations

import os
import sys


def main() -> None:
    import gc

    # Start-up creates many objects and frees few (modules, classes, compiled patterns): the
    # collector's passes find nothing and cost about a tenth of a cold check. It stays off while
    # `check` imports, and `check` turns it back on (gc.freeze: what start-up made is never
    # scanned again) before the first report; every other command has it as usual.
    if sys.argv[1:2] == ["check"]:
        gc.disable()
    plan = None
    try:
        from linter import results_cache

        plan = results_cache.plan(sys.argv[1:], os.environ)
        if plan is not None:
            results_cache.replay(plan)  # exits when the entry is valid
            results_cache.start_recording(plan)
    except (OSError, ValueError):
        plan = None  # the cache is an optimisation: anything odd means a real check
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


if __name__ == "__main__":
    main()
