"""Property test (Hypothesis) of the organisation and wheel loaders: any input ends in success or
`fel: FILE:LINE:` lines with exit code 2, never a traceback (see loader_properties for the inputs).

The properties run in a child process under an address-space and a CPU-time limit, so a loader
that expands aliases without end or recurses past the stack fails the test by its resources,
not by a timer.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys

from models.settings import CODE_ROOT

MEMORY = 1024 * 1024 * 1024
CPU_SECONDS = 300


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def test_any_organisation_or_wheel_file_ends_in_success_or_fel_lines(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tests.models.loader_properties"],
        cwd=tmp_path, capture_output=True, text=True, preexec_fn=_limits,
        env={**os.environ, "PYTHONPATH": str(CODE_ROOT)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    assert result.stdout.strip().endswith("ok")
