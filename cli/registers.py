"""Register commands: add a row, list or export a register (docs/registers.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import NowOpt, check_list_format, emit_rows, guard, now_or_clock
from models.errors import InputError
from models.i18n import _, cli_language

app = typer.Typer(
    help="Registren: informationstillgångar, molntjänster, NIS2, registerförteckning. "
    "/ The registers.",
    no_args_is_help=True,
)
NameArg = Annotated[str, typer.Argument(help="informationstillgangar, molntjanster, nis2, "
                                              "nis2-organisation eller behandlingar.")]


def _fields(pairs: list[str]) -> dict[str, str]:
    out, problems = {}, []
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            problems.append("--set: " + _("'{pair}' ska skrivas NAMN=VÄRDE", pair=pair))
        out[name.strip()] = value
    if problems:
        raise InputError(problems)
    return out


@guard
def add(
    name: NameArg,
    scope: Annotated[str, typer.Option("--scope", help="Förvaltningens eller nämndens id.")] = "",
    fields: Annotated[list[str] | None, typer.Option("--set", help="Fält: NAMN=VÄRDE "
                                                                   "(kan upprepas).")] = None,
    now: NowOpt = None,
) -> None:
    """Lägg till eller ändra en rad i ett register. / Add or change a register row."""
    from models.records.registers import add_entry

    values = _fields(fields or [])
    from models import db

    db.migrate()
    with db.session() as session:
        entry = add_entry(name, scope, values, session=session, lang=cli_language(),
                          now=now_or_clock(now))
        typer.echo(_("{register}: '{key}' sparad ({scope}).", register=name, key=entry.key,
                     scope=scope or _("hela organisationen")))


@guard
def list_(
    name: NameArg,
    fmt: Annotated[str, typer.Option("--format", help="table, csv eller xlsx.")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Utfil.")] = None,
) -> None:
    """Visa eller exportera ett register. / List or export a register."""
    from models.records.registers import register, table

    register(name)
    check_list_format(fmt, output)
    from models import db

    db.migrate()
    with db.session() as session:
        header, rows = table(name, session=session, lang=cli_language())
    emit_rows(header, rows, fmt, output, title=name)


def register(main: typer.Typer) -> None:
    """Add the `register` group to the main app."""
    app.command("add")(add)
    app.command("list")(list_)
    main.add_typer(app, name="register")
