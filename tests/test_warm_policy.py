"""When the warm background process is used or started (linter/daemon.py, docs/daemon.md), in
process: the switches, CI, the configuration key, the folder's permissions, the identity."""

from __future__ import annotations

import os
import sys

import pytest

from linter import config, daemon

pytestmark = pytest.mark.skipif(not daemon.supported(), reason="the background process needs Linux (SO_PEERCRED)")


@pytest.mark.parametrize("value, expected", [("", True), ("1", True), ("on", True), ("0", False), ("off", False),
                                             ("False", False), (" no ", False)])
def test_the_environment_switch(value, expected):
    assert daemon.enabled({"RAPPORTLINT_DAEMON": value}) is expected


@pytest.mark.parametrize("value, expected", [("", False), ("true", True), ("1", True), ("0", False), ("false", False)])
def test_ci(value, expected):
    assert daemon.in_ci({"CI": value}) is expected


def test_the_folder_follows_the_cache_directory(tmp_path):
    assert daemon.directory_for(["check", "--cache-dir", str(tmp_path), "x.md"], {}) == str(tmp_path / "daemon")
    assert daemon.directory_for(["check", "x.md"], {"RAPPORTLINT_CACHE_DIR": str(tmp_path)}) == str(tmp_path / "daemon")
    assert daemon.directory_for(["check", "x.md"], {"RAPPORTLINT_CACHE_DIR": ""}) is None  # every cache off
    assert daemon.directory_for(["check"], {"XDG_CACHE_HOME": str(tmp_path)}) == str(tmp_path / "rapportlint" / "daemon")


def test_only_a_private_folder_of_ours_is_used(tmp_path):
    folder = tmp_path / "daemon"
    folder.mkdir(mode=0o700)
    os.chmod(folder, 0o700)
    assert daemon._private_directory(str(folder))
    os.chmod(folder, 0o750)
    assert not daemon._private_directory(str(folder))  # another user could put a socket there
    link = tmp_path / "link"
    link.symlink_to(folder)
    os.chmod(folder, 0o700)
    assert not daemon._private_directory(str(link))
    assert not daemon._private_directory(str(tmp_path / "absent"))


def test_identity_names_the_installation(monkeypatch):
    first = daemon.identity({})
    assert first == daemon.identity({}) and len(first) == 24
    assert daemon.identity({"LC_ALL": "C"}) != first  # the locale decides encodings at start-up
    monkeypatch.setattr(sys, "path", [*sys.path, "/elsewhere"])
    assert daemon.identity({}) != first


def test_a_relative_sys_path_means_no_server(monkeypatch):
    monkeypatch.setattr(sys, "path", ["", *sys.path])
    assert not daemon._absolute_path()
    assert daemon.run(["check", "x.md"], {"RAPPORTLINT_CACHE_DIR": "/nonexistent"}) is None


def test_only_routed_commands_go_to_a_server(tmp_path):
    env = {"RAPPORTLINT_CACHE_DIR": str(tmp_path)}
    for argv in (["server"], ["daemon", "status"], ["import", "x.txt"], []):
        assert daemon.run(argv, env) is None
    assert daemon.run(["check", "x.md"], env) is None  # no server there: the caller runs it


@pytest.fixture
def installed_script(monkeypatch):
    monkeypatch.setattr(sys, "argv", [os.path.join(os.path.dirname(sys.executable), "rapportlint"), "check"])
    config.forget_cached()
    yield
    config.forget_cached()


def test_check_may_start_one(installed_script, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert daemon.may_start(["check", "r.md"], {})
    assert not daemon.may_start(["check", "r.md"], {"CI": "true"})
    assert not daemon.may_start(["check", "r.md"], {"RAPPORTLINT_DAEMON": "0"})
    assert not daemon.may_start(["rules"], {})  # only check starts one


def test_the_configuration_key_turns_the_start_off(installed_script, tmp_path, monkeypatch):
    (tmp_path / ".rapportlint.toml").write_text("daemon = false\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert not daemon.may_start(["check", "r.md"], {})
    assert daemon.may_start(["check", "--isolated", "r.md"], {})  # --isolated reads no configuration
    assert config.config_for(None).to_dict()["daemon"] is False


def test_a_broken_configuration_starts_nothing(installed_script, tmp_path, monkeypatch):
    (tmp_path / ".rapportlint.toml").write_text("daemon = 3\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert not daemon.may_start(["check", "r.md"], {})


def test_python_dash_m_never_starts_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [os.path.join(os.path.dirname(daemon.__file__), "__main__.py"), "check"])
    assert not daemon.may_start(["check", "r.md"], {})


def test_a_socket_path_too_long_starts_nothing(tmp_path):
    deep = tmp_path / ("d" * 120)
    assert not daemon.fits(str(deep))
    assert daemon.fits("/tmp/rlw/daemon")
    assert daemon.start_in_background(str(deep), {}) is None
    assert not deep.exists()


def test_the_command_after_the_groups_option():
    assert daemon.command_of(["--lang", "en", "check", "x.md"]) == "check"
    assert daemon.command_of(["--lang=en", "rules"]) == "rules"
    assert daemon.command_of(["check"]) == "check"
    assert daemon.command_of(["--lang"]) is None and daemon.command_of([]) is None
    assert daemon.command_of(["--version"]) == "--version"  # not routed
