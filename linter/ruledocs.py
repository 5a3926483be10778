"""Rule documentation pages (docs/rules/<CODE>.md and docs/rules/index.md), generated from each
rule's docstring: the first paragraph, ``Hvorfor:``, ``Feil:`` and ``Riktig:`` examples and, for
fixable rules, ``Retting:``. `rapportlint docs` writes them; `rapportlint docs --check` (and
tests/test_rule_docs.py) fails when a committed page differs from what the rule says now."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from linter.rules.base import Rule

SECTIONS = ("Hvorfor", "Feil", "Riktig", "Retting")
_HEADER = re.compile(r"^(Hvorfor|Feil|Riktig|Retting):\s*(.*)$")
GENERATED = "<!-- Generert av `rapportlint docs` fra regelens docstring; ikke rediger for hånd. -->"


class RuleDocError(Exception):
    pass


def parse_doc(rule: type[Rule]) -> dict[str, str]:
    """{'intro', 'Hvorfor', 'Feil', 'Riktig', 'Retting'?} from the docstring; raises when one of
    the required parts is missing or empty."""
    parts: dict[str, list[str]] = {"intro": []}
    current = "intro"
    for line in rule.doc().splitlines():
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            parts[current] = [header.group(2)] if header.group(2) else []
        else:
            parts[current].append(line)
    found = {key: "\n".join(lines).strip("\n") for key, lines in parts.items()}
    required = ["Hvorfor", "Feil", "Riktig"] + (["Retting"] if rule.fixable else [])
    missing = [key for key in required if not found.get(key, "").strip()]
    if missing or not found["intro"].strip():
        raise RuleDocError(f"{rule.code}: the docstring lacks {', '.join(missing or ['a first line'])}")
    return found


def _example(text: str) -> str:
    """An indented example as a code block; unindented lines after it stay prose."""
    code, prose = [], []
    for line in text.splitlines():
        (prose if prose or (line.strip() and not line.startswith((" ", "\t"))) else code).append(line)
    block = textwrap.dedent("\n".join(code)).strip("\n")
    out = f"```markdown\n{block}\n```"
    if prose:
        out += "\n\n" + "\n".join(prose).strip()
    return out


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def render_page(rule: type[Rule]) -> str:
    doc = parse_doc(rule)
    nb, en = rule.summary
    lines = [
        GENERATED,
        f"# {rule.code} {rule.name}",
        "",
        f"**{nb}** ({en})",
        "",
        "| | |",
        "|---|---|",
        f"| Kode | `{rule.code}` |",
        f"| Navn | `{rule.name}` |",
        f"| Familie | {rule.family} |",
        f"| Alvorlighet | {rule.severity.label('nb')} ({rule.severity.value}) |",
        f"| Kan rettes med `--fix` | {'ja' if rule.fixable else 'nei'} |",
        *([f"| Alvorligheten varierer | {rule.severity_varies[0]} |"] if rule.severity_varies else []),
        "",
        doc["intro"].strip(),
        "",
        "## Hvorfor",
        "",
        _capitalised(doc["Hvorfor"].strip()),
        "",
        "## Feil",
        "",
        _example(doc["Feil"]),
        "",
        "## Riktig",
        "",
        _example(doc["Riktig"]),
        "",
    ]
    if doc.get("Retting", "").strip():
        lines += ["## Retting", "", doc["Retting"].strip(), ""]
    if rule.pack_settings:
        lines += _settings_section(rule)
    if not rule.code.startswith("X9"):
        lines += [
            "## Undertrykke",
            "",
            "Når funnet er riktig, men forklart i rapporten, kan det undertrykkes med en begrunnelse",
            "(se [undertrykkelser](../suppressions.md)):",
            "",
            "```markdown",
            f'<!-- rapportlint: ignore {rule.code} begrunnelse="..." -->',
            "```",
            "",
        ]
    lines += [f"`rapportlint rule {rule.code}` viser det samme i terminalen.", ""]
    return "\n".join(lines)


def _settings_section(rule: type[Rule]) -> list[str]:
    """What a rule pack may set for this rule (``Rule.pack_settings``), with an example."""
    import json

    lines = ["## Innstillinger i regelpakken", "",
             f"Under `regler: {rule.code}:` i en regelpakke (en ukjent nøkkel eller feil type er en feil i pakken):",
             "", "| nøkkel | verdi | standard |", "|---|---|---|"]
    for key, (kind, default) in rule.pack_settings.items():
        lines.append(f"| `{key}` | {_type_text(kind)} | `{json.dumps(default, ensure_ascii=False)}` |")
    key, (kind, default) = next(iter(rule.pack_settings.items()))
    example = _example_value(kind, default)
    lines += ["", "```yaml", "regler:", f"  {rule.code}: {{{key}: {example}}}", "```", ""]
    return lines


def _type_text(kind: object) -> str:
    from typing import Literal, get_args, get_origin

    if get_origin(kind) is Literal:
        return " eller ".join(f"`{value}`" for value in get_args(kind))
    if kind is bool:
        return "`true` eller `false`"
    if get_origin(kind) is list:
        return "liste av tekster" if get_args(kind) == (str,) else "liste"
    return getattr(kind, "__name__", str(kind))


def _example_value(kind: object, default: object) -> str:
    """A value other than the default, so the example shows a change."""
    import json
    from typing import Literal, get_args, get_origin

    if get_origin(kind) is Literal:
        return str(next((v for v in get_args(kind) if v != default), default))
    if kind is bool:
        return "false" if default else "true"
    return json.dumps(default, ensure_ascii=False)


def render_index(rules: list[type[Rule]]) -> str:
    lines = [
        GENERATED,
        "# Regler",
        "",
        "Hver regel har en fast kode. Velg regler med `--select`/`--ignore` eller i konfigurasjonen",
        "(`select`, `ignore`, `severity`); se `rapportlint rules`.",
        "",
        "| kode | navn | familie | alvorlighet | `--fix` | hva |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        lines.append(f"| [{rule.code}]({rule.code}.md) | `{rule.name}` | {rule.family} | "
                     f"{rule.severity.label('nb')} | {'ja' if rule.fixable else ''} | {rule.summary[0]} |")
    return "\n".join(lines) + "\n"


def expected_pages(rules: list[type[Rule]]) -> dict[str, str]:
    pages = {f"{rule.code}.md": render_page(rule) for rule in rules}
    pages["index.md"] = render_index(rules)
    return pages


def stale_pages(directory: Path, rules: list[type[Rule]]) -> list[str]:
    """Pages that are missing or differ from what the rules say now."""
    stale = []
    for name, text in expected_pages(rules).items():
        path = directory / name
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            stale.append(name)
    return stale


def write_pages(directory: Path, rules: list[type[Rule]]) -> list[str]:
    """Write the pages that changed (atomically); returns their names."""
    from linter.atomic import write_atomic

    directory.mkdir(parents=True, exist_ok=True)
    changed = stale_pages(directory, rules)
    pages = expected_pages(rules)
    for name in changed:
        write_atomic(directory / name, pages[name])
    return changed
