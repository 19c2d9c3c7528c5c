"""Simulated department contacts for the demo: they read their mail and answer in the portal.

Each assignment gets a temperament from a seeded random draw: `prompt` contacts answer at the
first wake-up after the invitation arrived, `late` ones only at the second wake-up past the due
date (after the reminders and the first escalation), `silent` ones never. Answers go through
the portal's real HTTP interface (GET the form for its CSRF value, POST action=submit), like a
browser without JavaScript would. Personal data stays here and in the store: none of it
reaches Prefect.
"""

from __future__ import annotations

import email
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from pathlib import Path

import httpx
from sqlmodel import Session

from cli.demo_answers import realistic_values
from cli.demo_context import answer_context, reports_breach
from models import db
from models.cycle.answers import raw_from_values
from models.cycle.forms import Form, get_form
from models.cycle.tables import Assignment, StepInstance
from models.links import ASSIGNMENT, LinkError, verify_token

TEMPERAMENTS = (("prompt", 0.6), ("late", 0.25), ("silent", 0.15))
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Pending:
    """An assignment a contact has a link for and has not answered yet."""

    token: str
    temperament: str
    due: date
    form: str
    #: late contacts answer at the second wake-up past the due date, after the escalation.
    past_due_seen: bool = False
    assignment_id: int | None = None


def temperament(seed: int, assignment_id: int) -> str:
    """The seeded temperament of the contact answering `assignment_id`."""
    draw = random.Random(seed * 100_003 + assignment_id).random()
    for name, share in TEMPERAMENTS:
        if draw < share:
            return name
        draw -= share
    return TEMPERAMENTS[-1][0]


def sample_values(form: Form, today: date) -> dict:
    """Plausible, valid answers to every question of `form` (no personal data)."""
    return {q.id: _value(q, today) for q in form.questions}


def _value(q, today: date):
    kind = q.type
    if kind == "table":
        rows = max(q.min_rows, 3 if q.min_rows else 1)
        return [{c.id: _value(c, today) for c in q.columns} for _ in range(rows)]
    if kind == "yesno":
        return True
    if kind == "choice":
        return q.choices[0].value
    if kind == "multi":
        return [q.choices[0].value]
    if kind in ("scale", "number"):
        low = q.min if q.min is not None else 0
        high = q.max if q.max is not None else low + 5
        return int(min(high, max(low, (low + high) // 2 + 1)))
    if kind == "date":
        return today.isoformat()
    return "Simulerat svar (demo)."


#: (assignment id, form, today) → the values a contact answers with
Answers = Callable[[int, Form, date], dict]


class Contacts:
    """The department contacts of the demo, reading one outbox and answering through one portal.

    `answers` replaces the sample answers and `everyone` the seeded temperaments (tests that
    need known answers from every contact).
    """

    def __init__(self, client: httpx.Client, outbox: Path, *, seed: int = 2027,
                 answers: Answers | None = None, everyone: str | None = None) -> None:
        self.client = client  # base_url = the portal
        self.outbox = Path(outbox)
        self.seed = seed
        self.answers = answers or self.realistic
        self.everyone = everyone
        self.read: set[str] = set()
        self.pending: dict[int, Pending] = {}
        self.answered: dict[str, int] = {"prompt": 0, "late": 0}
        self.failed = 0

    def realistic(self, assignment_id: int, form: Form, today: date) -> dict:
        """The seeded, realistic answers of the contact of `assignment_id` (cli/demo_answers)."""
        rng = random.Random(self.seed * 7_919 + assignment_id)
        with db.session() as session:
            context = answer_context(assignment_id, session=session)
        return realistic_values(form, today, rng, context)

    def read_mail(self, now: datetime, *, session: Session) -> int:
        """Collect assignment links from new .eml files; returns how many messages were new."""
        new = sorted(p for p in self.outbox.glob("*.eml") if p.name not in self.read)
        for path in new:
            self.read.add(path.name)
            for token in self._tokens(path):
                self._remember(token, now, session)
        return len(new)

    def _tokens(self, path: Path) -> list[str]:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body else ""
        base = re.escape(str(self.client.base_url).rstrip("/"))
        return re.findall(base + r"/a/([A-Za-z0-9._~-]+)", text)

    def _remember(self, token: str, now: datetime, session: Session) -> None:
        try:
            claims = verify_token(token, kind=ASSIGNMENT, now=now)
        except LinkError:
            return  # other kinds of links (incidents, calendars) are not answered here
        aid = claims.assignment_id
        if aid in self.pending or aid is None:
            return
        assignment = session.get(Assignment, aid)
        step = session.get(StepInstance, assignment.step_instance_id) if assignment else None
        if step is None or not step.form or assignment.submitted_at is not None:
            return
        mood = self.everyone or temperament(self.seed, aid)
        if reports_breach(assignment, step, session=session):
            mood = "prompt"  # a unit with a registered breach reports its statistics
        self.pending[aid] = Pending(token, mood, step.due, step.form, assignment_id=aid)

    def answer_due(self, today: date) -> int:
        """Answer what each temperament answers by `today`; returns how many were submitted."""
        count = 0
        for aid, item in list(self.pending.items()):
            if item.temperament == "silent" or (item.temperament == "late" and today <= item.due):
                continue
            if item.temperament == "late" and not item.past_due_seen:
                item.past_due_seen = True
                continue
            del self.pending[aid]
            if self.submit(item, today):
                self.answered[item.temperament] += 1
                count += 1
            else:
                self.failed += 1
        return count

    def submit(self, item: Pending, today: date) -> bool:
        """GET the form, POST a complete answer; True when the portal showed the receipt."""
        page = self.client.get(f"/a/{item.token}")
        match = _CSRF.search(page.text)
        if page.status_code != 200 or not match:
            return False
        form = get_form(item.form)
        fields = raw_from_values(form, self.answers(item.assignment_id, form, today))
        fields |= {"csrf": match.group(1), "action": "submit"}
        origin = str(self.client.base_url).rstrip("/")
        response = self.client.post(f"/a/{item.token}", data=fields, headers={"Origin": origin})
        return response.status_code == 303 and "/kvitto" in response.headers.get("location", "")
