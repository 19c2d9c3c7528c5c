"""Rendering the coordinator pages with the portal's Jinja2 environment and our own texts."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

from portal.coordinator.texts import text
from portal.pages import environment


def render(name: str, lang: str, **context) -> str:
    """Render `coordinator/<name>` in `lang`."""
    context.setdefault("has_errors", False)
    context.setdefault("viewer", None)
    context.setdefault("csrf", "")
    context.setdefault("notice", None)

    def t(key: str, **params) -> str:
        return text(key, lang, **params)

    return environment().get_template(f"coordinator/{name}").render(lang=lang, t=t, **context)


def page(name: str, lang: str, status: int = 200, **context) -> HTMLResponse:
    """A rendered coordinator page as a response."""
    return HTMLResponse(render(name, lang, **context), status_code=status)


def message(lang: str, key: str, status: int, link: tuple[str, str] | None = None, **params):
    """A page with the title `<key>_title` and the paragraph `<key>` (and an optional link)."""
    return page("message.html", lang, status, title=text(f"{key}_title", lang),
                body=text(key, lang, **params), link=link)
