"""The registers behind NIS2 and the GDPR, each kept per scope and reviewed once a year.

A register's rows are the rows of its form's table (`wheel/forms/register-*.yaml`): the same
columns, the same checks, in the portal and on the command line. The yearly review step asks each
scope's contact to go through the register: the form starts with the scope's current rows
(`prefill`), and the submitted answer becomes the scope's register (`on_submitted`). Between
reviews the coordinator adds or changes rows with `arshjul register add` (`add_entry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from models import organisation
from models.cycle.answers import cell_name, check, rows_name
from models.cycle.forms import Column, get_form
from models.errors import InputError
from models.i18n import N_, _, gettext
from models.org import Board, Unit
from models.records.tables import RegisterEntry

QUESTION = "poster"
#: yes/no typed on the command line, in either language
_YESNO = {"ja": "yes", "nej": "no", "yes": "yes", "no": "no", "j": "yes", "n": "no"}


@dataclass(frozen=True)
class Register:
    """One register: its form, the scope it is kept per, the column naming a row."""

    id: str
    form: str
    per: str
    key: str
    title: str  # Swedish; English in the catalog
    #: the date column a review reminder is due for (None: no reminders)
    review: str | None = None

    def columns(self) -> list[Column]:
        return list(get_form(self.form).question(QUESTION).columns or [])


REGISTERS: dict[str, Register] = {r.id: r for r in (
    Register("informationstillgangar", "register-informationstillgangar", "unit", "tillgang",
             N_("Informationstillgångar och informationsklassning")),
    Register("molntjanster", "register-molntjanster", "unit", "tjanst",
             N_("Molntjänster och tredjelandsöverföringar"), review="granskas"),
    Register("nis2", "register-nis2", "unit", "verksamhet", N_("NIS2 – verksamheter som omfattas")),
    Register("nis2-organisation", "register-nis2-organisation", "organisation", "beskrivning",
             N_("NIS2 – registrering och ledningens utbildning")),
    Register("behandlingar", "register-behandlingar", "board", "behandling",
             N_("Registerförteckning")),
)}


def register(name: str) -> Register:
    """The register called `name`; an unknown name is an InputError listing the known ones."""
    if name not in REGISTERS:
        raise InputError("REGISTER: " + _("'{name}' ska vara en av {choices}", name=name,
                                          choices=", ".join(REGISTERS)))
    return REGISTERS[name]


def by_form(form_id: str) -> Register | None:
    return next((r for r in REGISTERS.values() if r.form == form_id), None)


def check_row(reg: Register, fields: dict[str, str], lang: str) -> dict:
    """One row typed as text per column, checked as the form checks it; errors name the field."""
    columns = reg.columns()
    known = [c.id for c in columns]
    yesno = {c.id for c in columns if c.type == "yesno"}
    fields = {k: _YESNO.get(v.strip().lower(), v) if k in yesno else v for k, v in fields.items()}
    problems = ["--set " + name + ": " + _("okänt fält; fälten är {names}", names=", ".join(known))
                for name in fields if name not in known]
    raw = {rows_name(QUESTION): "1"} | {cell_name(QUESTION, 0, k): v for k, v in fields.items()}
    checked = check(get_form(reg.form), raw, lang=lang, final=True)
    for column in columns:
        error = checked.errors.get(cell_name(QUESTION, 0, column.id))
        if error:
            problems.append(f"--set {column.id}: {error}")
    if not fields:
        problems.append("--set: " + _("ange fälten som NAMN=VÄRDE"))
    if problems:
        raise InputError(problems)
    return checked.values[QUESTION][0]


def check_scope(reg: Register, scope: str, session: Session) -> None:
    """The scope must be a unit or board of the organisation ("" for organisation registers)."""
    model = {"unit": Unit, "board": Board}.get(reg.per)
    if model is None and scope:
        raise InputError("--scope: " + _("registret {name} förs för hela organisationen; ange "
                                         "inget --scope", name=reg.id))
    if model is not None and (not scope or session.get(model, scope) is None):
        raise InputError("--scope: " + _("'{scope}' är ingen {kind} i organisationen",
                                         scope=scope, kind=gettext(_KINDS[reg.per], "sv")))


_KINDS = {"unit": N_("förvaltning"), "board": N_("nämnd")}
_SCOPE_HEADS = {"unit": N_("Förvaltning"), "board": N_("Nämnd"), "organisation": N_("Omfattning")}
YES, NO = N_("Ja"), N_("Nej")


def _review(reg: Register, row: dict) -> date | None:
    value = row.get(reg.review) if reg.review else None
    return date.fromisoformat(value) if value else None


def _upsert(reg, scope: str, row: dict, source: str, by: str, session, now) -> RegisterEntry:
    key = str(row[reg.key]).strip()
    entry = session.exec(select(RegisterEntry).where(
        RegisterEntry.kind == reg.id, RegisterEntry.scope_kind == reg.per,
        RegisterEntry.scope_id == scope, RegisterEntry.key == key)).first()
    entry = entry or RegisterEntry(kind=reg.id, scope_kind=reg.per, scope_id=scope, key=key,
                                   source=source, updated_at=now)
    entry.data, entry.review_on, entry.source = dict(row), _review(reg, row), source
    entry.updated_by, entry.updated_at = by, now
    session.add(entry)
    return entry


def add_entry(name: str, scope: str, fields: dict[str, str], *, session: Session, now: datetime,
              lang: str = "sv", by: str = "") -> RegisterEntry:
    """Add a row (or change the row of the same name) from the command line."""
    reg = register(name)
    row = check_row(reg, fields, lang)
    check_scope(reg, scope, session)
    entry = _upsert(reg, scope, row, "cli", by, session, now)
    session.flush()
    return entry


def on_submitted(form_id: str, scope_kind: str, scope_id: str, values: dict, *,
                 session: Session, now: datetime, by: str) -> int | None:
    """A submitted review becomes the scope's register; returns its rows (None: not a register)."""
    reg = by_form(form_id)
    if reg is None or scope_kind != reg.per:
        return None
    rows = [r for r in values.get(QUESTION) or [] if r.get(reg.key)]
    keep = {str(r[reg.key]).strip() for r in rows}
    for entry in entries(reg.id, session=session, scope=scope_id):
        if entry.key not in keep:
            session.delete(entry)
    for row in rows:
        _upsert(reg, scope_id, row, "portal", by, session, now)
    session.flush()
    return len(rows)


def entries(name: str, *, session: Session, scope: str | None = None) -> list[RegisterEntry]:
    """The register's rows (of one scope, or all), by scope and name."""
    stmt = select(RegisterEntry).where(RegisterEntry.kind == name)
    if scope is not None:
        stmt = stmt.where(RegisterEntry.scope_id == scope)
    return list(session.exec(stmt.order_by(RegisterEntry.scope_id, RegisterEntry.key)).all())


def prefill(form_id: str, scope_id: str, *, session: Session) -> dict | None:
    """The review form's starting values: the scope's current rows (None: none, or no register)."""
    reg = by_form(form_id)
    rows = entries(reg.id, session=session, scope=scope_id) if reg else []
    return {QUESTION: [dict(e.data) for e in rows]} if rows else None


def show(column: Column, value, lang: str) -> str:
    """A stored cell as a person reads it: Ja/Nej, a choice's label, a date, text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext(YES if value else NO, lang)
    if column.type == "choice":
        return column.choice_text(value, lang)
    return str(value)


def table(name: str, *, session: Session, lang: str):
    """(header, rows) of a register for lists, exports and the report: scope, then the columns."""
    reg = register(name)
    columns = reg.columns()
    scope_head = gettext(_SCOPE_HEADS[reg.per], lang)
    header = [scope_head] + [c.text.get(lang) for c in columns]
    names = organisation.scope_names(session=session)
    rows = [[names.get((e.scope_kind, e.scope_id), e.scope_id)]
            + [show(c, e.data.get(c.id), lang) for c in columns]
            for e in entries(name, session=session)]
    return header, rows
