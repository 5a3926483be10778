"""The document ``--format json`` writes, as pydantic models: the single source of its shape.

``linter/schemas/findings.schema.json`` (what ``rapportlint schema`` prints, the published
contract) is generated from :class:`Document`; ``tests/test_formats.py`` fails when the file is
stale. Adding a field to the output is one line here (with a default if it is optional), then
``python -m linter.reporting.json_model`` rewrites the schema file.

Imported only by the JSON format and the schema generator: pydantic is not loaded for a plain check.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1
SCHEMA_ID = "https://rapportlint.example/schemas/findings.schema.json"

Positive = Annotated[int, Field(ge=1)]
Count = Annotated[int, Field(ge=0)]


class _Closed(BaseModel):
    # An unknown key is a programming error in the formatter, not something to pass on.
    model_config = ConfigDict(extra="forbid")


class CheckTally(_Closed):
    run: Count
    held: Count
    failed: Count
    skipped: Count = Field(description="not evaluated: a cell has no value (NA, *, (N)) or is too large")


class RelationNotRun(_Closed):
    relation: str
    source: Literal["pakke", "formel"] = Field(description="the rule pack's relasjoner, or a table's formel")
    optional: bool = Field(description="valgfri in the pack: not running it is no A207 finding")
    selector: str = Field(description="what was not found: tabeller: {...}, tabell(...), rad(...) or kol(...)")
    reason: str
    reason_en: str
    candidates: list[str] = Field(description="the closest titles, row labels or column headers in the file")


class RelationsCoverage(_Closed):
    declared: Count
    run: Count
    not_run: list[RelationNotRun]


class ArithmeticCoverage(_Closed):
    checks: CheckTally
    by_source: dict[str, CheckTally] = Field(
        description="formel (the table's), pakke (the rule pack's), standard (sum rows), struktur (subtotals "
                    "recognised from the numbers), prosentgruppe")
    relations: RelationsCoverage


class Coverage(BaseModel):
    """What each rule family checked and could not check (other families may add theirs)."""

    model_config = ConfigDict(extra="allow")
    aritmetikk: ArithmeticCoverage | None = None


class FileEntry(_Closed):
    path: str
    rule_pack: str | None
    checked: bool
    coverage: Coverage = Field(default_factory=Coverage,
                               description="per rule family: checked, held, failed, and not run with the reason")


class WordLocation(_Closed):
    """Where a finding in a Word draft (.docx) is, as the writer sees it in Word. line and column
    of the finding are then those of the report text rapportlint made from the document (what
    ``rapportlint import`` writes)."""

    element: Literal["heading", "paragraph", "table", "row", "cell", "properties", "note"]
    paragraph: Positive = Field(description="paragraph number in document order, paragraphs in tables included")
    heading: str | None = Field(None, description="the nearest heading above, with the number Word shows")
    text: str | None = Field(None, description="the paragraph's or cell's text, shortened")
    table: Positive | None = Field(None, description="1-based among the document's tables")
    row: Positive | None = Field(None, description="1-based row of the Word table, header rows counted")
    column: Positive | None = Field(None, description="1-based grid column (merged cells by their first column)")
    header: str | None = Field(None, description="the column's header text")
    note: Positive | None = Field(None, description="footnote number as Word shows it")
    property: str | None = Field(None, description="document property (front matter key) for element=properties")
    source: Literal["egenskap", "tekst"] | None = Field(
        None, description="a front matter value from a custom document property (egenskap) or the text (tekst)")
    description: str = Field(description="the place in words, in the output language")


class FindingEntry(_Closed):
    path: str
    line: Positive
    column: Positive
    end_line: Positive
    end_column: Positive
    code: Annotated[str, Field(pattern=r"^[A-Z][0-9]{3}$")]
    name: Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
    severity: Literal["error", "warning", "info"]
    message: Annotated[str, Field(min_length=1)]
    fixable: bool
    docs: str
    details: dict[str, Any]
    location: WordLocation | None = Field(None, description="only for a Word draft (.docx): the place in Word")


class FileError(_Closed):
    path: str
    kind: Literal["input", "syntax", "rule-pack"]
    line: Positive | None = None
    column: Positive | None = None
    message: str
    hint: str | None = None


class SuppressionEntry(_Closed):
    """An inline suppression (<!-- rapportlint: ignore ... -->) with its reason and what it covered."""

    path: str
    kind: Literal["ignore", "ignore-range", "ignore-file"]
    codes: list[str]
    reason: Annotated[str, Field(min_length=1)]
    line: Positive
    column: Positive
    row: str | None
    findings: Count
    matched: dict[str, int]


class StaleEntry(_Closed):
    path: str
    code: str
    fingerprint: str
    count: Positive
    message: str


class BaselineOutcome(_Closed):
    """With --baseline: how many findings it accounted for, and its entries that no longer occur."""

    path: str
    matched: Count
    stale: list[StaleEntry]


class Summary(_Closed):
    files: int
    findings: int
    error: int
    warning: int
    info: int
    failed_files: int
    suppressed: Count = 0


class Document(_Closed):
    """rapportlint check --format json"""

    model_config = ConfigDict(extra="forbid", title="rapportlint check --format json")

    tool: Literal["rapportlint"]
    version: str
    schema_version: Literal[1]
    lang: Literal["nb", "en"]
    audit: bool = Field(False, description="true with --audit: no suppression was applied")
    files: list[FileEntry]
    findings: list[FindingEntry]
    errors: list[FileError]
    suppressions: list[SuppressionEntry] = Field(default_factory=list)
    baseline: BaselineOutcome | None = None
    summary: Summary


def dump(document: dict[str, Any]) -> dict[str, Any]:
    """The document checked against the model, with only the keys it was given (an optional
    key left out stays out)."""
    return Document.model_validate(document).model_dump(mode="json", exclude_unset=True)


def json_schema() -> dict[str, Any]:
    schema = Document.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m linter.reporting.json_model: rewrite the shipped schema
    from linter.resources import schema_path

    schema_path("findings.schema.json").write_text(schema_text(), encoding="utf-8")
    print(f"wrote {schema_path('findings.schema.json')}")
