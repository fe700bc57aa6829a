"""The two command lines as one person types them: what the help of one says about the other
is true, the same option has the same name, an interruption is said in both languages."""

from __future__ import annotations

import argparse
import re

import pytest

from fieldapp import cli as laptop_cli
from fieldapp.server import cli as server_cli


def _texts(parser: argparse.ArgumentParser):
    """Every help, description and usage text of a parser and its subcommands."""
    yield parser.description or ""
    for action in parser._actions:
        yield action.help or ""
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield choice.help or ""
            for sub in action.choices.values():
                yield from _texts(sub)


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    """Subcommand paths: 'search', 'templates list', …"""
    out: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out.add(name)
                out |= {f"{name} {deeper}" for deeper in _commands(sub)}
    return out


@pytest.mark.parametrize("parser, other, prog", [
    (server_cli.build_parser(), laptop_cli.build_parser(), "fieldapp"),
    (laptop_cli.build_parser(), server_cli.build_parser(), "fieldapp-server"),
    (server_cli.build_parser(), server_cli.build_parser(), "fieldapp-server"),
])
def test_commands_a_help_text_names_exist(parser, other, prog):
    """The server's --map help sent the administrator to `fieldapp registry import`, which
    never existed (the laptop's command is `fieldapp import-factories`)."""
    known = _commands(other)
    named = set()
    for text in _texts(parser):
        for match in re.finditer(rf"`{re.escape(prog)} ([a-z-]+(?: [a-z-]+)?)", text):
            named.add(match[1])
    for words in named:
        assert words in known or words.split()[0] in known, (prog, words)


def test_the_export_file_option_is_spelt_as_the_laptops(tmp_path):
    parser = server_cli.build_parser()
    for option in ("-o", "--output", "--out"):
        assert parser.parse_args(["inspections", "export", option, "x.csv"]).out == "x.csv"


@pytest.mark.parametrize("main, command, prog", [
    (laptop_cli.main, ["--db", "{db}", "search", "x"], "fieldapp"),
    (server_cli.main, ["--db", "{db}", "users", "list"], "fieldapp-server"),
])
def test_an_interruption_is_said_in_thai_and_english(tmp_path, capsys, monkeypatch, main,
                                                     command, prog):
    """Ctrl-C ended the server's commands without a word, the laptop's in English only."""
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("fieldapp.commands.search.search_factories", interrupted)
    monkeypatch.setattr("fieldapp.server.auth.list_users", interrupted)
    if prog == "fieldapp":
        from fieldapp.store.db import open_store
        open_store(tmp_path / "x.db").close()
    else:
        from fieldapp.server.database import open_database
        open_database(str(tmp_path / "x.db")).close()
    argv = [a.replace("{db}", str(tmp_path / "x.db")) for a in command]
    assert main(argv) == 130
    err = capsys.readouterr().err
    assert f"{prog}: หยุดแล้ว" in err and "(interrupted" in err
