"""The form page's content as HTML, written in Python rather than as Jinja2 templates.

The questions are most of a form page, and in Jinja2 every macro call builds a context and every
`{{ f.attr }}` is a generic attribute lookup plus an escape call; here the same markup costs a
fraction of that (a table's rows: portal.table_rows). The page's frame is still `base.html`
(portal.pages renders it once per language and title). Every value is escaped with markupsafe
exactly as the templates' autoescape would (the form's own words through a cache, answers, names
and errors afresh), and the markup is byte-for-byte what the former `form.html` with its macros
`_fields.html` and the include `_assignment.html` produce (tests/portal/test_portal_form_html.py
renders both for every form of wheel/forms).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from portal.table_rows import _fixed, table_rows
from portal.texts import text
from portal.views import FieldView, TableView

_CHOICES = ("yesno", "choice", "multi", "scale")


def _req(f: FieldView, lang: str) -> str:
    word = _fixed(text("required" if f.required else "optional", lang))
    return f'<span class="req">({word})</span>'


def _hint(f: FieldView) -> str:
    if not (f.help or f.hint):
        return ""
    space = " " if f.help and f.hint else ""
    return (f'<p class="hint" id="h-{_fixed(f.name)}">{_fixed(f.help or "")}{space}'
            f'{_fixed(f.hint or "")}</p>')


def _err(f: FieldView, lang: str) -> str:
    if not f.error:
        return ""
    return (f'<p class="error-message" id="e-{_fixed(f.name)}"><span class="visually-hidden">'
            f"{_fixed(text('error_prefix', lang))}:</span> {escape(f.error)}</p>")


def _head(f: FieldView, lang: str, fieldset_id: str = "") -> str:
    """`<fieldset …>`, the legend, hint and error of a group of inputs."""
    described = f' aria-describedby="{_fixed(f.described_by)}"' if f.described_by else ""
    return (f"<fieldset{fieldset_id}{described}>\n<legend>{_fixed(f.label)} {_req(f, lang)}"
            f"</legend>\n{_hint(f)}{_err(f, lang)}\n")


def _textinput(f: FieldView) -> str:
    fid, name = _fixed(f.id), _fixed(f.name)
    if f.multiline:
        return (f'<textarea id="{fid}" name="{name}" rows="5"{f.aria}>{escape(f.value)}'
                "</textarea>\n")
    if f.type == "number":
        extra = ' inputmode="decimal" class="short"'
    elif f.type == "date":
        extra = ' autocomplete="off" class="short"'
    else:
        extra = ""
    return f'<input type="text" id="{fid}" name="{name}" value="{escape(f.value)}"{extra}{f.aria}>'


def _field(f: FieldView, lang: str) -> str:
    out = ['<div class="question has-error">\n' if f.error else '<div class="question">\n']
    if f.type in _CHOICES:
        out.append(_head(f, lang))
        inline = " inline" if f.type in ("yesno", "scale") else ""
        out.append(f'<div class="options{inline}">\n')
        kind = "checkbox" if f.type == "multi" else "radio"
        name = _fixed(f.name)
        invalid = ' aria-invalid="true"' if f.error else ""
        for o in f.options:
            oid = _fixed(o.id)
            out.append(
                f'<div class="option"><input type="{kind}" id="{oid}" name="{name}" '
                f'value="{_fixed(o.value)}"{" checked" if o.checked else ""}{invalid}>'
                f'<label for="{oid}">{_fixed(o.label)}</label></div>\n'
            )
        out.append("</div>\n</fieldset>\n")
    elif f.nc_name:
        nc = _fixed(f.nc_name)
        out.append(_head(f, lang))
        out.append(f'<label for="{_fixed(f.id)}" class="sub">{_fixed(text("count", lang))}'
                   f"</label>\n{_textinput(f)}\n")
        out.append(
            f'<div class="option"><input type="checkbox" id="f-{nc}" name="{nc}" value="1"'
            f'{" checked" if f.nc_checked else ""}><label for="f-{nc}">'
            f'{_fixed(text("not_collected", lang))}</label></div>\n</fieldset>\n'
        )
    else:
        out.append(f'<label for="{_fixed(f.id)}">{_fixed(f.label)} {_req(f, lang)}</label>\n'
                   f"{_hint(f)}{_err(f, lang)}\n{_textinput(f)}\n")
    out.append("</div>\n")
    return "".join(out)


def _table(tv: TableView, lang: str) -> str:
    f = tv.question
    columns = "".join(f'<th scope="col">{_fixed(c)}</th>' for c in tv.columns)
    if tv.can_remove:
        columns += (f'<th scope="col"><span class="visually-hidden">'
                    f'{_fixed(text("remove", lang))}</span></th>')
    add = (f'<button type="submit" class="secondary" name="action" value="add-row:'
           f'{_fixed(f.name)}">{_fixed(text("add_row", lang))}</button>') if tv.can_add else ""
    head = _head(f, lang, f' id="{_fixed(f.id)}"')
    return (
        f'<div class="question{" has-error" if f.error else ""}">\n{head}'
        f'<input type="hidden" name="{_fixed(tv.rows_name)}" value="{len(tv.rows)}">\n'
        '<div class="table-wrap">\n<table class="rows">\n'
        f'<thead><tr><th scope="col">#</th>{columns}</tr></thead>\n<tbody>\n'
        f"{table_rows(tv, lang)}</tbody>\n</table>\n</div>\n{add}</fieldset>\n</div>\n"
    )


def facts_html(opened, step_title: str, lang: str) -> Markup:
    """The facts list of an assignment (step, scope, dates, who answers, status), as the include
    `_assignment.html` writes it for the other pages."""
    me = opened.person.id
    you = f" ({escape(text('you', lang))})"
    people = ", ".join(f"{escape(p.name)}{you if p.id == me else ''}" for p in opened.responsible)
    if opened.latest:
        latest = opened.latest
        status = text("status_submitted", lang, when=opened.local(latest.submitted_at),
                      who=opened.name_of(latest.submitted_by), n=latest.version)
    else:
        status = text("status_draft", lang)
    rows = (
        (text("step", lang), escape(step_title)),
        (text("scope", lang), escape(opened.scope_name)),
        (text("due", lang), opened.step.due.isoformat()),
        (text("closes", lang), opened.closes_on.isoformat()),
        (text("responsible", lang), people),
        (text("status", lang), escape(status)),
    )
    inner = "".join(f"  <div><dt>{_fixed(dt)}</dt><dd>{dd}</dd></div>\n" for dt, dd in rows)
    return Markup(f'<dl class="facts">\n{inner}</dl>')


def main_html(c: dict, lang: str) -> str:
    """The `<main>` content of a form page from pages.form_context's `c`, as the former
    `form.html` wrote it."""
    out = []
    if c["summary"]:
        links = "".join(f'<li><a href="#{_fixed(target)}">{escape(msg)}</a></li>'
                        for target, msg in c["summary"])
        out.append('<div class="error-summary" role="alert" aria-labelledby="error-summary-title"'
                   ' tabindex="-1" autofocus>\n<h2 id="error-summary-title">'
                   f'{_fixed(text("errors_title", lang))}</h2>\n<ul>{links}</ul>\n</div>\n')
    if c["notice"]:
        out.append(f'<div class="notice" role="status"><p>{escape(c["notice"])}</p></div>')
    out.append(f'<h1>{escape(c["form_title"])}</h1>\n')
    if c["form_description"]:
        out.append(f'<p class="lead">{_fixed(c["form_description"])}</p>')
    if c["step_purpose"]:
        out.append(f'<p>{escape(c["step_purpose"])}</p>')
    out.append(facts_html(c["opened"], c["step_title"], lang))
    if c["draft_note"]:
        out.append(f'<p class="note">{escape(c["draft_note"])}</p>')
    save = _fixed(text("save", lang))
    out.append(f'<form method="post" action="{escape(c["form_url"])}" novalidate>\n'
               f'<input type="hidden" name="csrf" value="{escape(c["csrf"])}">\n'
               '<div class="actions top"><button type="submit" class="secondary" name="action" '
               f'value="save">{save}</button></div>\n')
    for section in c["sections"]:
        out.append(f'<section class="form-section">\n<h2>{_fixed(section.title)}</h2>\n')
        if section.description:
            out.append(f"<p>{_fixed(section.description)}</p>")
        out.extend(_table(i, lang) if isinstance(i, TableView) else _field(i, lang)
                   for i in section.items)
        out.append("</section>\n")
    send = _fixed(text("resubmit" if c["opened"].latest else "submit", lang))
    out.append('<div class="actions">\n<button type="submit" class="primary" name="action" '
               f'value="submit">{send}</button>\n<button type="submit" class="secondary" '
               f'name="action" value="save">{save}</button>\n</div>\n</form>\n')
    return "".join(out)
