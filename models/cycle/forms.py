"""Questionnaires (`wheel/forms/*.yaml`): the schema of a form, loading and validation.

A form has sections of questions. A question has an `id` (unique in the form; it is the answer key
and the HTML field name), a `text` in Swedish and English, a `type` and per type `choices`,
`min`/`max`, or `columns` (a `table` is rows of typed columns with `min_rows`). A `number` question
may allow `not_collected: true`: the answer is then a number or the marker "not_collected" (the
reference report says "Någon insamling … har inte genomförts" where data is missing).

Answers are checked by the pure functions in `models.cycle.answers`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models import yamlfile
from models.cycle.wheel import Text
from models.errors import InputError
from models.i18n import _
from models.settings import ROOT

FORMS_DIR = ROOT / "wheel" / "forms"
QUESTION_TYPES = ("yesno", "choice", "multi", "scale", "number", "text", "date", "table")
COLUMN_TYPES = ("yesno", "choice", "scale", "number", "text", "date")
_QID = r"^[a-z](?:_?[a-z0-9])*$"  # no "__": the portal joins table field names with it
_FORM_ID = r"^[a-z0-9-]+$"
#: Bounds of `min`/`max`: a number answer stays exact, a scale stays a row of buttons.
_LIMIT = 1e12
MAX_SCALE_STEPS = 100


class Choice(BaseModel):
    """One option of a `choice` or `multi` question."""

    model_config = ConfigDict(extra="forbid")
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    text: Text


class Typed(BaseModel):
    """What questions and table columns share: the type and its per-type settings."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_QID, max_length=48)
    text: Text
    help: Text | None = None
    required: bool = False
    choices: list[Choice] | None = Field(default=None, max_length=100)
    min: float | None = Field(default=None, ge=-_LIMIT, le=_LIMIT, allow_inf_nan=False)
    max: float | None = Field(default=None, ge=-_LIMIT, le=_LIMIT, allow_inf_nan=False)
    #: `scale`: the level the organisation aims for (shown as a hint and in the report).
    target: float | None = Field(default=None, allow_inf_nan=False)
    #: `number`: may the answer be "not collected" instead of a count?
    not_collected: bool = False
    #: `text`: a multi-line text area rather than one line.
    multiline: bool = False
    max_length: int = Field(default=4000, ge=1, le=20000)

    @model_validator(mode="after")
    def _per_type(self):
        kind = self.type  # type: ignore[attr-defined]
        if kind in ("choice", "multi"):
            if not self.choices or len(self.choices) < 2:
                raise ValueError(
                    _("en fråga av typen {kind} behöver minst två 'choices'", kind=kind)
                )
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise ValueError(
                    _("två 'choices' har samma 'value'")
                )
        elif self.choices is not None:
            raise ValueError(
                _("'choices' hör bara till frågor av typen choice och multi, inte {kind}", kind=kind)
            )
        if kind == "scale" and (self.min is None or self.max is None):
            raise ValueError(
                _("en fråga av typen scale behöver 'min' och 'max'")
            )
        if kind == "scale" and (self.min != int(self.min) or self.max != int(self.max)):
            raise ValueError(
                _("'min' och 'max' för en scale ska vara heltal")
            )
        if kind not in ("scale", "number") and (self.min is not None or self.max is not None):
            raise ValueError(
                _("'min'/'max' hör bara till frågor av typen scale och number, inte {kind}", kind=kind)
            )
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(
                _("min {self_min:g} är större än max {self_max:g}", self_min=self.min, self_max=self.max)
            )
        if self.target is not None and (kind != "scale" or not self.min <= self.target <= self.max):
            raise ValueError(
                _("'target' ska vara en nivå mellan frågans 'min' och 'max'")
            )
        if self.not_collected and kind != "number":
            raise ValueError(
                _("'not_collected' hör bara till frågor av typen number")
            )
        if self.multiline and kind != "text":
            raise ValueError(
                _("'multiline' hör bara till frågor av typen text")
            )
        return self

    @model_validator(mode="after")
    def _short_scale(self):
        steps = MAX_SCALE_STEPS
        if self.type == "scale" and self.max - self.min > steps:  # type: ignore[attr-defined]
            raise ValueError(_("en scale får ha högst {levels} nivåer (max − min ≤ {steps})",
                               levels=steps + 1, steps=steps))
        return self

    def choice_text(self, value: str, lang: str) -> str:
        """The label of a choice value (the value itself when unknown)."""
        for choice in self.choices or []:
            if choice.value == value:
                return choice.text.get(lang)
        return value


class Column(Typed):
    """One typed column of a `table` question."""

    type: Literal["yesno", "choice", "scale", "number", "text", "date"]


class Question(Typed):
    """One question of a form."""

    type: Literal["yesno", "choice", "multi", "scale", "number", "text", "date", "table"]
    columns: list[Column] | None = None
    min_rows: int = Field(default=0, ge=0, le=200)
    max_rows: int = Field(default=50, ge=1, le=200)

    @model_validator(mode="after")
    def _table(self) -> Question:
        if self.type == "table":
            if not self.columns:
                raise ValueError(
                    _("en fråga av typen table behöver 'columns'")
                )
            ids = [c.id for c in self.columns]
            if len(set(ids)) != len(ids):
                raise ValueError(_("två kolumner har samma id"))
            if self.min_rows > self.max_rows:
                raise ValueError(
                    _("min_rows {self_min_rows} är större än max_rows {self_max_rows}", self_min_rows=self.min_rows, self_max_rows=self.max_rows)
                )
        elif self.columns is not None:
            raise ValueError(
                _("'columns' hör bara till frågor av typen table, inte {self_type}", self_type=self.type)
            )
        return self


class Section(BaseModel):
    """A titled group of questions (a fieldset in the portal)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_QID, max_length=48)
    title: Text
    description: Text | None = None
    questions: list[Question] = Field(min_length=1)


class Form(BaseModel):
    """A questionnaire as the coordinator writes it."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_FORM_ID, max_length=64)
    title: Text
    description: Text | None = None
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Form:
        seen: set[str] = set()
        for question in self.questions:
            if question.id in seen:
                raise ValueError(
                    _("fråge-id '{question_id}' finns redan", question_id=question.id)
                )
            seen.add(question.id)
        return self

    @property
    def questions(self) -> list[Question]:
        """Every question in order, across sections."""
        return [q for section in self.sections for q in section.questions]

    def question(self, qid: str) -> Question:
        """The question with id `qid` (KeyError when unknown)."""
        for question in self.questions:
            if question.id == qid:
                return question
        raise KeyError(qid)


def load_form(path: Path | str) -> Form:
    """Read and validate a form file; errors name file, line and field (InputError)."""
    path = Path(path)
    located = yamlfile.load(path)
    form = yamlfile.validate(located, Form)
    if form.id != path.stem:
        message = _("ska vara samma som filnamnet '{path_stem}'", path_stem=path.stem)
        raise InputError(located.problem(("id",), message))
    return form


@lru_cache(maxsize=64)
def _cached(path: str, mtime: float) -> Form:
    return load_form(path)


def get_form(form_id: str, forms_dir: Path | None = None) -> Form:
    """The form `form_id` from `wheel/forms/` (cached while the file is unchanged)."""
    if not re.match(_FORM_ID, form_id or ""):
        raise InputError(_("'{form_id}' är inget formulär-id", form_id=form_id))
    path = (forms_dir or FORMS_DIR) / f"{form_id}.yaml"
    try:
        mtime = path.stat().st_mtime  # one system call per page: exists and changed in one
    except FileNotFoundError:
        raise InputError(
            _("okänt formulär '{form_id}' ({path} finns inte)", form_id=form_id, path=path)
        ) from None
    return _cached(str(path), mtime)
