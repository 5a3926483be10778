"""Many reports in one run with --jobs 0 (one worker per core): the output is byte for byte the
output of --jobs 1, files in the order they were named (or found), in every format the auditors
use (text, json, the HTML page)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT

# Alphabetical order of the names (the order a directory is checked in) is not the order of
# size, and the last one makes findings, so a mix-up would show.
NAMES = ["a-tynn.md", "b-stor.md", "c-ren.md", "d-stor.md", "e-ren.md", "f-feil.md", "g-ren.md", "h-feil.md"]


@pytest.fixture
def batch(tmp_path):
    directory = tmp_path / "rapporter"
    directory.mkdir()
    clean = (EXAMPLES / "ren-arsberetning-2024.md").read_text(encoding="utf-8")
    big = (EXAMPLES / "bjerke-budsjett-2026.md").read_text(encoding="utf-8")
    for index, name in enumerate(NAMES):
        text = big if "stor" in name else clean
        if "feil" in name:
            text = text.replace("bydel: Eksempel", f"bydel: Ukjent{index}")
        (directory / name).write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLES / ".rapportlint.toml", directory / ".rapportlint.toml")
    return directory


def _run(*args: str, cwd) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, "-m", "linter", "check", "--no-cache", *args], capture_output=True,
                          cwd=cwd, env=env, timeout=300)


def test_jobs_0_keeps_the_order_of_a_directory(batch):
    parallel = _run("--jobs", "0", "--format", "json", ".", cwd=batch)
    serial = _run("--jobs", "1", "--format", "json", ".", cwd=batch)
    assert parallel.returncode == serial.returncode == 1
    document = json.loads(parallel.stdout)
    assert [os.path.basename(f["path"]) for f in document["files"]] == NAMES
    findings = [os.path.basename(f["path"]) for f in document["findings"]]
    assert findings == sorted(findings, key=NAMES.index) and {"f-feil.md", "h-feil.md"} <= set(findings)
    assert parallel.stdout == serial.stdout


def test_jobs_0_keeps_the_order_the_files_were_named_in(batch):
    named = list(reversed(NAMES))
    parallel = _run("--jobs", "0", *named, cwd=batch)
    assert parallel.stdout == _run("--jobs", "1", *named, cwd=batch).stdout
    shown = [line.split(":")[0] for line in parallel.stdout.decode().splitlines() if ".md:" in line]
    assert shown == sorted(shown, key=named.index) and shown


def test_the_html_page_of_jobs_0_is_the_page_of_jobs_1(batch, tmp_path):
    pages = []
    for jobs in ("0", "1"):
        out = tmp_path / f"side-{jobs}.html"
        proc = _run("--jobs", jobs, "--format", "html", "-o", str(out), ".", cwd=batch)
        assert proc.returncode == 1, proc.stderr
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    positions = [pages[0].index(f"{name} · ") for name in NAMES]  # each document's summary line
    assert positions == sorted(positions)


def test_the_html_page_is_right_when_the_findings_change_after_the_workers(batch, tmp_path):
    """--min-severity hides findings after the check: the sections the workers drew no longer
    hold and the page draws those documents again from their source."""
    pages = []
    for jobs in ("0", "1"):
        out = tmp_path / f"side-{jobs}.html"
        proc = _run("--jobs", jobs, "--format", "html", "--min-severity", "error", "-o", str(out), ".", cwd=batch)
        assert proc.returncode == 1, proc.stderr
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert "M105" not in pages[0].split('id="docs"')[1]  # a warning, hidden
