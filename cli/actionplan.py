"""Action-plan commands: add activities, list or export them, draft next year, record adoption."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.common import NowOpt, check_list_format, emit_rows, guard, now_or_clock
from models.errors import InputError
from models.i18n import _

app = typer.Typer(
    help="Handlingsplanen: aktiviteter, antagande och överföring. / The action plan.",
    no_args_is_help=True,
)
YearOpt = Annotated[int, typer.Option("--year", help="Handlingsplanens år.")]


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{option}: " + _("'{text}' ska vara ett datum ÅÅÅÅ-MM-DD", text=text)
                         ) from exc


@guard
def add(
    year: YearOpt,
    title: Annotated[str, typer.Option("--title", help="Aktiviteten.")],
    unit: Annotated[str, typer.Option("--unit", help="Ansvarig förvaltnings id (tomt: hela "
                                                     "organisationen).")] = "",
    responsible: Annotated[str, typer.Option("--responsible", help="Ansvarig person.")] = "",
    due: Annotated[str | None, typer.Option("--due", help="Klart senast (ÅÅÅÅ-MM-DD).")] = None,
    answers: Annotated[str, typer.Option("--answers", help="Vad den svarar mot: risk:…, fynd:… "
                                                           "eller infosakkollen:OMRÅDE.")] = "",
    now: NowOpt = None,
) -> None:
    """Lägg till en aktivitet i årets plan. / Add an activity to the year's plan."""
    from models.records.plan import add_activity

    day = _day(due, "--due")
    from models import db

    db.migrate()
    with db.session() as session:
        row = add_activity(year, title, session=session, now=now_or_clock(now),
                           unit_id=unit, responsible=responsible, due=day, answers=answers)
        typer.echo(_("Aktivitet {id} tillagd i {year} års plan.", id=row.id, year=year))


@guard
def list_(
    year: YearOpt,
    fmt: Annotated[str, typer.Option("--format", help="table, csv eller xlsx.")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Utfil.")] = None,
) -> None:
    """Visa eller exportera planen med uppföljd status. / List or export the plan."""
    from models.records.followup import follow_up, status_label

    check_list_format(fmt, output)
    from models import db

    db.migrate()
    with db.session() as session:
        items = follow_up(year, session=session)
    header = ["id", _("Förvaltning"), _("Aktivitet"), _("Ansvarig"), _("Klart senast"),
              _("Status"), _("Kommentar"), _("Svarar mot"), _("Historik")]
    rows = [[i.activity_id or "", i.unit_id, i.title, i.responsible,
             i.due.isoformat() if i.due else "", status_label(i.status, _lang()), i.comment,
             f"{i.answers_kind}:{i.answers_ref}" if i.answers_kind else "",
             "; ".join(f"{y}: {status_label(s, _lang())}" for y, s, _c in i.history)]
            for i in items]
    emit_rows(header, rows, fmt, output, title=_("Handlingsplan"))


def _lang() -> str:
    from models.i18n import cli_language

    return cli_language()


@guard
def set_(
    activity: Annotated[int, typer.Argument(help="Aktivitetens id (se actionplan list).")],
    status: Annotated[str, typer.Option("--status", help="genomford, paborjad eller "
                                                         "ej-paborjad.")],
    comment: Annotated[str | None, typer.Option("--comment", help="Kommentar.")] = None,
) -> None:
    """Sätt en aktivitets status (t.ex. hela organisationens). / Set an activity's status."""
    from models.records.plan import set_status

    from models import db

    db.migrate()
    with db.session() as session:
        row = set_status(activity, status, comment, session=session)
        typer.echo(_("Aktivitet {id}: {status}.", id=row.id, status=row.status))


@guard
def draft(year: YearOpt, now: NowOpt = None) -> None:
    """Skriv nästa års utkast: ej genomförda aktiviteter, valda riskåtgärder. / Draft next year."""
    from models.records.plan import draft_next

    from models import db

    db.migrate()
    with db.session() as session:
        carried, risks = draft_next(year, session=session, now=now_or_clock(now))
    typer.echo(_("Utkast {next}: {carried} aktiviteter överförda från {year}, {risks} "
                 "riskåtgärder tillagda.", next=year + 1, carried=carried, year=year, risks=risks))


@guard
def adopt(
    year: YearOpt,
    decision: Annotated[str, typer.Option("--decision", help="Beslutet, t.ex. "
                                                             "\"KS 2027-12-14 §220\".")],
    now: NowOpt = None,
) -> None:
    """Registrera styrelsens beslut om planen (en ny version). / Record the plan's adoption."""
    from models.records.plan import adopt as adopt_plan

    from models import db

    db.migrate()
    with db.session() as session:
        row = adopt_plan(year, decision, session=session, now=now_or_clock(now))
        typer.echo(_("Handlingsplan {year} version {version} antagen ({decision}), {n} "
                     "aktiviteter.", year=year, version=row.version, decision=row.decision,
                     n=len(row.activities)))


def register(main: typer.Typer) -> None:
    """Add the `actionplan` group to the main app."""
    app.command("add")(add)
    app.command("list")(list_)
    app.command("set")(set_)
    app.command("draft")(draft)
    app.command("adopt")(adopt)
    main.add_typer(app, name="actionplan")
