"""Where a command's flow runs, and running it there.

1. PREFECT_API_URL is set (environment or Prefect profile): a flow run on that server.
2. Else, if `arshjul serve` runs for this store: a flow run on serve's server (serve writes its
   address into the store's home), so manual runs appear in the same UI.
3. Else: the same flow body in this process, without any Prefect server, and one line saying the
   run is not recorded in the UI. Prefect's temporary ("ephemeral") server is never started.

Prefect cannot run a flow without an API, so case 3 calls the flow's plain function (`flow.fn`)
and makes every task call inside it run the task's plain function: the task engine's entry point
(`prefect.task_engine.run_task`, which `Task.__call__` looks up on each call) is replaced for the
duration of the run. Tasks that only leave artifacts in the UI (`publish_*`) are skipped, since
there is no UI to publish to; Prefect's retries are not repeated (every flow is a reconciliation:
running the command again does what is left). The same seam reports each finished task to the
terminal's progress display in every case.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from models.i18n import _

#: Tasks that only leave artifacts in the Prefect UI; nothing to do when there is no UI.
UI_ONLY_PREFIX = "publish_"

#: Environment of every Prefect use in this process: no temporary server, no telemetry.
NO_EPHEMERAL = {
    "PREFECT_SERVER_EPHEMERAL_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}

OnTask = Callable[[str, object], None]


@dataclass(frozen=True)
class Target:
    """Where a flow runs: a Prefect API (case 1 or 2) or this process (case 3, api_url "")."""

    api_url: str
    source: str  # "env" | "serve" | ""

    def line(self) -> str:
        """The one line that says where the run goes."""
        if self.source == "env":
            return _("Körs som flödeskörning i Prefect ({url}).", url=self.api_url)
        if self.source == "serve":
            return _("Körs som flödeskörning i `arshjul serve`:s Prefect ({url}).",
                     url=self.api_url)
        return _("Ingen Prefect-server (PREFECT_API_URL saknas, `arshjul serve` kör inte): "
                 "körs här, körningen syns inte i Prefect UI.")


def find_target() -> Target:
    """Case 1, 2 or 3 of the module docstring, decided without importing Prefect."""
    from cli.failures import unreachable
    from models.errors import ArshjulError
    from models.settings import get_settings
    from tasks.connectors.prefect_api import answers, configured_api_url, serve_api_url

    if url := configured_api_url():
        if not answers(url):  # say so now, not after Prefect's client retried for a minute
            raise ArshjulError(unreachable(url, _("ingen kontakt")))
        return Target(url, "env")
    settings = get_settings()
    if url := serve_api_url(settings.home, settings.resolved_database_url):
        return Target(url, "serve")
    return Target("", "")


def run_flow(module: str, name: str, target: Target, *, verbose: bool = False,
             on_task: OnTask | None = None, **parameters):
    """Run flow `name` of `module` (e.g. `flows.tick`, `tick`) at `target`; returns its result."""
    import importlib
    import sys

    if "prefect" not in sys.modules:  # a command's process: Prefect's root settings too
        os.environ.update(NO_EPHEMERAL)
        if target.api_url:
            os.environ["PREFECT_API_URL"] = target.api_url
    flow = getattr(importlib.import_module(module), name)
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_EPHEMERAL_ENABLED,
        temporary_settings,
    )

    updates = {PREFECT_SERVER_EPHEMERAL_ENABLED: False, PREFECT_API_URL: target.api_url or None}
    settled = all(setting.value() == value for setting, value in updates.items())
    # copying Prefect's settings costs 0.2 s, more than a quiet tick's SQL: only when they differ
    with (nullcontext() if settled else temporary_settings(updates=updates)), \
            console_logs(verbose):
        if target.api_url:
            with _task_calls(_observed, on_task):
                return flow(**parameters)
        with _task_calls(_plain, on_task):
            return flow.fn(**parameters)


@contextmanager
def _task_calls(runner, on_task: OnTask | None) -> Iterator[None]:
    """Within: each task call goes through `runner(original, on_task, task, ...)`."""
    import prefect.task_engine as engine

    original = engine.run_task

    def run_task(task, *args, **kwargs):
        return runner(original, on_task, task, *args, **kwargs)

    engine.run_task = run_task
    try:
        yield
    finally:
        engine.run_task = original


def _observed(original, on_task: OnTask | None, task, *args, **kwargs):
    """A task run through Prefect's engine, reported to `on_task` when it is done."""
    result = original(task, *args, **kwargs)
    if on_task:
        on_task(task.name, result)
    return result


def _plain(_original, on_task: OnTask | None, task, parameters=None, return_type="result",
           **_ignored):
    """The task's plain function, no task run and no API; a state when one was asked for."""
    from prefect.states import Completed, Failed

    result = None
    try:
        if not task.name.startswith(UI_ONLY_PREFIX):
            result = task.fn(**(parameters or {}))
    except Exception as exc:
        if return_type != "state":
            raise
        return Failed(data=exc, message=f"{type(exc).__name__}: {exc}")
    if on_task:
        on_task(task.name, result)
    return Completed(data=result) if return_type == "state" else result


@contextmanager
def console_logs(verbose: bool) -> Iterator[None]:
    """Prefect's per-run INFO lines stay off the terminal unless --verbose (the API gets them)."""
    import logging

    handlers = [] if verbose else _prefect_console_handlers()
    levels = [h.level for h in handlers]
    for handler in handlers:
        handler.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels, strict=True):
            handler.setLevel(level)


def _prefect_console_handlers() -> list:
    import logging

    from prefect.logging.handlers import PrefectConsoleHandler

    names = [n for n in logging.Logger.manager.loggerDict if n.startswith("prefect")]
    loggers = [logging.getLogger(), *map(logging.getLogger, names)]
    return [h for lg in loggers for h in lg.handlers if isinstance(h, PrefectConsoleHandler)]


def launch(module: str, name: str, text: str, **parameters):
    """A command's flow where it belongs, with the where-line and progress on the terminal."""
    import typer

    from cli.common import options
    from cli.progress import TaskProgress, working

    target = find_target()
    typer.echo(target.line(), err=True)
    with working(text) as update:
        return run_flow(module, name, target, verbose=options.verbose,
                        on_task=TaskProgress(update), **parameters)
