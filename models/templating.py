"""The one autoescape rule of every Jinja2 environment that renders files under templates/.

HTML escaping is on for every template name except the plain-text kinds, so a new or oddly named
template (`report.html.j2`, `x.htm.j2`, `alert.j2`) is escaped rather than silently raw: a rule
that lists HTML names can miss one (`select_autoescape(["html"])` missed `report.html.j2`), a rule
that lists the few text names cannot. Plain-text templates end in `.txt.j2` or `.md.j2`.
"""

from __future__ import annotations

from jinja2 import select_autoescape

#: Escape unless the template is plain text (`*.txt.j2`, `*.md.j2`); strings are escaped too.
AUTOESCAPE = select_autoescape(
    enabled_extensions=(),
    disabled_extensions=("txt.j2", "md.j2"),
    default_for_string=True,
    default=True,
)
