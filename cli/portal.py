"""Commands of the response portal: `form validate`, `portal`, `responses export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import guard, write_output
from models.i18n import _

form_app = typer.Typer(
    help="Frågeformulär: validera. / Questionnaires (wheel/forms).", no_args_is_help=True
)
responses_app = typer.Typer(
    help="Inskickade svar: exportera. / Submitted responses.", no_args_is_help=True
)


@form_app.command("validate")
@guard
def form_validate(
    file: Annotated[Path, typer.Argument(help="Frågeformulär (YAML), se docs/portal.md.")],
) -> None:
    """Kontrollera ett frågeformulär. / Check a questionnaire file (errors name file and line)."""
    from models.cycle.forms import load_form

    form = load_form(file)
    sections, questions = len(form.sections), len(form.questions)
    typer.echo(
        _("ok: {form_id}: {sections} avsnitt, {questions} frågor", form_id=form.id, sections=sections, questions=questions)
    )


@responses_app.command("export")
@guard
def responses_export(
    step: Annotated[str, typer.Option("--step", help="Stegets id, t.ex. riskanalys.")],
    year: Annotated[int | None, typer.Option("--year", help="År (standard: det senaste).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx eller json.")] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Fil att skriva (xlsx kräver fil).")
    ] = None,
) -> None:
    """Exportera stegets senaste svar. / Export a step's latest answers (csv, xlsx, json)."""
    from models.cycle.export import export_responses

    data = export_responses(step, year=year, fmt=fmt, to_file=output is not None)
    if output is None:
        typer.echo(data, nl=False)
    else:
        write_output(data if isinstance(data, bytes) else data.encode("utf-8"), output)


def portal_command(
    host: Annotated[str, typer.Option("--host", help="Adress att lyssna på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP-port.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Antal processer.")] = 1,
) -> None:
    """Starta svarsportalen. / Serve the response portal where contacts answer via signed links."""
    from portal.server import serve

    serve(host=host, port=port, workers=workers)


def register(app: typer.Typer) -> None:
    """Add the portal's commands to the `arshjul` app."""
    app.add_typer(form_app, name="form")
    app.add_typer(responses_app, name="responses")
    app.command("portal")(guard(portal_command))
