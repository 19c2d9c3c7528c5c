"""`arshjul demo`: a whole year of the annual cycle on embedded defaults, in one command.

A fresh directory gets a SQLite store, an outbox and a Prefect home; a local Prefect server and
the portal run for the duration; the example organisation is imported, the year planned and
ticked through while simulated contacts answer in the portal.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.common import guard
from cli.demo_stack import (  # noqa: F401 (drain_prefect: the tests' import)
    PORTAL_PORT,
    PREFECT_PORT,
    choose_port,
    drain_prefect,
    example,
    start_prefect_and_import,
)
from cli.prefect_server import QUIET
from models.errors import InputError
from models.i18n import _

MARKER = ".arshjul-demo"


def prepare(out: Path) -> Path:
    """A fresh demo directory: empty, or a previous demo's (which is cleared)."""
    out = out.resolve()
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise InputError(
                "--out: "
                + _("{out} är inte tom och inte en tidigare demo: välj en annan katalog", out=out)
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("arshjul demo\n")
    return out


def configure(out: Path, portal_port: int) -> dict[str, str]:
    """Embedded defaults for this process and a .env so `arshjul serve` works there later."""
    from models import db
    from models.settings import get_settings

    for key in [k for k in os.environ if k.startswith("ARSHJUL_")]:
        del os.environ[key]
    env = {
        "ARSHJUL_HOME": str(out / ".arshjul"),
        "ARSHJUL_DEMO_MODE": "true",
        "ARSHJUL_SECRET_KEY": secrets.token_urlsafe(32),
        "ARSHJUL_PORTAL_URL": f"http://127.0.0.1:{portal_port}",
        # the employees and the course's completions as files (cli/demo_people.py)
        "ARSHJUL_DIRECTORY": "csv",
        "ARSHJUL_DIRECTORY_CSV": str(out / "katalog" / "anstallda.csv"),
        "ARSHJUL_XAPI_URL": (out / "katalog" / "utbildning.json").as_uri(),
    }
    # `arshjul serve` run in `out` later finds the store under ./.arshjul and serves the
    # portal on its default port (the demo's own, unless that was taken).
    later = env | {"ARSHJUL_PORTAL_URL": f"http://127.0.0.1:{PORTAL_PORT}"}
    del later["ARSHJUL_HOME"]
    (out / ".env").write_text("".join(f"{k}={v}\n" for k, v in later.items()))
    os.environ.update(env, **QUIET)
    os.chdir(out)  # a .env of wherever the demo was started must not leak in
    get_settings.cache_clear()
    db.reset_engines()
    return env


def write_status(year: int, out: Path) -> Path:
    """The status table at the end of the year, as `arshjul status` prints it."""
    from cli.common import render_table
    from models import db
    from models.clock import now
    from models.cycle.status import state_label, step_status

    with db.session() as session:
        rows = step_status(year, now(), session=session)
    table = render_table(
        ["Steg", "Titel", "Öppnar", "Sista dag", "Läge", "Inlämnat", "Försenat"],
        [[r.key, r.title, r.opens, r.due, state_label(r.state), f"{r.submitted}/{r.total}", r.overdue]
         for r in rows])
    path = out / "status.txt"
    path.write_text(table + "\n", encoding="utf-8")
    return path


def run(out: Path, year: int, until: date | None, seed: int, echo,
        ports: tuple[int, int]) -> dict:
    """The whole demo; returns where things are and what happened."""
    import httpx
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        temporary_settings,
    )

    from cli.common import options
    from cli.demo_contacts import Contacts
    from cli.demo_year import (
        before_the_year,
        coordinator_text,
        plan_year,
        run_year,
        write_report,
        year_events,
    )
    from cli.launch import console_logs
    from cli.progress import working
    from models.settings import get_settings
    from portal.server import PortalThread

    portal_port, prefect_port = ports
    configure(out, portal_port)
    started = time.monotonic()

    def timed(text: str) -> None:
        echo(f"{text}  ({time.monotonic() - started:.0f} s)")

    api_url = os.environ.get("PREFECT_API_URL")  # an existing server gets the runs instead
    with ExitStack() as stack:
        server = start_prefect_and_import(out, timed, api_url, prefect_port)
        if server:
            stack.callback(server.stop)
            api_url = server.api_url
            timed(f"Prefect-server: {server.url} (SQLite i {server.home})")
        stack.callback(drain_prefect)
        # The demo's flow runs are short and many: no heartbeat thread (~1 s at each run's end).
        stack.enter_context(temporary_settings(updates={
            PREFECT_API_URL: api_url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}))
        stack.enter_context(console_logs(options.verbose))
        stack.enter_context(PortalThread("127.0.0.1", portal_port, log_level="warning"))
        planned = plan_year(year)
        timed(f"Planerat {year}: {planned['instances']} steg, "
              f"{planned['assignments_total']} uppdrag (flödeskörning 'plan {year}').")
        activities = before_the_year(out, year, seed)
        timed(f"Siffrorna för {year - 1} importerade; handlingsplanen {year} antagen "
              f"({activities} aktiviteter).")
        client = stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{portal_port}",
                                                  timeout=60))
        contacts = Contacts(client, get_settings().resolved_outbox_dir, seed=seed)
        events = year_events(out, year, seed, echo)
        echo("Året tickar (varje rad är en månad; varje tick är en flödeskörning i Prefect):")
        with working(f"Året {year} tickar …") as update:
            stats = run_year(year, contacts, until=until, echo=echo, started=started,
                             update=update, events=events)
        report = write_report(year, str(out / "rapport"), coordinator_text(out, year))
        status = write_status(year, out)
        timed("Årsrapport och statustabell skrivna" if report else "Statustabell skriven")
    timed("Prefect-servern och portalen stoppade" if server else "Portalen stoppad")
    return {"stats": stats, "contacts": contacts, "report": report, "status": status,
            "ui": None if server else api_url.removesuffix("/").removesuffix("/api")}


@guard
def demo(
    out: Annotated[Path, typer.Option(
        "--out", help="Katalog för demons lager, utkorg och Prefect-data.")] = Path("arshjul-demo"),
    year: Annotated[int | None, typer.Option(
        "--year", help="Året som spelas upp (standard: nästa år).")] = None,
    until: Annotated[str | None, typer.Option(
        "--until", help="Sluta efter detta datum (ÅÅÅÅ-MM-DD), för ett kortare år.")] = None,
    seed: Annotated[int, typer.Option(
        "--seed", help="Slumpfrö: samma frö ger samma år (svar, incidenter, kampanjer).")] = 2027,
    portal_port: Annotated[int | None, typer.Option(
        "--portal-port", help="Portalens port (standard 8000, annars en ledig).")] = None,
    prefect_port: Annotated[int | None, typer.Option(
        "--prefect-port", help="Prefect-serverns port (standard 4200, annars en ledig).")] = None,
) -> None:
    """Spela upp ett helt år på inbyggda standardval. / Run a whole year as a demo."""
    started = time.monotonic()
    stop = _parse_until(until)
    year = year or date.today().year + 1
    ports = (choose_port("--portal-port", portal_port, PORTAL_PORT),
             choose_port("--prefect-port", prefect_port, PREFECT_PORT))
    out = prepare(out)
    typer.echo(f"arshjul demo {year} i {out}")
    result = run(out, year, stop, seed, typer.echo, ports)
    _summary(out, year, result, time.monotonic() - started)


def _parse_until(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            "--until: "
            + _("'{text}' är inget datum (ÅÅÅÅ-MM-DD)", text=text)
        ) from exc


def _summary(out: Path, year: int, result: dict, seconds: float) -> None:
    from models.settings import get_settings

    stats, contacts = result["stats"], result["contacts"]
    outbox = get_settings().resolved_outbox_dir
    echo = typer.echo
    echo(f"\nKlart på {seconds:.0f} s: {stats.ticks} tick, {stats.messages} meddelanden, "
         f"{contacts.answered['prompt']} svar i tid, {contacts.answered['late']} sena, "
         f"{len(contacts.pending)} obesvarade.")
    echo(f"Utkorgen (.eml):   {outbox}")
    echo(f"Statustabellen:    {result['status']}")
    if result["report"]:
        for item in result["report"]["files"]:
            echo(f"Årsrapporten:      {out / 'rapport' / item['file']}")
    if result["ui"]:
        echo(f"Prefect UI:        {result['ui']}/runs")
    else:
        echo(f"Prefect UI:        cd {out} && arshjul serve   → http://127.0.0.1:4200/runs")


def register(app: typer.Typer) -> None:
    """Add `demo` to the `arshjul` app."""
    app.command("demo")(demo)
