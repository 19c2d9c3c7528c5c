"""The rows of a table question as HTML, written in Python rather than in the template.

A table's cells are most of a form page (the risk analysis: 3 rows × 6 columns, each a label, an
input or a select with its options, perhaps an error). In Jinja2 every `{{ c.attr }}` is a
generic attribute lookup plus an escape call; here the same markup costs a fraction of that.
Every value is escaped with markupsafe exactly as the template's autoescape would; the markup is
byte-for-byte what the former `_fields.html` produced (tests/portal compare it). The cells
portal.form_cache shares between pages (empty, no error) are written once.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from portal.texts import text


@lru_cache(maxsize=8192)
def _fixed(value: str) -> str:
    """`value` escaped, remembered: the form's own words (labels, options, names, ids) recur on
    every page. Answers and error messages are escaped afresh (`escape`)."""
    return str(escape(value))
from portal.views import FieldView, TableView


#: The markup of the cells portal.form_cache keeps and shares between pages (an empty cell
#: without an error is its cached fixed view): written once, by the view's identity.
_SHARED: dict[int, tuple[FieldView, str]] = {}
_MAX_SHARED = 20_000


def share(cell: FieldView, lang: str) -> None:
    """Remember the markup of `cell`, a view that is never changed (see _SHARED)."""
    if len(_SHARED) >= _MAX_SHARED:
        _SHARED.clear()
    _SHARED[id(cell)] = (cell, _cell(cell, lang))
    if cell.type != "select" and cell.error is None:
        # A text cell's markup around its value, kept on the view (not a dataclass field, so
        # not compared) and so on the copies portal.form_cache fills in with a typed-in value.
        marked = object.__new__(FieldView)
        marked.__dict__.update(cell.__dict__, value=_MARK)
        cell.__dict__["shell"] = tuple(_cell(marked, lang).split(_MARK))


_MARK = "\x00value\x00"  #: where the value goes in a kept text cell (see share)


def _cell_html(c: FieldView, lang: str) -> str:
    hit = _SHARED.get(id(c))
    if hit is not None and hit[0] is c:
        return hit[1]
    shell = c.__dict__.get("shell")
    if shell is not None and c.error is None and type(c.value) is str:
        return f"{shell[0]}{escape(c.value)}{shell[1]}"
    return _cell(c, lang)


def table_rows(tv: TableView, lang: str) -> Markup:
    """The `<tr>` rows of table `tv`: one per row, a cell per column, a remove button."""
    out: list[str] = []
    name = _fixed(tv.question.name)
    for index, row in enumerate(tv.rows, 1):
        out.append(f'<tr><th scope="row">{index}</th>')
        out.extend(_cell_html(c, lang) for c in row)
        if tv.can_remove:
            out.append(
                f'<td><button type="submit" class="link" name="action" '
                f'value="remove-row:{name}:{index - 1}">'
                f"{escape(text('remove_row', lang, n=index))}</button></td>"
            )
        out.append("</tr>\n")
    return Markup("".join(out))


def _cell(c: FieldView, lang: str) -> str:
    cid, cname = _fixed(c.id), _fixed(c.name)
    parts = [
        '<td class="has-error">' if c.error else "<td>",
        f'<label class="visually-hidden" for="{cid}">{_fixed(c.label)}</label>\n',
    ]
    if c.type == "select":
        parts.append(f'<select id="{cid}" name="{cname}"{c.aria}><option value="">–</option>')
        parts.extend(
            f'<option value="{_fixed(o.value)}"{" selected" if o.checked else ""}>'
            f"{_fixed(o.label)}</option>"
            for o in c.options
        )
        parts.append("</select>\n")
    else:
        short = ' class="short"' if c.type in ("number", "date") else ""
        parts.append(
            f'<input type="text" id="{cid}" name="{cname}" value="{escape(c.value)}"{short}'
            f"{c.aria}>"
        )
    if c.error:
        parts.append(
            f'<p class="error-message" id="e-{cname}"><span class="visually-hidden">'
            f"{escape(text('error_prefix', lang))}:</span> {escape(c.error)}</p>"
        )
    parts.append("</td>\n")
    return "".join(parts)
