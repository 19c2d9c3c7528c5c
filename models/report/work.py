"""Report sections over the year's work: the wheel, risks, classification, training, drives."""

from __future__ import annotations

import math
from collections import Counter

from sqlmodel import select

from models.cycle.draw import draw_wheel, steps_for_year
from models.cycle.tables import StepInstance
from models.org import Unit
from models.report import sources as src
from models.report.charts import risk_matrix
from models.report.content import Chart, Paragraph, Table
from models.report.figures import sv_key

QUOTA = (
    3  # information assets each unit analyses per year (reference: "tre informationstillgångar")
)


def wheel_chart(ctx) -> Chart:
    """The planned year as a wheel (or the default wheel when the year is not planned)."""
    steps = steps_for_year(ctx.year, session=ctx.session, lang=ctx.lang)
    title = ctx.tr("Årshjul {year}", year=ctx.year)
    svg = draw_wheel(steps, ctx.year, today=ctx.today, lang=ctx.lang, title=title)
    head = [ctx.tr("Steg"), ctx.tr("Öppnar"), ctx.tr("Senast")]
    table = Table(title, head, [[s.title, s.opens.isoformat(), s.due.isoformat()] for s in steps])
    return Chart(title, svg, table)


def _names(ctx, model) -> dict[str, str]:
    return {row.id: row.name for row in ctx.session.exec(select(model)).all()}


def risk_section(ctx) -> list:
    """Assets analysed per unit against the quota, and the most serious risks as a matrix."""
    pairs = src.assignments(ctx.session, ctx.year, form="riskanalys")
    risks = src.risk_rows(ctx.session, ctx.year)
    if not pairs and not risks:
        return [ctx.missing(ctx.tr("riskanalyser"))]
    units = _names(ctx, Unit)
    scopes = sorted(
        {a.scope_id for _s, a in pairs} | set(risks), key=lambda u: sv_key(units.get(u, u))
    )
    head = [
        ctx.tr("Förvaltning/bolag/förbund"),
        ctx.tr("Analyserade informationstillgångar"),
        ctx.tr("Mål"),
        ctx.tr("Uppfyllt"),
    ]
    rows = []
    for unit in scopes:
        assets = {str(r.get("tillgang", "")).strip().lower() for r in risks.get(unit, [])} - {""}
        met = len(assets) >= QUOTA
        rows.append(
            [
                units.get(unit, unit),
                str(len(assets)) if unit in risks else (ctx.tr("ej inlämnad")),
                str(QUOTA),
                ctx.tr("Ja") if met else ctx.tr("Nej"),
            ]
        )
    items = [Table(ctx.t["riskarbete"], head, rows, numeric=(1, 2))]
    all_rows = [
        (units.get(u, u), r)
        for u, rs in risks.items()
        for r in rs
        if isinstance(r.get("sannolikhet"), int) and isinstance(r.get("konsekvens"), int)
    ]
    if all_rows:
        items += _matrix(ctx, all_rows)
    return items


def _matrix(ctx, rows) -> list:
    counts = Counter((r["sannolikhet"], r["konsekvens"]) for _u, r in rows)
    x, y = (ctx.tr("Sannolikhet"), ctx.tr("Konsekvens"))
    cells = [[f"{x} {s} × {y} {c}", str(n)] for (s, c), n in sorted(counts.items(), reverse=True)]
    chart = Chart(
        f"{x} × {y}",
        risk_matrix(dict(counts), x_label=x, y_label=y),
        Table(f"{x} × {y}", [f"{x} × {y}", ctx.tr("Antal")], cells, numeric=(1,)),
    )
    worst = sorted(rows, key=lambda ur: -ur[1]["sannolikhet"] * ur[1]["konsekvens"])[:10]
    head = [
        ctx.tr("Förvaltning"),
        ctx.tr("Informationstillgång"),
        ctx.tr("Hot"),
        ctx.tr("Risk (S×K)"),
        ctx.tr("Åtgärdsförslag"),
    ]
    table = Table(
        ctx.tr("De allvarligaste riskerna"),
        head,
        [
            [
                u,
                str(r.get("tillgang", "")),
                _threat(str(r.get("hot") or ""), ctx.lang),
                str(r["sannolikhet"] * r["konsekvens"]),
                str(r.get("atgard") or ""),
            ]
            for u, r in worst
        ],
        numeric=(3,),
    )
    return [chart, table]


def _threat(value: str, lang: str) -> str:
    """The threat's label from the riskanalys form (the stored value when the form is unknown)."""
    from models.cycle.forms import get_form

    try:
        column = next(c for c in get_form("riskanalys").question("risker").columns if c.id == "hot")
    except Exception:  # noqa: BLE001 - a changed form must not stop the report
        return value
    return column.choice_text(value, lang)


def classification_section(ctx) -> list:
    """Information classification per unit: the acknowledgements of the deadline step."""
    pairs = src.assignments(ctx.session, ctx.year, "informationsklassning")
    if not pairs:
        return [ctx.missing(ctx.tr("informationsklassningar per förvaltning"))]
    units = _names(ctx, Unit)
    head = [ctx.tr("Förvaltning/bolag/förbund"), ctx.tr("Klart")]
    rows = [
        [
            units.get(a.scope_id, a.scope_id),
            f"{a.submitted_at:%Y-%m-%d}" if a.submitted_at else (ctx.tr("Nej")),
        ]
        for _s, a in sorted(pairs, key=lambda p: sv_key(units.get(p[1].scope_id, "")))
    ]
    done = sum(1 for _s, a in pairs if a.submitted_at)
    return [
        Paragraph(
            ctx.tr(
                "{done} av {len_pairs} verksamheter har kvitterat årets informationsklassning.",
                done=done,
                len_pairs=len(pairs),
            )
        ),
        Table(ctx.t["klassning"], head, rows),
    ]


def training_section(ctx) -> list:
    """Training completion per unit, from the training campaign when one ran."""
    per_unit = src.training(ctx.session, ctx.year)
    if not per_unit:
        return [ctx.missing(ctx.tr("genomförd utbildning per förvaltning"))]
    units = _names(ctx, Unit)
    unknown = ctx.tr("Utan förvaltning")
    head = [
        ctx.tr("Förvaltning/bolag/förbund"),
        ctx.tr("Genomfört"),
        ctx.tr("Medarbetare"),
        ctx.tr("Andel"),
    ]
    ordered = sorted(
        per_unit.items(), key=lambda i: (i[0] is None, sv_key(units.get(i[0], i[0] or "")))
    )
    rows = [
        [units.get(u, u) if u else unknown, str(d), str(n), _share(d, n)] for u, (d, n) in ordered
    ]
    done, total = sum(d for d, _n in per_unit.values()), sum(n for _d, n in per_unit.values())
    rows.append([ctx.tr("Totalt"), str(done), str(total), _share(done, total)])
    return [Table(ctx.t["utbildning"], head, rows, numeric=(1, 2, 3)), _training_rule(ctx, per_unit)]


def _training_rule(ctx, per_unit: dict) -> Paragraph:
    """The wheel's rule for a unit to be done with the training (the step's `complete_share`,
    every member by default) and how many units met it, so "6 av 10" elsewhere reads plainly."""
    step = ctx.session.exec(select(StepInstance).where(
        StepInstance.year == ctx.year, StepInstance.kind == "campaign")).first()
    share = float(((step.options or {}) if step else {}).get("complete_share", 1.0))
    units = [(d, n) for u, (d, n) in per_unit.items() if u]
    met = sum(1 for d, n in units if d >= math.ceil(share * n - 1e-9))
    if share >= 1.0:
        rule = ctx.tr("när samtliga dess medarbetare har genomfört utbildningen")
    else:
        rule = ctx.tr("när minst {share} av dess medarbetare har genomfört utbildningen",
                      share=_share(round(share * 100), 100))
    return Paragraph(ctx.tr("I årshjulet räknas en förvaltning som klar med utbildningen {rule}; "
                            "{met} av {units} nådde dit.", rule=rule, met=met, units=len(units)))


def _share(done: int, total: int) -> str:
    return f"{100 * done / total:.0f} %" if total else "–"


def measures_items(ctx) -> list:
    """Password-reset drives of the year (a corrective measure the store knows of)."""
    rows = src.drives(ctx.session, ctx.year)
    if not rows:
        return []
    head = [
        ctx.tr("Lösenordsbyte"),
        ctx.tr("Startad"),
        ctx.tr("Genomfört"),
        ctx.tr("Berörda"),
        ctx.tr("Andel"),
    ]
    return [
        Table(
            head[0],
            head,
            [[t, s, str(d), str(n), _share(d, n)] for t, s, d, n in rows],
            numeric=(2, 3, 4),
        )
    ]
