"""`arshjul serve`: the one-machine stack — local Prefect server, served deployments, portal."""

from __future__ import annotations

import os
import signal
from contextlib import ExitStack
from typing import Annotated

import typer

from cli.common import guard
from cli.prefect_server import QUIET, LocalPrefectServer, port_in_use
from models.errors import InputError
from models.i18n import _


def export_settings() -> None:
    """Put absolute store and home paths into the environment, for every child process."""
    from models.settings import get_settings

    settings = get_settings()
    os.environ["ARSHJUL_HOME"] = str(settings.home.resolve())
    os.environ["ARSHJUL_DATABASE_URL"] = settings.resolved_database_url
    os.environ.update(QUIET)


def migrate_apart() -> None:
    """Bring the store to the newest schema in a forked child process, so alembic and the
    migration scripts (~11 MB) never stay loaded in this long-lived one. Errors come back as
    they are (a store that cannot be reached is still one `fel:` line)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from models import db

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
        child.submit(db.migrate).result()


def start_prefect(stack: ExitStack, host: str, port: int) -> tuple[str, str]:
    """Use PREFECT_API_URL when set, else start a local server; returns (api URL, UI URL)."""
    from models.settings import get_settings

    api = os.environ.get("PREFECT_API_URL")
    if api:
        return api, api.removesuffix("/").removesuffix("/api")
    server = LocalPrefectServer(get_settings().home / "prefect", host=host, port=port)
    typer.echo(f"Startar Prefect-servern (SQLite i {server.home}) …")
    stack.callback(server.stop)  # also when Ctrl-C comes while it is starting
    server.start()
    return server.api_url, server.url


def start_portal(stack: ExitStack, host: str, port: int) -> str:
    """Run the portal in a thread of this process (one interpreter less); returns its URL."""
    import prefect.main  # noqa: F401 (Prefect sets up logging on import: the portal's log comes after)

    from models.settings import get_settings
    from portal.server import PortalThread

    if port_in_use(host, port):
        raise InputError(
            _("port {port} på {host} är upptagen: välj en annan med --portal-port", port=port, host=host)
        )
    stack.enter_context(PortalThread(host, port, log_path=get_settings().home / "portal.log"))
    return f"http://{host}:{port}"


def serve_deployments(api_url: str) -> None:
    """Serve every deployment of prefect.yaml until Ctrl-C/SIGTERM; schedules stay active."""
    import asyncio

    from prefect.runner import Runner
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from cli.deployments import describe, read_specs, runner_deployments

    specs = [s for s in read_specs() if s.exists()]
    os.environ["PREFECT_API_URL"] = api_url  # the runs the runner starts inherit it
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        # pause_on_shutdown=False: stopping this process must not pause the schedules.
        runner = Runner(name="arshjul-serve", pause_on_shutdown=False)
        for spec, deployment in zip(specs, runner_deployments(specs), strict=True):
            runner.add_deployment(deployment)  # registers it on the server now
            typer.echo(f"  {describe(spec, deployment.flow_name)}")
        typer.echo("Stoppa med Ctrl-C (schemana förblir aktiva på servern).")
        asyncio.run(runner.start())


def _terminate(signum, _frame) -> None:
    from prefect.exceptions import TerminationSignal

    raise TerminationSignal(signal=signum)


def announce(stack: ExitStack, api_url: str) -> None:
    """Write serve's Prefect address where commands for this store find it (removed at exit)."""
    from models.settings import get_settings
    from tasks.connectors.prefect_api import remove_serve_address, write_serve_address

    settings = get_settings()
    write_serve_address(settings.home, api_url, settings.resolved_database_url)
    stack.callback(remove_serve_address, settings.home)


@guard
def serve(
    host: Annotated[str, typer.Option(
        "--host", help="Gränssnitt för Prefect UI och portalen.")] = "127.0.0.1",
    prefect_port: Annotated[int, typer.Option(
        "--prefect-port", help="Port för den lokala Prefect-servern.")] = 4200,
    portal_port: Annotated[int, typer.Option(
        "--portal-port", help="Port för svarsportalen.")] = 8000,
    portal: Annotated[bool, typer.Option(
        "--portal/--no-portal", help="Kör även svarsportalen.")] = True,
) -> None:
    """Kör allt på en maskin: Prefect-server, schemalagda flöden och portalen. / Run the stack."""
    from prefect.exceptions import TerminationSignal

    from models.signing_key import signing_key

    signing_key()  # the served flows sign links, with or without the portal: refuse before starting
    migrate_apart()
    export_settings()
    # Until the runner installs its own graceful handler, SIGTERM unwinds like Ctrl-C does,
    # so the children started below are stopped too.
    signal.signal(signal.SIGTERM, _terminate)
    with ExitStack() as stack:
        api_url, ui_url = start_prefect(stack, host, prefect_port)
        announce(stack, api_url)
        # The portal asks Prefect for a clock-watch run when a unit reports an incident.
        os.environ["PREFECT_API_URL"] = api_url
        portal_url = start_portal(stack, host, portal_port) if portal else None
        typer.echo(f"Prefect UI:  {ui_url}")
        if portal_url:
            typer.echo(f"Portalen:    {portal_url}")
        typer.echo("Deployments:")
        try:
            serve_deployments(api_url)
        except (KeyboardInterrupt, TerminationSignal):
            pass
        typer.echo("Stoppar …")
    typer.echo("Stoppat.")


def register(app: typer.Typer) -> None:
    """Add `serve` to the `arshjul` app."""
    app.command("serve")(serve)
