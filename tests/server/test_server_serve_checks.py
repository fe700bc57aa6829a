"""``fieldapp-server serve`` refuses what it cannot serve before it says where it serves:
a port out of range (a traceback from the event loop), a port in use (the start-up line, then
uvicorn's error and exit code 3), certificate files missing or not PEM ("No such file or
directory" without the name; "[SSL] PEM lib"), a number of write threads that is none."""

from __future__ import annotations

import socket

import pytest

from fieldapp.server.cli import main


def serve(tmp_path, capsys, *argv):
    code = main(["--db", str(tmp_path / "server.db"), "serve", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_port_out_of_range_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        serve(tmp_path, capsys, "--port", "99999")
    assert exit_.value.code == 2
    assert "a port number from 1 to 65535" in capsys.readouterr().err


def test_a_port_in_use_is_one_line_before_the_start_up_line(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = serve(tmp_path, capsys, "--port", str(port))
    assert code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err and "another fieldapp-server" in err
    assert "http://" not in out and "Traceback" not in err


def test_tls_files_missing_or_not_pem_are_named(tmp_path, capsys):
    missing = tmp_path / "cert.pem"
    key = tmp_path / "key.pem"
    key.write_text("not a key\n")
    code, out, err = serve(tmp_path, capsys, "--port", "1", "--tls-cert", str(missing),
                           "--tls-key", str(key))
    assert code == 1 and f"--tls-cert: {missing}" in err and "https://" not in out
    missing.write_text("not a certificate\n")
    code, out, err = serve(tmp_path, capsys, "--port", "1", "--tls-cert", str(missing),
                           "--tls-key", str(key))
    assert code == 1 and f"cannot use the certificate {missing}" in err


def test_write_threads_that_are_not_a_number_are_named(tmp_path, capsys, monkeypatch):
    with pytest.raises(SystemExit) as exit_:
        serve(tmp_path, capsys, "--write-threads", "0")
    assert exit_.value.code == 2
    assert "a whole number, 1 or more" in capsys.readouterr().err
    # Were the value let through, serving would start: fail instead of serving for ever.
    monkeypatch.setattr("uvicorn.run", _never_serve)
    monkeypatch.setenv("FIELDAPP_WRITE_THREADS", "four")
    with socket.socket() as probe:   # a port that is free, so the listen check passes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = serve(tmp_path, capsys, "--port", str(port))
    assert code == 1 and "FIELDAPP_WRITE_THREADS must be a whole number" in err
    assert "http://" not in out and "Traceback" not in err


def _never_serve(*args, **kwargs):
    raise AssertionError("serve started with a bad FIELDAPP_WRITE_THREADS")
