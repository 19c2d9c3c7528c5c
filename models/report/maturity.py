"""Infosäkkollen in the report: the areas, the tool's overall level and the chosen focus areas.

The overall level ("Samlad nivå enligt verktyget") is the tool's own figure, not an average of the
areas: the answer's `total_niva`, or an imported area named "Samlad nivå". Without it, the lowest
area level stands in (the tool reaches a level only when every area has). It is never listed as an
area. The focus areas are those the answer chose (`fokusomraden`).
"""

from __future__ import annotations

from datetime import datetime

from models.cycle.forms import get_form
from models.cycle.submitted import answers_for
from models.i18n import N_, gettext
from models.report import sources as src
from models.report.charts import bar_chart
from models.report.content import Bullets, Chart, Paragraph, Table, fmt_level, normalise

TARGET = 4.0
FORM = "infosakkollen"
OVERALL = "total_niva"
FOCUS = "fokusomraden"
_OVERALL_NAMES = {"totalniva", "samladniva", "samladnivaenligtverktyget", "overalllevel"}
WORDS = (N_("noll"), N_("ett"), N_("två"), N_("tre"), N_("fyra"), N_("fem"))


def _form():
    try:
        return get_form(FORM)
    except Exception:  # noqa: BLE001 - a broken form file must not stop the report
        return None


def area_labels(lang: str) -> dict[str, str]:
    """Question id → label of the areas (the questions rated per area, not the summary)."""
    form = _form()
    if form is None:
        return {}
    return {q.id: q.text.get(lang) for q in form.questions if q.type == "scale" and q.id != OVERALL}


def _is_overall(key: str) -> bool:
    return normalise(key) in _OVERALL_NAMES


def areas(session, year: int) -> dict[str, float] | None:
    """Level per area (form question id, or the imported name when unknown); never the total."""
    levels = src.maturity(session, year)
    if not levels:
        return None
    by_text = {normalise(t): q for lang in ("sv", "en") for q, t in area_labels(lang).items()}
    out = {by_text.get(normalise(k), k): v for k, v in levels.items() if not _is_overall(k)}
    return out or None


def _latest(session, year: int) -> dict:
    answers = answers_for(session, year, FORM)
    if not answers:
        return {}
    return max(answers, key=lambda a: a.submitted_at or datetime.min).data


def overall(session, year: int) -> float | None:
    """The tool's overall level of the year (see the module docstring), or None."""
    given = _latest(session, year).get(OVERALL)
    if isinstance(given, int | float) and not isinstance(given, bool):
        return float(given)
    imported = {normalise(k): v for k, v in (src.maturity(session, year) or {}).items()}
    named = next((imported[k] for k in _OVERALL_NAMES if k in imported), None)
    if named is not None:
        return named
    levels = areas(session, year)
    return min(levels.values()) if levels else None


def in_words(level: float, lang: str) -> str:
    """0–5 as the reference writes it ("noll av fem"); other levels as numbers."""
    if float(level).is_integer() and 0 <= level <= 5:
        return gettext("{level} av {top}", lang, level=gettext(WORDS[int(level)], lang),
                       top=gettext(WORDS[5], lang))
    return gettext("{level} av {top}", lang, level=fmt_level(level), top=gettext(WORDS[5], lang))


def focus_areas(session, year: int, lang: str) -> list[str]:
    """The areas the year's answer chose to focus on next year, as the form words them."""
    chosen = _latest(session, year).get(FOCUS) or []
    form = _form()
    if form is None:
        return list(chosen)
    question = form.question(FOCUS)
    return [question.choice_text(value, lang) for value in chosen]


def key_figure(ctx) -> str | None:
    """"Infosäkkollen: samlad nivå noll av fem (mål fyra)" for the summary, or None."""
    level = overall(ctx.session, ctx.year)
    if level is None:
        return None
    return gettext("Infosäkkollen: samlad nivå {level} (mål {target})", ctx.lang,
                   level=in_words(level, ctx.lang), target=gettext(WORDS[int(TARGET)], ctx.lang))


def maturity_items(ctx) -> list:
    """The overall level, the areas against last year and the target, and the focus areas."""
    now, before = areas(ctx.session, ctx.year), areas(ctx.session, ctx.year - 1) or {}
    if not now:
        return [ctx.missing(gettext("Infosäkkollen-resultat", ctx.lang))]
    labels = area_labels(ctx.lang)
    names = [labels.get(a, a) for a in now]
    head = [gettext("Område", ctx.lang), str(ctx.year - 1), str(ctx.year), gettext("Mål", ctx.lang)]
    rows = [[n, fmt_level(before.get(a)), fmt_level(v), fmt_level(TARGET)]
            for (a, v), n in zip(now.items(), names, strict=True)]
    svg = bar_chart(names, [(str(ctx.year - 1), [before.get(a) for a in now]),
                            (str(ctx.year), list(now.values()))], maximum=5, target=TARGET)
    items = [Paragraph(gettext("Resultatet för {year} visar att vi ligger på nivå {level} enligt "
                               "verktygets samlade bedömning.", ctx.lang, year=ctx.year,
                               level=in_words(overall(ctx.session, ctx.year), ctx.lang))),
             Chart(f"Infosäkkollen {ctx.year - 1}–{ctx.year}", svg,
                   Table("Infosäkkollen", head, rows, numeric=(1, 2, 3)))]
    if not src.maturity(ctx.session, ctx.year - 1):  # an imported overall level alone counts
        items.append(ctx.missing(gettext("Infosäkkollen-resultat för {year}", ctx.lang,
                                         year=ctx.year - 1)))
    return items + focus_items(ctx)


def focus_items(ctx) -> list:
    """"Av resultatet framgår att kommunen under Y+1 behöver fokusera särskilt på: …"."""
    chosen = focus_areas(ctx.session, ctx.year, ctx.lang)
    if not chosen:
        return []
    return [Paragraph(gettext("Av resultatet framgår att organisationen under {next} behöver "
                              "fokusera särskilt på områdena:", ctx.lang, next=ctx.year + 1)),
            Bullets(chosen)]


def below_target(ctx) -> list[str]:
    """Labels of the areas below the target level."""
    labels = area_labels(ctx.lang)
    levels = areas(ctx.session, ctx.year) or {}
    return [labels.get(k, k) for k, v in levels.items() if v < TARGET]
