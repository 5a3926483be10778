"""Hostile inputs: each one gets the exact expected message and exit code, never a traceback.

The small files are in tests/hostile/ (expected messages in tests/hostile/expected.yaml); the
ones too big to commit are generated here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import run_cli
from linter.cli import cli
from linter.engine import CheckOptions, check_text
from linter.model import ListBlock
from linter.parsing.builder import MAX_SECTION_DEPTH, parse_report
from linter.rules.registry import all_rules

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
HEAD = "---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n"


def check(*args: str, input: bytes | None = None, cwd: Path | None = None):
    """The real command line, in-process; an exception that escapes it fails the test."""
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd or HOSTILE.parent)
    try:
        result = runner.invoke(cli, ["check", "--no-source", "--no-color", *args], input=input)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output and "intern feil" not in result.output
    return result


ERROR_CASES = [name for name, spec in EXPECTED.items() if "exit" in spec]


@pytest.mark.parametrize("name", ERROR_CASES)
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_corpus_file_gets_its_exact_message(name, lang):
    spec = EXPECTED[name]
    result = check("--lang", lang, f"hostile/{name}")
    assert result.exit_code == spec["exit"]
    lines = result.stdout.splitlines()
    if spec["exit"] == 2:  # cannot be read: that is all there is to say
        assert lines[0] == f"hostile/{name}:{spec[lang]}"
    else:  # read around: a finding among the rest of the file's
        assert f"hostile/{name}:{spec[lang]}" in lines
    for also in spec.get(f"also_{lang}", []):
        assert f"hostile/{name}:{also}" in lines


@pytest.mark.parametrize("name", [name for name, spec in EXPECTED.items() if spec.get("same_as_lf")])
def test_bom_and_line_endings_change_nothing_but_the_bytes(name):
    data = (HOSTILE / name).read_bytes()
    text = data.decode("utf-8")
    assert "\r\n" in text or text.startswith("\ufeff")
    assert parse_report(text).reproduce() == text
    plain = text.lstrip("\ufeff").replace("\r\n", "\n")
    options = CheckOptions(rules=list(all_rules().values()))
    got = check_text(text, name, options)
    want = check_text(plain, name, options)
    assert not got.failed and got.findings
    assert [(f.code, f.span.line, f.span.column, f.message_nb) for f in got.findings] == \
        [(f.code, f.span.line, f.span.column, f.message_nb) for f in want.findings]
    assert check(f"hostile/{name}").exit_code == 1


# ---------------------------------------------------------------- size limits


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "stor.md"
    with open(big, "wb") as handle:  # sparse: 100 MB on paper, nothing on disk
        handle.truncate(100 * 1024 * 1024)
    result = check(str(big))
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        f"{big}: feil: filen er 104857600 byte, over grensen på 52428800 byte (endre med --max-bytes)")
    result = check("--lang", "en", str(big))
    assert result.stdout.splitlines()[0] == (
        f"{big}: error: the file is 104857600 bytes, over the limit of 52428800 bytes (change with --max-bytes)")


def test_the_limit_is_configurable_for_files_and_stdin():
    result = check("--max-bytes", "100", "hostile/bom.md")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        "hostile/bom.md: feil: filen er 114 byte, over grensen på 100 byte (endre med --max-bytes)")
    assert check("--max-bytes", "114", "hostile/bom.md").exit_code == 1
    result = check("--max-bytes", "100", "-", "--stdin-filename", "inn.md", input=(HOSTILE / "bom.md").read_bytes())
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        "inn.md: feil: inndata er større enn grensen på 100 byte (endre med --max-bytes)")


def test_an_endless_device_is_read_only_up_to_the_limit():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    result = check("--max-bytes", "1000", "/dev/zero")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        "/dev/zero: feil: inndata er større enn grensen på 1000 byte (endre med --max-bytes)")


# ---------------------------------------------------------------- big and deep structures


def test_a_10000_column_table(tmp_path):
    width = 10_000
    header = "| " + " | ".join(f"K{i}" for i in range(width)) + " |\n"
    delim = "|" + "---|" * width + "\n"
    row = "| " + " | ".join(str(i) for i in range(width)) + " |\n"
    text = HEAD + header + delim + row
    table = parse_report(text).tables[0]
    assert len(table.columns) == width and table.rows[0].cells[-1].value.number == width - 1
    path = tmp_path / "bred.md"
    path.write_text(text, encoding="utf-8")
    assert check(str(path)).exit_code == 1  # read and checked: the template's sections are missing
    path.write_text(text + row.replace(" |\n", " | 1 |\n"), encoding="utf-8")
    result = check("--select", "P", str(path))
    assert result.exit_code == 1  # a finding; the rest of the file is still checked
    assert result.stdout.splitlines()[0].startswith(f"{path}:9:")
    assert ": P001 [feil] raden har 10001 celler, men overskriftsraden har 10000" in result.stdout.splitlines()[0]


def test_deeply_nested_lists(tmp_path):
    depth = 1000
    text = HEAD + "".join("  " * i + "- punkt\n" for i in range(depth))
    report = parse_report(text)
    items = [b for b in report.blocks if isinstance(b, ListBlock)][0].items
    assert len(items) == depth and items[-1].indent == 2 * (depth - 1)
    path = tmp_path / "liste.md"
    path.write_text(text, encoding="utf-8")
    assert check(str(path)).exit_code == 1


def test_deeply_nested_sections_do_not_overflow_the_stack(tmp_path):
    number, lines = "", []
    for _ in range(1200):  # deeper than Python's recursion limit
        number = f"{number}.1" if number else "1"
        lines.append(f"# {number} Dypt\n")
    text = HEAD + "".join(lines)
    report = parse_report(text)
    assert len(list(report.sections())) == 1200
    deepest = max(report.sections(), key=lambda s: s.level)
    depth = 0
    while deepest.parent is not None:
        deepest, depth = deepest.parent, depth + 1
    assert depth <= MAX_SECTION_DEPTH
    path = tmp_path / "dyp.md"
    path.write_text(text, encoding="utf-8")
    assert check(str(path)).exit_code == 1


# ---------------------------------------------------------------- paths


def test_a_directory_is_walked_and_one_named_like_a_report_is_no_report(tmp_path):
    folder = tmp_path / "mappe.md"
    folder.mkdir()
    result = check(str(folder))
    assert result.exit_code == 2
    assert result.stderr.strip() == "rapportlint: fant ingen rapporter (filer etter include/exclude i konfigurasjonen, standard *.md)"
    (tmp_path / "rapport.md").write_text(HEAD + "# 1 Innledning\n", encoding="utf-8")
    result = check(str(tmp_path))  # mappe.md/ is skipped, rapport.md is checked
    assert result.exit_code == 1 and "mappe.md" not in result.output
    assert result.stdout.splitlines()[-1].startswith("1 fil(er) kontrollert")


def test_missing_file_and_broken_link(tmp_path):
    link = tmp_path / "lenke.md"
    link.symlink_to(tmp_path / "borte.md")
    result = check(str(link))
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == f"{link}: feil: filen finnes ikke"


def test_unreadable_path_a_symlink_loop(tmp_path):
    # chmod 000 does not stop root, which these tests may run as; a symlink loop is unreadable
    # for everyone.
    loop = tmp_path / "ring.md"
    loop.symlink_to(loop)
    result = check(str(loop))
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == f"{loop}: feil: kan ikke lese filen (Too many levels of symbolic links)"


@pytest.mark.skipif(sys.platform != "linux", reason="/proc/self/mem is Linux only")
def test_unreadable_path_reading_fails():
    # /proc/self/mem opens (even for root) but reading it from offset 0 fails: a real read error.
    proc = run_cli("check", "--no-source", "/proc/self/mem")
    assert proc.returncode == 2
    assert proc.stdout.decode().splitlines()[0] == "/proc/self/mem: feil: kan ikke lese filen (Input/output error)"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="chmod 000 does not stop root: see the symlink-loop and /proc/self/mem tests")
def test_unreadable_path_no_permission(tmp_path):
    path = tmp_path / "låst.md"
    path.write_text(HEAD, encoding="utf-8")
    path.chmod(0)
    try:
        result = check(str(path))
    finally:
        path.chmod(0o644)
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == f"{path}: feil: mangler lesetilgang til filen"


# ---------------------------------------------------------------- formulas: no code runs


def test_a_rule_pack_with_a_malicious_formula_is_a_clear_pack_error_and_runs_nothing(tmp_path):
    pack = HOSTILE / "ondsinnet-pakke.yaml"
    proc = run_cli("check", "--ruleset", str(pack), str(HOSTILE / "bom.md"), cwd=tmp_path)
    assert proc.returncode == 2
    error = proc.stderr.decode()
    assert error.startswith(f"rapportlint: regelpakke: {pack}"), error
    assert "Traceback" not in error
    assert not (tmp_path / "RAPPORTLINT_PWNED").exists()


def test_a_malicious_formula_in_a_caption_runs_nothing(tmp_path):
    proc = run_cli("check", str(HOSTILE / "ondsinnet-formel.md"), cwd=tmp_path)
    assert proc.returncode in (1, 2)
    assert b"Traceback" not in proc.stdout + proc.stderr
    assert not (tmp_path / "RAPPORTLINT_PWNED").exists()
