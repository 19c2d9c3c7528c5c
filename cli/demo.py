"""`arshjul demo`: a whole year of the annual cycle on embedded defaults, in one command."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add `demo` to the `arshjul` app (filled in below)."""
