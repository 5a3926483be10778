"""The ``rapportlint server`` command: imports pygls only when it runs."""

from __future__ import annotations

import os
import sys

import click

EXIT_ERROR = 2


@click.command("server")
@click.option("--tcp", is_flag=True, help="Lytt på TCP i stedet for standard inn/ut (for feilsøking).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adressen med --tcp.")
@click.option("--port", type=click.IntRange(1, 65535), default=2087, show_default=True, help="Porten med --tcp.")
@click.option("--stdio", is_flag=True, hidden=True)  # what some editors add; standard in/out is the default
def server_command(tcp: bool, host: str, port: int, stdio: bool) -> None:
    """Start språkserveren (LSP) for redigeringsprogrammer: funn mens du skriver (krever rapportlint[lsp])."""
    en = os.environ.get("RAPPORTLINT_LANG") == "en"
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        click.echo("rapportlint: the language server needs pygls, which is not installed: install it with "
                   "«pip install 'rapportlint[lsp]'»" if en else
                   "rapportlint: språkserveren trenger pygls, som ikke er installert: installer den med "
                   "«pip install 'rapportlint[lsp]'»", err=True)
        sys.exit(EXIT_ERROR)
    from linter.lsp.server import run

    try:
        run(tcp=tcp, host=host, port=port)
    except OSError as exc:  # the TCP port is taken, say
        click.echo(f"rapportlint: {'cannot listen on' if en else 'kan ikke lytte på'} {host}:{port}: {exc.strerror or exc}",
                   err=True)
        sys.exit(EXIT_ERROR)
