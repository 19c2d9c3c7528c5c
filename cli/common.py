"""What every command shares: turning InputError into one line per problem and exit code 2."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import typer

from models.clock import parse_now
from models.errors import InputError

F = TypeVar("F", bound=Callable)


def guard(fn: F) -> F:
    """Wrap a command so bad input prints `fel: …` lines on stderr and exits with code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                typer.echo(f"fel: {problem}", err=True)
            raise typer.Exit(2) from exc

    return wrapper  # type: ignore[return-value]


def resolve_now(text: str | None) -> datetime | None:
    """Parse a --now option (None when absent)."""
    return parse_now(text) if text else None
