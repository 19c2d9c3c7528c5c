"""Rendering: the Jinja2 environment (autoescaping everything) and the portal's pages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from models.cycle.answers import raw_from_values
from models.records.prefill import starting_values
from portal.context import Opened
from portal.form_cache import form_view
from portal.form_html import main_html
from portal.texts import text
from portal.views import answer_sections, error_summary

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment; autoescape is on for every template, whatever its name."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        auto_reload=False,  # no stat() of every template per page; restart to pick up edits
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(name: str, lang: str, **context) -> str:
    """Render template `name` in `lang` (the `t` helper looks up portal texts)."""
    context.setdefault("has_errors", False)

    def t(key: str, **params) -> str:
        return text(key, lang, **params)

    return environment().get_template(name).render(lang=lang, t=t, **context)


def page(name: str, lang: str, status: int = 200, **context) -> HTMLResponse:
    """A rendered page as a response."""
    return HTMLResponse(render(name, lang, **context), status_code=status)


def message_page(lang: str, key: str, body: list[str], status: int, contacts=()) -> HTMLResponse:
    """A page with a title (portal text `<key>_title`), paragraphs and optional contacts."""
    title = text(f"{key}_title", lang)
    return page(
        "message.html",
        lang,
        status,
        title=title,
        paragraphs=body,
        contacts=list(contacts),
        has_errors=False,
    )


def too_large_html() -> str:
    """The 413 page, in Swedish with English below (no store access at that point)."""
    return render(
        "message.html",
        "sv",
        title=text("too_large_title", "sv"),
        paragraphs=[text("too_large_body", "sv"), ("en", text("too_large_body", "en"))],
        contacts=[],
    )


def form_path(opened: Opened, token: str) -> str:
    """Where the form of `opened` is shown and posted: `/a/<token>`, or `/a/<token>/svara` for
    someone answering in the contact's place."""
    return f"/a/{token}/svara" if opened.on_behalf else f"/a/{token}"


def _common(opened: Opened) -> dict:
    lang = opened.lang
    return {
        "opened": opened,
        "form_title": opened.form.title.get(lang),
        "step_title": opened.step.title_en if lang == "en" else opened.step.title_sv,
    }


def form_page(
    opened: Opened,
    token: str,
    csrf: str,
    raw: dict,
    errors: dict[str, str],
    *,
    notice: str | None = None,
    draft_note: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The answering page, filled with `raw` input and `errors` (the input is never dropped)."""
    context = form_context(opened, token, csrf, raw, errors, notice=notice, draft_note=draft_note)
    return HTMLResponse(form_html(context, opened.lang), status_code=status)


def form_html(context: dict, lang: str) -> str:
    """The form page from form_context's `context`: base.html's frame around the content
    portal.form_html writes (the frame rendered once per language, title and error state)."""
    head, tail = _frame(lang, context["title"], context["has_errors"])
    return head + main_html(context, lang) + tail


_MAIN = "\x00main\x00"


@lru_cache(maxsize=128)
def _frame(lang: str, title: str, has_errors: bool) -> tuple[str, str]:
    template = environment().from_string('{% extends "base.html" %}{% block main %}'
                                         + _MAIN + "{% endblock %}")
    html = template.render(lang=lang, t=lambda key, **p: text(key, lang, **p), title=title,
                           has_errors=has_errors)
    head, tail = html.split(_MAIN)
    return head, tail


def form_context(opened: Opened, token: str, csrf: str, raw: dict, errors: dict[str, str], *,
                 notice: str | None = None, draft_note: str | None = None) -> dict:
    """What the form page is written from (see form_page, portal.form_html)."""
    lang = opened.lang
    sections = form_view(opened.form, raw, errors, lang)
    purpose = opened.step.purpose_en if lang == "en" else opened.step.purpose_sv
    desc = opened.form.description.get(lang) if opened.form.description else None
    if opened.on_behalf:
        notice = " ".join(filter(None, [text("on_behalf_notice", lang), notice]))
    return dict(
        title=opened.form.title.get(lang),
        token=token,
        form_url=form_path(opened, token),
        csrf=csrf,
        sections=sections,
        summary=error_summary(sections),
        has_errors=bool(errors),
        notice=notice,
        draft_note=draft_note,
        form_description=desc,
        step_purpose=purpose,
        **_common(opened),
    )


def readonly_page(opened: Opened, status: int = 200) -> HTMLResponse:
    """The closed step: the latest submitted answers (or the draft) without inputs."""
    lang = opened.lang
    values = opened.latest.values if opened.latest else {}
    return page(
        "readonly.html",
        lang,
        status,
        title=opened.form.title.get(lang),
        answers=answer_sections(opened.form, values, lang),
        **_common(opened),
    )


def receipt_page(opened: Opened, token: str) -> HTMLResponse:
    """The receipt of the latest submitted version."""
    lang = opened.lang
    version = opened.latest
    return page(
        "receipt.html",
        lang,
        200,
        title=text("receipt_title", lang),
        token=token,
        form_url=form_path(opened, token),
        version=version,
        answers=answer_sections(opened.form, version.values, lang),
        **_common(opened),
    )


def starting_raw(opened: Opened, session=None) -> tuple[dict, str | None]:
    """What the page starts from: the draft, else the latest version, else what the records
    pre-fill (the unit's own activities of the action plan, a register's current rows), else
    nothing."""
    lang = opened.lang
    if opened.draft is not None:
        note = text(
            "draft_saved_at",
            lang,
            when=opened.local(opened.draft.saved_at),
            who=opened.name_of(opened.draft.saved_by),
        )
        if opened.latest is not None:
            note += " " + text("draft_newer", lang)
        return dict(opened.draft.raw), note
    if opened.latest is not None:
        return _version_raw(opened), None
    filled = None if session is None else starting_values(
        opened.assignment, opened.form.id, lang, session=session)
    if filled is not None:
        return raw_from_values(opened.form, filled[0]), filled[1]
    return {}, None


_MAX_RAW = 256  #: latest versions whose raw shape is kept (see _version_raw)
_RAW: dict[tuple[int, int, int], tuple[Any, dict, dict]] = {}


def _version_raw(opened: Opened) -> dict:
    """raw_from_values of the latest version, kept per form, assignment and version: the page
    shows it until the next one is submitted. A hit must hold equal values (a recreated store
    may reuse the ids); the raw dict is shared, and a page only reads it."""
    form, values = opened.form, opened.latest.values
    key = (id(form), opened.assignment.id, opened.latest.version)
    hit = _RAW.get(key)
    if hit is not None and hit[0] is form and hit[1] == values:
        return hit[2]
    raw = raw_from_values(form, values)
    if len(_RAW) >= _MAX_RAW:
        _RAW.clear()
    _RAW[key] = (form, values, raw)
    return raw
