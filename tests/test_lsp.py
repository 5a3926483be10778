"""`rapportlint server` end to end: pytest-lsp starts the real command as a subprocess and talks
to it as an editor does (open, change, hover, code actions, outline). The findings must be the
ones `rapportlint check --format json` gives for the same file."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, run_cli

pytest.importorskip("pygls", reason="the language server needs pygls (pip install -e '.[test]' installs it)")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="the LSP tests need pytest-lsp (in the test extra)")
from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

SAGENE = EXAMPLES / "sagene-arsberetning-2024.md"
REN = EXAMPLES / "ren-arsberetning-2024.md"
WAIT = 20.0  # seconds: generous for a loaded CI machine; a passing run takes a fraction


def _server_command() -> list[str]:
    script = Path(sys.executable).with_name("rapportlint")
    return [str(script), "server"] if script.exists() else [sys.executable, "-m", "linter", "server"]


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=_server_command()))
async def client(lsp_client: LanguageClient):
    _read_code_actions_as_editors_do(lsp_client)
    lsp_client.registrations = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:  # as VS Code does: note it, watch the files
        lsp_client.registrations.extend(params.registrations)

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), locale="nb-NO",
        initialization_options={"debounceMs": 50}))
    yield
    await lsp_client.shutdown_session()


in_server_loop = pytest.mark.asyncio(loop_scope="module")


def _read_code_actions_as_editors_do(client: LanguageClient) -> None:
    """lsprotocol (2025.0.0) reads every code action that has a ``command`` as a bare Command;
    VS Code, Neovim and Helix tell them apart by whether ``command`` is a string."""
    from typing import Union

    converter = client.protocol._converter

    def structure(item, _):
        kind = types.Command if isinstance(item.get("command"), str) else types.CodeAction
        return converter.structure(item, kind)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], structure)


# ---------------------------------------------------------------------------- helpers
class Doc:
    """A document open in the test client, changed by whole-text edits as an editor sends them."""

    def __init__(self, client: LanguageClient, path: Path, text: str | None = None):
        self.client, self.uri = client, path.resolve().as_uri()
        self.text = path.read_text(encoding="utf-8") if text is None else text
        self.version = 1
        client.diagnostics.pop(self.uri, None)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=self.uri, language_id="markdown", version=self.version, text=self.text)))

    def change(self, text: str) -> None:
        self.text = text
        self.version += 1
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    def replace_line(self, number: int, old: str, new: str) -> None:
        lines = self.text.split("\n")
        assert old in lines[number - 1], lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
        self.change("\n".join(lines))

    def close(self) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri)))

    async def diagnostics(self, until=lambda found: True) -> list[types.Diagnostic]:
        """The latest diagnostics once ``until(them)`` holds (the server checks after a delay)."""
        deadline = asyncio.get_running_loop().time() + WAIT
        while True:
            found = self.client.diagnostics.get(self.uri)
            if found is not None and until(found):
                return list(found)
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no diagnostics as expected for {self.uri} within {WAIT} s; last: {found}")
            await asyncio.sleep(0.02)

    def position(self, line: int, text: str) -> types.Position:
        """The position of ``text`` on 1-based ``line`` (ASCII and BMP text: characters = UTF-16 units)."""
        column = self.text.split("\n")[line - 1].index(text)
        return types.Position(line=line - 1, character=column)

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a code action's edit as the editor does (later edits first)."""
        assert edit.document_changes, edit
        changes = edit.document_changes[0]
        assert changes.text_document.uri == self.uri and changes.text_document.version == self.version
        lines = self.text.split("\n")
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        text = self.text
        for item in sorted(changes.edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            start = starts[item.range.start.line] + item.range.start.character
            end = starts[item.range.end.line] + item.range.end.character
            text = text[:start] + item.new_text + text[end:]
        self.change(text)

    async def actions(self, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
        result = await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri), range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic])))
        return [a for a in result or [] if isinstance(a, types.CodeAction)]


def _codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


def _check_json(path: Path, cwd: Path = ROOT) -> list[dict]:
    done = run_cli("check", "--format", "json", str(path), cwd=cwd)
    assert done.returncode in (0, 1), done.stderr.decode()
    return json.loads(done.stdout)["findings"]


# ---------------------------------------------------------------------------- tests
@in_server_loop
async def test_open_gives_the_findings_of_check(client: LanguageClient):
    """Opening the largest example shows exactly `rapportlint check --format json`'s findings:
    the same codes at the same places, with the same severities, messages and rule links."""
    doc = Doc(client, SAGENE)
    found = await doc.diagnostics()
    expected = _check_json(SAGENE)
    assert len(expected) > 20  # the real report has real findings (A201, A203, I50x, ...)
    assert sorted((d.code, d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1,
                   d.range.end.character + 1) for d in found) == sorted(
        (f["code"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in expected)
    by_place = {(d.code, d.range.start.line + 1, d.range.start.character + 1): d for d in found}
    severity = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
                "info": types.DiagnosticSeverity.Information}
    for finding in expected:
        diagnostic = by_place[(finding["code"], finding["line"], finding["column"])]
        assert diagnostic.severity == severity[finding["severity"]]
        assert diagnostic.message == finding["message"]
        assert diagnostic.code_description.href == finding["docs"]
        assert diagnostic.source == "rapportlint"
    doc.close()


@in_server_loop
async def test_breaking_a_sum_shows_a_finding_and_fixing_it_removes_it(client: LanguageClient):
    doc = Doc(client, REN)
    assert await doc.diagnostics() == []  # the clean example has no finding
    doc.replace_line(37, "| 9 000 |", "| 9 500 |")  # «0-17 år»: the «Sum bydel» below no longer adds up
    found = await doc.diagnostics(lambda d: "A201" in _codes(d))
    a201 = next(d for d in found if d.code == "A201")
    assert a201.range.start.line + 1 in (37, 40)  # the changed figure or the sum it breaks
    assert "45 000" in a201.message or "9 500" in a201.message
    doc.replace_line(37, "| 9 500 |", "| 9 000 |")
    assert await doc.diagnostics(lambda d: not d) == []
    doc.close()


@in_server_loop
async def test_a_safe_fix_as_a_code_action(client: LanguageClient):
    doc = Doc(client, REN)
    await doc.diagnostics(lambda d: not d)
    doc.replace_line(394, "| 3,9 % |", "| 3.9 % |")  # a decimal point among commas: F602, fixed safely
    found = await doc.diagnostics(lambda d: "F602" in _codes(d))
    f602 = next(d for d in found if d.code == "F602")
    actions = await doc.actions(f602)
    fix = next(a for a in actions if a.title.startswith("Rett F602"))
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred
    assert any(a.kind == "source.fixAll.rapportlint" for a in actions)
    doc.apply(fix.edit)
    assert "| 3,9 % |" in doc.text.split("\n")[393]
    await doc.diagnostics(lambda d: "F602" not in _codes(d))
    doc.close()


@in_server_loop
async def test_a_suppression_with_a_reason_as_a_code_action(client: LanguageClient):
    """The action inserts the project's directive with rad= for the row; it does not apply until
    the writer gives the reason (X901 says so); with the reason, the finding is gone."""
    doc = Doc(client, REN)
    await doc.diagnostics(lambda d: not d)
    doc.replace_line(37, "| 9 000 |", "| 9 500 |")
    found = await doc.diagnostics(lambda d: "A201" in _codes(d))
    a201 = next(d for d in found if d.code == "A201")
    actions = await doc.actions(a201)
    suppress = next(a for a in actions if a.title.startswith("Undertrykk A201"))
    doc.apply(suppress.edit)
    directive = doc.text.split("\n")[33]  # above the table's caption (line 34 before the insertion)
    assert directive.startswith("<!-- rapportlint: ignore A201 rad=") and directive.endswith('begrunnelse="" -->')
    found = await doc.diagnostics(lambda d: "X901" in _codes(d))
    assert "A201" in _codes(found)  # no reason yet: nothing is suppressed
    # The command puts the cursor between the quotes (window/showDocument)
    command = suppress.command
    assert command is not None and command.command == "rapportlint.showReason"
    await client.workspace_execute_command_async(types.ExecuteCommandParams(command=command.command,
                                                                            arguments=command.arguments))
    shown = client.shown_documents[-1]
    assert shown.uri == doc.uri and shown.selection.start.line == 33
    assert directive[shown.selection.start.character - 1:shown.selection.start.character + 1] == '""'
    lines = doc.text.split("\n")
    lines[33] = directive.replace('begrunnelse=""', 'begrunnelse="Tallet er rettet i regnskapet etter fristen"')
    doc.change("\n".join(lines))
    assert await doc.diagnostics(lambda d: not d) == []
    doc.close()


@in_server_loop
async def test_hover_on_a_sum_shows_the_computed_sum_and_its_rows(client: LanguageClient):
    doc = Doc(client, REN)
    await doc.diagnostics()
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.position(40, "45 000")))
    text = hover.contents.value
    assert "Beregnet: **45 000**" in text and "stemmer" in text
    for label, line in (("0-17 år", 37), ("18-66 år", 38), ("67 år +", 39)):
        assert f"| {label} | 01.01.2024 | {line} |" in text
    # a row of the sum: where it is counted
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.position(37, "9 000")))
    assert "Inngår i" in hover.contents.value and "Sum bydel" in hover.contents.value
    doc.close()


@in_server_loop
async def test_hover_on_a_finding_explains_its_rule(client: LanguageClient):
    doc = Doc(client, SAGENE)
    found = await doc.diagnostics()
    s102 = next(d for d in found if d.code == "S102")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=s102.range.start))
    text = hover.contents.value
    assert "# S102 section-empty" in text and "## Hvorfor" in text and "## Riktig" in text
    doc.close()


@in_server_loop
async def test_outline_has_the_sections_and_their_tables(client: LanguageClient):
    doc = Doc(client, REN)
    await doc.diagnostics()
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri)))
    headings = [line for line in doc.text.split("\n") if line.startswith("# ")]
    top = [s for s in symbols if s.kind == types.SymbolKind.Namespace]
    assert [s.name for s in top] == [h[2:].strip() for h in headings]

    def walk(items):
        for item in items:
            yield item
            yield from walk(item.children or [])

    everything = list(walk(symbols))
    section = next(s for s in everything if s.name == "2.2 Befolkningsgrunnlag")
    table = next(c for c in section.children if c.kind == types.SymbolKind.Array)
    assert table.name == "Befolkning per 01.01" and "#befolkning" in table.detail
    assert table.range.start.line == 33  # the caption line
    captions = [line for line in doc.text.split("\n") if line.startswith(": ")]
    assert len([s for s in everything if s.kind == types.SymbolKind.Array]) == len(captions)
    doc.close()


@in_server_loop
async def test_a_file_that_is_not_a_report_is_not_checked(client: LanguageClient, tmp_path: Path):
    readme = tmp_path / "README.md"
    readme.write_text("# Prosjektet\n\nIkke en rapport.\n", encoding="utf-8")
    doc = Doc(client, readme)
    assert await doc.diagnostics() == []
    deadline = asyncio.get_running_loop().time() + WAIT
    while not any("README.md" in m.message and "ikke kontrollert" in m.message for m in client.log_messages):
        assert asyncio.get_running_loop().time() < deadline, "the server did not say why README.md was not checked"
        await asyncio.sleep(0.02)
    doc.close()


@in_server_loop
async def test_the_configuration_applies_as_in_check(client: LanguageClient, tmp_path: Path):
    """The nearest .rapportlint.toml: its selection, severities, language and docs-url, as
    `rapportlint check` applies them to the same file."""
    shutil.copy(SAGENE, tmp_path / SAGENE.name)
    (tmp_path / ".rapportlint.toml").write_text(
        'ignore = ["S102"]\nlang = "en"\ndocs-url = "https://intranett.example/regler/"\n\n[severity]\nF6 = "info"\n',
        encoding="utf-8")
    doc = Doc(client, tmp_path / SAGENE.name)
    found = await doc.diagnostics()
    expected = _check_json(tmp_path / SAGENE.name, cwd=tmp_path)
    assert "S102" not in _codes(found)
    assert sorted((d.code, d.range.start.line + 1, d.range.start.character + 1, d.message) for d in found) == sorted(
        (f["code"], f["line"], f["column"], f["message"]) for f in expected)
    f604 = next(d for d in found if d.code == "F604")
    assert f604.severity == types.DiagnosticSeverity.Information
    assert f604.code_description.href == "https://intranett.example/regler/F604.md"
    # The server asked the editor to watch the configuration files; one changes on disk: the editor
    # says so, and the open report is checked again.
    watched = [w["globPattern"] for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
               for w in r.register_options["watchers"]]
    assert watched == ["**/.rapportlint.toml", "**/pyproject.toml"]
    config = tmp_path / ".rapportlint.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('ignore = ["S102"]', 'ignore = ["S102", "F6"]'),
                      encoding="utf-8")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    found = await doc.diagnostics(lambda d: not any(c.startswith("F6") for c in _codes(d)))
    assert "A201" in _codes(found)
    doc.close()


def test_server_without_pygls_says_how_to_install_it(tmp_path: Path):
    """The extra is missing: a clear message in Norwegian (English with --lang en) and exit 2."""
    blocker = tmp_path / "pygls"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('pygls is not installed here')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    env.pop("RAPPORTLINT_LANG", None)
    done = subprocess.run([sys.executable, "-m", "linter", "server"], capture_output=True, env=env, cwd=ROOT,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "pip install 'rapportlint[lsp]'" in done.stderr.decode() and "trenger pygls" in done.stderr.decode()
    done = subprocess.run([sys.executable, "-m", "linter", "--lang", "en", "server"], capture_output=True, env=env,
                          cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "needs pygls" in done.stderr.decode()
    assert "Traceback" not in done.stderr.decode()
