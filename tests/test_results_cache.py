"""The results cache (linter/results_cache.py): a re-check of unchanged input replays the recorded
output without importing click or the engine, and anything that could change the results is a
real check. Whether a run was served from the cache is read from ``python -X importtime``: a
replay never imports click."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

CLEAN = EXAMPLES / "ren-arsberetning-2024.md"
FORMATS = ("text", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit", "html")


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "linter", *args], capture_output=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120)


def imported(proc: subprocess.CompletedProcess, module: str) -> bool:
    return re.search(rb"\|\s+" + re.escape(module.encode()) + rb"$", proc.stderr, re.MULTILINE) is not None


def replayed(proc: subprocess.CompletedProcess) -> bool:
    return not imported(proc, "click")


def output(proc: subprocess.CompletedProcess) -> tuple[bytes, bytes, int]:
    """Standard output, standard error without importtime's lines, and the exit code."""
    err = b"".join(line for line in proc.stderr.splitlines(keepends=True) if not line.startswith(b"import time:"))
    return proc.stdout, err, proc.returncode


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A report with findings (the clean example with one figure changed) in a directory of its
    own, and a cache directory of its own."""
    monkeypatch.setenv("RAPPORTLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    (work / ".rapportlint.toml").write_text('bydeler = ["Eksempel"]\n', encoding="utf-8")
    shutil.copy(CLEAN, work / "rapport.md")
    return work


def _entries(tmp_path: Path) -> list[Path]:
    results = tmp_path / "cache" / "results"
    return sorted(p for p in results.iterdir() if not p.name.startswith(".")) if results.is_dir() else []


def test_a_second_run_is_replayed_with_the_same_output(workspace):
    first = run("check", "rapport.md", "--no-source", cwd=workspace)
    second = run("check", "rapport.md", "--no-source", cwd=workspace)
    assert not replayed(first) and replayed(second)
    assert output(second) == output(first)
    assert output(first)[2] == 0 and "ingen funn" in first.stdout.decode()


def test_findings_and_exit_code_1_are_replayed(workspace):
    report = workspace / "rapport.md"
    report.write_text(report.read_text(encoding="utf-8").replace("bydel: Eksempel", "bydel: Eksempelx"), encoding="utf-8")
    first = run("check", "rapport.md", "--fail-on", "warning", cwd=workspace)
    second = run("check", "rapport.md", "--fail-on", "warning", cwd=workspace)
    assert first.returncode == 1 and replayed(second)
    assert output(second) == output(first)


def test_a_changed_report_is_checked_again(workspace):
    report = workspace / "rapport.md"
    run("check", "rapport.md", cwd=workspace)
    report.write_text(report.read_text(encoding="utf-8").replace("bydel: Eksempel", "bydel: Eksempelx"), encoding="utf-8")
    again = run("check", "rapport.md", cwd=workspace)
    assert not replayed(again)
    assert b"M105" in again.stdout


def test_a_new_nearer_configuration_file_is_checked_again(workspace):
    sub = workspace / "sub"
    sub.mkdir()
    shutil.copy(workspace / "rapport.md", sub / "rapport.md")
    (sub / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")  # no [tool.rapportlint]
    first = run("check", "sub/rapport.md", cwd=workspace)
    assert first.returncode == 0
    (sub / "pyproject.toml").write_text("[tool.rapportlint]\nignore = ['M']\n", encoding="utf-8")  # M105 not run now
    changed = run("check", "sub/rapport.md", cwd=workspace)
    assert not replayed(changed)
    (sub / ".rapportlint.toml").write_text("ignore = ['S']\n", encoding="utf-8")  # nearer, and without bydeler
    nearer = run("check", "sub/rapport.md", cwd=workspace)
    assert not replayed(nearer) and b"M105" in nearer.stdout


def test_a_changed_configuration_is_checked_again(workspace):
    run("check", "rapport.md", cwd=workspace)
    (workspace / ".rapportlint.toml").write_text("", encoding="utf-8")  # the district is no longer accepted
    again = run("check", "rapport.md", cwd=workspace)
    assert not replayed(again) and b"M105" in again.stdout


def test_a_changed_rule_pack_is_checked_again(workspace):
    pack = workspace / "pakke.yaml"
    pack.write_text((ROOT / "rules" / "arsberetning-2024.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    first = run("check", "rapport.md", "--ruleset", "pakke.yaml", "--select", "S101", cwd=workspace)
    assert run("check", "rapport.md", "--ruleset", "pakke.yaml", "--select", "S101", cwd=workspace).stdout == first.stdout
    text = pack.read_text(encoding="utf-8")
    # a required section no report has: S101 must now say it is missing
    text = text.replace("seksjoner:\n", 'seksjoner:\n  - nummer: "99"\n    tittel: "Et kapittel ingen har"\n', 1)
    pack.write_text(text, encoding="utf-8")
    again = run("check", "rapport.md", "--ruleset", "pakke.yaml", "--select", "S101", cwd=workspace)
    assert not replayed(again)
    assert b"Et kapittel ingen har" in again.stdout


def test_another_option_is_another_entry(workspace):
    run("check", "rapport.md", cwd=workspace)
    english = run("check", "rapport.md", "--lang", "en", cwd=workspace)
    assert not replayed(english) and b"no findings" in english.stdout
    assert replayed(run("check", "rapport.md", "--lang", "en", cwd=workspace))
    by_env = run("check", "rapport.md", cwd=workspace, env={"RAPPORTLINT_LANG": "en"})
    assert not replayed(by_env) and b"no findings" in by_env.stdout


def test_no_cache_checks_again_and_writes_nothing(workspace, tmp_path):
    first = run("check", "rapport.md", "--no-cache", cwd=workspace)
    assert _entries(tmp_path) == []
    run("check", "rapport.md", cwd=workspace)
    again = run("check", "rapport.md", "--no-cache", cwd=workspace)
    assert not replayed(again) and output(again) == output(first)


def test_cache_dir_option_and_configuration_key(workspace, tmp_path, monkeypatch):
    run("check", "rapport.md", "--cache-dir", str(tmp_path / "elsewhere"), cwd=workspace)
    assert list((tmp_path / "elsewhere" / "results").iterdir()) and _entries(tmp_path) == []
    assert replayed(run("check", "rapport.md", "--cache-dir", str(tmp_path / "elsewhere"), cwd=workspace))
    (workspace / ".rapportlint.toml").write_text('bydeler = ["Eksempel"]\ncache-dir = ".cache"\n', encoding="utf-8")
    monkeypatch.delenv("RAPPORTLINT_CACHE_DIR")
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    first = run("check", "rapport.md", cwd=workspace, env=env)
    assert first.returncode == 0 and list((workspace / ".cache" / "results").iterdir())
    assert not (tmp_path / "xdg" / "rapportlint" / "results").exists()
    second = run("check", "rapport.md", cwd=workspace, env=env)
    assert output(second) == output(first)
    assert imported(first, "linter.parsing.lalr") and not imported(second, "linter.parsing.lalr")  # served after reading the configuration


def test_a_corrupt_or_torn_entry_is_ignored_and_replaced(workspace, tmp_path):
    first = run("check", "rapport.md", cwd=workspace)
    [entry] = _entries(tmp_path)
    data = entry.read_bytes()
    for broken in (data[: len(data) // 2], b"garbage", data[:-3] + b"xyz", b""):
        entry.write_bytes(broken)
        again = run("check", "rapport.md", cwd=workspace)
        assert not replayed(again) and output(again) == output(first)
        assert entry.read_bytes() == data  # rewritten whole
    assert replayed(run("check", "rapport.md", cwd=workspace))


def test_concurrent_runs_leave_a_valid_entry(workspace, tmp_path):
    command = [sys.executable, "-m", "linter", "check", "rapport.md"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen(command, cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(4)]
    outs = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert all(o == outs[0] for o in outs)
    assert len(_entries(tmp_path)) == 1
    assert not [p for p in (tmp_path / "cache" / "results").iterdir() if p.name.endswith(".tmp")]
    assert replayed(run("check", "rapport.md", cwd=workspace))


def test_output_is_identical_with_and_without_the_cache_in_every_format(workspace):
    report = workspace / "rapport.md"
    report.write_text(report.read_text(encoding="utf-8").replace("bydel: Eksempel", "bydel: Eksempelx"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "1700000000"}

    def start(fmt: str, *extra: str):
        return subprocess.Popen([sys.executable, "-X", "importtime", "-m", "linter", "check", "rapport.md", "--format", fmt,
                                 "--fail-on", "warning", *extra], cwd=workspace, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def finish(proc) -> subprocess.CompletedProcess:
        out, err = proc.communicate(timeout=120)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)

    uncached = {fmt: start(fmt, "--no-cache") for fmt in FORMATS}
    uncached = {fmt: finish(p) for fmt, p in uncached.items()}
    recorded = {fmt: start(fmt) for fmt in FORMATS}
    recorded = {fmt: finish(p) for fmt, p in recorded.items()}
    for fmt in FORMATS:
        again = finish(start(fmt))
        assert replayed(again), fmt
        assert output(recorded[fmt]) == output(uncached[fmt]) == output(again), fmt
        assert output(again)[2] == 1, fmt


def test_an_html_page_with_the_time_is_never_replayed(workspace):
    run("check", "rapport.md", "--format", "html", cwd=workspace)
    assert not replayed(run("check", "rapport.md", "--format", "html", cwd=workspace))


def test_directories_standard_input_and_writing_options_are_never_cached(workspace, tmp_path):
    for args in (("check", "."), ("check", "rapport.md", "-o", "ut.txt"), ("check", "rapport.md", "--diff")):
        run(*args, cwd=workspace)
        assert not replayed(run(*args, cwd=workspace)), args
    proc = subprocess.run([sys.executable, "-m", "linter", "check", "-"], input=CLEAN.read_bytes(), cwd=workspace,
                          capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode in (0, 1)
    assert _entries(tmp_path) == []


def test_entries_unused_for_a_month_and_stray_temporary_files_are_pruned(tmp_path):
    import time

    from linter import results_cache

    directory = tmp_path / "results"
    directory.mkdir()
    old, fresh, stray = directory / "a", directory / "b", directory / ".b.1.x.tmp"
    for path in (old, fresh, stray):
        path.write_bytes(b"x")
    long_ago = time.time() - 40 * 86400
    os.utime(old, (long_ago, long_ago))
    os.utime(stray, (time.time() - 7200, time.time() - 7200))
    results_cache.prune(str(directory))
    assert sorted(p.name for p in directory.iterdir()) == ["b"]


def test_a_report_changed_while_it_was_checked_is_not_stored(workspace, tmp_path, monkeypatch):
    """The stored hash must be the hash of what was checked: a file that changed during the run
    (its size, mtime or inode differ from before) is not stored."""
    from linter import results_cache

    report = workspace / "rapport.md"
    monkeypatch.chdir(workspace)
    monkeypatch.setattr(sys, "argv", ["rapportlint", "check", "rapport.md"])
    where = (str(tmp_path / "cache" / "results"), "entry")
    results_cache.start_recording(where)
    try:
        results_cache.approve([str(report)])
        report.write_text(report.read_text(encoding="utf-8") + "\nEndret.\n", encoding="utf-8")
    finally:
        results_cache.finish(0)
    assert not (tmp_path / "cache" / "results" / "entry").exists()
    results_cache.start_recording(where)
    try:
        results_cache.approve([str(report)])
    finally:
        results_cache.finish(0)
    assert results_cache.load(where) is not None


def test_which_invocations_have_an_entry(tmp_path, monkeypatch):
    from linter import results_cache

    env = {"RAPPORTLINT_CACHE_DIR": str(tmp_path)}
    assert results_cache.plan(["check", "a.md"], env)[0] == str(tmp_path / "results")
    for argv in (["rules"], ["check", "a.md", "--no-cache"], ["check", "-"], ["check", "a.md", "-o", "x"],
                 ["check", "a.md", "--output=x"], ["check", "a.md", "--fix"], ["check", "--help"], ["check", "--", "a.md"]):
        assert results_cache.plan(argv, env) is None, argv
    assert results_cache.plan(["check", "a.md"], {"RAPPORTLINT_CACHE_DIR": ""}) is None  # off
    moved = results_cache.plan(["check", "a.md", "--cache-dir", str(tmp_path / "x")], env)
    assert moved[0] == str(tmp_path / "x" / "results")
    keys = {results_cache.plan(argv, e)[1] for argv, e in (
        (["check", "a.md"], env), (["check", "b.md"], env), (["check", "a.md", "--lang", "en"], env),
        (["check", "a.md"], {**env, "RAPPORTLINT_LANG": "en"}), (["check", "a.md"], {**env, "NO_COLOR": "1"}))}
    assert len(keys) == 5
    assert results_cache.plan(["check", "a.md"], {**env, "HOME": "/elsewhere"})[1] in keys  # not an input


def test_an_entry_replays_its_bytes_and_code_until_a_dependency_changes(tmp_path, capsysbinary):
    from linter import results_cache

    report = tmp_path / "r.md"
    report.write_text("en\n", encoding="utf-8")
    absent = tmp_path / ".rapportlint.toml"
    where = (str(tmp_path / "results"), "k")
    results_cache.store(where, [str(report), str(absent)], "ut æ\n".encode(), b"feil\n", 1)
    with pytest.raises(SystemExit) as exit_:
        results_cache.replay(where)
    assert exit_.value.code == 1
    assert capsysbinary.readouterr() == ("ut æ\n".encode(), b"feil\n")
    absent.write_text("", encoding="utf-8")  # a configuration file appeared
    assert results_cache.load(where) is None and results_cache.replay(where) is False
    absent.unlink()
    assert results_cache.load(where) is not None
    report.write_text("to\n", encoding="utf-8")
    assert results_cache.load(where) is None
