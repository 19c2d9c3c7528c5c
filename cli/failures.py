"""What `guard` says about a failure the user can fix: one line each, and the exit code.

A store or a Prefect server that cannot be reached is exit code 1 with what to do; invalid
settings are bad input (2). Exception types are looked up only in libraries already imported,
so that explaining a failure never imports anything heavy. Anything else is a bug: its traceback
stays.
"""

from __future__ import annotations

import sys

from models.errors import ArshjulError
from models.i18n import _


def explain(exc: BaseException) -> tuple[list[str], int] | None:
    """(`fel:` lines, exit code) for `exc`, or None when it is not the user's to fix."""
    pydantic = sys.modules.get("pydantic")
    if pydantic and isinstance(exc, pydantic.ValidationError) and exc.title == "Settings":
        return settings_problems(exc), 2
    for cause in _chain(exc):
        if line := _store(cause) or _prefect(cause):
            return [line], 1
    if isinstance(exc, ArshjulError):  # e.g. a directory connector that cannot be reached
        return [str(exc)], 1
    return None


def settings_problems(exc) -> list[str]:
    """`ARSHJUL_SEND_HOUR: ska vara högst 23`: one line per invalid setting (never its value)."""
    from models.yamlfile import error_text

    problems = []
    for err in exc.errors():
        name = "ARSHJUL_" + "_".join(str(part) for part in err["loc"]).upper()
        problems.append(f"{name}: {error_text(err)}")
    return problems


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def store_label() -> str:
    """The store's URL without its password."""
    from models.settings import get_settings

    url = get_settings().resolved_database_url
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a label, never a reason to fail
        return url.split("@")[-1]


def _store(exc: BaseException) -> str | None:
    sa = sys.modules.get("sqlalchemy.exc")
    if sa is None or not isinstance(exc, sa.DBAPIError | sa.OperationalError):
        return None
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
    where = store_label()
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return _("lagret {where} saknar tabeller: kör `arshjul init` först", where=where)
    if "locked" in reason:
        return _("lagret {where} är låst av en annan process ({reason}): försök igen strax",
                 where=where, reason=reason)
    if not isinstance(exc, sa.OperationalError | sa.InterfaceError):
        return None  # a programming error of ours, not the user's
    return _("lagret {where} går inte att nå ({reason}): kontrollera att databasen kör och "
             "ARSHJUL_DATABASE_URL", where=where, reason=reason)


def _prefect(exc: BaseException) -> str | None:
    httpx = sys.modules.get("httpx")
    if httpx and isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code in (401, 403):
        return _("Prefect nekade åtkomst ({status}): kontrollera PREFECT_API_AUTH_STRING eller "
                 "PREFECT_API_KEY", status=exc.response.status_code)
    if httpx and isinstance(exc, httpx.TransportError):
        return unreachable(_request_url(exc), type(exc).__name__)
    if isinstance(exc, ValueError | RuntimeError) and "Prefect API" in str(exc):
        return unreachable("", str(exc).splitlines()[0][:120])
    return None


def _request_url(exc) -> str:
    try:
        url = exc.request.url
    except RuntimeError:  # no request attached
        return ""
    return f"{url.scheme}://{url.netloc.decode()}"


def unreachable(where: str, reason: str) -> str:
    """The line for a Prefect server that does not answer at `where`."""
    return _("Prefect-servern {where} svarar inte ({reason}): starta den (t.ex. `arshjul serve`), "
             "eller ta bort PREFECT_API_URL så körs kommandot utan server",
             where=where, reason=reason)
