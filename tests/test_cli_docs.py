"""docs/cli.md documents every command and every option of the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import click

from yusuan.cli.main import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## yusuan (\S+)\s*$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def test_every_command_is_documented() -> None:
    assert set(main.commands) - set(_sections()) == set()


def test_no_documented_command_is_missing_from_the_cli() -> None:
    assert set(_sections()) - set(main.commands) == set()


def test_every_option_is_documented_in_its_section() -> None:
    sections = _sections()
    missing = []
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, click.Option):
                longest = max(param.opts, key=len)
                if f"`{longest}" not in sections.get(name, ""):
                    missing.append(f"{name} {longest}")
    assert missing == []
