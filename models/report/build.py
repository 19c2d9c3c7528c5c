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
from models.errors import InputError
from models.i18n import LANGUAGES, cli_language, gettext
from models.report import sources as src
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
from models.report.figures import ACTION_STATUSES
from models.report.incidents import incidents_section
from models.report.plausibility import to_check
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
        self.t = {key: gettext(title, lang) for key, title in TITLES.items()}
        self.prose = prose

    def tr(self, text: str, /, **params) -> str:
        """`text` (Swedish, marked for the catalog by the call) in the report's language."""
        return gettext(text, self.lang, **params)

    def section(self, sid: str, items: list | None = None, subs: list | None = None) -> Section:
        """A section titled from TITLES, opening with the coordinator's prose for it (if any)."""
        text = self.prose_for(sid)
        lead = [Prose(text)] if text else []
        return Section(sid, self.t[sid].format(y=self.year), lead + (items or []), subs or [])

    def prose_for(self, sid: str) -> str:
        keys = {normalise(gettext(TITLES[sid], lang, y=self.year)) for lang in LANGUAGES} | {sid}
        return next((body for key, body in self.prose.items() if key in keys), "")

    def missing(self, what: str) -> NotCollected:
        return NotCollected(gettext(MISSING, self.lang, what=what, y=self.year))


def build_report(
    year: int,
    *,
    session: Session,
    lang: str = "sv",
    prose_text: str = "",
    today: date | None = None,
) -> Report:
    """Collect the year's report from the store (figures, answers, incidents, campaigns)."""
    if not src.has_anything(session, year):
        raise InputError("--year: " + gettext(
            "{year} är varken planerat eller har importerade siffror (planera med `arshjul plan "
            "--year {year}` eller importera med `arshjul figures import`)", cli_language(),
            year=year))
    session.info[src.CACHE] = {}  # answers are read once per build, not once per section
    try:
        report = _build(session, year, lang, prose_text, today)
        report.to_check = to_check(session, year, lang)
        return report
    finally:
        session.info.pop(src.CACHE, None)


def _build(session: Session, year: int, lang: str, prose_text: str, today: date | None) -> Report:
    ctx = _Ctx(session, year, lang, split_prose(prose_text), today)
    org = organisation.info(session=session)
    sections = [
        ctx.section("sammanfattning", _summary_items(ctx)),
        ctx.section("om", [Paragraph(gettext(p, lang)) for p in ABOUT] + [wheel_chart(ctx)]),
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
                            gettext(NO_TEXT, lang, what=ctx.t["omvarldsanalys"].lower(), y=year)
                        )
                    ],
                ),
                ctx.section("uppfoljning", _action_plan(ctx)),
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
        ctx.section("bilaga1", _appendix(ctx)),
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
    facts = []
    levels = src.maturity(ctx.session, ctx.year)
    if levels:
        mean = sum(levels.values()) / len(levels)
        facts.append(ctx.tr("Infosäkkollen: genomsnittlig nivå {level} av 5 (mål {target:g})",
                            level=fmt_level(round(mean, 1)), target=INFOSAKKOLLEN_TARGET))
    breaches = src.incident_tables_for(ctx.session, ctx.year, ctx.lang).personal_data
    if breaches is not None:
        n = sum(r.count for r in breaches)
        facts.append(ctx.tr("Personuppgiftsincidenter: {n}", n=n))
    plan = src.actions(ctx.session, ctx.year)
    if plan:
        done = sum(1 for _a, s, _c in plan if s == "genomford")
        facts.append(
            ctx.tr(
                "Handlingsplanen: {done} av {len_plan} aktiviteter genomförda",
                done=done,
                len_plan=len(plan),
            )
        )
    if not facts:
        return (
            []
            if ctx.prose_for("sammanfattning")
            else [
                Paragraph(
                    gettext(NO_TEXT, ctx.lang, what=ctx.t["sammanfattning"].lower(), y=ctx.year)
                )
            ]
        )
    return [Paragraph(ctx.tr("Nyckeltal:")), Bullets(facts)]


def _action_plan(ctx: _Ctx) -> list:
    plan = src.actions(ctx.session, ctx.year)
    if not plan:
        return [ctx.missing(ctx.tr("status för handlingsplanens aktiviteter"))]
    head = ["Status", ctx.tr("Antal")]
    rows = [
        [ctx.tr(text), str(sum(1 for _a, s, _c in plan if s == key))]
        for key, text in ACTION_STATUSES.items()
    ]
    carried = [a for a, s, _c in plan if s != "genomford"]
    items = [Table(head[0], head, rows, numeric=(1,))]
    if carried:
        items.append(
            Paragraph(
                ctx.tr(
                    "De aktiviteter som inte genomförts under {year} föreslås flyttas över till "
                    "{next_year} års handlingsplan:",
                    year=ctx.year,
                    next_year=ctx.year + 1,
                )
            )
        )
        items.append(Bullets(carried))
    items.append(
        Paragraph(ctx.tr("Se bilaga 1 för genomförda/påbörjade/ej påbörjade aktiviteter."))
    )
    return items


def _area_labels(lang: str) -> dict[str, str]:
    try:
        form = get_form("infosakkollen")
    except Exception:  # noqa: BLE001 - a broken form file must not stop the report
        return {}
    return {q.id: q.text.get(lang) for q in form.questions}


def _maturity(ctx: _Ctx) -> list:
    now, before = src.maturity(ctx.session, ctx.year), src.maturity(ctx.session, ctx.year - 1)
    if not now:
        return [ctx.missing(ctx.tr("Infosäkkollen-resultat"))]
    labels = _area_labels(ctx.lang)
    by_text = {
        normalise(text): qid for lang in ("sv", "en") for qid, text in _area_labels(lang).items()
    }
    before = {by_text.get(normalise(k), k): v for k, v in (before or {}).items()}
    areas = [by_text.get(normalise(k), k) for k in now]
    current = {by_text.get(normalise(k), k): v for k, v in now.items()}
    names = [labels.get(a, a) for a in areas]
    head = [
        ctx.tr("Område"),
        str(ctx.year - 1),
        str(ctx.year),
        ctx.tr("Mål"),
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
                ctx.tr("Infosäkkollen-resultat för {previous_year}", previous_year=ctx.year - 1)
            )
        )
    return items


def _measures(ctx: _Ctx) -> list:
    drives = measures_items(ctx)
    if drives or ctx.prose_for("atgarder"):
        return drives
    return [Paragraph(gettext(NO_TEXT, ctx.lang, what=ctx.t["atgarder"].lower(), y=ctx.year))]


def _legal(ctx: _Ctx) -> list:
    return legal_clocks_items(ctx)


def _recommendations(ctx: _Ctx) -> list:
    items = [
        Paragraph(
            ctx.tr(
                "Rekommendationer till förbättringar och aktiviteter framgår av förslag till "
                "handlingsplan för informationssäkerhet och dataskydd {next_year}.",
                next_year=ctx.year + 1,
            )
        )
    ]
    levels = src.maturity(ctx.session, ctx.year) or {}
    labels = _area_labels(ctx.lang)
    low = [labels.get(k, k) for k, v in levels.items() if v < INFOSAKKOLLEN_TARGET]
    if low:
        items.append(Paragraph(ctx.tr("Områden under målnivån i Infosäkkollen:")))
        items.append(Bullets(low))
    return items


def _appendix(ctx: _Ctx) -> list:
    plan = src.actions(ctx.session, ctx.year)
    if not plan:
        return [ctx.missing(ctx.tr("status för handlingsplanens aktiviteter"))]
    head = [ctx.tr("Aktivitet"), ctx.tr("Status"), ctx.tr("Kommentar")]
    rows = [[a, ctx.tr(ACTION_STATUSES[s]) if s in ACTION_STATUSES else s, c] for a, s, c in plan]
    return [Table(ctx.t["bilaga1"].format(y=ctx.year), head, rows)]
