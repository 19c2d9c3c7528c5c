"""The report as a person sees it: DOCX opened by LibreOffice, HTML and wheel shot by Chromium.

The files are kept under test-artifacts/report/ for a human to look at. LibreOffice (Debian
`libreoffice-writer-nogui`) and Chromium (Debian `chromium`) are installed by .ci/run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from models import db
from models.cycle.draw import draw_wheel, steps_for_year
from models.report.build import build_report
from models.report.render import render
from models.settings import ROOT
from tests.models.report.report_year_data import YEAR, build_year

ARTIFACTS = ROOT / "test-artifacts" / "report"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.fixture
def outputs(sqlite_store, tmp_path):
    build_year(tmp_path)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    today = date(YEAR, 10, 5)
    with db.session() as s:
        report = build_report(
            YEAR,
            session=s,
            today=today,
            prose_text="## Sammanfattning\nEtt år av **uppbyggnad**.\n",
        )
        wheel = draw_wheel(steps_for_year(YEAR, session=s), YEAR, today=today)
    paths = {}
    for fmt in ("md", "html", "docx"):
        paths[fmt] = ARTIFACTS / f"uppfoljning-{YEAR}.{fmt}"
        paths[fmt].write_bytes(render(report, fmt))
    paths["svg"] = ARTIFACTS / f"arshjul-{YEAR}.svg"
    paths["svg"].write_text(wheel, encoding="utf-8")
    return paths


def _libreoffice(tmp_path, source, target: str) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office, "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(
        [
            office,
            profile,
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(ARTIFACTS),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )


@pytest.mark.slow
def test_docx_converts_to_pdf_with_libreoffice(outputs, tmp_path):
    _libreoffice(tmp_path, outputs["docx"], "pdf")
    pdf = (ARTIFACTS / f"uppfoljning-{YEAR}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 4
    # what LibreOffice read: the headings and table rows are in the document's text
    _libreoffice(tmp_path, outputs["docx"], "txt:Text")
    text = (ARTIFACTS / f"uppfoljning-{YEAR}.txt").read_text(encoding="utf-8-sig")
    for expected in (
        "Incidenter",
        "Personuppgiftsincidenter",
        "Riskarbete",
        "Bilaga 1",
        "Socialnämnden",
        "Ett år av uppbyggnad.",
    ):
        assert expected in text


def _screenshot(target, png, size: str) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is not installed (apt-get install chromium)"
    subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--window-size={size}",
            f"--screenshot={png}",
            target.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.slow
def test_screenshots_of_the_html_report_and_the_wheel(outputs):
    shots = {
        "html": (ARTIFACTS / f"uppfoljning-{YEAR}.png", "1200,6000"),
        "svg": (ARTIFACTS / f"arshjul-{YEAR}.png", "900,720"),
    }
    for kind, (png, size) in shots.items():
        png.unlink(missing_ok=True)
        _screenshot(outputs[kind], png, size)
        data = png.read_bytes()
        assert data.startswith(b"\x89PNG")
        assert len(data) > 30_000, f"{png.name} looks blank"
