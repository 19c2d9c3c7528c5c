"""`arshjul incident report|list|show|update`: the incident register and its legal clocks."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated

import typer

from cli.common import NowOpt, guard, now_or_clock, render_table
from models.errors import InputError
from models.i18n import _
from models.incidents.categories import CATEGORIES

incident_app = typer.Typer(
    help="Incidenter och deras lagstadgade tidsfrister (GDPR 72 h, NIS2 24 h/72 h/en månad). "
    "/ Incidents and their legal clocks.",
    no_args_is_help=True,
)

ByOpt = Annotated[
    str | None, typer.Option("--by", help="Person-id för den som registrerar/beslutar.")
]


def interactive() -> bool:
    """Prompt for missing answers only when a person is at the keyboard."""
    return sys.stdin.isatty()


def _ask_missing(new: dict, tz: str, at: datetime) -> dict:
    """Prompt for what the flags left out (interactive use only)."""
    from models.incidents import clocks as rules
    from models.incidents.register import EQUIPMENT_LOST, EQUIPMENT_TYPES, SUBKINDS, parse_time

    if not new["category"]:
        new["category"] = typer.prompt(f"Kategori ({', '.join(CATEGORIES)})")
    kinds = SUBKINDS.get(new["category"].strip().lower())
    if kinds and not new["subkind"]:
        new["subkind"] = typer.prompt(f"Typ ({', '.join(kinds)})")
    if new["subkind"] == EQUIPMENT_LOST and not new["equipment"]:
        new["equipment"] = typer.prompt(f"Utrustning ({', '.join(EQUIPMENT_TYPES)})")
    if not new["unit_id"]:
        new["unit_id"] = typer.prompt("Förvaltning/bolag/förbund (id)")
    if new["aware_at"] is None:
        text = typer.prompt(
            "När fick ni kännedom? (ÅÅÅÅ-MM-DDTHH:MM)", default=rules.local(at, tz)[:16]
        )
        new["aware_at"] = parse_time("aware-at", text.replace(" ", "T"), tz)
    if not new["description"]:
        new["description"] = typer.prompt("Beskrivning", default="")
    if new["personal_data"] is None:
        new["personal_data"] = typer.confirm("Berörs personuppgifter?", default=False)
    if new["nis2_significant"] is None:
        new["nis2_significant"] = typer.confirm("Betydande incident enligt NIS2?", default=False)
    return new


@guard
def report(
    category: Annotated[
        str | None, typer.Option(help=f"Kategori: {', '.join(CATEGORIES)}.")
    ] = None,
    kind: Annotated[
        str | None, typer.Option(help="Typ inom it-sakerhet / fysisk-sakerhet.")
    ] = None,
    equipment: Annotated[str | None, typer.Option(help="Utrustning (borttappad/stulen).")] = None,
    unit: Annotated[str | None, typer.Option(help="Förvaltningens/bolagets id.")] = None,
    board: Annotated[str | None, typer.Option(help="Nämnd (standard: förvaltningens).")] = None,
    aware_at: Annotated[str | None, typer.Option(help="När ni fick kännedom (ISO 8601).")] = None,
    description: Annotated[str, typer.Option(help="Vad hände?")] = "",
    personal_data: Annotated[
        bool | None,
        typer.Option("--personal-data/--no-personal-data", help="Berörs personuppgifter (GDPR)?"),
    ] = None,
    nis2: Annotated[
        bool | None,
        typer.Option(
            "--nis2-significant/--not-nis2-significant", help="Betydande incident enligt NIS2?"
        ),
    ] = None,
    by: ByOpt = None,
    now: NowOpt = None,
) -> None:
    """Registrera en incident och starta dess klockor. / Register an incident."""
    from models import db
    from models.incidents.register import NewIncident, org_timezone, parse_time, register_incident
    from models.incidents.views import clock_rows, incident_row

    at = now_or_clock(now)
    db.migrate()
    with db.session() as session:
        tz = org_timezone(session=session)
        answers = {
            "category": category,
            "subkind": kind,
            "equipment": equipment,
            "unit_id": unit,
            "aware_at": parse_time("--aware-at", aware_at, tz),
            "description": description,
            "personal_data": personal_data,
            "nis2_significant": nis2,
        }
        if interactive():
            answers = _ask_missing(answers, tz, at)
        new = NewIncident(
            **{
                **answers,
                "personal_data": bool(answers["personal_data"]),
                "nis2_significant": bool(answers["nis2_significant"]),
            },
            board_id=board,
            registered_by=by or "",
            source="cli",
        )
        incident = register_incident(new, now=at, session=session)
        rows = clock_rows(incident, at, tz, session=session)
    typer.echo(f"Incident {incident.id} registrerad ({incident_row(incident, tz)['kategori']}).")
    _print_clocks(rows)
    if rows:
        _request_alerts(incident.id, at)


def _request_alerts(incident_id: int, at: datetime) -> None:
    """Have the clock watch run now, so the registration alert does not wait for its schedule."""
    from tasks.watch_request import request_clock_watch

    run_id = request_clock_watch(incident_id, at)
    if run_id:
        typer.echo(_("Larmen skickas strax: bevakningen av tidsfristerna är beställd i Prefect (körning {run_id}) och körs av första lediga worker.", run_id=run_id))
    else:
        typer.echo(_("Larmen skickas vid nästa schemalagda bevakning (var 15:e minut), eller nu "
                     "med `arshjul incident watch`."))


def _print_clocks(rows: list[dict]) -> None:
    if not rows:
        typer.echo(
            "Inga lagstadgade tidsfrister (inga personuppgifter, inte betydande enligt NIS2)."
        )
        return
    typer.echo(
        render_table(
            ["Tidsfrist", "Senast", "Kvar", "Status", "Referens/skäl"],
            [list(r.values()) for r in rows],
        )
    )


@guard
def list_incidents(
    year: Annotated[int | None, typer.Option(help="Bara incidenter med kännedom detta år.")] = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Bara incidenter med öppna klockor.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    now: NowOpt = None,
) -> None:
    """Lista incidenter med nästa tidsfrist. / List incidents."""
    if fmt not in ("table", "json"):
        raise InputError(
            _("--format: '{fmt}' ska vara en av table, json", fmt=fmt)
        )
    from models import db
    from models.incidents.views import incident_dicts

    at = now_or_clock(now)
    db.migrate()
    with db.session() as session:
        rows = incident_dicts(at, year=year, open_only=open_only, session=session)
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        typer.echo("Inga incidenter.")
    else:
        typer.echo(
            render_table(
                ["Id", "Kännedom", "Kategori", "Enhet", "PU", "NIS2", "Nästa frist"],
                [
                    [
                        r[k]
                        for k in (
                            "id",
                            "kannedom",
                            "kategori",
                            "enhet",
                            "pu",
                            "nis2",
                            "nasta_frist",
                        )
                    ]
                    for r in rows
                ],
            )
        )


@guard
def show(
    incident_id: Annotated[int, typer.Argument(help="Incidentens id.")],
    now: NowOpt = None,
) -> None:
    """Visa en incident och dess klockor. / Show an incident."""
    from models import db
    from models.incidents.register import get_incident, org_timezone
    from models.incidents.views import clock_rows, incident_row, names

    at = now_or_clock(now)
    with db.session() as session:
        tz = org_timezone(session=session)
        incident = get_incident(incident_id, session=session)
        head = incident_row(incident, tz, names(session=session))
        rows = clock_rows(incident, at, tz, session=session)
    for label, key in (
        ("Incident", "id"),
        ("Kategori", "kategori"),
        ("Enhet", "enhet"),
        ("Nämnd", "namnd"),
        ("Kännedom", "kannedom"),
        ("Registrerad", "registrerad"),
        ("Personuppgifter", "pu"),
        ("Betydande (NIS2)", "nis2"),
        ("Beskrivning", "beskrivning"),
    ):
        typer.echo(f"{label}: {head[key]}")
    _print_clocks(rows)


@guard
def update(
    incident_id: Annotated[int, typer.Argument(help="Incidentens id.")],
    reported: Annotated[
        str | None,
        typer.Option(
            help="Klocka som rapporterats: gdpr, nis2-early-warning, nis2-notification, "
            "nis2-final-report."
        ),
    ] = None,
    ref: Annotated[str, typer.Option(help="Myndighetens referensnummer, t.ex. IMY-2027-123.")] = "",
    at_text: Annotated[
        str | None, typer.Option("--at", help="När rapporten lämnades (ISO 8601).")
    ] = None,
    not_reporting: Annotated[
        str | None,
        typer.Option(help="Klocka (eller nis2) som inte ska rapporteras; kräver --reason."),
    ] = None,
    reason: Annotated[str, typer.Option(help="Skälet till beslutet att inte rapportera.")] = "",
    personal_data: Annotated[
        bool, typer.Option("--personal-data", help="Personuppgifter berörs: starta GDPR-klockan.")
    ] = False,
    nis2: Annotated[
        bool,
        typer.Option("--nis2-significant", help="Betydande enligt NIS2: starta NIS2-klockorna."),
    ] = False,
    by: ByOpt = None,
    now: NowOpt = None,
) -> None:
    """Stäng klockor (rapporterat eller beslut att inte rapportera) eller bedöm om. / Update."""
    from models import db
    from models.incidents.register import get_incident, org_timezone, parse_time
    from models.incidents.updates import Closing, close_clocks, reassess
    from models.incidents.views import clock_rows

    at = now_or_clock(now)
    if not (reported or not_reporting or personal_data or nis2):
        raise InputError(
            _("inget att uppdatera: ange --reported, --not-reporting, --personal-data eller --nis2-significant")
        )
    with db.session() as session:
        tz = org_timezone(session=session)
        incident = get_incident(incident_id, session=session)
        reassess(incident, personal_data=personal_data, nis2=nis2, session=session)
        closings = []
        if reported:
            closings.append(Closing(reported, ref, parse_time("--at", at_text, tz)))
        if not_reporting:
            closings.append(Closing(not_reporting, reason=reason, reporting=False))
        close_clocks(incident, closings, by=by or "", now=at, session=session)
        rows = clock_rows(incident, at, tz, session=session)
    typer.echo(f"Incident {incident_id} uppdaterad.")
    _print_clocks(rows)


def register(app: typer.Typer) -> None:
    """Add `arshjul incident …` to the app."""
    incident_app.command("report")(report)
    incident_app.command("list")(list_incidents)
    incident_app.command("show")(show)
    incident_app.command("update")(update)
    app.add_typer(incident_app, name="incident")
