"""Benchmark: the annual report over 5 years × 300 units of data, HTML vs a plain baseline.

Builds a SQLite store with 30 boards, 300 units, five planned years (2023–2027) and for every year:
Infosäkkollen, a compliance check per board, a risk analysis of 3–5 assets per unit, quarterly
incident statistics per unit, an action-plan follow-up, classification receipts, 300 registered
incidents and a training campaign of 6,000 members. Then it times

* `report`: `build_report` (every store query) + `render_html` (Jinja2, SVG charts) for 2027;
* `render_html` alone on the built content;
* the floor: the same content through one plain Jinja2 template (`PLAIN`: every section, table,
  list and chart of the content written as the simplest HTML, autoescaped);

and prints min/median/max of 5 runs each and the ratio of the medians. Goal: report under 3 s.

Run: .venv/bin/python bench/report.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
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


#: The floor: the same report content through one plain Jinja2 template (autoescape on), every
#: item written as the simplest HTML of its kind — the charts' SVG (built with the content) as
#: is, prose as escaped text (the real template turns its Markdown into HTML).
PLAIN = """<!doctype html><html lang="{{ r.lang }}"><head><meta charset="utf-8">
<title>{{ r.title }}</title></head><body><h1>{{ r.title }}</h1><p>{{ r.organisation }},
{{ r.generated }}</p>
{% macro table(t) %}<table><caption>{{ t.caption }}</caption><tr>{% for h in t.headers %}
<th>{{ h }}</th>{% endfor %}</tr>{% for row in t.rows %}<tr>{% for c in row %}<td>{{ c }}</td>
{% endfor %}</tr>{% endfor %}</table>{% endmacro %}
{% macro section(s, level) %}<section id="{{ s.id }}"><h{{ level }}>{{ s.title }}</h{{ level }}>
{% for item in s.items %}
{% if item.kind in ("paragraph", "not_collected") %}<p>{{ item.text }}</p>
{% elif item.kind == "bullets" %}<ul>{% for b in item.items %}<li>{{ b }}</li>{% endfor %}</ul>
{% elif item.kind == "table" %}{{ table(item) }}
{% elif item.kind == "chart" %}<figure>{{ item.svg | safe }}<figcaption>{{ item.caption }}
</figcaption></figure>{{ table(item.table) }}
{% elif item.kind == "prose" %}<div>{{ item.markdown }}</div>{% endif %}
{% endfor %}
{% for sub in s.subsections %}{{ section(sub, level + 1) }}{% endfor %}</section>{% endmacro %}
{% for s in r.sections %}{{ section(s, 2) }}{% endfor %}
<ul>{% for c in r.to_check %}<li>{{ c }}</li>{% endfor %}</ul></body></html>"""


def plain_jinja():
    """The floor renderer: PLAIN compiled once; call it with the report content."""
    from jinja2 import Environment

    template = Environment(autoescape=True).from_string(PLAIN)
    return lambda report: template.render(r=report)


def _timed(fn) -> tuple[list[float], object]:
    """`fn` run RUNS times: the times (s) and the last result."""
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def _mmm(times: list[float], scale: float = 1000) -> str:
    """min / median / max in ms."""
    return "/".join(f"{t * scale:.1f}" for t in (min(times), statistics.median(times), max(times)))


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
        plain = plain_jinja()
        report_t, html = _timed(full)
        render_t, _ = _timed(lambda: render_html(content))
        base_t, floor = _timed(lambda: plain(content))
        print(f"{RUNS} runs each, min/median/max; load average {os.getloadavg()[0]:.1f}")
        print(f"report (store + build + HTML): {_mmm(report_t)} ms, {len(html) // 1024} KiB")
        print(f"  of which HTML rendering:      {_mmm(render_t)} ms")
        print(f"floor (plain Jinja2 render of the same content): {_mmm(base_t)} ms, "
              f"{len(floor) // 1024} KiB")
        render_ratio = statistics.median(render_t) / statistics.median(base_t)
        report_s = statistics.median(report_t)
        print(
            f"ratio (medians): HTML rendering / floor {render_ratio:.1f}×, whole report / floor "
            f"{report_s / statistics.median(base_t):.0f}×; goal < 3 s: "
            f"{'met' if report_s < 3 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
