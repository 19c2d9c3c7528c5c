"""Figures of a year kept as numbers: incident counts, Infosäkkollen levels, action-plan status.

Earlier years (before the product) come in through `arshjul figures import`; later years may be
filled the same way or derived from the store. The incident vocabulary below is the reference
report's three tables, in its row order: the report prints exactly these rows. Category ids are
the question ids of the `incidentstatistik` form (wheel/forms/incidentstatistik.yaml), so answers,
imported figures and registered incidents share one vocabulary.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.i18n import N_
from models.incidents.categories import (  # noqa: F401  (the report's vocabulary)
    BURGLARY,
    EQUIPMENT_CATEGORIES,
    EXTRA_EQUIPMENT,
    IT_CATEGORIES,
)

#: Incident tables of the report, in order.
IT_SECURITY = "it-sakerhet"
EQUIPMENT = "utrustning"
PERSONAL_DATA = "personuppgiftsincidenter"
NOT_COLLECTED = "ej-insamlat"
#: table id of other-source counts of the three areas outside the tables (OTHER_AREAS keys)
AREA_COUNTS = "omraden"

#: The three areas outside the tables. The ids are the questions of the `incidentstatistik` form;
#: BURGLARY (models.incidents.categories) is the third, also a registered incident's kind.
PERSONNEL_INCIDENTS = "personell_incidenter"
ADMINISTRATIVE_INCIDENTS = "administrativa_incidenter"

#: Incident areas the reference reports only as "not collected" when nothing was gathered.
OTHER_AREAS: dict[str, dict[str, str]] = {
    BURGLARY: {
        "sv": "incidenter gällande inbrott och övrig skadegörelse",
        "en": "incidents of burglary and other damage",
    },
    PERSONNEL_INCIDENTS: {
        "sv": "incidenter gällande personell säkerhet",
        "en": "incidents of personnel security",
    },
    ADMINISTRATIVE_INCIDENTS: {
        "sv": "incidenter gällande administrativ säkerhet",
        "en": "incidents of administrative security",
    },
}

#: Action-plan statuses (Bilaga 1), in report order.
ACTION_STATUSES: dict[str, str] = {
    "genomford": N_("Genomförd"),
    "paborjad": N_("Påbörjad"),
    "ej-paborjad": N_("Ej påbörjad"),
}

TABLE_CATEGORIES = {
    IT_SECURITY: IT_CATEGORIES,
    EQUIPMENT: {**EQUIPMENT_CATEGORIES, **EXTRA_EQUIPMENT},
}


class IncidentFigure(SQLModel, table=True):
    """One count of one incident table in one year; `count` None means "not collected"."""

    __table_args__ = (UniqueConstraint("year", "table_id", "category", name="uq_incident_figure"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    #: it-sakerhet | utrustning | personuppgiftsincidenter | ej-insamlat
    table_id: str = Field(max_length=32)
    #: category id of the table, or the board id for personuppgiftsincidenter
    category: str = Field(max_length=64)
    #: the row label as printed (board name for personuppgiftsincidenter)
    label: str = ""
    count: int | None = None
    #: the count is an estimate ("Ca 650")
    approx: bool = False
    position: int = 0
    imported_at: datetime | None = None


class MaturityFigure(SQLModel, table=True):
    """Infosäkkollen maturity level of one area in one year."""

    __table_args__ = (UniqueConstraint("year", "area", name="uq_maturity_figure"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    area: str = Field(max_length=120)
    level: float
    position: int = 0
    imported_at: datetime | None = None


class ActionFigure(SQLModel, table=True):
    """Status of one activity of a year's action plan (handlingsplan), for Bilaga 1."""

    __table_args__ = (UniqueConstraint("year", "activity", name="uq_action_figure"),)

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    activity: str = Field(max_length=200)
    #: genomford | paborjad | ej-paborjad
    status: str = Field(max_length=16)
    comment: str = ""
    position: int = 0
    imported_at: datetime | None = None


def category_label(table_id: str, category: str, lang: str = "sv") -> str:
    """The printed label of a vocabulary category (the id itself when unknown)."""
    vocab = {**IT_CATEGORIES, **EQUIPMENT_CATEGORIES, **EXTRA_EQUIPMENT, **OTHER_AREAS}
    entry = vocab.get(category)
    return entry.get(lang, entry["sv"]) if entry else category


def sv_key(name: str) -> tuple:
    """Swedish alphabetical order: å, ä, ö after z."""
    order = {"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003"}
    return tuple("".join(order.get(ch, ch) for ch in name.lower()))
