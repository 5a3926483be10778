"""The warm background process (as Gradle's daemon, dmypy or a zygote): `rapportlint check` of a
changed report without paying for Python's imports and the first check's caches again.

The server has imported everything and checked a bundled example once, so every lazy import,
compiled pattern and first-use cache is paid. For each request it forks a child that takes the
client's standard input, output and error (the file descriptors themselves, passed over the Unix
socket: terminals, colours and pipes behave as in a fresh process), its working directory (a
descriptor too), umask, environment and arguments, and runs the normal command line; the client
exits with the child's exit code (or dies of the child's signal). Ctrl-C in the client is sent on
to the child's process group, as a terminal sends it to a fresh process and its workers.

Never stale, never lost, never different:
- the server is found by an identity of this user and this exact installation (interpreter,
  its flags, ``sys.path``, rapportlint's version, the locale variables), in the cache directory's
  ``daemon/`` folder (mode 0700, the peer's uid checked with SO_PEERCRED on both ends);
- each request carries the code stamp of linter/results_cache.py (sizes and mtimes of
  rapportlint's files and of the directories on ``sys.path``): a server started from other code
  refuses, and exits;
- anything odd before the child starts (no server, a dead socket file, a refusal, a timeout)
  means the client runs the command itself, as if there were no server: nothing has been
  written yet.

The client half of this module imports only builtins (``_socket``, ``_signal``, ``marshal``):
it runs before click on every `check`. The server half imports what it needs when it starts.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds, and this runs before every check
    from typing import Any

PROTOCOL = 2
# The commands a warm server runs: the check (every option, also --fix, -o and standard input)
# and the cheap read-only ones. `daemon` and the language server `server` never go through it.
ROUTED = frozenset({"check", "rules", "rule", "config"})
IDLE_MINUTES = 15
SPAWN_BACKOFF_SECONDS = 60  # after a start that did not take, check runs cold this long before trying again
_LOCALE_NAMES = ("LANG", "LC_ALL", "LC_CTYPE", "PYTHONHASHSEED", "PYTHONUTF8", "PYTHONIOENCODING")
_OFF = ("0", "off", "false", "no")


# ---------------------------------------------------------------------------- shared: where, who


def supported() -> bool:
    """Unix sockets that can pass descriptors and name the peer's uid (SO_PEERCRED): Linux, not
    macOS or Windows."""
    if os.name != "posix":
        return False
    import _socket

    return hasattr(_socket, "SO_PEERCRED") and hasattr(_socket, "AF_UNIX")


def enabled(environ=os.environ) -> bool:
    """False when RAPPORTLINT_DAEMON=0 (off, false, no), or where it cannot run: no server is
    used or started."""
    return environ.get("RAPPORTLINT_DAEMON", "").strip().lower() not in _OFF and supported()


def in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() not in ("",) + _OFF


def directory_for(argv: list[str], environ=os.environ) -> str | None:
    """``<cache directory>/daemon``: --cache-dir, else RAPPORTLINT_CACHE_DIR (empty: no server),
    else ~/.cache/rapportlint (the cache-dir of a configuration file is not looked at here)."""
    from linter import results_cache

    chosen = results_cache._option_value(argv, "--cache-dir") if command_of(argv) == "check" else None
    base = os.path.abspath(chosen) if chosen else results_cache.default_dir(environ)
    return os.path.join(base, "daemon") if base else None


def command_of(argv: list[str]) -> str | None:
    """The command, after the group's one option (`rapportlint --lang en check ...`)."""
    index = 0
    while index < len(argv) and argv[index].startswith("--lang"):
        index += 1 if "=" in argv[index] else 2
    return argv[index] if index < len(argv) else None


def identity(environ=os.environ) -> str:
    """This user and this exact installation: a server for another interpreter, other flags,
    another ``sys.path`` or version is another server."""
    from linter import __version__, results_cache

    parts = [str(PROTOCOL), __version__, str(os.getuid()), sys.executable, sys.version, "\0".join(sys.path),
             repr(tuple(sys.flags)), repr(sorted(getattr(sys, "_xoptions", {}).items())), repr(sys.warnoptions),
             *(f"{name}={environ.get(name, '')}" for name in _LOCALE_NAMES)]
    return results_cache._digest("\n".join(parts).encode("utf-8", "surrogateescape")).hex()[:24]


def _absolute_path() -> bool:
    """Every entry of sys.path is absolute (`python -c` adds "", which means another folder in the
    server than in the client): otherwise no server is used or started."""
    return all(os.path.isabs(entry) for entry in sys.path)


def _private_directory(directory: str) -> bool:
    """The folder exists, is a real directory of ours and nobody else may enter it."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    return (info.st_mode & 0o170000) == 0o040000 and info.st_uid == os.getuid() and not info.st_mode & 0o077


_SOCKET_PATH_MAX = 107  # sun_path is 108 bytes on Linux, with the terminating NUL


def fits(directory: str) -> bool:
    """A socket path in this folder fits in sockaddr_un (a very long cache directory: no server)."""
    return len(os.fsencode(paths(directory, "0" * 24)["socket"])) <= _SOCKET_PATH_MAX


def paths(directory: str, key: str) -> dict[str, str]:
    base = os.path.join(directory, key)
    return {"socket": base + ".sock", "lock": base + ".lock", "log": base + ".log", "spawned": base + ".spawned"}


# ---------------------------------------------------------------------------- the client (builtins only)


def _connect(path: str):
    """A connected socket to a server of this user, or None."""
    import _socket

    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(10)
        sock.connect(path)
        cred = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
        if int.from_bytes(cred[4:8], sys.byteorder) != os.getuid():
            raise OSError("another user's socket")
    except (OSError, ValueError, AttributeError):  # AttributeError: no SO_PEERCRED on this system
        sock.close()
        return None
    return sock


def _recv_exactly(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _message(payload: bytes) -> bytes:
    return len(payload).to_bytes(4, "little") + payload


def _stream_params(stream):
    """How the interpreter set up this standard stream, so the child makes the same one."""
    import _io

    if not isinstance(stream, _io.TextIOWrapper):
        return None
    # python -u (PYTHONUNBUFFERED): the text layer writes straight to the file, no buffer between
    buffered = isinstance(stream.buffer, (_io.BufferedWriter, _io.BufferedReader))
    return (stream.encoding, stream.errors, stream.line_buffering, stream.write_through, buffered)


def run(argv: list[str], environ=os.environ) -> int | None:
    """Run ``rapportlint argv`` in the warm server: the exit code, or None when there is no server
    to use (then nothing has been written and the caller runs the command itself)."""
    if command_of(argv) not in ROUTED or not enabled(environ) or not _absolute_path():
        return None
    directory = directory_for(argv, environ)
    if not directory or not _private_directory(directory):
        return None
    key = identity(environ)
    sock = _connect(paths(directory, key)["socket"])
    if sock is None:
        return None
    try:
        return _run_on(sock, key, environ)
    finally:
        sock.close()


def _run_on(sock, key: str, environ) -> int | None:
    import _socket

    from linter import results_cache

    streams = [_stream_params(stream) for stream in (sys.stdin, sys.stdout, sys.stderr)]
    if None in streams:
        return None  # a stream that is closed or replaced: run here, exactly as always
    try:
        here = os.open(".", getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY)
    except OSError:
        return None
    umask = os.umask(0o022)
    os.umask(umask)
    request = marshal.dumps(("run", PROTOCOL, key, results_cache.code_stamp(), list(sys.argv), list(environ.items()),
                             os.getcwd(), umask, streams))
    fds = (0, 1, 2, here)
    try:
        data = _message(request)
        sent = sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS,
                                      b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in fds))])
        if sent < len(data):
            sock.sendall(data[sent:])
        answer = _recv_exactly(sock, 1)
        if answer != b"A":
            return None  # refused (stale code, another installation, busy): run here
        sock.sendall(b"G")  # from here on the child may write: the answer must come from it
    except (OSError, EOFError, ValueError):
        return None
    finally:
        os.close(here)
    sock.settimeout(None)
    return _wait(sock)


def _wait(sock) -> int | None:
    """Forward Ctrl-C (and TERM, HUP) to the child until its exit status arrives; None when the
    server could not start the child (it says so before anything is written)."""
    import _signal

    def forward(signum, frame):
        try:
            sock.send(b"S" + bytes([signum]))
        except OSError:
            pass

    for signum in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGHUP):
        _signal.signal(signum, forward)
    try:
        kind = _recv_exactly(sock, 1)
        if kind == b"R":
            _signal.signal(_signal.SIGINT, _signal.default_int_handler)
            for signum in (_signal.SIGTERM, _signal.SIGHUP):
                _signal.signal(signum, _signal.SIG_DFL)
            return None
        value = int.from_bytes(_recv_exactly(sock, 4), "little", signed=True)
    except (OSError, EOFError):
        en = os.environ.get("RAPPORTLINT_LANG") == "en"
        os.write(2, ("rapportlint: the background process stopped before the check finished; run again "
                     "(RAPPORTLINT_DAEMON=0 runs without it)\n" if en else
                     "rapportlint: bakgrunnsprosessen stoppet før kontrollen var ferdig; kjør på nytt "
                     "(RAPPORTLINT_DAEMON=0 kjører uten den)\n").encode())
        return 2
    if kind == b"K":  # the child died of a signal: so do we, as a fresh process would have
        _signal.signal(value, _signal.SIG_DFL)
        os.kill(os.getpid(), value)
        return 128 + value
    return value


def request(directory: str, key: str, kind: str, timeout: float = 5.0):
    """A control request ("status", "stop") to the server at ``key``; its answer, or None."""
    path = paths(directory, key)["socket"]
    sock = _connect(path)
    if sock is None:
        return None
    try:
        sock.settimeout(timeout)
        sock.sendall(_message(marshal.dumps((kind, PROTOCOL))))
        size = int.from_bytes(_recv_exactly(sock, 4), "little")
        return marshal.loads(_recv_exactly(sock, size))
    except (OSError, EOFError, ValueError):
        return None
    finally:
        sock.close()


# ---------------------------------------------------------------------------- starting one


def may_start(argv: list[str], environ) -> bool:
    """The automatic start after a cold `check`: POSIX, not opted out (RAPPORTLINT_DAEMON=0 or
    `daemon = false` in the configuration), not in CI, the installed command (not python -m)."""
    if command_of(argv) != "check" or not enabled(environ) or in_ci(environ) or not _absolute_path():
        return False
    if os.path.basename(sys.argv[0]) == "__main__.py":
        return False  # python -m linter: sys.path starts with the working directory, one server per folder
    try:
        from linter import config

        forced = _argument(argv, "--config")
        chosen = config.config_for(None, None if forced is None else __import__("pathlib").Path(forced),
                                   "--isolated" in argv)
    except Exception:  # a broken configuration was reported by the check; start nothing
        return False
    return chosen.daemon is not False


def _argument(argv: list[str], name: str) -> str | None:
    from linter import results_cache

    return results_cache._option_value(argv, name)


def start_in_background(directory: str, environ, idle_minutes: float = IDLE_MINUTES, wait: float = 0.0) -> int | None:
    """Start a server for this installation unless one is starting or was started moments ago;
    with ``wait``, wait that many seconds for it to answer. Its pid, or None."""
    import subprocess
    import time

    if not _absolute_path() or not fits(directory):
        return None
    os.makedirs(directory, mode=0o700, exist_ok=True)
    if not _private_directory(directory):
        return None
    key = identity(environ)
    where = paths(directory, key)
    try:
        if not wait and time.time() - os.stat(where["spawned"]).st_mtime < SPAWN_BACKOFF_SECONDS:
            return None
    except OSError:
        pass
    with open(where["spawned"], "w"):
        pass
    script = ("import sys, marshal; sys.path[:] = marshal.loads(bytes.fromhex(sys.argv[1])); "
              "from linter.daemon import serve_main; serve_main()")
    process = subprocess.Popen(
        [sys.executable, *subprocess._args_from_interpreter_flags(), "-c", script,  # type: ignore[attr-defined]
         marshal.dumps(list(sys.path)).hex(), directory, key, str(idle_minutes)],
        env=dict(environ), cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True, close_fds=True)
    if not wait:
        return process.pid
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        answer = request(directory, key, "status", timeout=1)
        if answer is not None:
            return answer["pid"]
        if process.poll() is not None:
            return None
        time.sleep(0.05)
    return None


# ---------------------------------------------------------------------------- the server


class _Server:
    def __init__(self, directory: str, key: str, idle_seconds: float):
        self.directory, self.key, self.idle_seconds = directory, key, idle_seconds
        self.where = paths(directory, key)
        self.children: dict[int, tuple] = {}  # pid -> (connection, pgid)
        self.connections: dict[int, int] = {}  # connection fd -> child pid
        self.served = 0
        self.children_cpu = 0.0
        self.children_faults = 0
        self.started = 0.0
        self.stamp = b""
        self.stopping = ""
        self.spare: tuple | None = None  # (pid, socket, [ready])
        self.spare_failures = 0
        self.listener: Any = None
        self.socket_inode: int | None = None

    def log(self, text: str) -> None:
        import time

        try:
            with open(self.where["log"], "a", encoding="utf-8") as handle:
                handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} pid {os.getpid()}: {text}\n")
        except OSError:
            pass

    # -- start

    def start(self, folder: str) -> bool:
        import fcntl
        import time

        from linter import results_cache

        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        if not _private_directory(self.directory):
            return False
        self.lock = os.open(self.where["lock"], os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + 10  # a stale server for this installation may still be finishing
        while True:
            try:
                fcntl.flock(self.lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(0.05)
        if request(self.directory, self.key, "status", timeout=1) is not None:
            return False  # one is running already
        if identity() != self.key:
            self.log("refused: the interpreter was not started as its client (flags or sys.path differ)")
            return False
        # The stamp before any import: a file changed after it makes the stamp differ, never the reverse.
        self.stamp = results_cache.code_stamp(fresh=True)
        self.log("warming up")
        _warm_up(folder)
        self.started = time.time()
        return True

    def listen(self) -> None:
        import socket

        temporary = f"{self.where['socket']}.{os.getpid()}.tmp"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            os.unlink(temporary)
        except OSError:
            pass
        listener.bind(temporary)
        os.chmod(temporary, 0o600)
        listener.listen(64)
        os.rename(temporary, self.where["socket"])  # visible only now, warm; replaces a dead socket file
        self.socket_inode = os.stat(self.where["socket"]).st_ino
        self.listener = listener
        self.log(f"listening on {self.where['socket']} (idle timeout {self.idle_seconds / 60:g} min)")

    def release_socket(self) -> None:
        try:
            if os.stat(self.where["socket"]).st_ino == self.socket_inode:
                os.unlink(self.where["socket"])
        except OSError:
            pass

    # -- the loop

    def loop(self) -> None:
        import selectors
        import signal
        import time

        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_read, False)
        os.set_blocking(wake_write, False)
        self.wake_fds = (wake_read, wake_write)
        signal.set_wakeup_fd(wake_write, warn_on_full_buffer=False)

        def stop(signum, frame):
            self.stopping = self.stopping or f"signal {signum}"

        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, "listen")
        self.selector.register(wake_read, selectors.EVENT_READ, "wake")
        last_activity = time.monotonic()
        last_look = time.monotonic()
        while True:
            if self.stopping and self.listener is not None:
                self.selector.unregister(self.listener)
                self.listener.close()
                self.listener = None
                self.release_socket()
            if self.stopping:
                self._drop_spare()
            if self.stopping and not self.children:
                break
            if not self.children and self.spare is None and not self.stopping:
                self._make_spare()  # when nothing runs: never competing with a check for the CPU
            now = time.monotonic()
            if not self.children and now - last_activity > self.idle_seconds:
                self.stopping = "idle"
                continue
            if now - last_look > 30:  # the code changed, the socket file was removed: go
                last_look = now
                self._look_around()
                continue
            timeout = min(30.0, max(0.1, self.idle_seconds - (now - last_activity)))
            for selected, _ in self.selector.select(timeout):
                if selected.data == "listen":
                    last_activity = time.monotonic()
                    self._accept()
                elif selected.data == "spare":
                    self._spare_ready(selected.fileobj)
                elif selected.data == "wake":
                    try:
                        while os.read(wake_read, 512):
                            pass
                    except OSError:
                        pass
                    self._reap()
                    last_activity = time.monotonic()
                else:
                    self._from_client(selected.fileobj)
        self.log(f"stopped ({self.stopping}; served {self.served})")

    def _look_around(self) -> None:
        from linter import results_cache

        if results_cache.code_stamp(fresh=True) != self.stamp:
            self.stopping = "rapportlint's code or installed packages changed"
            return
        try:
            if os.stat(self.where["socket"]).st_ino != self.socket_inode:
                self.stopping = "the socket file was replaced"
        except OSError:
            self.stopping = "the socket file was removed"

    def _accept(self) -> None:
        import socket

        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        try:
            connection.settimeout(5)
            cred = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
            if int.from_bytes(cred[4:8], sys.byteorder) != os.getuid():
                raise OSError("another user")
            self._handle(connection)
        except (OSError, EOFError, ValueError, TypeError):
            connection.close()

    def _handle(self, connection) -> None:
        import socket

        head, fds, _, _ = socket.recv_fds(connection, 4, 8)
        try:
            if len(head) < 4:
                head += _recv_exactly(connection, 4 - len(head))
            payload = _recv_exactly(connection, int.from_bytes(head, "little"))
            message = marshal.loads(payload)
            kind = message[0]
            if kind in ("status", "stop"):
                if kind == "stop":
                    self.stopping = "stop requested"
                answer = {"pid": os.getpid(), "key": self.key, "started": self.started, "served": self.served,
                          "running": len(self.children), "idle_seconds": self.idle_seconds,
                          "children_cpu": self.children_cpu, "children_faults": self.children_faults,
                          "rss_kb": _rss_kb(), "own_cpu": sum(os.times()[:2]),
                          "stale": self._stale(), "socket": self.where["socket"]}
                connection.sendall(_message(marshal.dumps(answer)))
                connection.close()
                return
            _, protocol, key, stamp, argv, environ, cwd, umask, streams = message
            if kind != "run" or protocol != PROTOCOL or key != self.key or len(fds) != 4 or self.stopping:
                connection.sendall(b"R")
                connection.close()
                return
            if stamp != self.stamp:
                connection.sendall(b"R")
                connection.close()
                if self._stale():
                    self.stopping = "a client has other code (rapportlint or a package was changed)"
                return
            connection.sendall(b"A")
            if _recv_exactly(connection, 1) != b"G":
                connection.close()
                return
            connection.settimeout(None)
            try:
                self._fork(connection, fds, (argv, dict(environ), umask, streams, stamp))
            except OSError as exc:  # no fork (out of processes or memory): the client runs it itself
                self.log(f"cannot fork: {exc}")
                connection.sendall(b"R")
                connection.close()
        finally:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass

    def _stale(self) -> bool:
        from linter import results_cache

        return results_cache.code_stamp(fresh=True) != self.stamp

    def _fork(self, connection, fds, job) -> None:
        import selectors

        pid = self._hand_to_spare(connection, fds, job)
        if pid is None:
            pid = self._fork_in_own_group(lambda: _child(connection, fds, *job), failure_code=70)
        self.served += 1
        self.children[pid] = (connection, pid)
        self.connections[connection.fileno()] = pid
        self.selector.register(connection, selectors.EVENT_READ, "client")

    # -- the spare: a child forked ahead of time that has checked the example once in its own
    # memory, so the copy-on-write faults of a fresh fork (about a third of a warm check) are paid
    # before the request comes, not while the client waits.

    def _make_spare(self) -> None:
        import selectors
        import socket

        if self.spare is not None or self.stopping or self.spare_failures >= 3:
            return  # a spare that keeps dying is not made again: requests fork as they come
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)

        def run_spare() -> int:
            ours.close()
            return _spare(theirs)

        pid = self._fork_in_own_group(run_spare, failure_code=0)
        theirs.close()
        self.spare = (pid, ours, [False])
        self.selector.register(ours, selectors.EVENT_READ, "spare")

    def _spare_ready(self, sock) -> None:
        try:
            data = sock.recv(1)
        except OSError:
            data = b""
        if self.spare is None or self.spare[1] is not sock:
            return
        if data == b"R":
            self.spare[2][0] = True
            return
        self._drop_spare()

    def _drop_spare(self) -> None:
        if self.spare is not None:
            _, sock, _ = self.spare
            self.selector.unregister(sock)
            sock.close()  # the spare reads the end of it and exits
            self.spare = None

    def _hand_to_spare(self, connection, fds, job) -> int | None:
        import socket

        if self.spare is None or not self.spare[2][0]:
            return None
        pid, sock, _ = self.spare
        self.selector.unregister(sock)
        self.spare = None
        try:
            socket.send_fds(sock, [_message(marshal.dumps(job))], [*fds, connection.fileno()])
        except OSError:
            sock.close()
            return None
        sock.close()
        return pid

    def _fork_in_own_group(self, run, failure_code: int) -> int:
        """Fork a child in a process group of its own (so a client's Ctrl-C reaches it and its
        workers) that drops the server's sockets and signal handlers, runs ``run`` and exits with
        its code (``failure_code`` when it raises); the child's pid, in the server."""
        pid = os.fork()
        if pid == 0:
            code = failure_code
            try:
                os.setpgid(0, 0)
                self._forget_in_child()
                code = run()
            except BaseException:
                _log_failure()
            finally:
                os._exit(code)
        try:
            os.setpgid(pid, pid)
        except OSError:
            pass  # the child did it first, or has already finished
        return pid

    def _forget_in_child(self) -> None:
        import signal

        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.selector.close()
        if self.listener is not None:
            self.listener.close()
        for connection, _ in self.children.values():
            connection.close()
        if self.spare is not None:
            self.spare[1].close()
        for fd in (*self.wake_fds, self.lock):
            os.close(fd)

    def _from_client(self, connection) -> None:
        import signal

        pid = self.connections.get(connection.fileno())
        try:
            data = connection.recv(64)
        except OSError:
            data = b""
        if pid is None:
            return
        if not data:  # the client is gone (killed): stop what it started, as its death would have
            self.selector.unregister(connection)
            self.connections.pop(connection.fileno(), None)
            try:
                os.killpg(pid, signal.SIGTERM)
            except OSError:
                pass
            return
        for index in range(0, len(data) - 1, 2):
            if data[index:index + 1] == b"S":
                try:
                    os.killpg(pid, data[index + 1])
                except OSError:
                    pass

    def _reap(self) -> None:
        while True:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.children_cpu += usage.ru_utime + usage.ru_stime
            self.children_faults += usage.ru_minflt
            entry = self.children.pop(pid, None)
            if entry is None:
                if self.spare is not None and self.spare[0] == pid:
                    self.spare_failures += 1
                    self.log(f"a spare child ended unused (status {status})")
                    self._drop_spare()
                continue
            connection = entry[0]
            if os.WIFSIGNALED(status):
                message = b"K" + os.WTERMSIG(status).to_bytes(4, "little", signed=True)
            else:
                message = b"X" + os.waitstatus_to_exitcode(status).to_bytes(4, "little", signed=True)
            try:
                connection.sendall(message)  # the child has sent it already unless it died
            except OSError:
                pass
            if self.connections.pop(connection.fileno(), None) is not None:
                self.selector.unregister(connection)
            connection.close()


def _log_failure() -> None:
    """A child that failed before or after the command (never the command's own errors): the
    traceback goes to the server's log (its standard error), not to the client."""
    import traceback

    try:
        os.write(_LOG_FD[0], traceback.format_exc().encode("utf-8", "replace"))
    except (OSError, IndexError):
        pass


_LOG_FD: list[int] = []


def _spare(sock) -> int:
    """The spare's life: check the example once (its own copy of the pages), say it is ready,
    wait for a job (the client's descriptors and the connection) and run it."""
    import socket

    _touch()
    try:
        sock.sendall(b"R")
        head, fds, _, _ = socket.recv_fds(sock, 4, 5)
    except OSError:
        return 0
    if len(fds) != 5:
        return 0  # the server stopped, or dropped this spare
    try:
        if len(head) < 4:
            head += _recv_exactly(sock, 4 - len(head))
        job = marshal.loads(_recv_exactly(sock, int.from_bytes(head, "little")))
    except (OSError, EOFError, ValueError):
        return 0
    sock.close()
    connection = socket.socket(fileno=fds[4])
    return _child(connection, fds[:4], *job)


def _rss_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))
    except (OSError, StopIteration, ValueError):
        return 0


_EXAMPLE: list[str] = []  # the warm-up's copy of the example and the spares' part of it


def _warm_up(folder: str) -> None:
    """Import everything and check the bundled clean example (text and JSON), so the children
    inherit every module, compiled pattern, grammar table and first-use cache."""
    import gc
    from pathlib import Path

    from linter import cli
    from linter.reporting import formatter_module

    for name in cli.FORMAT_NAMES:
        formatter_module(name)
    example = Path(__file__).resolve().parent.parent / "examples" / "ren-arsberetning-2024.md"
    target = Path(folder) / "ren-arsberetning-2024.md"
    if example.is_file():
        target.write_bytes(example.read_bytes())
    else:  # an installed wheel has no examples: a skeleton from the bundled pack
        from linter import scaffold
        from linter.packs import load_pack

        target.write_text(scaffold.skeleton(load_pack("årsberetning-2024"), "Sagene"), encoding="utf-8")
    # The spares check the first sixth of it: that touches (copies) most of the pages a check
    # writes to, for about half the CPU of the whole (measured: 46 ms of CPU per request against
    # 57, 26 ms latency against 23).
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    cut = len(lines) // 6
    while cut < len(lines) and lines[cut].strip():
        cut += 1
    part = Path(folder) / "del-av-eksempelet.md"
    part.write_text("".join(lines[:cut]), encoding="utf-8")
    _EXAMPLE[:] = [str(target), str(part)]
    _touch(["--format", "json"], _EXAMPLE[0])
    _touch((), _EXAMPLE[0])
    gc.collect()
    gc.freeze()  # the children never scan (or copy) what the server made


def _touch(extra: tuple | list = (), path: str | None = None) -> None:
    """Check the example (by default the spares' part of it), the output thrown away."""
    from linter import cli, config

    saved = sys.stdout, sys.stderr
    with open(os.devnull, "w", encoding="utf-8") as nowhere:
        sys.stdout = sys.stderr = nowhere
        try:
            cli.cli.main(["check", "--no-cache", *extra, path or _EXAMPLE[-1]], prog_name="rapportlint",
                         standalone_mode=True)
        except SystemExit:
            pass
        except Exception as exc:  # noqa: BLE001 - a warm-up that fails leaves a colder server, no more
            print(f"warm-up: {type(exc).__name__}: {exc}", file=saved[1])
        finally:
            sys.stdout, sys.stderr = saved
    config.forget_cached()  # what the check found on its way up from a temporary folder


def serve_main() -> None:
    """`python -c ...` started by start_in_background: argv is sys.path, directory, key, idle minutes."""
    directory, key, idle = sys.argv[2], sys.argv[3], float(sys.argv[4])
    server = _Server(directory, key, idle * 60)
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        log = os.open(server.where["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 2)  # a crash of the server itself is written here
        _LOG_FD[:] = [log]  # kept open: a child's fd 2 is the client's
    except OSError:
        pass
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="rapportlint-daemon-")
    try:
        if not server.start(folder):
            return
        server.listen()
        server.loop()
    finally:
        server.release_socket()
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------- the child


def _child(connection, fds, argv, environ, umask, streams, stamp) -> int:
    """Become the client's process for one command and run it; the exit code."""
    import io
    import time

    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    os.fchdir(fds[3])
    for fd in fds:
        os.close(fd)
    os.umask(umask)
    os.environ.clear()
    os.environ.update(environ)
    time.tzset()
    sys.argv = list(argv)
    made = []
    for fd, name, mode, params in ((0, "<stdin>", "rb", streams[0]), (1, "<stdout>", "wb", streams[1]),
                                   (2, "<stderr>", "wb", streams[2])):
        encoding, errors, line_buffering, write_through, buffered = params
        raw = io.FileIO(fd, mode, closefd=False)
        raw.name = name  # type: ignore[misc]
        layer: Any = raw
        if buffered:
            layer = io.BufferedReader(raw) if mode == "rb" else io.BufferedWriter(raw)
        stream = io.TextIOWrapper(layer, encoding=encoding, errors=errors, newline="\n",
                                  line_buffering=line_buffering, write_through=write_through)
        stream.mode = mode[0]  # type: ignore[misc]  # as the interpreter sets it (it shows in repr)
        made.append(stream)
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made  # type: ignore[misc]
    from linter import entry, results_cache

    results_cache.remember_stamp(stamp)
    code = entry.run_here(sys.argv[1:], replay=False)
    code = _finish(code)
    for fd in (0, 1, 2):
        os.close(fd)
    try:
        connection.sendall(b"X" + code.to_bytes(4, "little", signed=True))
    except OSError:
        pass
    return code


def _finish(code: int) -> int:
    """What the interpreter does at exit: wait for threads, run atexit, flush the streams."""
    import atexit

    threading = sys.modules.get("threading")
    if threading is not None:
        try:
            threading._shutdown()  # type: ignore[attr-defined]
        except Exception:
            pass
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError) as exc:  # as the interpreter does when it cannot flush at exit
            code = 120
            try:
                sys.stderr.write(f"Exception ignored in: {stream!r}\n{type(exc).__name__}: {exc}\n")
                sys.stderr.flush()
            except (OSError, ValueError):
                pass
    return code
