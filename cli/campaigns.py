"""`arshjul campaign …`: start password-reset drives and training campaigns, sync, follow up."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Annotated

import typer

from cli.common import NowOpt, guard, render_csv, render_table, resolve_now
from models.errors import InputError
from models.i18n import _

campaign_app = typer.Typer(help="Kampanjer: utbildning och lösenordsbyten. / Campaigns.",
                           no_args_is_help=True)
start_app = typer.Typer(help="Starta en kampanj. / Start a campaign.", no_args_is_help=True)


def _now(text: str | None):
    from models.clock import now as clock_now

    return resolve_now(text) or clock_now()


def _tz(session) -> str:
    from models import organisation

    return organisation.info(session=session).timezone


def _deadline(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(_("--deadline: '{text}' är inget datum (ÅÅÅÅ-MM-DD)", text=text)) from exc


@guard
def start_password_reset(
    deadline: Annotated[str, typer.Option("--deadline", help="Sista dag (YYYY-MM-DD).")],
    population: Annotated[str, typer.Option("--population", help="all | unit:ID,ID…")] = "all",
    include_elected: Annotated[bool, typer.Option("--include-elected",
                                                  help="Ta med förtroendevalda.")] = False,
    force_change: Annotated[bool, typer.Option(
        "--force-change", help="Tvinga lösenordsbyte via Graph för dem som inte bytt vid "
        "sista dagen.")] = False,
    url: Annotated[str | None, typer.Option(
        "--url", help="Länk i påminnelserna, t.ex. sidan där man byter lösenord.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Visa vad som skulle hända.")] = False,
    now: NowOpt = None,
) -> None:
    """Starta ett lösenordsbyte för alla (eller några enheter). / Start a password-reset drive."""
    from sqlmodel import select

    from models import db
    from models.campaigns import store as campaign_store
    from models.campaigns.rules import local_now, parse_population
    from models.org import Unit

    at = _now(now)
    day = _deadline(deadline)
    db.migrate()
    with db.session() as s:
        units = set(s.exec(select(Unit.id)))
        try:
            rule = parse_population(population, units)
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        c = campaign_store.new_drive(now=at, deadline=day, start_day=local_now(at, _tz(s)).date(),
                                     population=rule, include_elected=include_elected,
                                     force_change=force_change,
                                     options={"url": url} if url else {})
        if not dry_run:
            s.add(c)
            s.flush()
        people = campaign_store.population(c, session=s)
        per_unit = Counter(p.unit_id or "(utan enhet)" for p in people.values())
    _print_start(c, people, per_unit, dry_run)


def _print_start(c, people: dict, per_unit: Counter, dry_run: bool) -> None:
    head = "Torrkörning: skulle starta" if dry_run else f"Startade kampanj {c.id}:"
    typer.echo(f"{head} lösenordsbyte för {len(people)} konton, sista dag {c.deadline}.")
    typer.echo(render_table(["enhet", "konton"], sorted(per_unit.items())))
    first, last = (c.remind_on[0], c.remind_on[-1]) if c.remind_on else ("-", "-")
    typer.echo(f"Påminnelser: {len(c.remind_on)} arbetsdagar ({first} – {last}); chefer får "
               f"listor {', '.join(c.escalate_on)}.")
    if c.force_change:
        typer.echo("Vid sista dagen tvingas lösenordsbyte via Graph för dem som inte bytt "
                   "(prova först: arshjul campaign force-change ID --dry-run).")
    if not people:
        typer.echo("Obs: ingen i populationen – har katalogen synkats? (arshjul campaign sync)")


@guard
def start_training(
    year: Annotated[int | None, typer.Option("--year", help="Cykelns år (standard i år).")] = None,
    now: NowOpt = None,
) -> None:
    """Starta årets utbildningskampanj från årshjulet. / Start the year's training campaign."""
    from sqlmodel import select

    from models import db
    from models.campaigns import store as campaign_store
    from models.campaigns.rules import local_now
    from models.cycle.tables import StepInstance

    at = _now(now)
    with db.session() as s:
        year = year or local_now(at, _tz(s)).year
        step = s.exec(select(StepInstance).where(
            StepInstance.year == year, StepInstance.step_id == campaign_store.TRAINING_STEP,
            StepInstance.retired_at.is_(None))).first()
        if step is None:
            step_id = campaign_store.TRAINING_STEP
            raise InputError(_("inget steg {step_id} planerat för {year} (kör: arshjul plan --year {year})", step_id=step_id, year=year))
        c = campaign_store.start_training(step, session=s, now=at, tz=_tz(s))
    typer.echo(f"Kampanj {c.id}: {c.title_sv} {year}, sista dag {c.deadline}, kurs "
               f"{c.options.get('course')}.")


@guard
def sync(
    now: NowOpt = None,
    deliver: Annotated[bool, typer.Option("--deliver/--no-deliver",
                                          help="Skicka det som blivit aktuellt.")] = True,
) -> None:
    """Synka katalogen och kampanjerna nu (samma som flödet `campaigns`). / Sync now."""
    from cli.progress import working
    from models.settings import get_settings
    from tasks.campaign_tasks import (
        close_campaigns_now,
        record_campaign_messages_now,
        refresh_campaigns_now,
    )
    from tasks.connectors.base import ConnectorError
    from tasks.deliver import deliver_due
    from tasks.directory_sync import sync_directory_now

    at, fresh = _now(now), True
    with working("Synkar katalogen …") as update:
        if get_settings().directory:
            try:
                typer.echo(f"Katalog: {json.dumps(sync_directory_now(at))}")
            except ConnectorError as exc:
                fresh = False  # as in the flow: remind from the last known state, close nothing
                typer.echo("fel: " + _("katalogen kunde inte läsas: {exc}", exc=exc), err=True)
        update("Går igenom kampanjerna …")
        typer.echo(f"Kampanjer: {json.dumps(refresh_campaigns_now(at))}")
        typer.echo(f"Registrerat: {json.dumps(record_campaign_messages_now(at))}")
        for closed in close_campaigns_now(at) if fresh else []:
            typer.echo(f"Avslutad: kampanj {closed['campaign']}, {closed['not_done']} inte klara.")
        if deliver:
            update("Levererar …")
            typer.echo(f"Levererat: {json.dumps(deliver_due(at))}")


@guard
def status(
    campaign_id: Annotated[int | None,
                           typer.Argument(help="Kampanjens id (utelämna: alla).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | json")] = "table",
    missing: Annotated[bool, typer.Option("--missing",
                                          help="Lista dem som inte är klara.")] = False,
) -> None:
    """Visa kampanjernas läge per enhet. / Show campaign progress per unit."""
    from sqlmodel import select

    from models import db
    from models.campaigns import store as campaign_store
    from models.campaigns.progress import missing_people, progress_table
    from models.campaigns.tables import Campaign

    if fmt not in ("table", "json"):
        raise InputError(_("--format: '{fmt}' ska vara en av table, json", fmt=fmt))
    with db.session() as s:
        if campaign_id is None:
            rows = [_summary(c, s) for c in s.exec(select(Campaign).order_by(Campaign.id))]
            headers = ["id", "typ", "sista dag", "läge", "personer", "klara", "procent"]
            out = rows
        else:
            c = campaign_store.get_campaign(campaign_id, session=s)
            out = progress_table(c, session=s)
            headers = list(out[0]) if out else []
            rows = out
            if missing:
                out = [{"id": m.person_id, "namn": m.name, "e-post": m.email, "enhet": m.unit_id}
                       for m in missing_people(c, session=s)]
                headers, rows = ["id", "namn", "e-post", "enhet"], out
    if fmt == "json":
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2, default=str))
    elif rows:
        typer.echo(render_table(headers, [list(r.values()) for r in rows]))
    else:
        typer.echo("Inga kampanjer." if campaign_id is None else "Ingen saknas.")


def _summary(c, s) -> dict:
    from models.campaigns.progress import state_label, totals, unit_progress

    total = totals(unit_progress(c, session=s))
    return {"id": c.id, "typ": c.kind, "sista dag": c.deadline.isoformat(), "läge": state_label(c),
            "personer": total.members, "klara": total.done, "procent": total.percent}


@guard
def it_list(
    campaign_id: Annotated[int, typer.Argument(help="Lösenordskampanjens id.")],
    fmt: Annotated[str, typer.Option("--format", help="csv | table")] = "csv",
) -> None:
    """Konton som inte bytt lösenord (för IT). / Accounts that did not change password."""
    from models import db
    from models.campaigns import store as campaign_store
    from models.campaigns.progress import missing_people

    with db.session() as s:
        c = campaign_store.get_campaign(campaign_id, session=s)
        rows = [{"id": m.external_id, "namn": m.name, "e-post": m.email, "enhet": m.unit_id or "",
                 "tvingat": "ja" if m.forced else "nej"} for m in missing_people(c, session=s)]
    if fmt == "csv":
        typer.echo(render_csv(rows) or "id,namn,e-post,enhet,tvingat", nl=False)
    elif fmt == "table":
        typer.echo(render_table(["id", "namn", "e-post", "enhet", "tvingat"],
                                [list(r.values()) for r in rows]))
    else:
        raise InputError(_("--format: '{fmt}' ska vara en av csv, table", fmt=fmt))


@guard
def force_change(
    campaign_id: Annotated[int, typer.Argument(help="Lösenordskampanjens id.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Räkna bara, ändra inget.")] = False,
    now: NowOpt = None,
) -> None:
    """Tvinga lösenordsbyte vid nästa inloggning via Graph. / Force a password change."""
    from tasks.connectors.base import ConnectorError
    from tasks.force_change import force_password_changes_now

    try:
        result = force_password_changes_now(campaign_id, _now(now), dry_run=dry_run)
    except ConnectorError as exc:  # what was forced before the failure is recorded
        typer.echo("fel: " + _("avbrutet; kontona som hann tvingas är sparade: {exc}", exc=exc),
                   err=True)
        raise typer.Exit(1) from exc
    if dry_run:
        typer.echo(f"Torrkörning: {result['would_force']} konton skulle tvingas byta lösenord.")
    else:
        typer.echo(f"Tvingat byte för {result['forced']} konton ({result['not_found']} fanns "
                   "inte längre i katalogen).")


@guard
def cancel(campaign_id: Annotated[int, typer.Argument(help="Kampanjens id.")],
           now: NowOpt = None) -> None:
    """Avbryt en kampanj: inga fler påminnelser. / Cancel a campaign."""
    from models import db
    from models.campaigns import store as campaign_store
    from models.campaigns.directory import aware_utc

    with db.session() as s:
        c = campaign_store.get_campaign(campaign_id, session=s)
        c.cancelled_at = aware_utc(_now(now))
        s.add(c)
    typer.echo(f"Kampanj {campaign_id} avbruten.")


def register(app: typer.Typer) -> None:
    """Add `arshjul campaign …` to the app."""
    start_app.command("password-reset")(start_password_reset)
    start_app.command("training")(start_training)
    campaign_app.add_typer(start_app, name="start")
    for name, fn in (("sync", sync), ("status", status), ("it-list", it_list),
                     ("force-change", force_change), ("cancel", cancel)):
        campaign_app.command(name)(fn)
    app.add_typer(campaign_app, name="campaign")
