"""``rapportlint facts``: every fact in long form, for Excel and pandas.

CSV is written for Excel with a Norwegian locale: semicolon as the delimiter (Norwegian Excel
uses the comma as the decimal sign, so it expects ';' between fields), a decimal comma in
values, and UTF-8 with a byte-order mark (without it Excel reads the file as Windows-1252 and
garbles æ, ø and å). JSON follows linter/schemas/facts.schema.json."""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable

from linter.facts.model import Fact

COLUMNS = ("bydel", "dokument", "år", "tabell", "tabelltekst", "tabelltype", "rad", "radtekst", "begrep", "kolonne",
           "kolonnetekst", "måling", "scenario", "periode", "verdi", "tekst", "enhet", "presisjon", "fil", "linje",
           "kolonneposisjon", "sted")
SCHEMA_ID = "https://rapportlint.example/schemas/facts.schema.json"


def record(fact: Fact) -> dict:
    return {
        "bydel": fact.district, "dokument": fact.document, "år": fact.document_year, "tabell": fact.table_id,
        "tabelltekst": fact.caption, "tabelltype": fact.table_type, "rad": fact.row, "radtekst": fact.row_label,
        "begrep": fact.concept, "kolonne": fact.column, "kolonnetekst": fact.column_header, "måling": fact.measure,
        "scenario": fact.scenario, "periode": fact.year, "verdi": format(fact.value, "f"), "tekst": fact.text,
        "enhet": fact.unit, "presisjon": format(fact.precision, "f"), "fil": fact.path, "linje": fact.line,
        "kolonneposisjon": fact.col, "sted": fact.where,
    }


def to_csv(facts: Iterable[Fact]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for fact in facts:
        row = record(fact)
        row["verdi"] = row["verdi"].replace(".", ",")
        row["presisjon"] = row["presisjon"].replace(".", ",")
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return "\ufeff" + out.getvalue()


def to_json(facts: Iterable[Fact]) -> str:
    document = {"$schema": SCHEMA_ID, "fakta": [record(f) for f in facts]}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
