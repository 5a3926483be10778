"""A rule that leaves a case to another rule ("S101 says it") says it itself when that rule is not
selected (`--select K301`), and stays silent when it is, so a full run has no double finding."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli

MINI_FULL = str(ROOT / "tests" / "cases" / "packs" / "mini-full.yaml")
MINI_2023 = str(ROOT / "tests" / "cases" / "packs" / "mini-2023.yaml")
MINI_2024 = str(ROOT / "tests" / "cases" / "packs" / "mini-2024.yaml")

BUDGET = "---\nbydel: Bjerke\ndokument: budsjett\når: 2026\n---\n# Innledning\nTekst.\n"
INDICATORS = ": FO3 {{#i type=indikatorer}}\n| Resultatindikator | {columns} |\n|---|{align}\n| {row} |\n"

# code, the rule it defers to, pack (None: from the front matter), report, what the code says alone
CASES = [
    ("K301", "S101", MINI_FULL, "# 4 Særskilt rapportering\nTekst.\n",
     "den påkrevde seksjonen «4.18» mangler"),
    ("V404", "S101", None, BUDGET, "vedtaksseksjonen «Budsjettvedtak» finnes ikke"),
    ("I508", "S101", MINI_FULL, "# 4 Særskilt rapportering\nTekst.\n", "seksjonen «5» finnes ikke"),
    ("I508", "S102", MINI_FULL, "# 5 Miljø- og klimarapportering\n# 6 Oppfølging av verbalvedtak og flertallsmerknader\n"
     "Tekst.\n", "seksjonen «5» er tom"),
    ("I503", "I501", MINI_FULL, INDICATORS.format(columns="Resultat 2023 | Måltall 2024", align="---:|---:|",
                                                  row="Dekningsgrad | 93 % | 95 %"),
     "ingen resultatkolonne for 2024"),
    ("I505", "I506", MINI_FULL,
     INDICATORS.format(columns="Resultat 2023 | Måltall 2024 | Resultat 2024", align="---:|---:|---:|",
                       row="Andel kartlagt | 0,0 % | 0,0 % | 0,0 %"),
     "alle verdiene for «Andel kartlagt», også målet, er 0"),
    ("S104", "S103", MINI_2024, "# 7 Vedlegg\n## 7.3 Funksjonsområde 2C\n## 7.3 Funksjonsområde 2C\n",
     "har samme tittel og nummer som linje 2"),
    ("S105", "S101", MINI_2024, "# 4 Særskilt rapportering\n### 4.18.1 Jod\n", "står uten malseksjonen 4.18"),
    ("S101", "S107", MINI_2023, "# 3 Måloppnåelse og resultater\n## 3.1 Bydelens driftsregnskap\n"
     "### 3.1.2 Bydelens investeringer\n", "påkrevd seksjon «3.1 Bydelens totale ressursinnsats» mangler; nummeret brukes av"),
]


def _findings(tmp_path, select: str, pack: str | None, text: str) -> tuple[int, list[dict]]:
    report = tmp_path / "rapport.md"
    report.write_text(text, encoding="utf-8")
    args = ["check", "--isolated", "--select", select, "--fail-on", "warning", "--format", "json"]
    if pack:
        args += ["--ruleset", pack]
    proc = run_cli(*args, str(report))
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.returncode, json.loads(proc.stdout)["findings"]


@pytest.mark.parametrize("code, other, pack, text, says", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_deferred_case_is_said_by_the_rule_when_the_other_rule_does_not_run(tmp_path, code, other, pack, text, says):
    rc, alone = _findings(tmp_path, code, pack, text)
    assert rc == 1
    mine = [f for f in alone if f["code"] == code and says in f["message"]]
    assert len(mine) == 1, alone
    assert other in mine[0]["message"], mine[0]["message"]  # says which rule would have said it

    _, both = _findings(tmp_path, f"{code},{other}", pack, text)
    assert not [f for f in both if f["code"] == code and says in f["message"]], both
    assert [f for f in both if f["code"] == other], both  # the other rule says it instead
