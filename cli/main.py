"""The `arshjul` command: one Typer app, each area's commands in its own module.

Modules import only Typer at the top; the store, Prefect and the rest load inside the commands
that need them, so `arshjul --help` and the store-only commands start in a fraction of a second.
"""

from __future__ import annotations

import typer

from cli.common import options

app = typer.Typer(
    name="arshjul",
    help="Årshjulet för informationssäkerhet och dataskydd — the annual cycle of a municipality's "
    "information-security and data-protection work.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root(
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Visa Prefects loggrader. / Show Prefect's log lines."
    ),
) -> None:
    """Årshjulet för informationssäkerhet och dataskydd. / The annual cycle."""
    options.verbose = verbose


def _register() -> None:
    # Each area module exposes `register(app)`; commands wrap themselves with cli.common.guard.
    from cli import (
        campaigns,
        demo,
        engine,
        foundation,
        incident_tools,
        incidents,
        ledger,
        portal,
        report,
        serve,
    )

    for module in (foundation, portal, serve, demo, incidents, incident_tools, engine, ledger,
                   report, campaigns):
        module.register(app)


_register()


def main() -> None:
    """Console entry point."""
    app()
