"""Commands of the response portal: `form validate`, `portal`, `responses export`."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.common import guard

form_app = typer.Typer(help="Frågeformulär (questionnaires) under wheel/forms/.", no_args_is_help=True)
responses_app = typer.Typer(help="Inskickade svar (submitted responses).", no_args_is_help=True)


@form_app.command("validate")
@guard
def form_validate(file: Path = typer.Argument(..., help="The form YAML file to check.")) -> None:
    """Check a questionnaire file; each problem names file, line and field (exit 2)."""
    from models.forms import load_form

    form = load_form(file)
    typer.echo(f"ok: {form.id}: {len(form.sections)} sections, {len(form.questions)} questions")


@responses_app.command("export")
@guard
def responses_export(
    step: str = typer.Option(..., "--step", help="Step id of the wheel, e.g. riskanalys."),
    year: int | None = typer.Option(None, "--year", help="Cycle year (default: the latest)."),
    fmt: str = typer.Option("csv", "--format", help="csv, xlsx or json."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (default: standard output; xlsx needs a file)."
    ),
) -> None:
    """Export the latest submitted answers of a step, one row per assignment (and table row)."""
    from portal.export import export_responses

    data = export_responses(step, year=year, fmt=fmt, to_file=output is not None)
    if output is None:
        typer.echo(data, nl=False)
    else:
        output.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        typer.echo(f"ok: wrote {output}")


def portal_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port."),
) -> None:
    """Serve the response portal (uvicorn) where department contacts answer through signed links."""
    from portal.server import serve

    serve(host=host, port=port)


def register(app: typer.Typer) -> None:
    """Add the portal's commands to the `arshjul` app."""
    app.add_typer(form_app, name="form")
    app.add_typer(responses_app, name="responses")
    app.command("portal")(guard(portal_command))
