"""`rapportlint init`: starter files for a report repository, never overwriting one that exists."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from linter import __version__
from linter.rules.base import DOCS_BASE

REPOSITORY = DOCS_BASE.rsplit("/blob/", 1)[0]

CONFIG = """\
# rapportlint: konfigurasjon for rapportene i dette repoet. `rapportlint config` viser hva som
# gjelder; alle nøkler står i docs/configuration.md.

# Laveste alvorlighet som stopper en commit (exit-kode 1): "error" eller "warning".
fail-on = "error"

# Regler som kjøres (koder eller prefikser, f.eks. "S", "A201"); standard er alle.
# select = ["ALL"]
# ignore = ["F603"]

# Språk for meldinger: "nb" eller "en".
# lang = "nb"

# Alvorlighet per regel eller prefiks.
# [severity]
# F6 = "warning"

# Regler som ikke kjøres for enkelte filer (glob relativt til denne filen).
# [per-file-ignores]
# "utkast/*.md" = ["S102", "K302"]
"""

# The hook runs the rapportlint installed where the commit is made (an activated virtual
# environment, or pipx), so it works offline and with the version the writer checks with by hand.
# verbose: true shows the warnings on a commit that passes too.
HOOK_LOCAL = """\
  - repo: local
    hooks:
      - id: rapportlint
        name: rapportlint
        entry: rapportlint check --reports-only
        language: system
        files: \\.md$
        verbose: true
"""

HOOK_REMOTE = """\
  - repo: {repository}
    rev: {rev}
    hooks:
      - id: rapportlint
        verbose: true
"""

PRE_COMMIT_HEAD = """\
# pre-commit: `pre-commit install` kontrollerer rapportene ved hver commit (se README).
repos:
"""


def hook_snippet(remote: bool = False, repository: str | None = None, rev: str | None = None) -> str:
    """The entry under ``repos:`` for the rapportlint hook."""
    if not remote:
        return HOOK_LOCAL
    return HOOK_REMOTE.format(repository=repository or REPOSITORY, rev=rev or f"v{__version__}")


def starter_files(remote: bool = False, repository: str | None = None, rev: str | None = None) -> dict[str, str]:
    return {".rapportlint.toml": CONFIG,
            ".pre-commit-config.yaml": PRE_COMMIT_HEAD + hook_snippet(remote, repository, rev)}


def write_new(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` only if it does not exist, atomically: the content goes to a
    temporary file first, then is linked into place (link refuses an existing name, so a file
    created meanwhile is not overwritten either). Returns False when the file exists."""
    if path.exists() or path.is_symlink():
        return False
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(text.encode("utf-8"))
        return True
    finally:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass


def init(directory: Path, remote: bool = False, repository: str | None = None,
         rev: str | None = None) -> list[tuple[str, bool]]:
    """(file name, written?) for each starter file."""
    files = starter_files(remote, repository, rev)
    return [(name, write_new(directory / name, text)) for name, text in files.items()]


# ---------------------------------------------------------------------------- rapportlint new
def skeleton(pack, district: str, lang: str = "nb") -> str:
    """A report to fill in, from the rule pack: front matter, every required section with its
    number and title (in the template's order and nesting), every checklist with its items and
    answer columns, the verbalvedtak table and the indicator tables where the pack requires
    them. It parses, and its only findings are the ones that say it is not filled in yet."""
    year = pack.year
    out = [
        "---",
        f"bydel: {district}",
        f"dokument: {pack.document_kind}",
        f"år: {year}",
        f"mal: {pack.id}",
        "status: utkast",
        "---",
        "",
        f"<!-- Laget med «rapportlint new» fra regelpakken {pack.id}. Fyll ut hver seksjon og tabell; "
        "`rapportlint check` viser hva som gjenstår. -->",
    ]
    checklists: dict[str, list[dict]] = {}
    for checklist in pack.get("sjekklister") or ():
        checklists.setdefault(str(checklist.get("seksjon", "")), []).append(checklist)
    verbal = {str(ref) for ref in ((pack.get("verbalvedtak") or {}).get("seksjoner") or ())}
    indicators = pack.get("indikatorer") or {}
    indicator_sections = {str(ref) for ref in indicators.get("påkrevd_i") or ()}

    def emit(sections, depth: int) -> None:
        for spec in sections or ():
            if spec.get("påkrevd", True) is False:
                continue
            number = spec.get("nummer")
            title = spec["tittel"]
            level = len(str(number).rstrip(".").split(".")) if number else depth
            out.append("")
            out.append("#" * min(level, 6) + " " + (f"{number} " if number else "") + title)
            keys = {str(number)} if number else set()
            keys.add(title)
            for key in keys:
                for checklist in checklists.get(key, ()):
                    out.extend(_checklist_table(checklist))
                if key in verbal:
                    out.extend(_verbalvedtak_table())
                if key in indicator_sections:
                    out.extend(_indicator_table(number or title, year, indicators))
            emit(spec.get("seksjoner"), depth + 1)

    emit(pack.get("seksjoner"), 1)
    return "\n".join(out) + "\n"


def _slug(text: str) -> str:
    import re

    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-")[:40] or "tabell"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _checklist_table(checklist: dict) -> list[str]:
    name = checklist.get("navn") or "Sjekkliste"
    lines = ["", f": {name} {{#{_slug(name)} type=sjekkliste}}",
             f"| {_cell(name)} | Ja | Delvis | Nei | Kommentar |", "|---|---|---|---|---|"]
    items = checklist.get("punkter") or ()
    for item in items:
        text = item.get("tekst", "") if isinstance(item, dict) else str(item)  # {tekst: ..., svar: tekst}
        lines.append(f"| {_cell(text)} | | | | |")
    if not items:  # the pack knows the form, not its wording: a row to write the questions in
        lines.append("| (spørsmålene fra skjemaet) | | | | |")
    return lines


def _verbalvedtak_table() -> list[str]:
    return ["", ": Verbalvedtak og merknader {#verbalvedtak type=verbalvedtak}",
            "| Kode | Vedtak | Utkvittering |", "|---|---|---|", "| | | |"]


def _indicator_table(ref: str, year: int, settings: dict) -> list[str]:
    result_year = year + int(settings.get("resultatår", 0))
    target_year = year + int(settings.get("målår", 0))
    return ["", f": Resultatindikatorer {ref} {{#ind-{_slug(str(ref))} type=indikatorer}}",
            f"| Resultatindikator | Resultat {result_year - 1} | Måltall {target_year} | Resultat {result_year} "
            f"| Avvik {result_year} |",
            "|---|---:|---:|---:|---:|", "| (resultatindikator) | (N) | (N) | (N) | (N) |"]
