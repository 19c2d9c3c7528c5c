"""Report sections that check the year against its duties: the DPO's compliance check per board,
conformity with the wheel's steps, and the legal reporting clocks of incidents."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from models.cycle.tables import StepInstance
from models.org import Board
from models.report import sources as src
from models.report.content import Paragraph, Table
from models.report.figures import sv_key
from models.report.work import _names


def compliance_section(ctx) -> list:
    """The DPO's compliance check (efterlevnadskontroll) per board."""
    pairs = src.assignments(ctx.session, ctx.year, form="dpo-efterlevnadskontroll")
    if not pairs:
        return [ctx.missing(ctx.tr("efterlevnadskontroll per nämnd"))]
    answers = {
        a.scope_id: a for a in src.answers_for(ctx.session, ctx.year, "dpo-efterlevnadskontroll")
    }
    boards = _names(ctx, Board)
    yes, no = (ctx.tr("Ja"), ctx.tr("Nej"))
    head = [
        ctx.tr("Nämnd"),
        ctx.tr("Inlämnad"),
        ctx.tr("Dataskyddsorganisation"),
        ctx.tr("Behandlingsregister"),
        ctx.tr("Incidentrutin"),
        ctx.tr("Rättigheter med rutin"),
        ctx.tr("Konsekvensbedömning (1–5)"),
    ]
    rows = []
    for _step, assignment in sorted(pairs, key=lambda p: sv_key(boards.get(p[1].scope_id, ""))):
        name = boards.get(assignment.scope_id, assignment.scope_id)
        answer = answers.get(assignment.scope_id)
        if answer is None:
            rows.append([name, ctx.tr("Ej inlämnad"), "", "", "", "", ""])
            continue
        d = answer.data

        def yn(key, d=d):
            return "–" if d.get(key) is None else (yes if d.get(key) else no)

        rows.append(
            [
                name,
                f"{answer.submitted_at:%Y-%m-%d}" if answer.submitted_at else yes,
                yn("org_finns"),
                yn("register_finns"),
                yn("incident_rutin"),
                ctx.tr(
                    "{len_d_get_rattigheter_ru} av 5",
                    len_d_get_rattigheter_ru=len(d.get("rattigheter_rutiner") or []),
                ),
                str(d.get("kb_identifiera") or "–"),
            ]
        )
    done = sum(1 for r in rows if r[2])
    lead = Paragraph(
        ctx.tr(
            "{done} av {len_rows} personuppgiftsansvariga nämnder har besvarat dataskyddsombudets"
            " efterlevnadskontroll.",
            done=done,
            len_rows=len(rows),
        )
    )
    return [lead, Table(ctx.t["dpo"], head, rows)]


def conformity_section(ctx) -> list:
    """Every step of the year's wheel: assignments, submitted, on time, missing."""
    rows_by_step: dict[str, list[int]] = {}
    titles: dict[str, str] = {}
    steps = ctx.session.exec(
        select(StepInstance)
        .where(StepInstance.year == ctx.year, StepInstance.retired_at.is_(None))
        .order_by(StepInstance.opens)
    ).all()
    if not steps:
        return [ctx.missing(ctx.tr("uppföljning av årshjulets steg"))]
    for step in steps:
        titles.setdefault(step.step_id, step.title_en if ctx.lang == "en" else step.title_sv)
        counts = rows_by_step.setdefault(step.step_id, [0, 0, 0])
        for a in _step_assignments(ctx, step):
            counts[0] += 1
            if a.submitted_at:
                counts[1] += 1
                counts[2] += int(a.submitted_at.date() <= step.due)
    head = [
        ctx.tr("Steg i årshjulet"),
        ctx.tr("Uppdrag"),
        ctx.tr("Inlämnade"),
        ctx.tr("I tid"),
        ctx.tr("Saknas"),
    ]
    rows = [
        [titles[s], str(t), str(d), str(o), str(t - d)] for s, (t, d, o) in rows_by_step.items()
    ]
    return [Table(ctx.t["overensstammelse"], head, rows, numeric=(1, 2, 3, 4))]


def _step_assignments(ctx, step):
    from models.cycle.tables import Assignment

    return ctx.session.exec(
        select(Assignment).where(
            Assignment.step_instance_id == step.id, Assignment.retired_at.is_(None)
        )
    ).all()


def legal_clocks_items(ctx) -> list:
    """Legal reporting deadlines of the year's incidents: met, late, decided, open."""
    try:
        from models.incidents.clocks import CLOCK_LABELS, CLOCK_ORDER
        from models.incidents.register import Incident, IncidentClock
    except ImportError:
        return [ctx.missing(ctx.tr("incidenter med lagstadgade rapporteringstider"))]
    start, end = datetime(ctx.year, 1, 1, tzinfo=UTC), datetime(ctx.year + 1, 1, 1, tzinfo=UTC)
    clocks = ctx.session.exec(
        select(IncidentClock)
        .join(Incident, Incident.id == IncidentClock.incident_id)
        .where(Incident.aware_at >= start, Incident.aware_at < end)
    ).all()
    if (
        not clocks
        and not ctx.session.exec(
            select(Incident.id).where(Incident.aware_at >= start, Incident.aware_at < end).limit(1)
        ).first()
    ):
        return [ctx.missing(ctx.tr("incidenter i incidentregistret"))]
    if not clocks:
        return [
            Paragraph(
                ctx.tr(
                    "Inga incidenter med lagstadgad rapporteringsskyldighet har registrerats "
                    "under {year}.",
                    year=ctx.year,
                )
            )
        ]
    head = [
        ctx.tr("Rapportering"),
        ctx.tr("Antal"),
        ctx.tr("I tid"),
        ctx.tr("För sent"),
        ctx.tr("Beslut att inte anmäla"),
        ctx.tr("Öppna"),
    ]
    rows = []
    for kind in CLOCK_ORDER:
        group = [c for c in clocks if c.kind == kind]
        if not group:
            continue
        on_time = sum(
            1
            for c in group
            if c.status == "reported" and c.reported_at and _utc(c.reported_at) <= _utc(c.deadline)
        )
        reported = sum(1 for c in group if c.status == "reported")
        decided = sum(1 for c in group if c.status == "not-reporting")
        rows.append(
            [
                CLOCK_LABELS[kind][ctx.lang],
                str(len(group)),
                str(on_time),
                str(reported - on_time),
                str(decided),
                str(len(group) - reported - decided),
            ]
        )
    return [Table(ctx.t["lagefterlevnad"], head, rows, numeric=(1, 2, 3, 4, 5))]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
