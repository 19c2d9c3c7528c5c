"""Sections of the reference report that look back on the year as a whole: the work done, the
external audit, the measurements and the effectiveness of the management system.

They open with the coordinator's own text when given (`--text`); what the store knows follows:
the wheel's steps done, the Infosäkkollen level, the share of assignments in on time, compared
with the year before where there is one.
"""

from __future__ import annotations

from sqlmodel import select

from models.cycle.tables import Assignment, StepInstance
from models.i18n import gettext
from models.report import maturity
from models.report.content import Bullets, Paragraph


def _step_counts(session, year: int, lang: str) -> dict[str, list]:
    """step id → [title, assignments, submitted, on time] of the year's live steps."""
    rows = session.exec(
        select(StepInstance, Assignment)
        .join(Assignment, Assignment.step_instance_id == StepInstance.id)
        .where(StepInstance.year == year, StepInstance.retired_at.is_(None),
               Assignment.retired_at.is_(None))
        .order_by(StepInstance.opens)
    ).all()
    out: dict[str, list] = {}
    for step, a in rows:
        title = step.title_en if lang == "en" else step.title_sv
        counts = out.setdefault(step.step_id, [title, 0, 0, 0])
        counts[1] += 1
        if a.submitted_at:
            counts[2] += 1
            counts[3] += int(a.submitted_at.date() <= step.due)
    return out


def selected_work_items(ctx) -> list:
    """"Utvalda delar av genomfört arbete": the wheel's steps that were carried out."""
    done = [c for c in _step_counts(ctx.session, ctx.year, ctx.lang).values() if c[2]]
    if not done:
        return [ctx.no_text("utvalda")]
    return [Paragraph(gettext("Genomförda steg i årshjulet {year}:", ctx.lang, year=ctx.year)),
            Bullets([gettext("{title}: {done} av {total}", ctx.lang, title=t, done=d, total=n)
                     for t, n, d, _o in done])]


def external_audit_items(ctx) -> list:
    """The reference's sentence when no external audit is described."""
    return [Paragraph(gettext("Någon revision utförd av extern part har inte genomförts under "
                              "{year}.", ctx.lang, year=ctx.year))]


def _on_time(session, year: int) -> tuple[int, int]:
    counts = _step_counts(session, year, "sv").values()
    return sum(c[3] for c in counts), sum(c[1] for c in counts)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %"


def measurements_items(ctx) -> list:
    """"Resultat från mätningar": the overall maturity level and the share in on time."""
    items = []
    level = maturity.overall(ctx.session, ctx.year)
    if level is not None:
        items.append(Paragraph(gettext(
            "Infosäkkollen visar en samlad nivå på {level}; målet är nivå {target}.", ctx.lang,
            level=maturity.in_words(level, ctx.lang),
            target=gettext(maturity.WORDS[int(maturity.TARGET)], ctx.lang))))
    on_time, total = _on_time(ctx.session, ctx.year)
    if total:
        items.append(Paragraph(gettext(
            "{on_time} av årshjulets {total} uppdrag ({share}) lämnades in i tid.", ctx.lang,
            on_time=on_time, total=total, share=_share(on_time, total))))
    return items or [ctx.no_text("matningar")]


def effectiveness_items(ctx) -> list:
    """"Utvärdering av ledningssystemets effektivitet": this year against the year before."""
    before_level = maturity.overall(ctx.session, ctx.year - 1)
    before_on_time, before_total = _on_time(ctx.session, ctx.year - 1)
    if before_level is None and not before_total:
        return [Paragraph(gettext(
            "Historisk data saknas och därmed finns inget att jämföra med för bedömning av "
            "arbetets effektivitet.", ctx.lang))]
    items = []
    level = maturity.overall(ctx.session, ctx.year)
    if before_level is not None and level is not None:
        items.append(Paragraph(gettext(
            "Samlad nivå i Infosäkkollen: {before} ({last}) och {now} ({year}).", ctx.lang,
            before=maturity.in_words(before_level, ctx.lang), last=ctx.year - 1,
            now=maturity.in_words(level, ctx.lang), year=ctx.year)))
    on_time, total = _on_time(ctx.session, ctx.year)
    if before_total and total:
        items.append(Paragraph(gettext(
            "Uppdrag inlämnade i tid: {before} ({last}) och {now} ({year}).", ctx.lang,
            before=_share(before_on_time, before_total), last=ctx.year - 1,
            now=_share(on_time, total), year=ctx.year)))
    return items or [Paragraph(gettext(
        "Historisk data saknas och därmed finns inget att jämföra med för bedömning av "
        "arbetets effektivitet.", ctx.lang))]
