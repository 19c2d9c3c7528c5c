"""Flow `report`: the annual report "Uppföljning och utvärdering" as files, in January."""

from __future__ import annotations

from prefect import flow, runtime
from prefect.artifacts import create_markdown_artifact

from models.clock import now as clock_now
from models.settings import get_settings
from tasks.report_files import write_report


def default_year() -> int:
    """The year reported when none is given: the one that just ended (the run is in January)."""
    return clock_now().year - 1


def _run_name() -> str:
    return f"report {runtime.flow_run.parameters.get('year') or default_year()}"


@flow(name="report", flow_run_name=_run_name)
def report(year: int | None = None, formats: list[str] | None = None,
           directory: str | None = None, text_file: str | None = None) -> dict:
    """Write the report of `year` (default last year) as html, md and docx under home/reports;
    `text_file` is the coordinator's own text (Markdown headings naming the sections)."""
    year = year or default_year()
    target = directory or str((get_settings().home / "reports").resolve())
    files = [write_report(year, fmt, target, text_file) for fmt in formats or ["html", "md", "docx"]]
    rows = "\n".join(f"| {f['file']} | {f['bytes']} |" for f in files)
    create_markdown_artifact(
        markdown=f"# Årsrapport {year}\n\n| Fil | Byte |\n|---|---|\n{rows}\n",
        key=f"report-{year}", description=f"Årsrapporten {year}: filerna som skrevs.",
    )
    return {"year": year, "files": files}
