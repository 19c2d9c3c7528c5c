"""The demo's running parts: the local Prefect server and the ports (the portal runs in a thread
of the demo's process, portal.server.PortalThread, so it shares the demo's clock)."""

from __future__ import annotations

import threading
from pathlib import Path

from cli.prefect_server import LocalPrefectServer, free_port, port_in_use, template_path
from models.errors import InputError
from models.i18n import _

#: the ports `arshjul serve` uses: the demo takes them when free, so the outbox's links work
#: later with `arshjul serve` in the demo's directory
PORTAL_PORT, PREFECT_PORT = 8000, 4200


def example() -> Path:
    """The example organisation the demo imports."""
    from models.settings import ROOT

    return ROOT / "examples" / "alingsas.yaml"


def choose_port(option: str, wanted: int | None, default: int) -> int:
    """`wanted` (an error when taken), else `default` when free, else any free port."""
    if wanted is not None:
        if not 1 <= wanted <= 65535:
            raise InputError(f"{option}: " + _("{port} är ingen port (1–65535)", port=wanted))
        if port_in_use("127.0.0.1", wanted):
            raise InputError(f"{option}: " + _("port {port} är upptagen", port=wanted))
        return wanted
    return default if not port_in_use("127.0.0.1", default) else free_port()


def drain_prefect() -> None:
    """Send the logs and events still queued before the server goes away (else exit stalls)."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=30)
    EventsWorker.drain_all(timeout=30)


def start_prefect_and_import(out: Path, echo, api_url: str | None,
                             port: int) -> LocalPrefectServer | None:
    """Start the Prefect server (unless `api_url` names one) while the organisation is imported."""
    from models import db
    from models.org_import import import_org

    server = None if api_url else LocalPrefectServer(
        out / ".arshjul" / "prefect", port=port, scheduler=False, template=template_path())
    failure: list[BaseException] = []
    thread = threading.Thread(target=lambda: server and _start(server, failure),
                              name="prefect-server")
    thread.start()
    try:
        db.migrate()
        with db.session() as session:
            result = import_org(example(), session=session)
        echo(f"Organisation: {sum(result.created.values())} poster från {example().name} "
             f"({result.created['boards']} nämnder, {result.created['units']} förvaltningar "
             f"m.m., {result.created['people']} personer).")
        thread.join()
    except BaseException:  # Ctrl-C or a failed import: leave no server behind
        if server:
            server.stop()  # a server still starting exits, so the thread ends soon
        thread.join()
        if server:
            server.stop()
        raise
    if failure:
        raise failure[0]
    return server


def _start(server: LocalPrefectServer, failure: list) -> None:
    try:
        server.start()
    except BaseException as exc:  # reported by the caller's thread
        failure.append(exc)
