"""The `arshjul` command line.

Typer renders help with rich when rich is installed, and importing its help renderer costs more
than the rest of `arshjul --help` together; the plain help says the same. TYPER_USE_RICH=1 brings
the boxes back. Typer reads the variable when it is first imported, so it is set here, before any
command module imports Typer.
"""

import os

os.environ.setdefault("TYPER_USE_RICH", "0")
