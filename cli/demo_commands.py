"""Commands run by the demo in its own process, as the command line would run them."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from contextlib import _RedirectStream, redirect_stdout


def arshjul(command: Callable, **options) -> str:
    """Run an `arshjul` command's function in this process (its clock, its store), as the
    command line would with these options; what it printed."""
    quiet = logging.getLogger("tasks.watch_request")  # no deployment to ask in the demo: the
    level, quiet.level = quiet.level, logging.ERROR     # demo runs the clock watch itself
    out = io.StringIO()
    try:
        with redirect_stdout(out), redirect_stdin(io.StringIO()):  # nobody at a keyboard
            command(**options)
    except SystemExit as exc:  # the command's own `fel:` line (cli.common.guard)
        raise RuntimeError(f"{command.__name__}: {out.getvalue().strip()}") from exc
    finally:
        quiet.level = level
    return out.getvalue()


class redirect_stdin(_RedirectStream):  # noqa: N801 (contextlib's naming)
    """Like contextlib.redirect_stdout, for stdin: the commands see no terminal, ask nothing."""

    _stream = "stdin"
