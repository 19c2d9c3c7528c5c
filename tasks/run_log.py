"""The logger a flow writes its one line of counts to."""

from __future__ import annotations

import logging


def run_logger() -> logging.Logger | logging.LoggerAdapter:
    """Prefect's logger of the current flow run; a plain logger when the flow's body runs in the
    command's own process without Prefect (cli/launch.py, no server), where there is no run."""
    from prefect import get_run_logger
    from prefect.exceptions import MissingContextError

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("arshjul.flows")
