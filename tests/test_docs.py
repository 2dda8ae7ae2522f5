"""The README documents every command and option (datasette's test_docs habit)."""

import re
from pathlib import Path

import click
import pytest

from storyline.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from _commands(command, full + " ")
        else:
            yield full, command


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize("name, command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_command_documented(name, command):
    assert f"storyline {name}" in README, f"`storyline {name}` is not in the README"
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in README, f"option {opt} of `storyline {name}` is not in the README"


def test_two_commands_first():
    first_block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", README, re.S).group(1)
    assert "make demo" in first_block and "make test" in first_block


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in README
