"""Benchmark: the annual report over 5 years × 300 units of data, HTML vs a plain baseline.

Builds a SQLite store with 30 boards, 300 units, five planned years (2023–2027) and for every year:
Infosäkkollen, a compliance check per board, a risk analysis of 3–5 assets per unit, quarterly
incident statistics per unit, an action-plan follow-up, classification receipts, 300 registered
incidents and a training campaign of 6,000 members. Then it times

* `report`: `build_report` (every store query) + `render_html` (Jinja2, SVG charts) for 2027;
* `baseline`: the same report's tables joined into HTML with plain string operations (no store,
  no templates) — the floor of any renderer;

and prints the median of 5 runs each and the ratio. Goal: report under 3 s.

Run: .venv/bin/python bench/report.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

YEARS = range(2023, 2028)
UNITS, BOARDS, RUNS = 300, 30, 5


def _org(session) -> None:
    from models.org import Board, Organisation, Person, PersonRole, Unit

    session.add(Organisation(name="Benchkommun"))
    for b in range(BOARDS):
        session.add(Board(id=f"namnd-{b:02d}", name=f"Nämnd {b:02d}"))
    session.flush()
    for u in range(UNITS):
        session.add(
            Unit(id=f"enhet-{u:03d}", name=f"Enhet {u:03d}", board_id=f"namnd-{u % BOARDS:02d}")
        )
    session.add(Person(id="samordnare", name="Samordnare", email="s@example.se"))
    session.flush()
    session.add(PersonRole(person_id="samordnare", role="informationssakerhetssamordnare"))


def _answers(session, year: int) -> None:
    from sqlmodel import select

    from models.cycle.responses import ResponseVersion
    from models.cycle.tables import Assignment, StepInstance

    pairs = session.exec(
        select(StepInstance, Assignment)
        .join(Assignment, Assignment.step_instance_id == StepInstance.id)
        .where(StepInstance.year == year)
    ).all()
    levels = {
        q: (year - 2022 + i) % 6
        for i, q in enumerate(
            [
                "ledningens_engagemang",
                "mal_och_principer",
                "organisation_roller",
                "centrala_arbetssatt",
                "riskanalys",
                "informationsklassning",
                "incidenthantering",
                "kontinuitet",
                "upphandling",
            ]
        )
    }
    rows = []
    for n, (step, a) in enumerate(pairs):
        values = _values(step.form, n, levels)
        if values is None:
            continue
        at = datetime.combine(step.due, datetime.min.time(), tzinfo=UTC) - timedelta(days=n % 9)
        a.submitted_at, a.submitted_by = at, "samordnare"
        rows.append(
            ResponseVersion(
                assignment_id=a.id,
                version=1,
                form=step.form or "",
                values=values,
                submitted_at=at,
                submitted_by="samordnare",
            )
        )
    session.add_all(rows)


def _values(form: str | None, n: int, levels: dict) -> dict | None:
    if form == "infosakkollen":
        return dict(levels)
    if form == "riskanalys":
        return {
            "risker": [
                {
                    "tillgang": f"System {k}",
                    "hot": "driftstopp",
                    "sannolikhet": 1 + (n + k) % 4,
                    "konsekvens": 1 + (n * k) % 4,
                    "atgard": "Reservrutin",
                    "ansvarig": "IT",
                }
                for k in range(3 + n % 3)
            ]
        }
    if form == "incidentstatistik":
        return {
            "ddos_skydd_aktiverat": n % 4,
            "natfiske_forsok": 10 + n % 7,
            "natfiske_lyckade": n % 2,
            "utrustning_chromebook": n % 3,
            "personuppgiftsincidenter": n % 2,
            "personell_incidenter": "not_collected",
        }
    if form == "dpo-efterlevnadskontroll":
        return {
            "org_finns": True,
            "register_finns": n % 3 != 0,
            "incident_rutin": True,
            "rattigheter_rutiner": ["registerutdrag", "rattelse"],
            "kb_identifiera": 1 + n % 5,
        }
    if form == "handlingsplan-status":
        return {
            "aktiviteter": [
                {
                    "aktivitet": f"Aktivitet {k}",
                    "status": ["genomford", "paborjad", "ej-paborjad"][k % 3],
                    "kommentar": "",
                }
                for k in range(6)
            ]
        }
    if form == "kvittens":
        return {"genomfort": True, "datum": None} if n % 4 else None
    return None


def _incidents_and_training(session, year: int) -> None:
    from sqlmodel import select

    from models.campaigns.tables import TRAINING, Campaign, CampaignMember
    from models.cycle.tables import StepInstance
    from models.incidents.register import Incident
    from models.org import Person

    for k in range(300):
        at = datetime(year, 1 + k % 12, 1 + k % 28, 9, tzinfo=UTC)
        unit = k % UNITS
        session.add(
            Incident(
                category="personuppgiftsincident" if k % 3 == 0 else "it-sakerhet",
                subkind="" if k % 3 == 0 else "natfiske_lyckade",
                unit_id=f"enhet-{unit:03d}",
                board_id=f"namnd-{unit % BOARDS:02d}",
                aware_at=at,
                registered_at=at,
                personal_data=k % 3 == 0,
            )
        )
    step = session.exec(
        select(StepInstance).where(StepInstance.year == year, StepInstance.kind == "campaign")
    ).first()
    campaign = Campaign(
        kind=TRAINING,
        title_sv=step.title_sv,
        title_en=step.title_en,
        deadline=step.due,
        step_instance_id=step.id,
        started_at=datetime(year, 9, 1, tzinfo=UTC),
    )
    session.add(campaign)
    session.flush()
    joined = datetime(year, 9, 1, tzinfo=UTC)
    members = []
    for k in range(6000):
        pid = f"anstalld-{k:05d}"
        if year == YEARS[0]:
            session.add(Person(id=pid, name=pid, email=f"{pid}@example.se", source="bench"))
        members.append(
            CampaignMember(
                campaign_id=campaign.id,
                person_id=pid,
                unit_id=f"enhet-{k % UNITS:03d}",
                joined_at=joined,
                done_at=joined if k % 5 else None,
            )
        )
    session.flush()
    session.add_all(members)


def seed() -> None:
    from models import db
    from models.cycle.planning import plan_cycle

    db.migrate()
    with db.session() as s:
        _org(s)
    for year in YEARS:
        with db.session() as s:
            plan_cycle(year, session=s)
        with db.session() as s:
            _answers(s, year)
            _incidents_and_training(s, year)


def plain_html(report) -> str:
    """The baseline: every table of the report joined into HTML with str.join, nothing else."""
    out = [f"<h1>{escape(report.title)}</h1>"]

    def walk(sections):
        for section in sections:
            out.append(f"<h2>{escape(section.title)}</h2>")
            for item in section.items:
                table = (
                    getattr(item, "table", None)
                    if item.kind == "chart"
                    else (item if item.kind == "table" else None)
                )
                if table is not None:
                    out.append(
                        "<table>"
                        + "".join(
                            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                            for row in table.rows
                        )
                        + "</table>"
                    )
            walk(section.subsections)

    walk(report.sections)
    return "\n".join(out)


def _median(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ARSHJUL_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
        from models import db
        from models.report.build import build_report
        from models.report.render import render_html

        start = time.perf_counter()
        seed()
        print(f"seed: {time.perf_counter() - start:.1f} s ({len(YEARS)} years × {UNITS} units)")

        def full():
            with db.session() as s:
                return render_html(build_report(2027, session=s, today=date(2027, 12, 10)))

        with db.session() as s:
            content = build_report(2027, session=s, today=date(2027, 12, 10))
        report_s, html = _median(full)
        render_s, _ = _median(lambda: render_html(content))
        base_s, _ = _median(lambda: plain_html(content))
        print(f"report (store + build + HTML): {report_s * 1000:.0f} ms, {len(html) // 1024} KiB")
        print(f"  of which HTML rendering:      {render_s * 1000:.1f} ms")
        print(f"baseline (plain string join):  {base_s * 1000:.1f} ms")
        print(
            f"ratio report/baseline: {report_s / base_s:.0f}×; goal < 3 s: "
            f"{'met' if report_s < 3 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
