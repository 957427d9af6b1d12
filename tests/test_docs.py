"""The README keeps up with the command: every command is shown there."""

from __future__ import annotations

import typer.main

from removalwatch.cli import app
from tests.conftest import PROJECT


def test_every_command_appears_in_the_readme():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)
    missing = []
    for name, command in root.commands.items():
        subcommands = getattr(command, "commands", None)
        for full in ([f"removalwatch {name} {sub}" for sub in subcommands] if subcommands else [f"removalwatch {name}"]):
            if full not in readme:
                missing.append(full)
    assert missing == []
