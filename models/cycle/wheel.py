"""The annual wheel file: its schema, validation and the pure date rules of each step."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models import yamlfile
from models.business_days import next_business_day
from models.i18n import _
from models.roles import ALL_ROLES
from models.settings import ROOT

DEFAULT_WHEEL = ROOT / "wheel" / "default.yaml"
FORMS_DIR = ROOT / "wheel" / "forms"
PHASES = ("identifiera", "utforma", "anvanda", "folja-upp")
_DAY = re.compile(r"^(?:\+(\d):)?(\d\d)-(\d\d)$")
_ID = r"^[a-z0-9-]+$"
_REPEAT_MONTHS = {"yearly": 12, "quarterly": 3, "monthly": 1}
#: A reminder lies at most a year from its due date; an escalation at most a year of business
#: days after it (larger values would only overflow the date arithmetic of every later tick).
MAX_REMIND_DAYS = 366
MAX_ESCALATE_DAYS = 260


class Text(BaseModel):
    """A text in Swedish and English."""

    model_config = ConfigDict(extra="forbid")
    sv: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv


class Audience(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str | list[str]
    per: Literal["board", "unit", "organisation"]

    @property
    def roles(self) -> list[str]:
        return [self.role] if isinstance(self.role, str) else list(self.role)

    @model_validator(mode="after")
    def _known_roles(self) -> Audience:
        for role in self.roles:
            if role not in ALL_ROLES:
                known = ", ".join(ALL_ROLES)
                raise ValueError(
                    _("okänd roll '{role}' (en av {known})", role=role, known=known)
                )
        return self


class Escalation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    after: int = Field(ge=0, le=MAX_ESCALATE_DAYS, description="business days after due")
    to: str

    @field_validator("to")
    @classmethod
    def _known_role(cls, value: str) -> str:
        if value not in ALL_ROLES:
            raise ValueError(_("okänd roll '{value}'", value=value))
        return value


class StepSpec(BaseModel):
    """One step of the wheel as the coordinator writes it."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_ID)
    title: Text
    purpose: Text | None = None
    phase: Literal["identifiera", "utforma", "anvanda", "folja-upp"]
    kind: Literal["questionnaire", "deadline", "campaign", "report"]
    form: str | None = Field(default=None, pattern=_ID, max_length=64)
    audience: Audience
    opens: str
    due: str
    remind: list[Annotated[int, Field(ge=-MAX_REMIND_DAYS, le=MAX_REMIND_DAYS)]] = Field(
        default_factory=list, max_length=50
    )
    escalate: list[Escalation] = Field(default_factory=list, max_length=20)
    repeat: Literal["yearly", "quarterly", "monthly"] = "yearly"
    options: dict = Field(default_factory=dict)

    @field_validator("opens", "due")
    @classmethod
    def _day(cls, value: str) -> str:
        parse_day(value, 2001)  # raises ValueError with a readable message
        return value

    @field_validator("remind")
    @classmethod
    def _remind(cls, value: list[int]) -> list[int]:
        return sorted(set(value))

    @model_validator(mode="after")
    def _consistent(self) -> StepSpec:
        if self.kind == "questionnaire" and not self.form:
            raise ValueError(
                _("ett steg av typen questionnaire behöver 'form'")
            )
        if self.form and not (FORMS_DIR / f"{self.form}.yaml").exists():
            raise ValueError(
                _("okänt formulär '{self_form}' (wheel/forms/{self_form}.yaml finns inte)", self_form=self.form)
            )
        if parse_day(self.due, 2001) < parse_day(self.opens, 2001):
            raise ValueError(
                _("due {self_due} ligger före opens {self_opens}", self_due=self.due, self_opens=self.opens)
            )
        return self


class WheelSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    steps: list[StepSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> WheelSpec:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(
                    _("steg-id '{step_id}' finns redan", step_id=step.id)
                )
            seen.add(step.id)
        return self


def parse_day(text: str, year: int) -> date:
    """`"10-01"` → that day in `year`; `"+1:01-31"` → that day in the following year."""
    match = _DAY.match(str(text))
    if not match:
        raise ValueError(
            _("'{text}' ska vara MM-DD eller +N:MM-DD", text=text)
        )
    offset, month, day = int(match[1] or 0), int(match[2]), int(match[3])
    if (month, day) == (2, 29):
        raise ValueError(
            _("'{text}': 29 februari finns bara vissa år; välj 02-28 eller 03-01", text=text)
        )
    try:
        return date(year + offset, month, day)
    except ValueError as exc:
        raise ValueError(_("'{text}' är inget giltigt datum", text=text)) from exc


def _shift_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class DatedStep:
    """One occurrence of a step in a year, after business-day adjustment."""

    spec: StepSpec
    key: str
    seq: int
    opens: date
    due: date


def instances(spec: StepSpec, year: int) -> list[DatedStep]:
    """The dated occurrences of `spec` in `year`: one, four (quarterly) or twelve (monthly)."""
    step_months = _REPEAT_MONTHS[spec.repeat]
    count = 12 // step_months
    opens, due = parse_day(spec.opens, year), parse_day(spec.due, year)
    out = []
    for seq in range(count):
        suffix = "" if count == 1 else (f"-q{seq + 1}" if count == 4 else f"-m{seq + 1:02d}")
        out.append(
            DatedStep(
                spec=spec,
                key=spec.id + suffix,
                seq=seq + 1 if count > 1 else 0,
                opens=next_business_day(_shift_months(opens, seq * step_months)),
                due=next_business_day(_shift_months(due, seq * step_months)),
            )
        )
    return out


def load_wheel(path: Path | str | None = None) -> WheelSpec:
    """Read and validate a wheel file (default `wheel/default.yaml`); errors name file and line."""
    located = yamlfile.load(path or DEFAULT_WHEEL)
    return yamlfile.validate(located, WheelSpec)

