"""The annual report "Uppföljning och utvärdering" built from the store as plain content.

`build_report` returns a `Report` (see models.report.content) that the Markdown, HTML and DOCX
renderers share. Every section of the reference report is here in its order (`OUTLINE`), plus ours
(training, the external audit's own heading); where nothing was collected a section says so in a
sentence ("Någon insamling … har inte genomförts under Y"). The coordinator's text (`--text`) is
put into its sections afterwards (models.report.prose); a heading that names none is an error.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from models import organisation
from models.errors import InputError
from models.i18n import LANGUAGES, N_, cli_language, gettext
from models.report import maturity
from models.report import sources as src
from models.report.action_plan import appendix_items, follow_up_items
from models.report.checks import compliance_section, conformity_section, legal_clocks_items
from models.report.content import Bullets, NotCollected, Paragraph, Report, Section
from models.report.incidents import incidents_section
from models.report.plausibility import to_check
from models.report.prose import attach
from models.report.register_sections import (
    classification_items,
    cloud_items,
    dpo_feedback_items,
    nis2_items,
    processing_items,
)
from models.report.reviews import (
    effectiveness_items,
    external_audit_items,
    measurements_items,
    selected_work_items,
)
from models.report.texts import ABOUT, MISSING, NO_TEXT, TITLES
from models.report.work import (
    classification_section,
    measures_items,
    risk_section,
    training_section,
    wheel_chart,
)

#: Titles of the sections the first report did not have (the rest are in models.report.texts).
MORE_TITLES = {
    "utvalda": N_("Utvalda delar av genomfört arbete {y}"),
    "extern": N_("Extern revision"),
    "matningar": N_("Resultat från mätningar av informationssäkerhet och dataskydd"),
    "riskanalyser": N_("Förvaltningarnas riskanalyser"),
    "mal-informationssakerhet": N_("Informationssäkerhet"),
    "mal-dataskydd": N_("Dataskydd"),
    "lag-informationssakerhet": N_("Informationssäkerhet"),
    "lag-dataskydd": N_("Dataskydd"),
    "effektivitet": N_("Utvärdering av ledningssystemets effektivitet"),
    "bilagor": N_("Bilagor"),
}


class _Ctx:
    """What every section builder needs: store, year, language and titles."""

    def __init__(self, session: Session, year: int, lang: str, today):
        self.session, self.year, self.lang, self.today = session, year, lang, today
        self.t = {k: gettext(v, lang) for k, v in {**TITLES, **MORE_TITLES}.items()}
        self.placeholders: set[int] = set()

    def title(self, sid: str) -> str:
        return self.t[sid].format(y=self.year)

    def tr(self, text: str, /, **params) -> str:
        """`text` (Swedish, marked for the catalog by the call) in the report's language."""
        return gettext(text, self.lang, **params)

    def section(self, sid: str, items: list | None = None, subs: list | None = None) -> Section:
        """A section titled from the titles above."""
        return Section(sid, self.title(sid), items or [], subs or [])

    def no_text(self, sid: str) -> Paragraph:
        """"No text on … was given for Y": gives way to the coordinator's text for the section."""
        item = Paragraph(gettext(NO_TEXT, self.lang, what=self.title(sid).lower(), y=self.year))
        self.placeholders.add(id(item))
        return item

    def missing(self, what: str) -> NotCollected:
        return NotCollected(gettext(MISSING, self.lang, what=what, y=self.year))

    def other_titles(self) -> dict[str, set[str]]:
        """Each section's title in both languages (the coordinator may write either)."""
        return {sid: {gettext(text, lang).format(y=self.year) for lang in LANGUAGES}
                for sid, text in {**TITLES, **MORE_TITLES}.items()}


def build_report(
    year: int,
    *,
    session: Session,
    lang: str = "sv",
    prose_text: str = "",
    today: date | None = None,
) -> Report:
    """Collect the year's report from the store (figures, answers, incidents, campaigns).

    Raises InputError when the year was never planned nor has imported figures, or when a
    heading of `prose_text` names no section of the report.
    """
    if not src.has_anything(session, year):
        raise InputError("--year: " + gettext(
            "{year} är varken planerat eller har importerade siffror (planera med `arshjul plan "
            "--year {year}` eller importera med `arshjul figures import`)", cli_language(),
            year=year))
    session.info[src.CACHE] = {}  # answers are read once per build, not once per section
    try:
        ctx = _Ctx(session, year, lang, today)
        report = Report(
            year=year,
            lang=lang,
            title=ctx.t["report"].format(y=year),
            organisation=organisation.info(session=session).name,
            generated=(today or date.today()).isoformat(),
            sections=_sections(ctx),
        )
        report.to_check = to_check(session, year, lang)
    finally:
        session.info.pop(src.CACHE, None)
    attach(report, prose_text, ctx.other_titles(), ctx.placeholders)
    return report


def _sections(ctx: _Ctx) -> list[Section]:
    s = ctx.section
    return [
        s("sammanfattning", _summary_items(ctx)),
        s("om", [Paragraph(gettext(p, ctx.lang)) for p in ABOUT] + [wheel_chart(ctx)]),
        s("underlag", [], [
            s("omvarldsanalys", [ctx.no_text("omvarldsanalys")]),
            s("uppfoljning", follow_up_items(ctx)),
            s("utvalda", selected_work_items(ctx)),
        ]),
        s("revisioner", [], [
            s("infosakkollen", maturity.maturity_items(ctx)),
            s("dpo", compliance_section(ctx) + dpo_feedback_items(ctx)),
            s("extern", external_audit_items(ctx)),
        ]),
        s("atgarder", measures_items(ctx) or [ctx.no_text("atgarder")]),
        incidents_section(ctx.session, ctx.year, ctx.lang),
        s("riskarbete", [], [
            s("riskanalyser", risk_section(ctx)),
            s("klassning", classification_section(ctx) + classification_items(ctx)),
        ]),
        s("utbildning", training_section(ctx)),
        s("matningar", measurements_items(ctx), [
            s("overensstammelse", conformity_section(ctx), [
                s("mal-informationssakerhet", [ctx.no_text("mal-informationssakerhet")]),
                s("mal-dataskydd", [ctx.no_text("mal-dataskydd")]),
            ]),
        ]),
        s("lagefterlevnad", legal_clocks_items(ctx), [
            s("lag-informationssakerhet",
              nis2_items(ctx) or [ctx.no_text("lag-informationssakerhet")]),
            s("lag-dataskydd",
              cloud_items(ctx) + processing_items(ctx) or [ctx.no_text("lag-dataskydd")]),
        ]),
        s("effektivitet", effectiveness_items(ctx)),
        s("rekommendationer", _recommendations(ctx)),
        s("bilagor", [], [s("bilaga1", appendix_items(ctx))]),
    ]


def _summary_items(ctx: _Ctx) -> list:
    facts = [maturity.key_figure(ctx)]
    breaches = src.incident_tables_for(ctx.session, ctx.year, ctx.lang).personal_data
    if breaches is not None:
        facts.append(gettext("Personuppgiftsincidenter: {n}", ctx.lang,
                             n=sum(r.count for r in breaches)))
    plan = src.actions(ctx.session, ctx.year)
    if plan:
        facts.append(gettext("Handlingsplanen: {done} av {total} aktiviteter genomförda",
                             ctx.lang, done=sum(1 for _a, s, _c in plan if s == "genomford"),
                             total=len(plan)))
    focus = maturity.focus_areas(ctx.session, ctx.year, ctx.lang)
    if focus:
        facts.append(gettext("Fokusområden {next}: {areas}", ctx.lang, next=ctx.year + 1,
                             areas=", ".join(a.lower() for a in focus)))
    facts = [f for f in facts if f]
    if not facts:
        return [ctx.no_text("sammanfattning")]
    return [Paragraph(gettext("Nyckeltal:", ctx.lang)), Bullets(facts)]


def _recommendations(ctx: _Ctx) -> list:
    items = [Paragraph(gettext(
        "Rekommendationer till förbättringar och aktiviteter framgår av förslag till "
        "handlingsplan för informationssäkerhet och dataskydd {next}.", ctx.lang,
        next=ctx.year + 1))]
    low = maturity.below_target(ctx)
    if low:
        items += [Paragraph(gettext("Områden under målnivån i Infosäkkollen:", ctx.lang)),
                  Bullets(low)]
    return items
