"""Every command has help text and is in the README (after simonw/sqlite-utils tests/test_docs.py)."""

from __future__ import annotations

import pytest
import typer

from cli.main import app
from models.settings import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "arshjul"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = sorted(_commands(typer.main.get_command(app)), key=lambda c: c[0])


def test_there_are_commands():
    names = [name for name, _ in COMMANDS]
    assert {"arshjul init", "arshjul org import", "arshjul plan", "arshjul status"} <= set(names)


@pytest.mark.parametrize("name, command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_command_has_help_and_is_in_readme(name, command):
    assert (command.help or "").strip(), f"{name} has no help text"
    assert f"`{name}" in README, f"{name} is not in README.md"
