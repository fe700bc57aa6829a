"""``fieldapp --self-test``: every step passes from source, a broken step fails the run, the
user's data is never touched, and the network guard holds."""

from __future__ import annotations

import io
import socket

import pytest

from fieldapp import cli, selftest


def test_self_test_passes_from_source_and_leaves_user_data_alone(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FIELDAPP_HOME", str(home))
    monkeypatch.delenv("FIELDAPP_DB", raising=False)
    out = io.StringIO()

    assert selftest.run_self_test(out) == 0

    lines = out.getvalue().splitlines()
    step_lines = [line for line in lines if line.startswith(("OK", "FAIL"))
                  and "display libraries" not in line]   # a report line, not a step
    assert [line.split("(")[0].removeprefix("OK").strip() for line in step_lines] == \
        [name for name, _ in selftest.STEPS]
    assert lines[-1] == "self-test passed"
    assert "Thai split into" in out.getvalue()
    assert list(home.iterdir()) == []  # it worked in a temporary folder, not the data folder


def test_a_missing_dictionary_fails_the_pdf_step_and_stops(monkeypatch):
    # What a bundle without the PyThaiNLP word list looks like: Thai comes back unsplit.
    monkeypatch.setattr("fieldapp.forms.thai_text.segment", lambda text: (text,))
    out = io.StringIO()

    assert selftest.run_self_test(out) == 1

    text = out.getvalue()
    assert "FAIL PDF of the record: Thai word segmentation" in text
    assert "verify the PDF" not in text  # later steps do not run after a failure
    assert text.rstrip().endswith("self-test FAILED")


def test_a_crashing_step_is_reported_with_its_error(monkeypatch, capsys):
    def broken(ctx):
        raise OSError("disk full")

    monkeypatch.setattr(selftest, "STEPS", (("temporary database", broken),))
    out = io.StringIO()
    assert selftest.run_self_test(out) == 1
    assert "FAIL temporary database: OSError: disk full" in out.getvalue()
    assert "OSError: disk full" in capsys.readouterr().err  # the traceback, for a developer


def test_network_guard_refuses_connections_and_restores_them():
    original = socket.create_connection
    with selftest.no_network():
        with pytest.raises(selftest.SelfTestFailure, match="network"):
            socket.create_connection(("127.0.0.1", 9))
        with pytest.raises(selftest.SelfTestFailure):
            socket.socket().connect(("127.0.0.1", 9))
    assert socket.create_connection is original


def test_cli_flag_runs_the_self_test(monkeypatch):
    monkeypatch.setattr(selftest, "run_self_test", lambda: 7)
    assert cli.main(["--self-test"]) == 7


def test_number_answers_fall_inside_the_legal_limits():
    from decimal import Decimal

    from fieldapp.core.templates import Limits

    class Item:
        limits = None

    item = Item()
    for limits in (Limits(Decimal("5.5"), Decimal("9.0")), Limits(None, Decimal("20")),
                   Limits(Decimal("1"), None), None):
        item.limits = limits
        value = Decimal(selftest._inside_limits(item))
        if limits is not None:
            assert limits.min is None or value >= limits.min
            assert limits.max is None or value <= limits.max
