"""A run never loses a report: outputs never replace inputs, --fix writes through links and keeps
modes, unsafe fixes wait for --unsafe-fixes, a failing rule or plug-in costs only its own
findings (X999, exit 2), and odd names and characters never break an output format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, REAL_EXAMPLES

from linter.atomic import ReadOnlyFileError, same_file, write_atomic
from linter.cli import cli
from linter.engine import CheckOptions, check_text
from linter.rules import registry

HEAD = "---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n\n# 1 Innledning\n\n"
# One safe fix (F602: a decimal point among decimal commas) and one unsafe one (A201: a sum
# that several checks blame: the figure it "should probably be").
FIXABLE = HEAD + """: Andeler {#a type=nøkkeltall}
| Indikator | 2023 | 2024 |
|---|---:|---:|
| Andel A | 12,5 | 13.5 |

: Tabell 0.1 B Netto driftsutgifter i 1000 kr. {#t0-1b type=økonomi enhet="1000 kr"}
| Netto driftsutgifter | Regulert budsjett 2024 | Regnskap 2024 | Avvik 2024 |
|---|---:|---:|---:|
| Funksjonsområde 1 | 50 559 | 38 775 | 11 784 |
| Funksjonsområde 3 | 709 981 | 720 391 | -10 410 |
| Sum netto utgifter, drift | 760 540 | 759 166 | -10410 |
"""
SAFE_FIXED = FIXABLE.replace("| 13.5 |", "| 13,5 |")
ALL_FIXED = SAFE_FIXED.replace("| -10410 |", "| 1 374 |")


def invoke(*args: str, env: dict | None = None):
    result = CliRunner().invoke(cli, list(args), env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def report_file(tmp_path: Path, text: str = FIXABLE, name: str = "r.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- outputs never replace inputs


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
@pytest.mark.parametrize("how", ["same name", "symlink", "hard link"])
def test_an_output_that_is_an_input_is_refused(tmp_path, option, how):
    report = report_file(tmp_path)
    target = {"same name": report, "symlink": tmp_path / "lenke.md", "hard link": tmp_path / "hard.md"}[how]
    if how == "symlink":
        target.symlink_to(report)
    elif how == "hard link":
        os.link(report, target)
    result = invoke("check", option, str(target), str(report))
    assert result.exit_code == 2
    assert result.stderr == (f"rapportlint: {option} {target} er {report}, en av filene som leses; den ville blitt "
                             "overskrevet. Velg en annen fil\n")
    assert report.read_text(encoding="utf-8") == FIXABLE


def test_the_refusal_in_english_and_for_the_baseline_being_read(tmp_path):
    report = report_file(tmp_path)
    baseline = tmp_path / "baseline.json"
    assert invoke("check", "--write-baseline", str(baseline), str(report)).exit_code == 0
    before = baseline.read_bytes()
    result = invoke("check", "--lang", "en", "--baseline", str(baseline), "-o", str(baseline), str(report))
    assert result.exit_code == 2
    assert result.stderr == (f"rapportlint: -o {baseline} is {baseline}, one of the files being read; it would be "
                             "overwritten. Choose another file\n")
    assert baseline.read_bytes() == before
    out = tmp_path / "funn.txt"  # another file is fine
    assert invoke("check", "-o", str(out), str(report)).exit_code == 1 and "F602" in out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- --fix, --unsafe-fixes, --diff


def test_fix_applies_safe_fixes_only_unless_unsafe_fixes(tmp_path):
    report = report_file(tmp_path)
    result = invoke("check", "--fix", str(report))
    assert result.exit_code == 1
    assert report.read_text(encoding="utf-8") == SAFE_FIXED
    assert result.stderr == ("rapportlint: rettet 1 funn\nrapportlint: 1 usikre rettinger er ikke gjort: de endrer "
                             "økonomiske tall (bruk --unsafe-fixes etter å ha sett dem med --diff --unsafe-fixes)\n")
    result = invoke("check", "--fix", "--unsafe-fixes", "--lang", "en", str(report))
    assert report.read_text(encoding="utf-8") == ALL_FIXED
    assert result.stderr == "rapportlint: fixed 1 finding(s)\n"


def test_diff_shows_the_change_and_writes_nothing(tmp_path):
    report = report_file(tmp_path)
    result = invoke("check", "--diff", str(report))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [f"--- a/{report}", f"+++ b/{report}"]
    changed = [line for line in result.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("---", "+++")]
    assert changed == ["-| Andel A | 12,5 | 13.5 |", "+| Andel A | 12,5 | 13,5 |"]
    assert result.stderr == "rapportlint: 1 usikre rettinger er ikke vist (legg til --unsafe-fixes)\n"
    unsafe = invoke("check", "--diff", "--unsafe-fixes", str(report)).stdout.splitlines()
    assert "-| Sum netto utgifter, drift | 760 540 | 759 166 | -10410 |" in unsafe
    assert "+| Sum netto utgifter, drift | 760 540 | 759 166 | 1 374 |" in unsafe
    assert report.read_text(encoding="utf-8") == FIXABLE
    clean = invoke("check", "--diff", str(EXAMPLES / "ren-arsberetning-2024.md"))
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_fix_writes_through_a_symlink_and_keeps_it(tmp_path):
    real = report_file(tmp_path, name="ekte.md")
    link = tmp_path / "lenke.md"
    link.symlink_to(real.name)
    invoke("check", "--fix", str(link))
    assert link.is_symlink() and os.readlink(link) == real.name
    assert real.read_text(encoding="utf-8") == SAFE_FIXED


def test_fix_keeps_hard_links_and_the_mode(tmp_path):
    report = report_file(tmp_path)
    other = tmp_path / "annen.md"
    os.link(report, other)
    report.chmod(0o640)
    inode = report.stat().st_ino
    invoke("check", "--fix", str(report))
    assert report.stat().st_ino == inode and report.stat().st_nlink == 2
    assert other.read_text(encoding="utf-8") == SAFE_FIXED
    assert report.stat().st_mode & 0o777 == 0o640
    single = report_file(tmp_path, name="alene.md")
    single.chmod(0o604)
    invoke("check", "--fix", str(single))
    assert single.read_text(encoding="utf-8") == SAFE_FIXED and single.stat().st_mode & 0o777 == 0o604


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_fix_refuses_a_read_only_report(tmp_path, lang):
    report = report_file(tmp_path)
    report.chmod(0o444)
    result = invoke("check", "--fix", "--lang", lang, str(report))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"rapportlint: {report}: filen er skrivebeskyttet; --fix endrer den ikke (gjør den skrivbar, f.eks. chmod u+w, "
        "eller kjør uten --fix)" if lang == "nb" else
        f"rapportlint: {report}: the file is read-only; --fix leaves it unchanged (make it writable, e.g. chmod u+w, "
        "or run without --fix)")
    assert report.read_text(encoding="utf-8") == FIXABLE and report.stat().st_mode & 0o777 == 0o444


def test_write_atomic_new_files_links_and_read_only(tmp_path):
    new = tmp_path / "ny.txt"
    write_atomic(new, "én\n")
    mask = os.umask(0)
    os.umask(mask)
    assert new.read_bytes() == "én\n".encode() and new.stat().st_mode & 0o777 == 0o666 & ~mask
    write_atomic(new, "to\n", bom=True)
    assert new.read_bytes() == b"\xef\xbb\xbfto\n"
    new.chmod(0o400)
    with pytest.raises(ReadOnlyFileError):
        write_atomic(new, "tre\n")
    assert same_file(new, new) and not same_file(new, tmp_path / "finnes-ikke")
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())  # no temporary file left behind


def test_the_atomic_writer_sits_below_the_rules():
    source = (Path(__file__).resolve().parent.parent / "linter")
    for name in ("atomic.py", "cache.py", "baseline.py"):
        text = (source / name).read_text(encoding="utf-8")
        assert "linter.fixes" not in text and "linter.rules" not in text.replace("linter.rules.base import Finding", "")
    assert "from linter" not in (source / "atomic.py").read_text(encoding="utf-8")


# ---------------------------------------------------------------- fault isolation

CRASHING_PLUGIN = '''
from linter.rules.base import Rule, Severity


class AlwaysCrashes(Rule):
    """Krasjer alltid.

    Hvorfor: test.

    Feil:
        x

    Riktig:
        y
    """

    code = "Z901"
    name = "always-crashes"
    family = "test"
    severity = Severity.ERROR
    summary = ("Krasjer", "Crashes")
    messages = {"x": ("x", "x")}

    def check(self, report, context):
        yield from ()
        raise ZeroDivisionError("division by zero")
'''
BROKEN_PLUGIN = '''
from linter.rules.base import Rule


class NoMessages(Rule):
    code = "Z902"
    name = "no-messages"
    family = "test"

    def check(self, report, context):
        return ()
'''


@pytest.fixture
def plugins(tmp_path, monkeypatch):
    """Register plug-in modules (name -> source) as rapportlint.rules entry points, in-process."""
    builtin = registry.registered_entry_points() or [(m.rsplit(".", 1)[1], m) for m in registry.BUILTIN_MODULES]

    def register(**modules: str):
        for name, source in modules.items():
            (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        extra = [(name, name) for name in modules]
        monkeypatch.setattr(registry, "registered_entry_points", lambda: builtin + extra)
        registry.all_rules.cache_clear()

    yield register
    registry.all_rules.cache_clear()


CRASH_NB = ("X999 [feil] intern feil: regelen Z901 (always-crashes, fra pakken rl_crash) feilet på denne filen: "
            "ZeroDivisionError: division by zero; de andre reglene er kjørt (kjør med --debug for detaljer, og meld "
            "feilen til rl_crash)")


@pytest.mark.internal_errors_expected
def test_a_crashing_rule_costs_only_its_own_findings(plugins, tmp_path):
    plugins(rl_crash=CRASHING_PLUGIN)
    first = report_file(tmp_path, name="a.md")
    second = report_file(tmp_path, name="b.md")
    result = invoke("check", "--no-source", str(first), str(second))
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    for path in (first, second):
        assert f"{path}:1:1: {CRASH_NB}" in lines
        assert f"{path}:12:20: F602 [advarsel] «13.5» har desimalpunktum, mens tabellen ellers bruker desimalkomma" in lines
        assert any(line.startswith(f"{path}:") and " A201 " in line for line in lines)  # the other rules ran
    assert "Traceback" not in result.output
    english = invoke("check", "--no-source", "--lang", "en", "--select", "Z901,F602", str(first))
    assert f"{first}:1:1: X999 [error] internal error: rule Z901 (always-crashes, from package rl_crash) failed on " \
           "this file: ZeroDivisionError: division by zero; the other rules were run (run with --debug for details, " \
           "and report it to rl_crash)" in english.stdout.splitlines()
    assert english.exit_code == 2


@pytest.mark.internal_errors_expected
def test_debug_prints_the_traceback(plugins, tmp_path):
    plugins(rl_crash=CRASHING_PLUGIN)
    report = report_file(tmp_path)
    for args, env in ((["--debug"], None), ([], {"RAPPORTLINT_DEBUG": "1"})):
        result = invoke("check", *args, "--select", "Z901", str(report), env=env)
        assert result.exit_code == 2
        assert "Traceback (most recent call last)" in result.stderr
        assert 'rl_crash.py", line' in result.stderr and "ZeroDivisionError: division by zero" in result.stderr


@pytest.mark.internal_errors_expected
def test_the_internal_error_survives_worker_processes_and_refuses_a_baseline(plugins, tmp_path):
    plugins(rl_crash=CRASHING_PLUGIN)
    paths = [str(report_file(tmp_path, name=f"{i}.md")) for i in range(3)]
    result = invoke("check", "--no-source", "--jobs", "2", "--select", "Z901", *paths)
    assert result.exit_code == 2 and sum(CRASH_NB in line for line in result.stdout.splitlines()) == 3
    baseline = tmp_path / "b.json"
    refused = invoke("check", "--write-baseline", str(baseline), "--select", "Z901", paths[0])
    assert refused.exit_code == 2 and not baseline.exists()
    assert refused.stderr.splitlines()[-1] == "rapportlint: baseline ikke skrevet: noen filer kunne ikke kontrolleres"


def test_an_invalid_or_unloadable_plugin_is_named_and_the_rest_still_works(plugins, tmp_path):
    plugins(rl_broken=BROKEN_PLUGIN, rl_missing="import finnes_ikke_modul\n")
    listed = invoke("rules")
    assert listed.exit_code == 2
    assert any(line.startswith("A201  sum-mismatch") for line in listed.stdout.splitlines())
    assert "Z902" not in listed.stdout
    assert listed.stderr.splitlines() == [
        "rapportlint: regel-plugin fra pakken rl_missing (rl_missing = rl_missing) kan ikke lastes: "
        "ModuleNotFoundError: No module named 'finnes_ikke_modul'; reglene der er ikke kjørt",
        "rapportlint: regel-plugin fra pakken rl_broken: regelen rl_broken.NoMessages mangler summary (nb, en), "
        "messages {key: (nb, en)}; den er ikke lastet",
    ]
    english = invoke("rules", "--lang", "en", "--format", "json")
    assert english.exit_code == 2 and any(r["code"] == "A201" for r in json.loads(english.stdout))
    assert english.stderr.splitlines()[1] == ("rapportlint: rule plug-in of package rl_broken: the rule "
                                              "rl_broken.NoMessages lacks summary (nb, en), messages {key: (nb, en)}; "
                                              "it was not loaded")
    checked = invoke("check", "--no-source", str(report_file(tmp_path)))
    assert checked.exit_code == 2 and "F602" in checked.stdout and "rl_broken" in checked.stderr


def test_a_rule_without_a_code_is_named(plugins):
    plugins(rl_nocode=BROKEN_PLUGIN.replace('    code = "Z902"\n', ""))
    problems = registry.load_problems()
    assert problems[0][1] == ("rule plug-in of package rl_nocode: the rule rl_nocode.NoMessages lacks code (a letter "
                              "and three digits, e.g. Z101), summary (nb, en), messages {key: (nb, en)}; it was not loaded")


@pytest.mark.internal_errors_expected
def test_a_real_plugin_package_in_a_real_process(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "rl_crash.py").write_text(CRASHING_PLUGIN, encoding="utf-8")
    dist = site / "rl_crash-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: rl-crash\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[rapportlint.rules]\ncrash = rl_crash\n", encoding="utf-8")
    report = report_file(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    done = subprocess.run([sys.executable, "-m", "linter", "check", "--no-source", "--select", "Z901,F602", str(report)],
                          capture_output=True, env=env, timeout=120)
    out = done.stdout.decode()
    assert done.returncode == 2, (out, done.stderr.decode())
    assert f"{report}:1:1: {CRASH_NB.replace('rl_crash', 'rl-crash')}" in out.splitlines()
    assert "F602" in out and b"Traceback" not in done.stderr


# ---------------------------------------------------------------- M103 is a rule like the others

LATER_YEAR = "---\nbydel: Sagene\ndokument: årsberetning\når: 2031\n---\n\n# 1 Innledning\n\nTekst.\n"


def test_m103_can_be_selected_ignored_suppressed_explained_and_listed(tmp_path):
    report = report_file(tmp_path, LATER_YEAR)
    message = "M103 [info] ingen regelpakke for årsberetning 2031; bruker årsberetning-2024 (sett «mal:» for å velge)"
    assert invoke("check", "--no-source", "--select", "M103", str(report)).stdout.splitlines()[0] == \
        f"{report}:1:1: {message}"
    assert "M103" not in invoke("check", "--no-source", "--ignore", "M103", str(report)).stdout
    assert "M103" not in invoke("check", "--no-source", "--select", "S", str(report)).stdout
    suppressed = report_file(tmp_path, LATER_YEAR + '\n<!-- rapportlint: ignore-file M103 begrunnelse="2031-malen finnes ikke ennå" -->\n',
                             name="s.md")
    result = invoke("check", "--no-source", "--select", "M103,X9", str(suppressed))
    assert "M103" not in result.stdout.replace("ignore-file M103", "") and "X902" not in result.stdout
    explained = invoke("rule", "M103")
    assert explained.exit_code == 0 and explained.stdout.startswith("M103 (rule-pack-nearest-year): ")
    sarif = json.loads(invoke("check", "--format", "sarif", "--select", "M103", str(report)).stdout)
    run = sarif["runs"][0]
    assert "M103" in [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert [r["ruleId"] for r in run["results"]] == ["M103"]


def test_s102_reports_an_empty_verbalvedtak_section_when_v401_does_not_run():
    bjerke = REAL_EXAMPLES["bjerke"]
    if not bjerke.exists():
        pytest.fail(f"{bjerke} is missing: the real examples are part of the repository")
    alone = invoke("check", "--no-source", "--select", "S102", str(bjerke)).stdout.splitlines()
    assert f"{bjerke}:43:3: S102 [feil] seksjonen «Verbalvedtak» er tom; malen krever innhold her (skriv «Ikke " \
           "aktuelt» med begrunnelse om det ikke er noe å rapportere)" in alone
    both = invoke("check", "--no-source", "--select", "S102,V401", str(bjerke)).stdout.splitlines()
    assert not any(line.startswith(f"{bjerke}:43:3: S102") for line in both)
    assert any(line.startswith(f"{bjerke}:43:3: V401") for line in both)


# ---------------------------------------------------------------- names and characters


def test_a_latin1_configuration_file_is_named_and_must_be_saved_as_utf8(tmp_path):
    (tmp_path / ".rapportlint.toml").write_bytes('# målet\nlang = "nb"\n'.encode("latin-1"))
    report = report_file(tmp_path)
    config = tmp_path / ".rapportlint.toml"
    for lang, message in (
        ("nb", f"rapportlint: {config}: filen er ikke UTF-8 (ugyldig byte 0xe5 på linje 1, trolig Latin-1/Windows-1252); "
               "lagre den som UTF-8"),
        ("en", f"rapportlint: {config}: the file is not UTF-8 (invalid byte 0xe5 on line 1, probably "
               "Latin-1/Windows-1252); save it as UTF-8"),
    ):
        result = invoke("check", "--lang", lang, str(report))
        assert result.exit_code == 2 and result.stderr == message + "\n"


@pytest.mark.skipif(sys.platform != "linux", reason="file names that are not UTF-8 need a Linux file system")
@pytest.mark.parametrize("output_format", ["gitlab", "json", "sarif", "junit", "text", "html"])
def test_a_file_name_that_is_not_utf8_is_escaped(tmp_path, output_format):
    name = b"r\xe6port.md"  # «ræport.md» in Latin-1
    directory = os.fsencode(tmp_path)
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(FIXABLE.encode("utf-8"))
    out = tmp_path / f"funn.{output_format}"
    done = subprocess.run([sys.executable, "-m", "linter", "check", "--format", output_format, "-o", str(out),
                           os.path.join(directory, name)], capture_output=True, timeout=120)
    assert done.returncode == 1, done.stderr.decode()
    text = out.read_text(encoding="utf-8")
    escaped = f"{tmp_path}/r\\xe6port.md"
    if output_format in ("gitlab", "json", "sarif"):
        json.loads(text)
        assert "r\\\\xe6port.md" in text or "r%5Cxe6port.md" in text  # JSON-escaped, or in a file URI
    elif output_format == "junit":
        ET.fromstring(text)
        assert escaped in text
    else:
        assert "r\\xe6port.md" in text


def test_control_characters_never_make_junit_ill_formed(tmp_path):
    report = report_file(tmp_path, HEAD + "Tekst.\n\n## 1.8 Form\x0cfeed\n")
    result = invoke("check", "--format", "junit", "--select", "S102", str(report))
    root = ET.fromstring(result.stdout)  # a form feed would make this raise
    failure = root.find("./testsuite/testcase/failure")
    assert failure.get("message") == "seksjonen «1.8 Form\\x0cfeed» er tom"


@pytest.mark.internal_errors_expected
def test_engine_finding_for_a_crash_in_the_engine_itself(monkeypatch):
    from linter import engine

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "parse_report", broken)
    seen = []
    monkeypatch.setattr(engine, "_crashed", lambda r, c, e, original=engine._crashed: seen.append(e) or original(r, c, e))
    result = check_text(FIXABLE, "x.md", CheckOptions(rules=[]))
    assert [f.message_en for f in result.internal_errors] == [
        "internal error in rapportlint on this file: RuntimeError: boom (run with --debug for details, and report it "
        "with the file that caused it)"]
    assert len(seen) == 1 and result.tracebacks and "RuntimeError: boom" in result.tracebacks[0]


def test_a_rule_reports_what_it_leaves_to_a_rule_that_does_not_run():
    rules = registry.all_rules()
    text = ("---\nbydel: Sagene\ndokument: årsberetning\når: 2024\n---\n"
            "# 6 Oppfølging av verbalvedtak og flertallsmerknader\nTekst.\n## 6.1 Verbalvedtak\n")
    alone = check_text(text, "x.md", CheckOptions(rules=[rules["S102"]]))
    assert [(f.code, f.span.line, f.message_en) for f in alone.findings] == [
        ("S102", 8, "section «6.1 Verbalvedtak» is empty; the template requires content here (write «Ikke aktuelt» "
                    "with a reason if there is nothing to report)")]
    both = check_text(text, "x.md", CheckOptions(rules=[rules["S102"], rules["V401"]]))
    assert [(f.code, f.span.line) for f in both.findings] == [("V401", 8)]


@pytest.mark.internal_errors_expected
def test_a_rule_that_yields_something_else_than_findings_is_an_internal_error():
    from linter.rules.base import Rule, Severity

    class YieldsText(Rule):
        code, name, family, severity = "Z903", "yields-text", "test", Severity.ERROR
        summary, messages = ("Tekst", "Text"), {"x": ("x", "x")}

        def check(self, report, context):
            yield "ikke et funn"

    rules = registry.all_rules()
    result = check_text(FIXABLE, "x.md", CheckOptions(rules=[YieldsText, rules["F602"]]))
    assert [f.code for f in result.findings] == ["X999", "F602"]
    assert result.findings[0].message_en.startswith(
        "internal error: rule Z903 (yields-text, from package test_engine_safety) failed on this file: "
        "TypeError: check() yielded str, not a Finding;")


def test_broken_package_metadata_leaves_the_built_in_rules(monkeypatch):
    def broken():
        raise ValueError("bad metadata")

    monkeypatch.setattr(registry, "registered_entry_points", broken)
    registry.all_rules.cache_clear()
    try:
        listed = invoke("rules", "--lang", "en")
        assert listed.exit_code == 2 and "A201  sum-mismatch" in listed.stdout
        assert listed.stderr == ("rapportlint: cannot read the installed packages' rule plug-ins (ValueError: bad "
                                 "metadata); only the built-in rules are run\n")
    finally:
        registry.all_rules.cache_clear()
