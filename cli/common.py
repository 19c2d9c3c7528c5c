"""What every command shares: turning InputError into one line per problem and exit code 2."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import ValidationError

from models.clock import parse_now
from models.errors import InputError
from models.i18n import _

#: `--now`: the clock of a command, for time travel and dry runs.
NowOpt = Annotated[str | None, typer.Option("--now", help="Tidpunkt (ISO 8601) i stället för nu.")]

F = TypeVar("F", bound=Callable)


def guard(fn: F) -> F:
    """Wrap a command so bad input prints `fel: …` lines on stderr and exits with code 2.

    Bad input includes invalid ARSHJUL_* settings (e.g. ARSHJUL_LANGUAGE=de): one line per
    setting, in Swedish since the language setting itself may be what is wrong.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            problems = exc.problems
        except ValidationError as exc:
            if exc.title != "Settings":
                raise
            problems = settings_problems(exc)
        except Exception as exc:  # PostgreSQL down: one line, not a traceback
            problems = [_unreachable_store(exc)]
        for problem in problems:
            typer.echo(f"fel: {problem}", err=True)
        raise typer.Exit(2)

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


def _unreachable_store(exc: Exception) -> str:
    """The `fel:` line of a store that cannot be reached; any other error is re-raised."""
    from sqlalchemy.exc import OperationalError  # imported by now by whatever failed

    from models.db import unreachable

    problem = unreachable() if isinstance(exc, OperationalError) else None
    if problem is None:
        raise exc
    return problem


def settings_problems(exc: ValidationError) -> list[str]:
    """`ARSHJUL_SEND_HOUR: ska vara högst 23`: one line per invalid setting (never its value)."""
    from models.yamlfile import error_text

    problems = []
    for err in exc.errors():
        name = "ARSHJUL_" + "_".join(str(part) for part in err["loc"]).upper()
        problems.append(f"{name}: {error_text(err)}")
    return problems


def resolve_now(text: str | None) -> datetime | None:
    """Parse a --now option (None when absent)."""
    return parse_now(text) if text else None


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
