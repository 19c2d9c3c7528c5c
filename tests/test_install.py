"""A built wheel, installed without the checkout, finds its wheel, forms, templates and example.

The data directories ship under `arshjul_data/` (pyproject's force-include; see
models.settings.ROOT). The wheel is installed into a venv of its own with `--no-deps`; that venv
borrows the project venv's third-party packages through a plain path in a .pth file, which does
not run the project venv's own .pth files, so the checkout (the editable install) is not importable
there: every file the commands read must come from the installed wheel.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import sysconfig
import venv
from email import policy

import pytest

from models.settings import ROOT
from tests.conftest import TEST_KEY

pytestmark = pytest.mark.slow


def _purelib(python: str) -> str:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("install")
    dist, target = base / "dist", base / "venv"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )
    (built,) = dist.glob("arshjul-*.whl")
    venv.create(target, with_pip=True)
    python = str(target / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", str(built)],
                   check=True, capture_output=True)
    site = _purelib(python)
    with open(os.path.join(site, "project_deps.pth"), "w") as pth:
        pth.write(sysconfig.get_paths()["purelib"] + "\n")
    work = base / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ARSHJUL_", "PREFECT_", "PYTEST_", "VIRTUAL_ENV"))}
    # No Prefect address anywhere (not even a profile): the tick runs in-process.
    env |= {"ARSHJUL_HOME": str(work / ".arshjul"), "ARSHJUL_SECRET_KEY": TEST_KEY,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_HOME": str(base / "prefect-home"), "PYTHONPATH": ""}
    return target, site, work, env


def run(installed, *args: str) -> subprocess.CompletedProcess:
    target, _, work, env = installed
    return subprocess.run([str(target / "bin" / "arshjul"), *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_installed_code_is_the_wheel_not_the_checkout(installed):
    target, site, work, env = installed
    probe = subprocess.run(
        [str(target / "bin" / "python"), "-c",
         "import models, models.settings as s; print(models.__file__); print(s.ROOT)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert probe[0].startswith(site)
    assert probe[1] == os.path.join(site, "arshjul_data")
    assert not os.path.exists(os.path.join(site, "wheel")), "would shadow the wheel distribution"


def test_installed_commands_read_the_shipped_data(installed):
    _, site, work, _ = installed
    data = os.path.join(site, "arshjul_data")
    steps = run(installed, "wheel", "show", "--year", "2027")
    assert steps.returncode == 0, steps.stderr
    assert "riskanalys" in steps.stdout and "Efterlevnadskontroll" in steps.stdout
    riskanalys = os.path.join(data, "wheel", "forms", "riskanalys.yaml")
    form = run(installed, "form", "validate", riskanalys)
    assert form.returncode == 0, form.stderr
    for command in (("init",), ("org", "import", os.path.join(data, "examples", "alingsas.yaml")),
                    ("plan", "--year", "2027"), ("tick", "--now", "2027-01-11T08:00")):
        result = run(installed, *command)
        assert result.returncode == 0, f"{command}: {result.stdout[-2000:]} {result.stderr[-2000:]}"
    assert "körs här, körningen syns inte i Prefect UI" in result.stderr  # the tick's
    mails = list((work / ".arshjul" / "outbox").glob("*.eml"))
    assert len(mails) == 1, "the tick's digest (templates/notify) was not written"
    message = email.message_from_bytes(mails[0].read_bytes(), policy=policy.default)
    assert message["Subject"] == "Nytt: Omvärldsanalys – sista dag 1 mars 2027 (Alingsås kommun)"
    body = message.get_body(("plain",)).get_content()
    assert "Hej Anna Berg" in body
    assert "Svara på omvärldsanalys för Alingsås kommun: http://127.0.0.1:8000/a/" in body
    report = run(installed, "report", "--year", "2027", "--format", "html", "--output", "r.html")
    assert report.returncode == 0, report.stderr
    html = (work / "r.html").read_text(encoding="utf-8")
    title = "Uppföljning och utvärdering av informationssäkerhets- och dataskyddsarbetet 2027"
    assert title in html
