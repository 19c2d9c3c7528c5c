"""The annual report "Uppföljning och utvärdering" built from the store as plain content.

`build_report` returns a `Report` (see models.report.content) that the Markdown, HTML and DOCX
renderers share. Sections follow the reference report; where nothing was collected a section says
so in a sentence ("Någon insamling … har inte genomförts under Y").
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from models import organisation
from models.cycle.forms import get_form
from models.report import sources as src
from models.report.action_plan import appendix_items, follow_up_items
from models.report.charts import bar_chart
from models.report.checks import compliance_section, conformity_section, legal_clocks_items
from models.report.content import (
    Bullets,
    Chart,
    NotCollected,
    Paragraph,
    Prose,
    Report,
    Section,
    Table,
    fmt_level,
    normalise,
    split_prose,
)
from models.report.incidents import incidents_section
from models.report.texts import ABOUT, MISSING, NO_TEXT, TITLES
from models.report.work import (
    classification_section,
    measures_items,
    risk_section,
    training_section,
    wheel_chart,
)

INFOSAKKOLLEN_TARGET = 4.0


class _Ctx:
    """What every section builder needs: store, year, language, titles, the coordinator's text."""

    def __init__(self, session: Session, year: int, lang: str, prose: dict[str, str], today):
        self.session, self.year, self.lang, self.today = session, year, lang, today
        self.t = TITLES[lang]
        self.prose = prose

    def section(self, sid: str, items: list | None = None, subs: list | None = None) -> Section:
        """A section titled from TITLES, opening with the coordinator's prose for it (if any)."""
        text = self.prose_for(sid)
        lead = [Prose(text)] if text else []
        return Section(sid, self.t[sid].format(y=self.year), lead + (items or []), subs or [])

    def prose_for(self, sid: str) -> str:
        keys = {normalise(TITLES[lang][sid].format(y=self.year)) for lang in TITLES} | {sid}
        return next((body for key, body in self.prose.items() if key in keys), "")

    def missing(self, what: str) -> NotCollected:
        return NotCollected(MISSING[self.lang].format(what=what, y=self.year))


def build_report(
    year: int,
    *,
    session: Session,
    lang: str = "sv",
    prose_text: str = "",
    today: date | None = None,
) -> Report:
    """Collect the year's report from the store (figures, answers, incidents, campaigns)."""
    session.info[src.CACHE] = {}  # answers are read once per build, not once per section
    try:
        return _build(session, year, lang, prose_text, today)
    finally:
        session.info.pop(src.CACHE, None)


def _build(session: Session, year: int, lang: str, prose_text: str, today: date | None) -> Report:
    ctx = _Ctx(session, year, lang, split_prose(prose_text), today)
    org = organisation.info(session=session)
    sections = [
        ctx.section("sammanfattning", _summary_items(ctx)),
        ctx.section("om", [Paragraph(p) for p in ABOUT[lang]] + [wheel_chart(ctx)]),
        Section(
            "underlag",
            ctx.t["underlag"],
            [],
            [
                ctx.section(
                    "omvarldsanalys",
                    []
                    if ctx.prose_for("omvarldsanalys")
                    else [
                        Paragraph(
                            NO_TEXT[lang].format(what=ctx.t["omvarldsanalys"].lower(), y=year)
                        )
                    ],
                ),
                ctx.section("uppfoljning", follow_up_items(ctx)),
            ],
        ),
        ctx.section(
            "revisioner",
            [],
            [
                ctx.section("infosakkollen", _maturity(ctx)),
                ctx.section("dpo", compliance_section(ctx)),
            ],
        ),
        ctx.section("atgarder", _measures(ctx)),
        incidents_section(session, year, lang),
        ctx.section("riskarbete", risk_section(ctx)),
        ctx.section("klassning", classification_section(ctx)),
        ctx.section("utbildning", training_section(ctx)),
        ctx.section("overensstammelse", conformity_section(ctx)),
        ctx.section("lagefterlevnad", _legal(ctx)),
        ctx.section("rekommendationer", _recommendations(ctx)),
        ctx.section("bilaga1", appendix_items(ctx)),
    ]
    return Report(
        year=year,
        lang=lang,
        title=ctx.t["report"].format(y=year),
        organisation=org.name,
        generated=(today or date.today()).isoformat(),
        sections=sections,
    )


def _summary_items(ctx: _Ctx) -> list:
    sv = ctx.lang == "sv"
    facts = []
    levels = src.maturity(ctx.session, ctx.year)
    if levels:
        mean = sum(levels.values()) / len(levels)
        facts.append(
            (
                f"Infosäkkollen: genomsnittlig nivå {fmt_level(round(mean, 1))} av 5 "
                f"(mål {INFOSAKKOLLEN_TARGET:g})"
            )
            if sv
            else f"Infosäkkollen: average level {mean:.1f} of 5 (target {INFOSAKKOLLEN_TARGET:g})"
        )
    breaches = src.incident_tables_for(ctx.session, ctx.year, ctx.lang).personal_data
    if breaches is not None:
        n = sum(r.count for r in breaches)
        facts.append(f"Personuppgiftsincidenter: {n}" if sv else f"Personal data breaches: {n}")
    plan = src.actions(ctx.session, ctx.year)
    if plan:
        done = sum(1 for _a, s, _c in plan if s == "genomford")
        facts.append(
            f"Handlingsplanen: {done} av {len(plan)} aktiviteter genomförda"
            if sv
            else f"Action plan: {done} of {len(plan)} activities completed"
        )
    if not facts:
        return (
            []
            if ctx.prose_for("sammanfattning")
            else [
                Paragraph(
                    NO_TEXT[ctx.lang].format(what=ctx.t["sammanfattning"].lower(), y=ctx.year)
                )
            ]
        )
    return [Paragraph("Nyckeltal:" if sv else "Key figures:"), Bullets(facts)]


def _area_labels(lang: str) -> dict[str, str]:
    try:
        form = get_form("infosakkollen")
    except Exception:  # noqa: BLE001 - a broken form file must not stop the report
        return {}
    return {q.id: q.text.get(lang) for q in form.questions}


def _maturity(ctx: _Ctx) -> list:
    now, before = src.maturity(ctx.session, ctx.year), src.maturity(ctx.session, ctx.year - 1)
    if not now:
        return [
            ctx.missing("Infosäkkollen-resultat" if ctx.lang == "sv" else "Infosäkkollen results")
        ]
    labels = _area_labels(ctx.lang)
    by_text = {
        normalise(text): qid for lang in ("sv", "en") for qid, text in _area_labels(lang).items()
    }
    before = {by_text.get(normalise(k), k): v for k, v in (before or {}).items()}
    areas = [by_text.get(normalise(k), k) for k in now]
    current = {by_text.get(normalise(k), k): v for k, v in now.items()}
    names = [labels.get(a, a) for a in areas]
    head = [
        "Område" if ctx.lang == "sv" else "Area",
        str(ctx.year - 1),
        str(ctx.year),
        "Mål" if ctx.lang == "sv" else "Target",
    ]
    rows = [
        [n, fmt_level(before.get(a)), fmt_level(current[a]), fmt_level(INFOSAKKOLLEN_TARGET)]
        for a, n in zip(areas, names, strict=True)
    ]
    table = Table("Infosäkkollen", head, rows, numeric=(1, 2, 3))
    svg = bar_chart(
        names,
        [
            (str(ctx.year - 1), [before.get(a) for a in areas]),
            (str(ctx.year), [current[a] for a in areas]),
        ],
        maximum=5,
        target=INFOSAKKOLLEN_TARGET,
    )
    items = [Chart(f"Infosäkkollen {ctx.year - 1}–{ctx.year}", svg, table)]
    if not before:
        items.append(
            ctx.missing(
                f"Infosäkkollen-resultat för {ctx.year - 1}"
                if ctx.lang == "sv"
                else f"Infosäkkollen results for {ctx.year - 1}"
            )
        )
    return items


def _measures(ctx: _Ctx) -> list:
    drives = measures_items(ctx)
    if drives or ctx.prose_for("atgarder"):
        return drives
    return [Paragraph(NO_TEXT[ctx.lang].format(what=ctx.t["atgarder"].lower(), y=ctx.year))]


def _legal(ctx: _Ctx) -> list:
    return legal_clocks_items(ctx)


def _recommendations(ctx: _Ctx) -> list:
    sv = ctx.lang == "sv"
    items = [
        Paragraph(
            f"Rekommendationer till förbättringar och aktiviteter framgår av förslag till "
            f"handlingsplan för informationssäkerhet och dataskydd {ctx.year + 1}."
            if sv
            else f"Recommended improvements and activities are in the proposed action plan for "
            f"{ctx.year + 1}."
        )
    ]
    levels = src.maturity(ctx.session, ctx.year) or {}
    labels = _area_labels(ctx.lang)
    low = [labels.get(k, k) for k, v in levels.items() if v < INFOSAKKOLLEN_TARGET]
    if low:
        items.append(
            Paragraph(
                "Områden under målnivån i Infosäkkollen:"
                if sv
                else "Infosäkkollen areas below the target level:"
            )
        )
        items.append(Bullets(low))
    return items
