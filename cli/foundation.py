"""Foundation commands: init, org import, wheel validate/show, plan, status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.common import guard, render_csv, render_table, resolve_now
from models.errors import InputError
from models.i18n import _

wheel_app = typer.Typer(help="Årshjulet: validera, visa och rita. / The annual wheel.", no_args_is_help=True)
org_app = typer.Typer(help="Organisationen: importera nämnder, förvaltningar och personer.", no_args_is_help=True)

FORMATS = ("table", "json", "csv")


def _check_format(value: str, allowed=FORMATS) -> str:
    if value not in allowed:
        choices = ", ".join(allowed)
        raise InputError(
            "--format: "
            + _("'{value}' ska vara en av {choices}", value=value, choices=choices)
        )
    return value


@guard
def init() -> None:
    """Skapa eller uppgradera lagret (idempotent). / Create or upgrade the store."""
    from models import db

    heads = db.migrate()
    typer.echo(f"Lagret är klart (schema {heads}).")


@guard
def org_import(
    file: Annotated[Path, typer.Argument(help="Organisationsfil (YAML), se docs/organisation.md.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validera och räkna, skriv inget.")] = False,
) -> None:
    """Importera organisationen från FILE; allt eller inget. / Import the organisation."""
    from models import db
    from models.org_import import import_org

    db.migrate()
    with db.session() as session:
        result = import_org(file, session=session, dry_run=dry_run)
    prefix = "Torrkörning: skulle ha" if dry_run else "Importerat:"
    for label in ("boards", "units", "people"):
        sv = {"boards": "nämnder", "units": "förvaltningar/bolag/förbund", "people": "personer"}[label]
        typer.echo(
            f"{prefix} {sv}: {result.created[label]} nya, {result.updated[label]} ändrade, "
            f"{result.deactivated[label]} avaktiverade"
        )


@guard
def wheel_validate(
    file: Annotated[Path, typer.Argument(help="Årshjulsfil (YAML).")],
) -> None:
    """Kontrollera en årshjulsfil. / Validate a wheel file."""
    from models.cycle.wheel import load_wheel

    wheel = load_wheel(file)
    typer.echo(f"{file.name}: {len(wheel.steps)} steg, inga fel.")


@guard
def wheel_show(
    year: Annotated[int, typer.Option("--year", help="Cykelns år.")],
    wheel: Annotated[Path | None, typer.Option("--wheel", help="Egen årshjulsfil.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
) -> None:
    """Visa årets steg med datum efter helgjustering. / Show each step's dates."""
    from models.cycle.wheel import instances, load_wheel

    _check_format(fmt, ("table", "json"))
    spec = load_wheel(wheel)
    rows = [
        {"step": d.key, "phase": s.phase, "kind": s.kind, "title": s.title.sv,
         "opens": d.opens.isoformat(), "due": d.due.isoformat()}
        for s in spec.steps for d in instances(s, year)
    ]
    rows.sort(key=lambda r: (r["opens"], r["step"]))
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    typer.echo(render_table(["Steg", "Fas", "Typ", "Titel", "Öppnar", "Sista dag"],
                            [list(r.values()) for r in rows]))


@guard
def plan(
    year: Annotated[int, typer.Option("--year", help="Året som planeras.")],
    wheel: Annotated[Path | None, typer.Option("--wheel", help="Egen årshjulsfil.")] = None,
) -> None:
    """Planera året: steg med datum och uppdrag per nämnd/förvaltning. / Plan the year."""
    from cli.progress import working
    from models import db
    from models.cycle.planning import plan_cycle

    db.migrate()
    with working(f"Planerar {year} …"), db.session() as session:
        r = plan_cycle(year, session=session, wheel_path=wheel)
    typer.echo(
        f"Planerat {r.year}: {r.steps} steg, {r.instances} tillfällen, {r.assignments_total} uppdrag "
        f"({r.assignments_created} nya, {r.assignments_retired} avslutade)."
    )


@guard
def status(
    year: Annotated[int | None, typer.Option(
        "--year", help="År (standard: cykeln som pågår i dag, första raden säger vilken).")] = None,
    step: Annotated[str | None, typer.Option("--step", help="Visa uppdragen för ett steg.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json | csv")] = "table",
    now: Annotated[str | None, typer.Option("--now", help="Tidpunkt (ISO 8601) att visa läget vid.")] = None,
) -> None:
    """Visa läget per steg, eller per uppdrag med --step. / Show progress."""
    from models import db
    from models.clock import now as clock_now
    from models.cycle.status import assignment_status, step_status
    from models.notify import ledger

    _check_format(fmt)
    at = resolve_now(now) or clock_now()
    with db.session() as session:
        year, first_line = _year_shown(year, at, session)
        rows = (
            assignment_status(year, step, at, session=session)
            if step else step_status(year, at, session=session)
        )
        undelivered = ledger.problems(session=session)
    if not rows:
        raise InputError(
            "--year: "
            + _("inget är planerat för {year}: kör `arshjul plan --year {year}`", year=year)
        )
    if first_line:  # on stderr for json/csv, so their output stays machine-readable
        typer.echo(first_line, err=fmt != "table")
    _print_status(rows, fmt, bool(step))
    if fmt == "table" and undelivered:
        _print_undelivered(undelivered)


def _year_shown(year: int | None, at, session) -> tuple[int, str]:
    """--year as given, else the cycle in progress and the line saying which (and why)."""
    from models.cycle.status import cycle_in_progress, cycle_line, local_today
    from models.i18n import cli_language

    if year:
        return year, ""
    choice = cycle_in_progress(local_today(at, session=session), session=session)
    if choice is None:
        year = local_today(at, session=session).year
        raise InputError(
            "--year: "
            + _("inget är planerat för {year}: kör `arshjul plan --year {year}`", year=year)
        )
    return choice.year, cycle_line(choice, cli_language())


def _print_undelivered(rows) -> None:
    typer.echo(f"\nMeddelanden som inte gått att leverera efter sista försöket: {len(rows)}")
    typer.echo(render_table(
        ["Id", "Typ", "Gäller", "Mottagare", "Försök", "Senaste fel"],
        [[r.id, r.kind, r.subject, r.recipient_id, r.attempts, (r.last_error or "")[:60]]
         for r in rows]))


def _print_status(rows, fmt: str, per_assignment: bool) -> None:
    from models.cycle.status import as_dicts, state_label

    if fmt == "json":
        typer.echo(json.dumps(as_dicts(rows), ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        typer.echo(render_csv(as_dicts(rows)), nl=False)
    elif per_assignment:
        typer.echo(render_table(
            ["Steg", "Uppdrag", "Omfattning", "Inlämnat", "Försenat"],
            [[r.step, r.assignment_id, r.scope_name,
              r.submitted_at.strftime("%Y-%m-%d") if r.submitted_at else "-",
              "ja" if r.overdue else ""] for r in rows]))
    else:
        typer.echo(render_table(
            ["Steg", "Titel", "Öppnar", "Sista dag", "Läge", "Inlämnat", "Försenat"],
            [[r.key, r.title, r.opens, r.due, state_label(r.state), f"{r.submitted}/{r.total}",
              r.overdue] for r in rows]))




def register(app: typer.Typer) -> None:
    """Add the foundation commands to the `arshjul` app."""
    app.command("init")(init)
    org_app.command("import")(org_import)
    app.add_typer(org_app, name="org")
    wheel_app.command("validate")(wheel_validate)
    wheel_app.command("show")(wheel_show)
    app.add_typer(wheel_app, name="wheel")
    app.command("plan")(plan)
    app.command("status")(status)
