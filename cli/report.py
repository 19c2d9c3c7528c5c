"""Report commands: report, figures import, calendar, and `wheel draw`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import guard, resolve_now, write_output
from models.errors import InputError
from models.i18n import _, gettext

figures_app = typer.Typer(
    help="Siffror från tidigare år (incidenter, Infosäkkollen, handlingsplan). "
    "/ Earlier years' figures.",
    no_args_is_help=True,
)
REPORT_FORMATS = ("md", "html", "docx", "pdf")
LANGS = ("sv", "en")


def _bad_lang(lang: str) -> str:
    return "--lang: " + _("'{lang}' ska vara sv eller en", lang=lang)


def _local_today(at):
    from models import db, organisation

    with db.session() as session:
        org = organisation.info(session=session)
    return org.today(at), org.language


@guard
def report(
    year: Annotated[int, typer.Option("--year", help="Rapportåret.")],
    fmt: Annotated[str, typer.Option("--format", help="md, html, docx eller pdf.")] = "html",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Utfil (standard: stdout för md/html).")
    ] = None,
    text: Annotated[
        Path | None, typer.Option("--text", help="Samordnarens egen text (Markdown) per avsnitt.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="sv eller en (standard: organisationens språk).")
    ] = None,
    now: Annotated[
        str | None, typer.Option("--now", help="Klocka (ISO 8601) för 'idag' i årshjulet.")
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", help="Egen Word-mall (.docx) för docx och pdf.")
    ] = None,
    to_check: Annotated[
        bool, typer.Option("--to-check", help="Samordnarens exemplar: med det att kontrollera.")
    ] = False,
) -> None:
    """Skriv årsrapporten "Uppföljning och utvärdering". / Write the annual report."""
    from cli.progress import working
    from models import db
    from models.clock import now as clock_now
    from models.report.build import build_report
    from models.report.plausibility import coordinator_copy
    from models.report.render import render

    problems = []
    if fmt not in REPORT_FORMATS:
        choices = ", ".join(REPORT_FORMATS)
        problems.append(
            "--format: "
            + _("'{fmt}' ska vara en av {choices}", fmt=fmt, choices=choices)
        )
    if lang is not None and lang not in LANGS:
        problems.append(_bad_lang(lang))
    if fmt in ("docx", "pdf") and output is None:
        problems.append(
            "-o: "
            + _("en DOCX-rapport behöver en utfil (-o rapport.docx)")
        )
    if template is not None and not template.is_file():
        problems.append("--template: " + _("{path} finns inte", path=template))
    prose = ""
    if text is not None:
        try:
            prose = text.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                "--text: " + _("kan inte läsa {text}: {exc}", text=text, exc=exc)
            )
    if problems:
        raise InputError(problems)
    db.migrate()
    today, org_lang = _local_today(resolve_now(now) or clock_now())
    with working(f"Skriver årsrapporten {year} …"):
        with db.session() as session:
            content = build_report(
                year, session=session, lang=lang or org_lang, prose_text=prose, today=today
            )
        data = render(coordinator_copy(content) if to_check else content, fmt, template=template)
    write_output(data, output)
    if content.to_check:
        typer.echo(_("{count} uppgifter att kontrollera före styrelsen (se --to-check).",
                     count=len(content.to_check)), err=True)


@guard
def figures_import(
    file: Annotated[
        Path, typer.Argument(help="Siffror för tidigare år (YAML eller CSV), se docs/report.md.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validera och räkna, skriv inget.")
    ] = False,
) -> None:
    """Importera siffror för tidigare år; allt eller inget. / Import earlier years' figures."""
    from models import db
    from models.report.figures_import import import_figures

    db.migrate()
    with db.session() as session:
        years = import_figures(file, session=session, dry_run=dry_run)
    prefix = "Torrkörning: skulle ha importerat" if dry_run else "Importerat"
    for y in years:
        typer.echo(
            f"{prefix} {y.year}: {len(y.incidents)} incidentsiffror, "
            f"{len(y.maturity)} Infosäkkollen-områden, {len(y.actions)} aktiviteter"
        )


@guard
def calendar(
    output: Annotated[Path, typer.Option("-o", "--output", help="Utfil (.ics).")],
    person: Annotated[str | None, typer.Option("--person", help="Personens id.")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Förvaltningens/bolagets/förbundets id.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Alla steg (samordnarens översikt).")] = False,
    year: Annotated[
        list[int] | None, typer.Option("--year", help="Bara detta år (kan upprepas).")
    ] = None,
    now: Annotated[str | None, typer.Option("--now", help="Klocka (ISO 8601).")] = None,
    openings: Annotated[
        bool, typer.Option("--openings", help="Öppningsdagarna i stället för deadlines.")
    ] = False,
) -> None:
    """Exportera årets deadlines som iCalendar (.ics). / Export deadlines as iCalendar."""
    from models import db
    from models.clock import now as clock_now
    from models.cycle import calendar_feed as feed
    from models.org import Person, Unit

    chosen = [flag for flag, on in (("--person", person), ("--unit", unit), ("--all", all_)) if on]
    if len(chosen) != 1:
        raise InputError(
            _("ange precis en av --person ID, --unit ID och --all")
        )
    db.migrate()
    at = resolve_now(now) or clock_now()
    with db.session() as session:
        lang = _local_today(at)[1]
        if person:
            items = feed.items_for_person(person, session=session, years=year)
            name = f"Årshjul – {session.get(Person, person).name}"
        elif unit:
            items = feed.items_for_unit(unit, session=session, years=year)
            name = f"Årshjul – {session.get(Unit, unit).name}"
        else:
            items = feed.items_for_all(session=session, years=year)
            name = "Årshjul"
        data = feed.build_calendar(items, name=name, now=at, lang=lang, person_id=person,
                                   openings=openings)
    write_output(data, output)
    typer.echo(f"{len(items)} uppdrag, {len(items)} händelser.", err=True)
    if person:
        typer.echo(f"Prenumerera: {feed.subscription_url(person, at)}", err=True)


@guard
def wheel_draw(
    year: Annotated[int, typer.Option("--year", help="Året att rita.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Utfil (.svg).")],
    wheel: Annotated[
        Path | None, typer.Option("--wheel", help="Egen årshjulsfil (om året inte är planerat).")
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="sv eller en.")] = None,
    now: Annotated[str | None, typer.Option("--now", help="Klocka (ISO 8601) för 'idag'.")] = None,
) -> None:
    """Rita året som ett årshjul (SVG). / Draw the year as a wheel (SVG)."""
    from models import db
    from models.clock import now as clock_now
    from models.cycle.draw import draw_wheel, steps_for_year

    if lang is not None and lang not in LANGS:
        raise InputError(_bad_lang(lang))
    db.migrate()
    today, org_lang = _local_today(resolve_now(now) or clock_now())
    lang = lang or org_lang
    with db.session() as session:
        steps = steps_for_year(year, session=session, lang=lang, wheel_path=wheel)
    title = gettext("Årshjul {year}", lang, year=year)
    write_output(draw_wheel(steps, year, today=today, lang=lang, title=title).encode("utf-8"), output)


def register(app: typer.Typer) -> None:
    """Add report, figures, calendar, and `wheel draw` to the main app."""
    app.command("report")(report)
    figures_app.command("import")(figures_import)
    app.add_typer(figures_app, name="figures")
    app.command("calendar")(calendar)
    _wheel_group(app).command("draw")(wheel_draw)


def _wheel_group(app: typer.Typer) -> typer.Typer:
    """The `wheel` sub-app the foundation registers (created here if it is absent)."""
    for group in app.registered_groups:
        if group.name == "wheel" and group.typer_instance is not None:
            return group.typer_instance
    wheel_app = typer.Typer(help="Årshjulet. / The annual wheel.", no_args_is_help=True)
    app.add_typer(wheel_app, name="wheel")
    return wheel_app
