"""The `arshjul` command: one Typer app, each area's commands in its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="arshjul",
    help="Årshjulet för informationssäkerhet och dataskydd — the annual cycle of a municipality's "
    "information-security and data-protection work.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each area module exposes `register(app)`; commands wrap themselves with cli.common.guard.
    from cli import (
        actionplan,
        campaigns,
        demo,
        engine,
        foundation,
        incident_tools,
        incidents,
        portal,
        registers,
        report,
        serve,
    )

    for module in (foundation, portal, serve, demo, incidents, incident_tools, engine, report,
                   campaigns, actionplan, registers):
        module.register(app)


_register()


def main() -> None:
    """Console entry point."""
    app()
