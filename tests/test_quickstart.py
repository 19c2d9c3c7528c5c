"""The README's two commands work from a fresh clone with only Python and pip: no venv present."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from models.settings import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A fresh clone of the committed tree, with a clean environment."""
    target = tmp_path_factory.mktemp("clone") / "arshjul"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    assert not (target / ".venv").exists()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ARSHJUL_", "PREFECT_", "PYTEST_", "VIRTUAL_ENV"))}
    return target, env


def test_readme_names_exactly_these_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:25])
    assert "python3 run.py demo" in first_screen
    assert "python3 run.py test" in first_screen


def test_demo_command_runs_from_a_fresh_clone(clone):
    target, env = clone
    out = target / "demo"
    result = subprocess.run(
        [sys.executable, "run.py", "demo", "--until", "2027-02-15", "--out", str(out)],
        cwd=target, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (target / ".venv" / "bin" / "arshjul").exists()
    assert list((out / ".arshjul" / "outbox").glob("*.eml")) or list(out.rglob("*.eml"))
    assert "Prefect" in result.stdout


def test_test_command_runs_from_a_fresh_clone(clone):
    target, env = clone
    result = subprocess.run(
        [sys.executable, "run.py", "test", "-q", "-p", "no:cacheprovider",
         "tests/cli/test_docs.py", "tests/models/test_business_days.py"],
        cwd=target, env=env, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
