"""Task that writes the annual report to a file (one side effect: the file)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NO_CACHE

from models import db, organisation
from models.clock import now as clock_now


@task(name="write_report", cache_policy=NO_CACHE)
def write_report(year: int, fmt: str, directory: str, text_file: str | None = None) -> dict:
    """Render the report of `year` as `fmt` into `directory`, with the coordinator's own text
    from `text_file` (Markdown, as `arshjul report --text`); returns its file name and size."""

    from models.report.build import build_report
    from models.report.render import render

    with db.session() as session:
        org = organisation.info(session=session)
        today = org.today(clock_now())
        prose = Path(text_file).read_text(encoding="utf-8") if text_file else ""
        content = build_report(year, session=session, lang=org.language,
                               prose_text=prose, today=today)
    data = render(content, fmt)
    path = Path(directory) / f"arsrapport-{year}.{fmt}"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never a half-written report
    return {"file": path.name, "bytes": len(data)}
