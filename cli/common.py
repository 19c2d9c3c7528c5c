"""What every command shares: `guard` (one `fel:` line per problem, never a traceback for what a
user can fix), the global options, --now, and plain tables."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Annotated, TypeVar

import typer

from models.errors import InputError

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
