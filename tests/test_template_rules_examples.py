"""The template rules (S, K, V, I, F) on the examples: the clean one has no finding from any
registered rule, and the real ones show the mistakes catalogued in ../shared/notes/."""

from __future__ import annotations


from conftest import EXAMPLES, REAL_EXAMPLES
from linter.engine import CheckOptions, check_path
from linter.rules.registry import all_rules

CLEAN = EXAMPLES / "ren-arsberetning-2024.md"


def _findings(path):
    assert path.is_file(), f"examples/{path.name} is missing: the tests read the real examples"
    result = check_path(path, CheckOptions(rules=list(all_rules().values())))
    assert not result.failed
    return result.findings


def _has(findings, code, line, text):
    return any(f.code == code and f.span.line == line and text in f.message_nb for f in findings)


def test_clean_example_has_no_finding_from_any_rule():
    # As a user runs it: examples/.rapportlint.toml accepts its made-up district (bydeler = [...]).
    import json

    from conftest import run_cli

    proc = run_cli("check", "--format", "json", str(CLEAN.relative_to(EXAMPLES.parent)))
    assert proc.returncode == 0, proc.stdout.decode()
    assert json.loads(proc.stdout)["findings"] == []
    # Without that configuration the district is the one thing to say.
    findings = _findings(CLEAN)
    assert [f"{f.code} {f.span.line}: {f.message_nb}" for f in findings] == [
        "M105 2: «Eksempel» er ikke en av Oslos bydeler (andre navn: bydeler = [...] i konfigurasjonen)"]


def test_clean_example_is_the_whole_template():
    from linter.packs import load_pack
    from linter.parsing.builder import parse_report
    from linter.template import match_sections

    report = parse_report(CLEAN.read_text(encoding="utf-8"), "ren.md")
    matches = match_sections(report, load_pack("årsberetning-2024"))
    assert all(m.section is not None for m in matches)
    assert all(m.by == "number" for m in matches if m.spec.number)


def test_bjerke_budget():
    f = _findings(REAL_EXAMPLES["bjerke"])
    assert _has(f, "V401", 43, "«Verbalvedtak» er tom")
    assert [x for x in f if x.code == "V401"][0].severity.value == "error"
    assert not any(x.code == "S102" and x.span.line == 43 for x in f)  # one finding for one mistake
    assert _has(f, "S101", 1209, "«Måltabell» under «Funksjonsområde 4C: Økonomisk sosialhjelp» mangler")
    assert _has(f, "S106", 1248, "«Budjsettpremisser» ser ut som en skrivefeil")
    # the budget decision without decision text: one finding, an error (V404, not S109 as well)
    assert _has(f, "V404", 205, "«Budsjettvedtak» har ingen vedtakstekst, bare tabeller")
    assert [x.severity.value for x in f if x.span.line == 205] == ["error"]
    assert _has(f, "S102", 965, "Bilag_18")
    assert _has(f, "I507", 1202, "står også på linje 1201")
    assert _has(f, "I505", 790, "«Forventet 2025» er 0,0 %")
    assert _has(f, "I505", 1045, "«Forventet 2025» og «Mål 2026» er 0,0")
    assert _has(f, "I506", 1196, "alle verdiene")
    assert _has(f, "F601", 1253, "«Regnskap 2025»")
    # Budget columns of the Framsikt template are not stale years.
    assert {x.span.line for x in f if x.code == "F601"} == {1253, 1259}


def test_grunerlokka():
    f = _findings(REAL_EXAMPLES["grunerlokka"])
    # "3.1." carries 3.1.1's title and no 3.1.1 follows: one finding (misnumbered), not a chain.
    assert _has(f, "S107", 88, "er nummerert 3.1; i malen er den 3.1.1 (og malens 3.1 «Bydelens totale ressursinnsats» mangler)")
    assert not any(x.code in ("S101", "S106") and x.span.line in (88, 135) for x in f)
    assert _has(f, "S106", 1358, "«Merknader for kommunerevisjonen og kontrollutvalget» avviker fra malens «Merknader fra")
    assert _has(f, "S106", 1349, "«Oppfølging av verbalvedtak og merknader»")
    assert _has(f, "S106", 1203, "helse- miljø og sikkerhet")
    assert _has(f, "F605", 1347, "lover et vedlegg («vedlegges»)")
    assert _has(f, "I508", 225, "«3.2.5 Mål, tiltak og resultatindikatorer")
    for line, count in ((463, "1 indikator "), (794, "2 indikatorer"), (1034, "4 indikatorer")):
        assert _has(f, "I501", line, count)
    assert _has(f, "I502", 1273, "«Korttid (0-16 dager)» har ikke måltall for 2024")
    assert _has(f, "K302", 1192, "«Har virksomheten gjennomført opplæring for sine ansatte?» er ikke besvart")
    assert _has(f, "K302", 1258, "bruddene i AMU")
    assert _has(f, "K302", 1164, "besvart med tekst, ikke Ja/Nei")
    assert _has(f, "K304", 1234, "((N) NA NA)")
    assert _has(f, "F604", 139, "t3-1-2-investeringer")
    # Jodberedskap: all five items answered Ja, so nothing there.
    assert not any(x.code.startswith("K") and 1319 <= x.span.line <= 1330 for x in f)
    # Case differences ("jodberedskap" / "Jodberedskap") and the year after a title are not drift.
    assert not any(x.code == "S106" and x.span.line in (1319, 1335) for x in f)


def test_vestre_aker():
    f = _findings(REAL_EXAMPLES["vestre-aker"])
    codes = {x.code for x in f}
    # Jodberedskap: 4 of 5 items unanswered is one error for the checklist, every position in it.
    jod = [x for x in f if x.code == "K302" and 1160 <= x.span.line <= 1180]
    assert [(x.span.line, x.severity.value) for x in jod] == [(1171, "error")]
    assert "4 av 5 punkter i sjekklisten «Rapportering jodberedskap» er ikke besvart (linje 1171, 1173, 1174, 1175)" in jod[0].message_nb
    assert jod[0].details["lines"] == [1171, 1173, 1174, 1175]
    # 3.1.1-3.1.3 stand without their 3.1 heading: a warning, not a missing section.
    assert [x.severity.value for x in f if x.code == "S101" and "«3.1 " in x.message_nb] == ["warning"]
    assert any(x.code == "S106" and x.span.line == 157 and "har tittelen til malens 3.1.1" in x.message_nb for x in f)
    assert any(x.code == "S107" and "3.2.1.1" in x.message_nb for x in f)
    assert sum(1 for x in f if x.code == "S103") >= 4
    assert any(x.code == "V403" and "H69/2019" in x.message_nb for x in f)
    assert any(x.code == "K304" and "(N)" in x.message_nb for x in f)
    assert sum(1 for x in f if x.code == "I501") >= 1
    assert any(x.code == "F605" for x in f)


def test_sagene():
    f = _findings(REAL_EXAMPLES["sagene"])
    assert [x.severity.value for x in f if x.code == "S101" and "«3.1 " in x.message_nb] == ["warning"]
    assert any(x.code == "S104" and "7.3.4" in x.message_nb for x in f)
    assert any(x.code == "F605" and "vedlegg 7.4" in x.message_nb for x in f)
    assert any(x.code == "S106" and "RAPPORTING" in x.message_nb and "skrivefeil" in x.message_nb for x in f)
    assert sum(1 for x in f if x.code == "I504") == 3
    assert sum(1 for x in f if x.code == "K303") == 2
