"""The action plan in the report: the board's decision, the follow-up and Bilaga 1 per unit.

Years the product ran come from the plan's records (models.records): each activity with the status
its unit reported, its history when carried over, grouped per unit. Earlier years come from
imported figures (`arshjul figures import`), which know no units.
"""

from __future__ import annotations

from sqlmodel import select

from models.i18n import format_date, gettext
from models.org import Unit
from models.records.followup import STATUSES, Followed, follow_up, status_label
from models.records.plan import adoption
from models.report import sources as src
from models.report.content import Bullets, Paragraph, Table
from models.report.figures import ACTION_STATUSES, sv_key


def decision_items(ctx) -> list:
    """"KS fastställde den 14 december 2026, § 220, handlingsplan … 2027" (when recorded)."""
    adopted = adoption(ctx.year, session=ctx.session)
    if adopted is None:
        return []
    return [Paragraph(gettext(
        "{body} fastställde den {day}, § {paragraph}, handlingsplan för informationssäkerhet och "
        "dataskydd {year} (beslut {decision}, version {version}).", ctx.lang, body=adopted.body,
        day=format_date(adopted.decided_on, ctx.lang), paragraph=adopted.paragraph, year=ctx.year,
        decision=adopted.decision, version=adopted.version))]


def follow_up_items(ctx) -> list:
    """Counts per status, what is proposed to carry over, and a pointer to Bilaga 1."""
    plan = src.actions(ctx.session, ctx.year)
    if not plan:
        return decision_items(ctx) + [ctx.missing(gettext(
            "status för handlingsplanens aktiviteter", ctx.lang))]
    head = ["Status", gettext("Antal", ctx.lang)]
    rows = [[_label(key, ctx.lang), str(sum(1 for _a, s, _c in plan if s == key))]
            for key in STATUSES]
    items = decision_items(ctx) + [Table(head[0], head, rows, numeric=(1,))]
    carried = _carried(ctx, plan)
    if carried:
        items.append(Paragraph(gettext(
            "De aktiviteter som inte genomförts under {year} föreslås flyttas över till {next} "
            "års handlingsplan:", ctx.lang, year=ctx.year, next=ctx.year + 1)))
        items.append(Bullets(carried))
    items.append(Paragraph(gettext(
        "Se bilaga 1 för genomförda/påbörjade/ej påbörjade aktiviteter.", ctx.lang)))
    return items


def _carried(ctx, plan: list[tuple[str, str, str]]) -> list[str]:
    """The activities not done, each with its unit ("Socialförvaltningen: Uppdatera …") when the
    plan's records know it, ordered by unit; imported years know no units and list titles only."""
    followed = [f for f in follow_up(ctx.year, session=ctx.session) if f.status != "genomford"]
    if not followed:
        return [a for a, s, _c in plan if s != "genomford"]
    names = {u.id: u.name for u in ctx.session.exec(select(Unit)).all()}
    whole = gettext("Hela organisationen", ctx.lang)
    rows = [(names.get(f.unit_id, f.unit_id) if f.unit_id else whole, f.title) for f in followed]
    rows.sort(key=lambda r: (r[0] != whole, sv_key(r[0])))
    return [gettext("{unit}: {activity}", ctx.lang, unit=unit, activity=title)
            for unit, title in rows]


def _label(status: str, lang: str) -> str:
    imported = ACTION_STATUSES.get(status)
    return gettext(imported, lang) if imported else status_label(status, lang)


def appendix_items(ctx) -> list:
    """Bilaga 1: one table per unit from the plan; imported years as one table."""
    followed = follow_up(ctx.year, session=ctx.session)
    if followed:
        return _per_unit(ctx, followed)
    plan = src.actions(ctx.session, ctx.year)
    if not plan:
        return [ctx.missing(gettext("status för handlingsplanens aktiviteter", ctx.lang))]
    head = [gettext(h, ctx.lang) for h in ("Aktivitet", "Status", "Kommentar")]
    rows = [[a, _label(s, ctx.lang), c] for a, s, c in plan]
    return [Table(ctx.t["bilaga1"].format(y=ctx.year), head, rows)]


def _per_unit(ctx, followed: list[Followed]) -> list:
    names = {u.id: u.name for u in ctx.session.exec(select(Unit)).all()}
    whole = gettext("Hela organisationen", ctx.lang)
    units = sorted({f.unit_id for f in followed}, key=lambda u: (u != "", sv_key(names.get(u, u))))
    head = [gettext(h, ctx.lang) for h in
            ("Aktivitet", "Ansvarig", "Klart senast", "Status", "Kommentar", "Historik")]
    return [
        Table(names.get(unit, unit) if unit else whole, head,
              [_row(f, ctx.lang) for f in followed if f.unit_id == unit])
        for unit in units
    ]


def _row(item: Followed, lang: str) -> list[str]:
    history = "; ".join(f"{y}: {status_label(status, lang)}" for y, status, _c in item.history)
    due = item.due.isoformat() if item.due else ""
    return [item.title, item.responsible, due, status_label(item.status, lang), item.comment,
            history]
