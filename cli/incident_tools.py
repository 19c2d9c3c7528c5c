"""`arshjul incident link|stats|watch`: a unit's report link, the year's incident tables, and the
clock watch run now."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.common import NowOpt, guard, now_or_clock, render_table, resolve_now
from cli.incidents import incident_app
from models.errors import InputError
from models.i18n import _


@guard
def link(
    unit: Annotated[str, typer.Option(help="Förvaltningens/bolagets id.")],
    person: Annotated[
        str | None,
        typer.Option(help="Person-id som länken gäller (standard: gemensam för enheten)."),
    ] = None,
    now: NowOpt = None,
) -> None:
    """Skriv ut enhetens signerade länk till incidentformuläret. / Print a unit's report link."""
    from models import db
    from models.links import INCIDENT_REPORT, default_expiry, make_subject_token, portal_url
    from models.org import Person, Unit

    at = now_or_clock(now)
    with db.session() as session:
        if session.get(Unit, unit) is None:
            raise InputError(
                _("--unit: okänd enhet '{unit}' (se organisationsfilen)", unit=unit)
            )
        if person and session.get(Person, person) is None:
            raise InputError(
                _("--person: okänd person '{person}'", person=person)
            )
    token = make_subject_token(INCIDENT_REPORT, unit, person or "", default_expiry(at))
    typer.echo(portal_url(token, kind=INCIDENT_REPORT))


@guard
def stats(
    year: Annotated[int, typer.Option(help="Året (kännedom i lokal tid).")],
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
) -> None:
    """Incidentstatistik för årsrapporten: samma siffror som rapporten. / The report's numbers."""
    from models import db
    from models.report.figures import OTHER_AREAS
    from models.report.incident_stats_store import year_tables
    from models.report.incidents import area_sentence, section_texts

    if fmt not in ("table", "json"):
        raise InputError(
            _("--format: '{fmt}' ska vara en av table, json", fmt=fmt)
        )
    db.migrate()
    with db.session() as session:
        tables = year_tables(year, session=session)
    t = section_texts("sv")  # the report's own captions
    named = {
        "it-sakerhet": (t["it_table"].format(y=year), tables.it_security),
        "utrustning": (t["eq_table"].format(y=year), tables.equipment),
        "personuppgiftsincidenter": (t["pd_table"].format(y=year), tables.personal_data),
    }
    if fmt == "json":
        out = {
            key: None if rows is None else [[r.label, r.text()] for r in rows]
            for key, (_title, rows) in named.items()
        }
        out.update({"omraden": tables.areas, "ej-insamlat": tables.not_collected})
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for title, rows in named.values():
        body = [[r.label, r.text()] for r in rows] if rows is not None else [["ej insamlat", ""]]
        typer.echo(render_table([title, t["count"]], body) + "\n")
    for area in OTHER_AREAS:  # the annual report's sentences, counted or not collected
        typer.echo(area_sentence(area, year, tables.areas))


@guard
def watch(now: NowOpt = None) -> None:
    """Kör bevakningen av tidsfristerna nu: skicka larm som förfallit. / Run the clock watch now.

    The flow `incident-clock-watch` that the deployment runs every 15 minutes: in Prefect when
    there is a server (PREFECT_API_URL or `arshjul serve`), else here without one.
    """
    from cli.launch import launch
    from models import db

    at = resolve_now(now)
    db.migrate()
    result = launch("flows.incidents", "incident_clock_watch", "Bevakning av tidsfristerna …",
                    now=at.isoformat() if at else None)
    recorded, delivered = result["recorded"], result["delivered"]
    typer.echo(f"Bevakning {result['now']}: {recorded['due']} larm förfallna, "
               f"{recorded['recorded']} nya; meddelanden: {delivered.get('messages', 0)}, "
               f"misslyckade: {delivered.get('failed', 0)}.")


def register(app: typer.Typer) -> None:
    """Add `arshjul incident link|stats|watch` to the incident commands."""
    incident_app.command("link")(link)
    incident_app.command("stats")(stats)
    incident_app.command("watch")(watch)
