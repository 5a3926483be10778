"""Shared test helpers: paths, the real seeds (skipped when absent), running the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The tests (and the CLI they start) keep rapportlint's on-disk cache in a directory of their own.
os.environ.setdefault("RAPPORTLINT_CACHE_DIR", tempfile.mkdtemp(prefix="rapportlint-test-cache-"))
# Every run of the CLI in the tests is a fresh process: no warm server is used or started
# (tests/test_warm*.py start their own, each in a cache directory of its own).
os.environ["RAPPORTLINT_DAEMON"] = "0"

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"

REAL_EXAMPLES = {
    "vestre-aker": EXAMPLES / "vestre-aker-arsberetning-2024.md",
    "grunerlokka": EXAMPLES / "grunerlokka-arsberetning-2024.md",
    "sagene": EXAMPLES / "sagene-arsberetning-2024.md",
    "bjerke": EXAMPLES / "bjerke-budsjett-2026.md",
}


def all_examples() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.md"))


def seed_path(name: str) -> Path:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"the real seed {name} is not here ({SEEDS} is absent): it is never copied into the repository")
    return path


def run_cli(*args: str, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real command line as a user would, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "linter", *args],
        input=input,
        capture_output=True,
        cwd=cwd or ROOT,
        timeout=120,
    )


def pytest_configure(config):
    config.addinivalue_line("markers", "internal_errors_expected: the test makes a rule fail on purpose (X999)")


@pytest.fixture(autouse=True)
def _no_internal_errors(request, monkeypatch):
    """The engine turns an exception in a rule into an X999 finding and goes on, so a crash would
    no longer fail a test by itself: here every such exception fails the test that caused it
    (unless it is marked internal_errors_expected)."""
    if request.node.get_closest_marker("internal_errors_expected"):
        yield
        return
    from linter import engine

    seen: list[str] = []
    original = engine._crashed

    def recording(result, rule_class, exc):
        seen.append(f"{getattr(rule_class, 'code', 'engine')}: {type(exc).__name__}: {exc}")
        return original(result, rule_class, exc)

    monkeypatch.setattr(engine, "_crashed", recording)
    yield
    assert not seen, f"internal error(s) in rapportlint: {seen}"
