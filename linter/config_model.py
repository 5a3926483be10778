"""The configuration file's table (``[tool.rapportlint]`` or ``.rapportlint.toml``) as a pydantic
model: what :func:`linter.config.validate` checks a file against, and the source of
``linter/schemas/config.schema.json`` (for editors; a test fails when it is stale; rewrite it
with ``python -m linter.config_model``).

Imported only when a configuration file is validated for the first time (the result is cached),
so a plain check does not load pydantic.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SCHEMA_ID = "https://rapportlint.example/schemas/config.schema.json"
SEVERITIES = ("error", "warning", "info")
FAIL_LEVELS = ("error", "warning")
LANGUAGES = ("nb", "en")
FORMATS = ("text", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit", "html")


def _unique(values: list[str]) -> list[str]:
    seen = [v for i, v in enumerate(values) if v in values[:i]]
    if seen:
        raise ValueError(f"{seen[0]!r} is listed twice")
    return values


Selector = Annotated[str, Field(pattern=r"^(ALL|[A-Za-z][0-9]{0,3})$")]
RuleCode = Annotated[str, Field(pattern=r"^[A-Za-z][0-9]{0,3}$")]
Selectors = Annotated[list[Selector], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})]


class ConfigFile(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, populate_by_name=False,
        title="rapportlint configuration ([tool.rapportlint] in pyproject.toml, or .rapportlint.toml)",
    )

    select: Selectors = Field(default_factory=list, description="Rules to run: codes or prefixes (S, A2, A201) or ALL. Default: all.")
    extend_select: Selectors = Field(default_factory=list, alias="extend-select", description="Rules added to select.")
    ignore: Selectors = Field(default_factory=list, description="Rules not to run.")
    severity: dict[RuleCode, Literal["error", "warning", "info"]] = Field(
        default_factory=dict, description="Severity per rule code or prefix.",
        json_schema_extra={"additionalProperties": False})  # a key that is no code is an error
    per_file_ignores: dict[str, Selectors] = Field(
        default_factory=dict, alias="per-file-ignores",
        description="Glob (relative to this file's directory) -> rules not to run on matching files.")
    include: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=lambda: ["*.md", "*.docx"],
        description="Globs of the files that are reports, in directories and with --reports-only. Default: [\"*.md\", \"*.docx\"].")
    exclude: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=lambda: ["README.md", "CHANGELOG.md", "LICENSE.md"],
        description="Globs of files that are not reports (replaces the default README.md, CHANGELOG.md, LICENSE.md).")
    extend_exclude: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, alias="extend-exclude", description="Globs of files that are not reports, added to exclude.")
    bydeler: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="District names accepted in the front matter besides Oslo's 15 (rule M105).")
    docs_url: Annotated[str, Field(min_length=1)] | None = Field(
        None, alias="docs-url",
        description="Base URL of the rule pages online (the links in findings); default: the project's repository.")
    ruleset: Annotated[str, Field(min_length=1)] | None = Field(None, description="Rule pack id or path, for every report here.")
    fail_on: Literal["error", "warning"] | None = Field(None, alias="fail-on", description="Lowest severity that makes the exit code 1.")
    lang: Literal["nb", "en"] | None = Field(None, description="Language of messages.")
    format: Literal["text", "concise", "json", "jsonl", "sarif", "github", "gitlab", "junit", "html"] | None = Field(
        None, description="Default output format.")
    jobs: Annotated[int, Field(ge=0)] | None = Field(None, description="Parallel processes (0: one per CPU).")
    cache_dir: Annotated[str, Field(min_length=1)] | None = Field(
        None, alias="cache-dir",
        description="Directory of the caches (results and start-up), relative to this file; default: ~/.cache/rapportlint.")
    unsafe_fixes: bool | None = Field(
        None, alias="unsafe-fixes",
        description="Also apply unsafe fixes (figures inferred from the others): --fix, --diff and the editor's code actions.")
    daemon: bool | None = Field(
        None, description="false: `check` never starts the warm background process (docs/daemon.md); default true "
                          "(started after a check, except in CI).")


# Allowed values by key, for messages that list them («tillatt: error, warning»).
CHOICES = {"severity": SEVERITIES, "fail-on": FAIL_LEVELS, "lang": LANGUAGES, "format": FORMATS}


def json_schema() -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            **ConfigFile.model_json_schema()}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m linter.config_model: rewrite the shipped schema
    from linter.resources import schema_path

    schema_path("config.schema.json").write_text(schema_text(), encoding="utf-8")
    print(f"wrote {schema_path('config.schema.json')}")
