"""How soon `rapportlint server` shows the findings of a change: prints figures, judges nothing.

    python -m pip install -e '.[lsp]'
    python bench/lsp_latency.py              # the largest example, 15 changes
    python bench/lsp_latency.py --changes 40 --debounce 100 path/to/report.md

The server runs as an editor starts it (`rapportlint server`, a subprocess on standard in/out).
The client opens the report, then changes one figure of a sum row at a time (alternately breaking
and mending the sum) and measures, for each change, the time from sending the change to receiving
the diagnostics of that version: the debounce delay, the check and the round trip. Then the same
after a burst of ten keystrokes 30 ms apart, from the last keystroke (the debounce restarts with
each). Medians and the slowest are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linter.lsp.document import Settings  # noqa: E402


def largest_example() -> Path:
    return max((ROOT / "examples").glob("*.md"), key=lambda p: p.stat().st_size)


def server_command() -> list[str]:
    script = Path(sys.executable).with_name("rapportlint")
    return [str(script), "server"] if script.exists() else [sys.executable, "-m", "linter", "server"]


async def measure(path: Path, changes: int, debounce: int) -> None:
    client = LanguageClient("rapportlint-bench", "1")
    arrived: dict[int, float] = {}
    waiting: dict[int, asyncio.Event] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())
            waiting.setdefault(params.version, asyncio.Event()).set()

    async def until(version: int) -> float:
        await asyncio.wait_for(waiting.setdefault(version, asyncio.Event()).wait(), timeout=60)
        return arrived[version]

    await client.start_io(*server_command())
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                         initialization_options={"debounceMs": debounce}))
    client.initialized(types.InitializedParams())
    uri = path.resolve().as_uri()
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    # A figure in a body row above a «Sum» row: changing it breaks that sum.
    target = next(i for i, line in enumerate(lines)
                  if line.startswith("| ") and i + 1 < len(lines) and lines[i + 1].lower().startswith("| sum")
                  and any(ch.isdigit() for ch in line.split("|")[2]))
    original = lines[target]
    cells = original.split("|")
    broken = "|".join(cells[:2] + [" 1 " + cells[2].strip() + " "] + cells[3:])
    version = 1
    started = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=version, text=text)))
    opened = await until(version) - started

    def send(line_text: str) -> float:
        nonlocal version
        version += 1
        lines[target] = line_text
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n".join(lines))]))
        return sent

    single = []
    for index in range(changes):
        sent = send(broken if index % 2 == 0 else original)
        single.append(await until(version) - sent)
    bursts = []
    for index in range(max(3, changes // 5)):
        for key in range(10):
            sent = send(broken if (index + key) % 2 == 0 else original)
            await asyncio.sleep(0.03)
        bursts.append(await until(version) - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:.0f} ms"

    from linter.lsp.document import check_document

    check_document(uri, text, 1)
    alone = []
    for _ in range(5):
        begun = time.perf_counter()
        check_document(uri, text, 1)
        alone.append(time.perf_counter() - begun)

    print(f"report: {path.name} ({path.stat().st_size // 1000} kB, {len(lines)} lines); debounce {debounce} ms")
    print(f"the check alone, in this process, median of 5:       {ms(statistics.median(alone))}")
    print(f"open -> diagnostics (cold: imports, first check):   {ms(opened)}")
    print(f"one change -> its diagnostics, median of {len(single)}:     {ms(statistics.median(single))}"
          f" (slowest {ms(max(single))})")
    print(f"last of 10 keystrokes -> diagnostics, median of {len(bursts)}: {ms(statistics.median(bursts))}"
          f" (slowest {ms(max(bursts))})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", type=Path, default=None, help="default: the largest example")
    parser.add_argument("--changes", type=int, default=15)
    parser.add_argument("--debounce", type=int, default=Settings().debounce_ms,
                        help="the server's debounceMs (default: the server's own)")
    args = parser.parse_args()
    asyncio.run(measure(args.report or largest_example(), args.changes, args.debounce))


if __name__ == "__main__":
    main()
