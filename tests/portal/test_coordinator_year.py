"""The year at a glance over the app: the numbers of `status`, the late assignment with its
contact, and "Påminn nu" through the ledger (real SMTP sink; once per day and person)."""

from __future__ import annotations

from sqlmodel import select

from models import clock, db
from models.cycle.status import step_status
from models.notify.kinds import MANUAL_REMINDER
from models.notify.ledger import Notification
from tests.portal.coordinator_data import LATE_STEP, csrf_in


def test_year_page_shows_the_numbers_of_status(web):
    page = web.get("/oversikt")
    assert page.status_code == 200 and "<svg" in page.text
    with db.session() as s:
        rows = step_status(2027, clock.now(), session=s)
    late = next(r for r in rows if r.key == LATE_STEP)
    assert (late.total, late.submitted, late.overdue) == (2, 0, 2)
    assert f'{LATE_STEP}?ar=2027">Kontinuitetsplan</a>' in page.text
    assert "0/2" in page.text


def test_late_assignment_shows_contact_and_remind_now_sends_once(web, smtp_sink, late):
    page = web.get(f"/oversikt/steg/{LATE_STEP}?ar=2027")
    assert "Anna Berg" in page.text and "anna-berg@example.se" in page.text
    assert '<span class="late">11</span>' in page.text  # due 2027-09-20, today 2027-10-01
    aid = late["socialforvaltningen"]
    before = len(smtp_sink.messages)
    for _ in range(2):
        sent = web.post(f"/oversikt/paminn/{aid}",
                        data={"csrf": csrf_in(page.text), "back": f"/oversikt/steg/{LATE_STEP}"})
        assert sent.status_code == 303
    to = sorted(m["To"] for m in smtp_sink.messages[before:])
    assert to == ["anna-berg@example.se", "bo-ek@example.se"]  # both contacts, once each
    with db.session() as s:
        rows = s.exec(select(Notification).where(Notification.kind == MANUAL_REMINDER)).all()
    assert len(rows) == 2 and {r.occasion for r in rows} == {"manual:2027-10-01"}
    again = web.get(f"/oversikt/steg/{LATE_STEP}?ar=2027&paminda=0")
    assert "Påminnelse från samordnaren → Anna Berg: 2027-10-01 10:00" in again.text
