"""Nothing skipped in silence (linter/discovery.py), through the real command line: what a report
is comes from the include/exclude globs, never from its first line; every file passed by is
listed with its reason; documents in another format are named as what they are."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import EXAMPLES, run_cli

HEAD = "---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n"
# A table whose sum is wrong (A201), in a report whose first line is blank.
WRONG_SUM = ("# 1 Innledning\n\n: Tall i 1000 kr {#t1 type=økonomi enhet=\"1000 kr\"}\n"
             "| Tjeneste | Regnskap 2024 |\n|---|---:|\n| A | 100 |\n| B | 200 |\n| Sum | 400 |\n")


def write(path, text, binary=False):
    path.parent.mkdir(parents=True, exist_ok=True)
    if binary:
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_report_with_a_blank_first_line_is_checked_not_skipped(tmp_path):
    write(tmp_path / "rapport.md", "\n" + HEAD + WRONG_SUM)
    write(tmp_path / "kommentert.md", "<!-- utkast -->\n" + HEAD + WRONG_SUM)
    proc = run_cli("check", "--no-source", "--select", "M101,A201", ".", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 1
    # read as what it is (its front matter, its pack, its sums) and told what is wrong
    assert ("rapport.md:1:1: M101 [feil] front matter må begynne på linje 1, men begynner på linje 2 "
            "(fjern de tomme linjene over ---)") in out
    assert "kommentert.md:1:1: M101 [feil] front matter må begynne på linje 1, men begynner på linje 2 (fjern kommentaren" in out
    assert "rapport.md:14:" in out and "A201" in out
    assert proc.stderr == b""


def test_every_file_passed_by_is_listed_with_its_reason(tmp_path):
    write(tmp_path / "rapport.md", HEAD + "# 1 Innledning\nTekst.\n")
    write(tmp_path / "README.md", "# Bydelens rapporter\n")
    write(tmp_path / "docs" / "CHANGELOG.md", "# Endringer\n")
    write(tmp_path / "gammel.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), binary=True)
    write(tmp_path / "~$rapport.docx", b"\x0bKari Nordmann", binary=True)  # Word's lock file while it is open
    write(tmp_path / "trykt.pdf", b"%PDF-1.7\n%\xe2\xe3\n", binary=True)
    write(tmp_path / "logo.png", b"\x89PNG\r\n\x1a\n", binary=True)
    proc = run_cli("check", "--no-source", "--select", "M", cwd=tmp_path)  # no path: this directory
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert "1 fil(er) kontrollert" in proc.stdout.decode()
    notes = proc.stderr.decode().splitlines()
    assert "README.md: ikke kontrollert: utelatt av exclude «README.md» (standard)" in notes
    assert "docs/CHANGELOG.md: ikke kontrollert: utelatt av exclude «CHANGELOG.md» (standard)" in notes
    assert ("gammel.doc: ikke kontrollert: dette er et eldre Word-dokument (.doc): åpne det i Word og lagre det som "
            "Word-dokument (.docx)") in notes
    assert "~$rapport.docx: ikke kontrollert: Words låsefil for et åpent dokument, ikke en rapport" in notes
    assert "trykt.pdf: ikke kontrollert: dette er et PDF-dokument: bruk rapportlint import" in notes
    assert "./: ikke kontrollert: 1 andre filer er ikke rapporter etter include (.png ×1)" in notes
    english = run_cli("check", "--lang", "en", "--select", "M", ".", cwd=tmp_path).stderr.decode()
    assert "README.md: not checked: left out by exclude «README.md» (standard)" in english
    assert run_cli("check", "--quiet", ".", cwd=tmp_path).stderr == b""  # --quiet: findings only


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_what_git_ignores_is_listed_once_per_directory(tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    write(tmp_path / ".gitignore", "bygg/\nkladd.md\n")
    write(tmp_path / "rapport.md", HEAD + "# 1 Innledning\nTekst.\n")
    write(tmp_path / "kladd.md", "ikke en rapport\n")
    for i in range(3):
        write(tmp_path / "bygg" / f"kopi{i}.md", "kopi\n")
    proc = run_cli("check", "--select", "M", "--format", "json", ".", cwd=tmp_path)
    assert [f["path"] for f in json.loads(proc.stdout)["files"]] == ["rapport.md"]
    notes = proc.stderr.decode().splitlines()
    assert "bygg/: ikke kontrollert: ignorert av .gitignore" in notes
    assert "kladd.md: ikke kontrollert: ignorert av .gitignore" in notes
    assert len(notes) == 2


def test_include_and_exclude_decide_what_a_report_is(tmp_path):
    write(tmp_path / ".rapportlint.toml", 'include = ["rapporter/*.md"]\nextend-exclude = ["*-utkast.md"]\n')
    write(tmp_path / "rapporter" / "sagene.md", HEAD + "# 1 Innledning\nTekst.\n")
    write(tmp_path / "rapporter" / "sagene-utkast.md", HEAD)
    write(tmp_path / "notater.md", "# Notater\n")
    proc = run_cli("check", "--select", "M", "--format", "json", ".", cwd=tmp_path)
    assert [f["path"] for f in json.loads(proc.stdout)["files"]] == ["rapporter/sagene.md"]
    notes = proc.stderr.decode().splitlines()
    assert "notater.md: ikke kontrollert: ikke en rapport etter include (rapporter/*.md)" in notes
    assert "rapporter/sagene-utkast.md: ikke kontrollert: utelatt av exclude «*-utkast.md» (.rapportlint.toml)" in notes
    shown = json.loads(run_cli("config", "--format", "json", cwd=tmp_path).stdout)["config"]
    assert shown["include"] == ["rapporter/*.md"]
    assert shown["exclude"] == ["README.md", "CHANGELOG.md", "LICENSE.md", "*-utkast.md"]


def test_pre_commit_mode_checks_every_named_report_and_lists_the_rest(tmp_path):
    write(tmp_path / "rapport.md", "\n" + HEAD + WRONG_SUM)
    write(tmp_path / "README.md", "# Les meg\n")
    proc = run_cli("check", "--reports-only", "--no-source", "--select", "A201", "rapport.md", "README.md", cwd=tmp_path)
    assert proc.returncode == 1  # the wrong sum stops the commit; the blank first line hides nothing
    assert "rapport.md:14:" in proc.stdout.decode()
    assert proc.stderr.decode() == "README.md: ikke kontrollert: utelatt av exclude «README.md» (standard)\n"
    only_readme = run_cli("check", "--reports-only", "README.md", cwd=tmp_path)
    assert only_readme.returncode == 0 and b"ikke kontrollert" in only_readme.stderr


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml word/document.xml",
     "dette er et Word-dokument, ikke en rapport i tekstformat: gi det endelsen .docx for å kontrollere det"),
    (b"%PDF-1.7\n1 0 obj\n", "dette er et PDF-dokument, ikke en rapport i tekstformat: bruk rapportlint import"),
    (b"\xff\xfe-\x00-\x00-\x00\n\x00", "filen er UTF-16, ikke UTF-8; lagre den som UTF-8"),
    (b"\x00\x01\x02\x03binary", "filen inneholder NUL-tegn (første ved byte 0): det ser ut som binærdata"),
], ids=["word", "pdf", "utf16", "binary"])
def test_a_renamed_document_is_named_as_what_it_is(tmp_path, content, message):
    write(tmp_path / "rapport.md", content, binary=True)
    proc = run_cli("check", "rapport.md", cwd=tmp_path)
    assert proc.returncode == 2  # unreadable: exit 2, no findings
    assert message in proc.stdout.decode()
    # in directory mode and in the hook too: never silently passed by
    assert run_cli("check", ".", cwd=tmp_path).returncode == 2
    assert run_cli("check", "--reports-only", "rapport.md", cwd=tmp_path).returncode == 2


def test_the_examples_directory_is_all_reports():
    proc = run_cli("check", "--format", "json", str(EXAMPLES))
    files = [f["path"] for f in json.loads(proc.stdout)["files"]]
    assert len(files) == len(list(EXAMPLES.glob("*.md"))) and proc.stderr == b""
