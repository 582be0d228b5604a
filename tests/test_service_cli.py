"""``yusuan user add`` and ``yusuan serve`` (the commands, before registration)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

pytest.importorskip("argon2")

from yusuan.cli.serve_cmd import serve_cmd, user_cmd
from yusuan.service.auth import verify_password
from yusuan.store import Store
from yusuan.store.accounts import Accounts


def test_user_add_with_password_from_stdin(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    r = CliRunner().invoke(user_cmd, ["add", "alice", "--role", "reviewer", "--password-stdin", "--db", db],
                           input="a-long-password\n")
    assert r.exit_code == 0, r.output
    store = Store.open(db)
    found = Accounts(store.engine).user("alice")
    assert found is not None
    user, digest = found
    assert (user.role, verify_password(digest, "a-long-password"), digest.startswith("$argon2id$")) == (
        "reviewer", True, True)
    assert [(e.username, e.action, e.target) for e in Accounts(store.engine).audit_log()] == [
        ("cli", "user.add", "alice")]
    store.close()


def test_user_add_refuses_short_passwords_duplicates_and_unknown_roles(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    runner = CliRunner()
    assert runner.invoke(user_cmd, ["add", "bob", "--role", "viewer", "--password-stdin", "--db", db],
                         input="short\n").exit_code == 1
    assert runner.invoke(user_cmd, ["add", "bob", "--role", "viewer", "--password-stdin", "--db", db],
                         input="long-enough-1\n").exit_code == 0
    dup = runner.invoke(user_cmd, ["add", "bob", "--role", "viewer", "--password-stdin", "--db", db],
                        input="long-enough-1\n")
    assert dup.exit_code == 1 and "已存在" in dup.output
    assert runner.invoke(user_cmd, ["add", "eve", "--role", "root", "--password-stdin", "--db", db],
                         input="long-enough-1\n").exit_code == 2
    listed = runner.invoke(user_cmd, ["list", "--db", db])
    assert listed.output.splitlines() == ["bob\tviewer\tactive"]


def test_user_add_prompts_for_the_password(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    r = CliRunner().invoke(user_cmd, ["add", "carol", "--role", "admin", "--db", db],
                           input="prompted-pass\nprompted-pass\n")
    assert r.exit_code == 0, r.output
    store = Store.open(db)
    assert verify_password(Accounts(store.engine).user("carol")[1], "prompted-pass")  # type: ignore[index]
    store.close()


def test_serve_explains_how_to_create_the_admin_on_first_start(tmp_path: Path, monkeypatch: Any) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    db = f"sqlite:///{tmp_path / 'l.db'}"
    r = CliRunner().invoke(serve_cmd, ["--db", db, "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert "yusuan user add admin --role admin" in r.output
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)
    CliRunner().invoke(user_cmd, ["add", "admin", "--role", "admin", "--password-stdin", "--db", db],
                       input="admin-password\n")
    again = CliRunner().invoke(serve_cmd, ["--db", db])
    assert "user add admin" not in again.output
