"""`rapportlint new`: a skeleton report from the rule pack, for every shipped pack, through the
real command line. It parses and its only findings say that it is not filled in yet."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from linter.packs import available_packs, load_pack

# What an untouched skeleton may be told: each of these says "fill this in".
NOT_FILLED_IN = {
    "S102",  # section empty
    "S109",  # section without its own text
    "K302",  # checklist item unanswered
    "K304",  # the template's placeholders left
    "I502",  # indicator without a target
    "I503",  # indicator without a result
    "V401",  # verbalvedtak not answered
    "V404",  # budget decision without decision text
}


@pytest.mark.parametrize("pack_id", sorted(available_packs()))
def test_skeleton_of_every_pack_gives_only_not_filled_in_findings(tmp_path, pack_id):
    proc = run_cli("new", "--mal", pack_id, "--bydel", "Sagene", "-o", "rapport.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().startswith(f"rapportlint: skrev rapport.md: {pack_id}, ")
    text = (tmp_path / "rapport.md").read_text(encoding="utf-8")
    pack = load_pack(pack_id)
    assert text.startswith(f"---\nbydel: Sagene\ndokument: {pack.document_kind}\når: {pack.year}\nmal: {pack_id}\n")
    result = json.loads(run_cli("check", "--format", "json", "rapport.md", cwd=tmp_path).stdout)
    assert result["summary"]["failed_files"] == 0
    codes = {f["code"] for f in result["findings"]}
    assert codes and codes <= NOT_FILLED_IN, codes - NOT_FILLED_IN
    # every checklist with its items, the verbalvedtak table where the pack answers them
    for checklist in pack.get("sjekklister") or ():
        assert f"type=sjekkliste}}\n| {checklist['navn']} | Ja | Delvis | Nei | Kommentar |\n" in text
        for item in checklist.get("punkter") or ():
            item = item["tekst"] if isinstance(item, dict) else item
            assert f"| {item} | | | | |" in text
    if (pack.get("verbalvedtak") or {}).get("seksjoner"):
        assert "type=verbalvedtak}\n| Kode | Vedtak | Utkvittering |\n" in text
        assert "V401" in codes


def test_skeleton_has_every_required_section_with_number_and_title(tmp_path):
    run_cli("new", "--mal", "årsberetning-2024", "--bydel", "Sagene", "-o", "rapport.md", cwd=tmp_path)
    text = (tmp_path / "rapport.md").read_text(encoding="utf-8")
    for spec in load_pack("årsberetning-2024").get("seksjoner"):
        number = spec.get("nummer")
        heading = ("#" * len(number.split(".")) + f" {number} " if number else "# ") + spec["tittel"]
        assert (f"\n{heading}\n" in text) == spec.get("påkrevd", True), heading
    assert "\n#### 3.2.5 " not in text and "\n### 3.2.5 Mål, tiltak og resultatindikatorer" in text
    assert ": Resultatindikatorer 3.2.5 {#ind-3-2-5 type=indikatorer}\n" \
           "| Resultatindikator | Resultat 2023 | Måltall 2024 | Resultat 2024 | Avvik 2024 |\n" in text


def test_new_never_overwrites_and_names_an_unknown_pack(tmp_path):
    (tmp_path / "rapport.md").write_text("mitt utkast\n", encoding="utf-8")
    proc = run_cli("new", "--mal", "årsberetning-2024", "--bydel", "Sagene", "-o", "rapport.md", cwd=tmp_path)
    assert proc.returncode == 2 and "rapport.md finnes allerede, ikke endret" in proc.stderr.decode()
    assert (tmp_path / "rapport.md").read_text(encoding="utf-8") == "mitt utkast\n"
    proc = run_cli("new", "--mal", "årsberetning-1999", "--bydel", "Sagene", cwd=tmp_path)
    assert proc.returncode == 2 and "regelpakke" in proc.stderr.decode()
    printed = run_cli("new", "--mal", "budsjett-2026", "--bydel", "Bjerke", cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout.decode().startswith("---\nbydel: Bjerke\ndokument: budsjett\n")
