"""The pygls Language Server. Documents are checked when opened, at once after a change that
follows a quiet spell, and ``debounce_ms`` after the last change while the writer types (one check
at a time, in a worker thread, so the editor's requests are answered meanwhile); diagnostics are published only for the version they were made from. Hover, code
actions and the outline answer from a check of the current version (made first when the latest
one is out of date)."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePath
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from linter import __version__
from linter.lsp import features
from linter.lsp.document import Checked, Settings, check_document, locale_lang

CONFIG_NAMES = (".rapportlint.toml", "pyproject.toml")
logger = logging.getLogger(__name__)


class ReportServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("rapportlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.client_lang: str | None = None
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.open_uris: set[str] = set()  # as the client writes them (diagnostics go back under them)
        self.told: dict[str, str] = {}
        self.last_change: dict[str, float] = {}  # uri -> when the latest change came (the event loop's clock)  # uri -> the last "not checked" or traceback logged for it
        # One check at a time: the engine's caches are per process, not per thread.
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rapportlint-check")

    @property
    def lang(self) -> str:
        return self.settings.lang or self.client_lang or "nb"

    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return str(getattr(encoding, "value", encoding) or "utf-16")

    def is_open(self, uri: str) -> bool:
        return unquote(uri) in self.workspace.text_documents  # pygls keys its documents by the unquoted URI

    async def check_now(self, uri: str) -> Checked | None:
        document = self.workspace.get_text_document(uri)
        text, version = document.source, document.version
        loop = asyncio.get_running_loop()
        checked = await loop.run_in_executor(self.checker, check_document, uri, text, version, self.settings,
                                             self.client_lang, self.encoding())
        if not self.is_open(uri):
            return None  # closed meanwhile
        latest = self.checked.get(uri)
        if latest is None or latest.version is None or version is None or version >= latest.version:
            self.checked[uri] = checked
        return checked

    def publish(self, checked: Checked | None) -> None:
        if checked is None or not self.is_open(checked.uri):
            return
        if self.workspace.get_text_document(checked.uri).version != checked.version:
            return  # a later change is on its way
        self._tell(checked)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=checked.uri, version=checked.version, diagnostics=features.diagnostics(checked)))

    def _tell(self, checked: Checked) -> None:
        """Log what is not a diagnostic: a file that is not a report (and why), a rule's traceback."""
        told = "\n".join([p.message(checked.lang) for p in checked.problems if p.severity == "info"] + checked.tracebacks)
        if told and self.told.get(checked.uri) != told:
            self.window_log_message(types.LogMessageParams(
                type=types.MessageType.Info if not checked.tracebacks else types.MessageType.Error,
                message=f"rapportlint: {checked.uri}: {told}"))
        self.told[checked.uri] = told

    def schedule(self, uri: str, delay: float) -> None:
        earlier = self.pending.pop(uri, None)
        if earlier is not None:
            earlier.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            self.publish(await self.check_now(uri))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the server keeps running; the editor is told
            logger.exception("check failed")
            self.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Error, message=f"rapportlint: {type(exc).__name__}: {exc}"))
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    async def current(self, uri: str) -> Checked | None:
        """A check of the document's current version."""
        if not self.is_open(uri):
            return None
        version = self.workspace.get_text_document(uri).version
        latest = self.checked.get(uri)
        if latest is not None and latest.version == version and latest.text == self.workspace.get_text_document(uri).source:
            return latest
        checked = await self.check_now(uri)
        self.publish(checked)
        return checked

    def recheck_all(self) -> None:
        for uri in list(self.open_uris):
            self.schedule(uri, 0)


server = ReportServer()


@server.feature(types.INITIALIZE)
def initialize(ls: ReportServer, params: types.InitializeParams) -> None:
    ls.settings = Settings.from_client(params.initialization_options)
    ls.client_lang = locale_lang(params.locale)


@server.feature(types.INITIALIZED)
async def initialized(ls: ReportServer, params: types.InitializedParams) -> None:
    from linter.rules.registry import load_problems

    for nb, en in load_problems():  # a plug-in that could not be loaded: its rules do not run
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Error,
                                                       message=f"rapportlint: {en if ls.lang == 'en' else nb}"))
    workspace = ls.client_capabilities.workspace
    watching = workspace.did_change_watched_files if workspace else None
    if watching is not None and watching.dynamic_registration:
        # The configuration files are not documents the server is given: ask to hear of their changes.
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
                id="rapportlint-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))
        except Exception:  # noqa: BLE001 - then a changed configuration applies from the next keystroke
            logger.debug("file watching refused", exc_info=True)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: ReportServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.open_uris.add(params.text_document.uri)
    ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: ReportServer, params: types.DidChangeTextDocumentParams) -> None:
    # A change after a quiet spell is checked at once; one that follows another within the debounce
    # time (typing) waits until the typing pauses for that long.
    uri = params.text_document.uri
    now = asyncio.get_running_loop().time()
    debounce = ls.settings.debounce_ms / 1000
    typing = now - ls.last_change.get(uri, float("-inf")) < debounce
    ls.last_change[uri] = now
    ls.schedule(uri, debounce if typing else 0)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: ReportServer, params: types.DidSaveTextDocumentParams) -> None:
    if PurePath(params.text_document.uri).name in CONFIG_NAMES:
        ls.recheck_all()  # the configuration applies to the reports


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: ReportServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.open_uris.discard(uri)
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.checked.pop(uri, None)
    ls.told.pop(uri, None)
    ls.last_change.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: ReportServer, params: types.DidChangeConfigurationParams) -> None:
    ls.settings = Settings.from_client(params.settings, ls.settings)
    ls.recheck_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def did_change_watched_files(ls: ReportServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.recheck_all()


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: ReportServer, params: types.HoverParams) -> types.Hover | None:
    checked = await ls.current(params.text_document.uri)
    if checked is None:
        return None
    return features.hover(checked, params.position.line, params.position.character)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, features.FIX_ALL]))
async def code_action(ls: ReportServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    checked = await ls.current(params.text_document.uri)
    if checked is None:
        return None
    start, end = params.range.start, params.range.end
    return features.code_actions(checked, (start.line, start.character), (end.line, end.character),
                                 params.context.only) or None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def document_symbol(ls: ReportServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol] | None:
    checked = await ls.current(params.text_document.uri)
    if checked is None:
        return None
    return features.document_symbols(checked) or None


@server.command(features.SHOW_REASON)
async def show_reason(ls: ReportServer, uri: str, line: int, character: int) -> Any:
    """After a suppression was inserted: the cursor between the quotes of its begrunnelse."""
    position = types.Position(line=line, character=character)
    try:
        await ls.window_show_document_async(types.ShowDocumentParams(
            uri=uri, take_focus=True, selection=types.Range(start=position, end=position)))
    except Exception:  # noqa: BLE001 - a client without window/showDocument: the edit is made all the same
        logger.debug("window/showDocument not supported", exc_info=True)
    return None


def run(tcp: bool = False, host: str = "127.0.0.1", port: int = 2087) -> None:
    if tcp:
        server.start_tcp(host, port)
    else:
        server.start_io()
