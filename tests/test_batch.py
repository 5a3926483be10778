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


# ---------------------------------------------------------------- what the workers send back
# In process (check_many with two worker processes): what the parent does after the workers
# must not need the model again, and must give what the parent makes from the model.

def _options(keep_report: bool, prepare=None):
    from linter.engine import CheckOptions
    from linter.rules.registry import all_rules

    return CheckOptions(rules=list(all_rules().values()), keep_report=keep_report, prepare=prepare,
                        settings={"M105": {"ekstra_bydeler": ["Eksempel"]}})


def _no_parsing(monkeypatch):
    import linter.parsing.builder as builder

    def refuse(*args, **kwargs):
        raise AssertionError("the model was parsed again after the workers")

    monkeypatch.setattr(builder, "parse_report", refuse)


@pytest.fixture
def two_years(tmp_path):
    from test_facts import _previous_year

    source = (EXAMPLES / "ren-arsberetning-2024.md").read_text(encoding="utf-8")
    previous = _previous_year(source)
    line = next(l for l in previous.splitlines() if l.startswith("| 120 "))
    head, value, _ = line.rsplit("|", 2)
    changed = previous.replace(line, f"{head}| {int(value.strip().replace(' ', '')) + 700} |")
    alone = source.replace("bydel: Eksempel", "bydel: Alene")  # a district with one report: not compared
    paths = []
    for name, text in (("a-2024.md", source), ("b-2023.md", changed), ("c-alene.md", alone)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    return paths


def test_workers_send_what_the_cross_document_check_compares(two_years, monkeypatch):
    from linter.engine import check_many
    from linter.facts.crossdoc import finish_run

    serial_options = _options(keep_report=True)
    serial = check_many([(p, serial_options) for p in two_years], jobs=1)
    finish_run(serial, [serial_options] * len(serial))
    options = _options(keep_report=False)
    parallel = check_many([(p, options) for p in two_years], jobs=2)
    # sent for the two reports of one district, not for the one alone in its district
    assert [r.prepared.get("post_pass") is not None for r in parallel] == [True, True, False]
    assert all(r.report is None for r in parallel[1:])
    _no_parsing(monkeypatch)
    finish_run(parallel, [options] * len(parallel))
    found = [(f.path, f.span, f.message_en) for r in parallel for f in r.findings if f.code == "D702"]
    assert len(found) == 1 and found[0][0].endswith("a-2024.md")
    assert found == [(f.path, f.span, f.message_en) for r in serial for f in r.findings if f.code == "D702"]


def test_which_reports_the_cross_document_check_reads():
    from linter.facts.crossdoc import to_compare

    def head(district: str) -> str:
        return f"---\nbydel: {district}\ndokument: årsberetning\når: 2024\n---\n# 1 Innledning\n"

    assert to_compare([head("Sagene"), head("Bjerke"), head("Sagene"), None, "# no front matter"]) == \
        [True, False, True, False, False]
    assert to_compare([head("Sagene")]) == [False]  # a single file never gets a cross-document finding


def test_the_page_drawn_by_workers_is_not_drawn_again(monkeypatch):
    """Sagene has D701 findings that the post-pass drops (an A2xx finding stands at the cell):
    the workers drop them before drawing, so every section they drew still holds."""
    from functools import partial

    from linter.engine import check_many
    from linter.facts.crossdoc import finish_run
    from linter.reporting import Run, html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    paths = [EXAMPLES / "sagene-arsberetning-2024.md", EXAMPLES / "ren-arsberetning-2024.md",
             EXAMPLES / "bjerke-budsjett-2026.md"]
    serial_options = _options(keep_report=True)
    serial = check_many([(p, serial_options) for p in paths], jobs=1)
    finish_run(serial, [serial_options] * len(serial))
    options = _options(keep_report=False, prepare=partial(html.prepare, lang="nb"))
    parallel = check_many([(p, options) for p in paths], jobs=2)
    finish_run(parallel, [options] * len(parallel))
    _no_parsing(monkeypatch)
    assert html.render(Run(parallel)) == html.render(Run(serial))


def test_the_csv_link_is_percent_encoded_as_urllib_does():
    from urllib.parse import quote

    from linter.reporting.html import _percent_encoded

    text = "".join(chr(c) for c in range(1, 0x800)) + "\ufeffæøå;«»\r\n" + "".join(
        chr(c) for c in range(0xE000, 0x10FFFF, 997))
    assert _percent_encoded(text) == quote(text)
