"""A simulated year for the report tests: the example organisation, the 2027 plan, answers from
the portal's own submit(), registered incidents, and the previous year's imported figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import select

from models import db
from models.cycle.planning import plan_cycle
from models.cycle.responses import submit
from models.cycle.tables import Assignment, StepInstance
from models.incidents.register import IncidentClock, NewIncident, register_incident
from models.org_import import import_org
from models.report.figures_import import import_figures
from models.settings import ROOT

YEAR = 2027
EXAMPLE = ROOT / "examples" / "alingsas.yaml"
LEVELS = {
    "ledningens_engagemang": 3,
    "mal_och_principer": 4,
    "organisation_roller": 3,
    "centrala_arbetssatt": 2,
    "riskanalys": 2,
    "informationsklassning": 1,
    "incidenthantering": 1,
    "kontinuitet": 2,
    "upphandling": 0,
}
PREVIOUS = """years:
  - year: 2026
    infosakkollen:
      - {area: Ledningens engagemang och styrning, level: 2}
      - {area: mal_och_principer, level: 3}
      - {area: Incidenthantering, level: 0}
"""
ACTIVITIES = [
    ("Införa tvåfaktorsautentisering", "genomford"),
    ("Utbilda alla chefer i informationsklassning", "paborjad"),
    ("Revidera kontinuitetsplanerna", "ej-paborjad"),
]


def walk(sections):
    """Every section of a report, depth first (the order the report prints them)."""
    for section in sections:
        yield section
        yield from walk(section.subsections)


def _at(step: StepInstance, days_before_due: int) -> datetime:
    return datetime.combine(
        step.due - timedelta(days=days_before_due), datetime.min.time(), tzinfo=UTC
    ) + timedelta(hours=9)


def _pairs(s, step_id: str):
    return s.exec(
        select(StepInstance, Assignment)
        .join(Assignment, Assignment.step_instance_id == StepInstance.id)
        .where(StepInstance.year == YEAR, StepInstance.step_id == step_id)
        .order_by(StepInstance.seq, Assignment.scope_id)
    ).all()


def build_year(tmp: Path) -> dict:
    """Write the whole simulated year; returns a few facts the tests check against."""
    db.migrate()
    facts: dict = {}
    with db.session() as s:
        import_org(EXAMPLE, session=s)
        plan_cycle(YEAR, session=s)
    previous = tmp / "previous.yaml"
    previous.write_text(PREVIOUS, encoding="utf-8")
    with db.session() as s:
        import_figures(previous, session=s)
        _questionnaires(s, facts)
        _incidents(s, facts)
        facts.update(add_campaigns(s))
    return facts


def _questionnaires(s, facts: dict) -> None:
    for step, a in _pairs(s, "infosakkollen"):
        submit(a, "infosakkollen", dict(LEVELS), "p", session=s, now=_at(step, 3))
    boards = _pairs(s, "efterlevnadskontroll")
    for step, a in boards[:-1]:  # the last board never answers
        submit(
            a,
            "dpo-efterlevnadskontroll",
            {
                "org_finns": True,
                "register_finns": True,
                "incident_rutin": a.scope_id != "kommunstyrelsen",
                "rattigheter_rutiner": ["registerutdrag", "rattelse", "radering"],
                "kb_identifiera": 3,
                "org_beskrivning": "x",
                "rattslig_grund": "x",
                "samtycke": "nej",
                "kb_process": "x",
            },
            "p",
            session=s,
            now=_at(step, 2),
        )
    facts["dpo_missing"] = boards[-1][1].scope_id
    units = _pairs(s, "riskanalys")
    for index, (step, a) in enumerate(units[:-1]):  # the last unit never answers
        assets = 2 if index == 0 else 3  # the first unit analyses too few
        rows = [
            {
                "tillgang": f"System {n}",
                "hot": "driftstopp",
                "sannolikhet": 1 + (n + index) % 4,
                "konsekvens": 4 if n == 0 else 2,
                "atgard": "Reservrutin",
                "ansvarig": "IT",
            }
            for n in range(assets)
        ]
        submit(a, "riskanalys", {"risker": rows}, "p", session=s, now=_at(step, 1))
    facts["risk_short"], facts["risk_missing"] = units[0][1].scope_id, units[-1][1].scope_id
    for step, a in _pairs(s, "uppfoljning-handlingsplan")[:1]:
        submit(
            a,
            "handlingsplan-status",
            {
                "aktiviteter": [
                    {
                        "aktivitet": name,
                        "status": status,
                        "flyttas": status != "genomford",
                        "kommentar": "",
                    }
                    for name, status in ACTIVITIES
                ]
            },
            "p",
            session=s,
            now=_at(step, 1),
        )
    total = 0
    for step, a in _pairs(s, "incidentstatistik"):
        values = {
            "ddos_skydd_aktiverat": 2,
            "natfiske_forsok": 40,
            "natfiske_lyckade": 1,
            "utrustning_chromebook": 3,
            "personell_incidenter": "not_collected",
            "administrativa_incidenter": 1,
            "inbrott_skadegorelse": "not_collected",
        }
        submit(a, "incidentstatistik", values, "p", session=s, now=_at(step, 0))
        total += 1
    facts["incident_answers"] = total
    for step, a in _pairs(s, "informationsklassning")[:4]:
        submit(
            a,
            "kvittens",
            {"genomfort": True, "datum": step.due.isoformat()},
            "p",
            session=s,
            now=_at(step, 5),
        )
    facts["klassning_done"] = 4


def _incidents(s, facts: dict) -> None:
    breach = register_incident(
        NewIncident(
            category="personuppgiftsincident",
            unit_id="socialforvaltningen",
            aware_at=datetime(YEAR, 6, 3, 10, tzinfo=UTC),
            description="Fel mottagare",
        ),
        now=datetime(YEAR, 6, 3, 11, tzinfo=UTC),
        session=s,
    )
    for clock in s.exec(select(IncidentClock).where(IncidentClock.incident_id == breach.id)).all():
        clock.status, clock.reported_at = "reported", clock.deadline - timedelta(hours=5)
        s.add(clock)
    register_incident(
        NewIncident(
            category="it-sakerhet",
            subkind="intrang",
            unit_id="kommunledningskontoret",
            aware_at=datetime(YEAR, 9, 1, 7, tzinfo=UTC),
        ),
        now=datetime(YEAR, 9, 1, 8, tzinfo=UTC),
        session=s,
    )
    facts["breach_board"] = "socialnamnden"


def add_campaigns(s) -> dict:
    """A training campaign of the year and one password-reset drive, with members per unit."""
    from models.campaigns.tables import PASSWORD_RESET, TRAINING, Campaign, CampaignMember
    from models.org import Person

    step = s.exec(
        select(StepInstance).where(StepInstance.year == YEAR, StepInstance.kind == "campaign")
    ).first()
    training = Campaign(
        kind=TRAINING,
        title_sv=step.title_sv,
        title_en=step.title_en,
        deadline=step.due,
        step_instance_id=step.id,
        started_at=datetime(YEAR, 9, 1, 6, tzinfo=UTC),
    )
    drive = Campaign(
        kind=PASSWORD_RESET,
        title_sv="Byt ditt lösenord",
        title_en="Change your password",
        deadline=datetime(YEAR, 12, 20).date(),
        started_at=datetime(YEAR, 12, 6, 7, tzinfo=UTC),
    )
    s.add(training)
    s.add(drive)
    s.flush()
    units = ["socialforvaltningen", "kommunledningskontoret"]
    for n in range(10):
        pid = f"anstalld-{n}"
        s.add(
            Person(
                id=pid,
                name=f"Anställd {n}",
                email=f"{pid}@example.se",
                source="test",
                unit_id=units[n % 2],
            )
        )
        s.flush()
        joined = datetime(YEAR, 9, 1, 6, tzinfo=UTC)
        done = joined + timedelta(days=3) if n < 7 else None
        s.add(
            CampaignMember(
                campaign_id=training.id,
                person_id=pid,
                unit_id=units[n % 2],
                joined_at=joined,
                done_at=done,
            )
        )
        s.add(
            CampaignMember(
                campaign_id=drive.id,
                person_id=pid,
                unit_id=units[n % 2],
                joined_at=joined,
                done_at=joined if n < 9 else None,
            )
        )
    s.flush()
    # socialforvaltningen has n = 0,2,4,6,8 → done 0,2,4,6 = 4 of 5; kommunledningskontoret 3 of 5
    return {
        "training": {"socialforvaltningen": (4, 5), "kommunledningskontoret": (3, 5)},
        "drive": (9, 10),
    }
