"""What every command shares: `guard` (one `fel:` line per problem, never a traceback for what a
user can fix), the global options, --now, and plain tables."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, TypeVar

import typer

from models.errors import InputError
from models.i18n import _

#: `--now`: the clock of a command, for time travel and dry runs.
NowOpt = Annotated[str | None, typer.Option("--now", help="Tidpunkt (ISO 8601) i stället för nu.")]

F = TypeVar("F", bound=Callable)

#: Options of the `arshjul` command itself (before the subcommand).
options = SimpleNamespace(verbose=False)


def guard(fn: F) -> F:
    """Wrap a command so what the user can fix prints `fel: …` lines on stderr, no traceback.

    Bad input (exit code 2) includes invalid ARSHJUL_* settings (e.g. ARSHJUL_LANGUAGE=de): one
    line per setting, in Swedish since the language setting itself may be what is wrong. A store
    or Prefect server that cannot be reached is one line saying what to do (exit code 1).
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from cli.failures import explain

        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            problems, code = exc.problems, 2
        except Exception as exc:
            found = explain(exc)
            if found is None:
                raise
            problems, code = found
        for problem in problems:
            typer.echo(f"fel: {problem}", err=True)
        raise typer.Exit(code)

    return wrapper  # type: ignore[return-value]


def write_output(data: bytes, output: Path | None) -> None:
    """`data` to stdout, or atomically to `output` (an unwritable path is `fel: -o: …`)."""
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(output)  # never a half-written file
    except OSError as exc:
        raise InputError(
            "-o: "
            + _("kan inte skriva {output}: {exc_strerror}", output=output, exc_strerror=exc.strerror)
        ) from exc
    typer.echo(f"Skrev {output} ({len(data)} byte).", err=True)


def resolve_now(text: str | None) -> datetime | None:
    """Parse a --now option (None when absent)."""
    from models.clock import parse_now

    return parse_now(text) if text else None


def now_or_clock(text: str | None) -> datetime:
    """The --now option's moment, else the clock's."""
    from models.clock import now

    return resolve_now(text) or now()


def render_table(headers: list[str], rows: list[list]) -> str:
    """A plain fixed-width text table."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_csv(rows: list[dict]) -> str:
    """Rows of dicts as CSV text with a header line."""
    import csv
    import io

    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


#: The formats of a listing that can also be exported (`register list`, `actionplan list`).
LIST_FORMATS = ("table", "csv", "xlsx")


def check_list_format(fmt: str, output: Path | None) -> None:
    """`--format` is one of LIST_FORMATS, and xlsx has a file to go to."""
    if fmt not in LIST_FORMATS:
        raise InputError("--format: " + _("'{fmt}' ska vara en av {choices}", fmt=fmt,
                                          choices=", ".join(LIST_FORMATS)))
    if fmt == "xlsx" and output is None:
        raise InputError("-o: " + _("--format xlsx behöver --output FIL"))


def emit_rows(header: list[str], rows: list[list], fmt: str, output: Path | None, *,
              title: str) -> None:
    """Rows as a table on the terminal, or as CSV/XLSX to `output` (CSV to stdout without one)."""
    from models.cycle.export import csv_text, xlsx_bytes

    if fmt == "table":
        typer.echo(render_table(header, rows))
        return
    data = (csv_text(header, rows).encode("utf-8") if fmt == "csv"
            else xlsx_bytes(header, rows, title=title))
    if output is None:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    output.write_bytes(data)
    typer.echo(_("Skrev {output} ({n} rader).", output=output, n=len(rows)), err=True)
