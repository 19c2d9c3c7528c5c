"""The demo's ports: settable, a taken one refused before anything is written, and the
defaults (the portal's 8000 and Prefect's 4200) give way to a free port when taken."""

from __future__ import annotations

import socket

from typer.testing import CliRunner

from cli.demo_stack import choose_port
from cli.main import app


def listening() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_a_taken_port_is_one_line_and_nothing_is_written(tmp_path):
    with listening() as sock:
        port = sock.getsockname()[1]
        for option in ("--portal-port", "--prefect-port"):
            result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), option,
                                              str(port)])
            assert result.exit_code == 2
            assert result.output == f"fel: {option}: port {port} är upptagen\n"
    assert not (tmp_path / "d").exists()
    bad = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), "--portal-port", "0"])
    assert bad.exit_code == 2 and "--portal-port: 0 är ingen port (1–65535)" in bad.output


def test_a_taken_default_gives_way_to_a_free_port():
    with listening() as sock:
        taken = sock.getsockname()[1]
        chosen = choose_port("--portal-port", None, taken)
        assert chosen != taken and 0 < chosen < 65536
    free = choose_port("--portal-port", None, chosen)
    assert free == chosen  # free now: the default itself
