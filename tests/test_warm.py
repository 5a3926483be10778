"""The warm background process (linter/daemon.py): a check it runs gives the same bytes on
standard output and error and the same exit code as a fresh process; it is never used when its
code is stale or its socket is dead; it leaves no process behind.

Every test runs the installed `rapportlint` script (as a user does) with a cache directory of its
own, and stops what it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from linter import daemon

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "ren-arsberetning-2024.md"
SAGENE = EXAMPLES / "sagene-arsberetning-2024.md"
SCRIPT = Path(sys.executable).with_name("rapportlint")

pytestmark = pytest.mark.skipif(not daemon.supported(), reason="the background process needs Linux (SO_PEERCRED)")


def _environment(cache: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("RAPPORTLINT_DAEMON", "CI", "RAPPORTLINT_LANG", "NO_COLOR")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(RAPPORTLINT_CACHE_DIR=cache, **extra)
    return env


class Warm:
    """A cache directory (short: socket paths are limited to ~100 bytes) and its server."""

    def __init__(self, **extra: str):
        assert SCRIPT.exists(), f"the installed script {SCRIPT} is missing (pip install -e .)"
        self.cache = tempfile.mkdtemp(prefix="rlw-", dir="/tmp")
        self.env = _environment(self.cache, **extra)
        self.directory = os.path.join(self.cache, "daemon")

    def run(self, *args: str, warm: bool = True, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
        chosen = dict(self.env if warm else dict(self.env, RAPPORTLINT_DAEMON="0"))
        chosen.update(env or {})
        kwargs.setdefault("cwd", ROOT)
        kwargs.setdefault("capture_output", True)
        return subprocess.run([str(SCRIPT), *args], env=chosen, timeout=120, **kwargs)

    def start(self) -> None:
        started = self.run("daemon", "start")
        assert started.returncode == 0, started.stderr.decode()
        assert self.status() is not None

    def status(self) -> dict | None:
        for name in sorted(os.listdir(self.directory)) if os.path.isdir(self.directory) else []:
            if name.endswith(".sock"):
                answer = daemon.request(self.directory, name[:-5], "status")
                if answer is not None:
                    return answer
        return None

    def served(self) -> int:
        answer = self.status()
        return answer["served"] if answer else -1

    def processes(self) -> list[int]:
        """Every process whose command line names this cache directory (the server, its spare)."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as handle:
                        if self.cache.encode() in handle.read():
                            found.append(int(entry))
                except OSError:
                    pass
        return found

    def stop(self) -> None:
        self.run("daemon", "stop")
        deadline = time.monotonic() + 20
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.05)

    def wait_for_server(self, timeout: float = 60) -> dict | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            answer = self.status()
            if answer is not None:
                return answer
            time.sleep(0.1)
        return None


@pytest.fixture(scope="module")
def warm():
    server = Warm()
    server.start()
    yield server
    server.stop()
    assert not server.processes(), "the server (or a child of it) is still running after `daemon stop`"


def _same(warm: Warm, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run fresh, then warm; assert the same bytes and exit code, and that the server ran it."""
    fresh = warm.run(*args, warm=False, **kwargs)
    before = warm.served()
    served = warm.run(*args, **kwargs)
    assert warm.served() == before + 1, "the warm server did not run the command"
    assert (served.returncode, served.stdout, served.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    return served


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "junit"])
def test_every_format_is_byte_for_byte_the_fresh_output(warm, fmt):
    result = _same(warm, "check", "--no-cache", "--format", fmt, str(SAGENE), str(CLEAN))
    assert result.returncode == 1 and result.stdout  # Sagene has real errors


def test_worker_processes(warm):
    _same(warm, "check", "--no-cache", "--jobs", "2", str(SAGENE), str(CLEAN), str(EXAMPLES / "bjerke-budsjett-2026.md"))


def test_clean_example_and_exit_code_zero(warm):
    assert _same(warm, "check", "--no-cache", str(CLEAN)).returncode == 0


@pytest.mark.parametrize("extra", [{"RAPPORTLINT_LANG": "en"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, {"COLUMNS": "40"}])
def test_the_clients_environment_is_the_childs(warm, extra):
    result = _same(warm, "check", "--no-cache", "--color", str(SAGENE), env=extra)
    if extra.get("RAPPORTLINT_LANG") == "en":
        assert b"error" in result.stdout


def test_a_terminal_stays_a_terminal(warm):
    """Colours are on when standard output is a terminal: the child writes to the client's own
    terminal (the descriptor itself), so it sees one too."""
    import pty

    outputs = []
    for is_warm in (False, True):
        leader, follower = pty.openpty()
        try:
            before = warm.served()
            done = warm.run("check", "--no-cache", str(SAGENE), warm=is_warm, stdout=follower, stderr=subprocess.PIPE,
                            capture_output=False)
            os.close(follower)
            chunks = []
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            outputs.append((done.returncode, b"".join(chunks)))
            if is_warm:
                assert warm.served() == before + 1
        finally:
            os.close(leader)
    assert outputs[0] == outputs[1]
    assert b"\x1b[" in outputs[1][1]  # coloured: it was a terminal


def test_configuration_is_found_from_the_clients_folder(warm, tmp_path):
    (tmp_path / ".rapportlint.toml").write_text('lang = "en"\nignore = ["M105"]\n', encoding="utf-8")
    (tmp_path / "r.md").write_bytes(SAGENE.read_bytes())
    result = _same(warm, "check", "--no-cache", "r.md", cwd=tmp_path)
    assert b"r.md:" in result.stdout and b"M105" not in result.stdout and b"error" in result.stdout
    assert _same(warm, "config", cwd=tmp_path).returncode == 0


def test_standard_input(warm):
    data = SAGENE.read_bytes()
    result = _same(warm, "check", "--no-cache", "--stdin-filename", "fra-stdin.md", "-", input=data)
    assert b"fra-stdin.md:" in result.stdout


def test_a_file_changed_between_runs_is_checked_as_it_is_now(warm, tmp_path):
    """With the results cache on, as a pre-commit hook runs: the server checks the changed file
    (and records it), and the entry it recorded answers the next unchanged run."""
    report = tmp_path / "r.md"
    (tmp_path / ".rapportlint.toml").write_bytes((EXAMPLES / ".rapportlint.toml").read_bytes())
    text = CLEAN.read_text(encoding="utf-8")
    for version in (text, text.replace("bydel: Eksempel", "bydel: Eksempell", 1)):
        report.write_text(version, encoding="utf-8")
        before = warm.served()
        served = warm.run("check", str(report))
        assert warm.served() == before + 1
        fresh = warm.run("check", "--no-cache", str(report), warm=False)
        assert (served.returncode, served.stdout, served.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
        replayed = warm.run("check", str(report))
        assert warm.served() == before + 1  # answered by the results cache the child wrote
        assert (replayed.returncode, replayed.stdout, replayed.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    assert b"M105" in served.stdout and served.returncode == 0  # a warning: exit 0


def test_files_written_by_the_child_are_the_fresh_ones(warm, tmp_path):
    """--fix, --diff and -o write (or show) in the client's folder with its umask, as a fresh run."""
    _same(warm, "check", "--no-cache", "--diff", str(SAGENE))
    written = {}
    for is_warm in (False, True):
        folder = tmp_path / ("warm" if is_warm else "fresh")
        folder.mkdir()
        (folder / "r.md").write_bytes(SAGENE.read_bytes())
        before = warm.served()
        result = warm.run("check", "--no-cache", "--fix", "r.md", warm=is_warm, cwd=folder)
        output = warm.run("check", "--no-cache", "--format", "json", "-o", "ut.json", "r.md", warm=is_warm, cwd=folder)
        if is_warm:
            assert warm.served() == before + 2
        written[is_warm] = (result.returncode, result.stdout, result.stderr, output.stderr, (folder / "r.md").read_bytes(),
                            (folder / "ut.json").read_bytes(), oct((folder / "ut.json").stat().st_mode))
    assert written[True] == written[False]
    assert written[True][4] != SAGENE.read_bytes()  # something was fixed


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_standard_output_and_error_interleave_as_fresh(warm, tmp_path, unbuffered):
    """2>&1: the files passed by (standard error) and the findings (standard output) come in the
    same order, with Python's buffers as they are (block-buffered, or python -u)."""
    (tmp_path / "README.md").write_text("# readme\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "r.md").write_bytes(SAGENE.read_bytes())
    both = []
    for is_warm in (False, True):
        before = warm.served()
        result = warm.run("check", "--no-cache", "README.md", "notes.txt", "r.md", "--reports-only", warm=is_warm,
                          cwd=tmp_path, env={"PYTHONUNBUFFERED": unbuffered}, capture_output=False,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if is_warm:
            assert warm.served() == before + 1
        both.append((result.returncode, result.stdout))
    assert both[0] == both[1]
    assert b"README.md" in both[1][1] and b"r.md:" in both[1][1]


def test_read_only_commands(warm):
    _same(warm, "--lang", "en", "rules")
    _same(warm, "--lang=en", "check", "--no-cache", str(SAGENE))
    _same(warm, "rules")
    _same(warm, "rule", "A201")


def test_interrupt_reaches_the_child(warm):
    """Ctrl-C in the client stops the child as it stops a fresh process (click's «Aborted!», exit 1),
    not later when standard input ends."""
    results = []
    for is_warm in (False, True):
        env = dict(warm.env) if is_warm else dict(warm.env, RAPPORTLINT_DAEMON="0")
        before = warm.served()
        process = subprocess.Popen([str(SCRIPT), "check", "--no-cache", "-"], env=env, cwd=ROOT, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # wait until the check is reading standard input
            if _reads_stdin([process.pid, *warm.processes()]):
                break
            time.sleep(0.02)
        if is_warm:
            assert warm.served() == before + 1
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)  # standard input still open: only the signal can end it
        out, err = process.communicate(timeout=30)
        results.append((process.returncode, out, err))
    assert results[0] == results[1], results
    assert results[1][0] == 1 and b"Aborted!" in results[1][2]


def _reads_stdin(pids) -> bool:
    """One of these processes is blocked in read(0, ...) (x86-64: 0, arm64: 63)."""
    for pid in pids:
        try:
            with open(f"/proc/{pid}/syscall", encoding="ascii") as handle:
                fields = handle.read().split()
        except OSError:
            continue
        if len(fields) > 1 and fields[0] in ("0", "63") and fields[1] == "0x0":
            return True
    return False


def test_a_stale_server_is_not_used_and_exits(tmp_path):
    """A package installed (a directory on sys.path changed) after the server started: the client
    checks in its own process, the output is the same, and the server goes away."""
    plugins = tmp_path / "site"
    plugins.mkdir()
    stale = Warm(PYTHONPATH=str(plugins))
    try:
        stale.start()
        served = stale.served()
        (plugins / "new_package.py").write_text("", encoding="utf-8")
        fresh = stale.run("check", "--no-cache", str(SAGENE), warm=False)
        result = stale.run("check", "--no-cache", str(SAGENE))
        assert (result.returncode, result.stdout, result.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
        deadline = time.monotonic() + 20
        while stale.status() is not None and stale.status()["pid"] and time.monotonic() < deadline:
            if stale.status()["served"] != served:
                pytest.fail("the stale server ran the check")
            time.sleep(0.1)
    finally:
        stale.stop()
    assert not stale.processes()


def test_a_dead_socket_file_is_passed_by(tmp_path):
    import socket

    dead = Warm()
    try:
        # a server that died without cleaning up: a socket file nobody listens on
        dead.start()
        status = dead.status()
        path = status["socket"]
        dead.stop()
        os.makedirs(dead.directory, mode=0o700, exist_ok=True)
        left = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        left.bind(path)
        left.close()
        assert os.path.exists(path)
        fresh = dead.run("check", "--no-cache", str(SAGENE), warm=False, env={"CI": "1"})
        result = dead.run("check", "--no-cache", str(SAGENE), env={"CI": "1"})
        assert (result.returncode, result.stdout, result.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
        dead.start()  # a new server takes the place of the dead file
        assert dead.status()["socket"] == path
    finally:
        dead.stop()
    assert not dead.processes()


def test_a_folder_others_may_enter_is_not_used():
    loose = Warm()
    try:
        loose.start()
        os.chmod(loose.directory, 0o755)
        before = loose.served()
        result = loose.run("check", "--no-cache", str(CLEAN), env={"CI": "1"})
        assert result.returncode == 0
        assert loose.served() == before  # not used: anyone could have put a socket there
    finally:
        os.chmod(loose.directory, 0o700)
        loose.stop()


def test_check_starts_one_unless_opted_out(tmp_path):
    """After a cold check a server is started in the background, and the next check uses it;
    CI, RAPPORTLINT_DAEMON=0 and `daemon = false` in the configuration start none."""
    (tmp_path / ".rapportlint.toml").write_text("daemon = false\n", encoding="utf-8")
    (tmp_path / "r.md").write_bytes(CLEAN.read_bytes())
    auto = Warm()
    try:
        for env, cwd in (({"CI": "true"}, ROOT), ({"RAPPORTLINT_DAEMON": "0"}, ROOT), ({}, tmp_path)):
            assert auto.run("check", "--no-cache", str(CLEAN), env=env, cwd=cwd).returncode == 0
            assert not auto.processes(), f"a server was started with {env or 'daemon = false'}"
        assert auto.run("check", "--no-cache", str(CLEAN)).returncode == 0
        assert auto.wait_for_server() is not None
        before = auto.served()
        assert auto.run("check", "--no-cache", str(CLEAN)).returncode == 0
        assert auto.served() == before + 1
        status = auto.run("daemon", "status", env={"RAPPORTLINT_LANG": "en"})
        assert status.returncode == 0 and b"running (pid" in status.stdout
    finally:
        auto.stop()
    assert not auto.processes()
    assert auto.run("daemon", "status").returncode == 1


def test_it_exits_when_idle():
    idle = Warm()
    env = dict(idle.env)
    try:
        pid = daemon.start_in_background(idle.directory, env, idle_minutes=0.05, wait=60)
        assert pid is not None and idle.status() is not None
        deadline = time.monotonic() + 30
        while idle.processes() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not idle.processes(), "still running 30 s after a 3 s idle timeout"
        assert idle.status() is None and not any(name.endswith(".sock") for name in os.listdir(idle.directory))
        with open(daemon.paths(idle.directory, daemon.identity(env))["log"], encoding="utf-8") as log:
            assert "stopped (idle" in log.read()
    finally:
        idle.stop()
