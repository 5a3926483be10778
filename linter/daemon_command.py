"""`rapportlint daemon start|stop|status`: the warm background process (linter/daemon.py) by hand."""

from __future__ import annotations

import os
import sys
import time

import click

from linter import daemon, help_en, results_cache

EXIT_ERROR = 2


def _en() -> bool:
    return help_en.wants_english(sys.argv[1:], dict(os.environ))


def _say(nb: str, en: str, err: bool = False) -> None:
    click.echo(en if _en() else nb, err=err)


def _directory(cache_dir: str | None) -> str | None:
    base = os.path.abspath(cache_dir) if cache_dir else results_cache.default_dir(os.environ)
    return os.path.join(base, "daemon") if base else None


HELP = {
    "daemon": ("Den varme bakgrunnsprosessen som gjør `check` rask (som Gradles daemon).\n\n"
               "Etter en `check` startes den i bakgrunnen (ikke når CI er satt, med RAPPORTLINT_DAEMON=0 eller "
               "«daemon = false» i konfigurasjonen); neste `check` kjøres av den med samme utdata og exit-kode, "
               "uten Pythons oppstart. Den avslutter etter 15 minutter uten arbeid og når rapportlint endres. "
               "Se docs/daemon.md.",
               "The warm background process that makes `check` fast (like Gradle's daemon).\n\n"
               "After a `check` it is started in the background (not when CI is set, with RAPPORTLINT_DAEMON=0 or "
               "«daemon = false» in the configuration); the next `check` is run by it with the same output and exit "
               "code, without Python's start-up. It exits after 15 minutes without work and when rapportlint "
               "changes. See docs/daemon.md."),
    "start": ("Start den for denne installasjonen (også i CI og med «daemon = false»), og vent til den svarer.",
              "Start it for this installation (also in CI and with «daemon = false»), and wait until it answers."),
    "stop": ("Stopp alle i buffermappen (de som kjører en kontroll, gjør den ferdig først).",
             "Stop every one in the cache directory (one running a check finishes it first)."),
    "status": ("Vis om den kjører for denne installasjonen (exit-kode 0), eller ikke (1).",
               "Show whether it runs for this installation (exit code 0), or not (1)."),
    "idle_minutes": ("Avslutt etter så mange minutter uten arbeid.", "Exit after this many minutes without work."),
    "cache_dir": ("Buffermappen (også RAPPORTLINT_CACHE_DIR); som for `check --cache-dir`.",
                  "The cache directory (also RAPPORTLINT_CACHE_DIR); as for `check --cache-dir`."),
}


def _help(key: str) -> str:
    return HELP[key][1 if _en() else 0]


cache_dir_option = click.option("--cache-dir", type=click.Path(file_okay=False), default=None, help=_help("cache_dir"))


@click.group("daemon", help=_help("daemon"))
def daemon_command() -> None:
    pass


@daemon_command.command("start", help=_help("start"))
@click.option("--idle-minutes", type=click.IntRange(min=1), default=daemon.IDLE_MINUTES, show_default=True,
              help=_help("idle_minutes"))
@cache_dir_option
def start(idle_minutes: int, cache_dir: str | None) -> None:
    directory = _directory(cache_dir)
    if not daemon.supported():
        _say("rapportlint: bakgrunnsprosessen finnes bare på Linux (den trenger SO_PEERCRED)",
             "rapportlint: the background process exists only on Linux (it needs SO_PEERCRED)", err=True)
        sys.exit(EXIT_ERROR)
    if not daemon.enabled(os.environ) or not directory:
        _say("rapportlint: slått av (RAPPORTLINT_DAEMON=0 eller RAPPORTLINT_CACHE_DIR= tom)",
             "rapportlint: switched off (RAPPORTLINT_DAEMON=0 or an empty RAPPORTLINT_CACHE_DIR)", err=True)
        sys.exit(EXIT_ERROR)
    key = daemon.identity(os.environ)
    running = daemon.request(directory, key, "status")
    if running is not None and not running["stale"]:
        _say(f"rapportlint: kjører allerede (pid {running['pid']})", f"rapportlint: already running (pid {running['pid']})")
        return
    try:
        pid = daemon.start_in_background(directory, os.environ, idle_minutes, wait=60)
    except OSError as exc:
        pid = None
        _say(f"rapportlint: {directory}: {exc.strerror or exc}", f"rapportlint: {directory}: {exc.strerror or exc}", err=True)
    if pid is None:
        _say(f"rapportlint: bakgrunnsprosessen startet ikke; se {daemon.paths(directory, key)['log']}",
             f"rapportlint: the background process did not start; see {daemon.paths(directory, key)['log']}", err=True)
        sys.exit(EXIT_ERROR)
    _say(f"rapportlint: startet (pid {pid}); avslutter etter {idle_minutes} minutter uten arbeid",
         f"rapportlint: started (pid {pid}); exits after {idle_minutes} minutes without work")


@daemon_command.command("stop", help=_help("stop"))
@cache_dir_option
def stop(cache_dir: str | None) -> None:
    directory = _directory(cache_dir)
    keys = sorted(name[:-len(".sock")] for name in _names(directory) if name.endswith(".sock"))
    stopped = []
    for key in keys:
        answer = daemon.request(directory, key, "stop")
        if answer is not None:
            stopped.append(answer["pid"])
    deadline = time.monotonic() + 30
    while stopped and time.monotonic() < deadline and any(_alive(pid) for pid in stopped):
        time.sleep(0.05)
    if not stopped:
        _say("rapportlint: ingen bakgrunnsprosess kjører", "rapportlint: no background process is running")
        return
    pids = ", ".join(map(str, stopped))
    _say(f"rapportlint: stoppet (pid {pids})", f"rapportlint: stopped (pid {pids})")


@daemon_command.command("status", help=_help("status"))
@cache_dir_option
def status(cache_dir: str | None) -> None:
    directory = _directory(cache_dir)
    answer = daemon.request(directory, daemon.identity(os.environ), "status") if directory else None
    if answer is None:
        why_nb, why_en = "", ""
        if not daemon.enabled(os.environ) or not directory:
            why_nb, why_en = " (slått av: RAPPORTLINT_DAEMON=0 eller tom RAPPORTLINT_CACHE_DIR)", \
                " (switched off: RAPPORTLINT_DAEMON=0 or an empty RAPPORTLINT_CACHE_DIR)"
        elif daemon.in_ci(os.environ):
            why_nb, why_en = " (CI er satt: `check` starter den ikke)", " (CI is set: `check` does not start it)"
        _say(f"rapportlint: ingen bakgrunnsprosess for denne installasjonen{why_nb}",
             f"rapportlint: no background process for this installation{why_en}")
        sys.exit(1)
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(answer["started"]))
    minutes = answer["idle_seconds"] / 60
    state_nb = "utdatert: avslutter" if answer["stale"] else "klar"
    state_en = "out of date: exiting" if answer["stale"] else "ready"
    _say(f"rapportlint: kjører (pid {answer['pid']}, {state_nb}) siden {since}; {answer['served']} kommandoer kjørt, "
         f"{answer['running']} nå; avslutter etter {minutes:g} minutter uten arbeid\n  {answer['socket']}",
         f"rapportlint: running (pid {answer['pid']}, {state_en}) since {since}; {answer['served']} commands run, "
         f"{answer['running']} now; exits after {minutes:g} minutes without work\n  {answer['socket']}")


def _names(directory: str | None) -> list[str]:
    try:
        return os.listdir(directory) if directory else []
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
