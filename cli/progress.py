"""Progress of long work on the terminal: rich, on stderr, nothing when that is not a terminal."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Update = Callable[[str], None]


@contextmanager
def working(text: str) -> Iterator[Update]:
    """A spinner, `text` and the elapsed time while the block runs; yields `update(text)`."""
    if not sys.stderr.isatty():
        yield lambda _text: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    # Lines printed meanwhile go above the display when stdout is this terminal too.
    with Progress(*columns, console=Console(stderr=True), transient=True,
                  redirect_stdout=sys.stdout.isatty()) as progress:
        task = progress.add_task(text, total=None)
        yield lambda new: progress.update(task, description=new)


class TaskProgress:
    """Turns the finished tasks of a flow run into progress text (counts only)."""

    def __init__(self, update: Update) -> None:
        self.update = update
        self.delivered: Counter = Counter()

    def __call__(self, name: str, result: object) -> None:
        counts = result if isinstance(result, dict) else {}
        if name == "deliver_messages":
            self.delivered.update(batches=1, recipients=counts.get("recipients", 0),
                                  messages=counts.get("messages", 0))
            more = " …" if counts.get("remaining") else ""
            self.update(f"Levererat till {self.delivered['recipients']} mottagare "
                        f"({self.delivered['messages']} meddelanden, omgång "
                        f"{self.delivered['batches']}){more}")
        elif "record" in name:
            self.update(f"Registrerat i liggaren; levererar … ({name})")
        else:
            self.update(f"Klart: {name}")
