"""What each kind of recipient finds behind the link of their message, through a real portal
server (uvicorn on loopback) on both stores, mail to a real SMTP server on loopback.

Recipients: the responsible contact, the chef and the coordinator an overdue answer is escalated
to, the DPO, a training participant, the chef of a training unit, a password-drive recipient;
and someone the link does not give access to. The rule behind every page is models.roles.
"""

from __future__ import annotations

import re
import time

import httpx
import pytest
from sqlmodel import select

from models import db, links, roles
from models.cycle.responses import ResponseVersion
from models.cycle.tables import Assignment, StepInstance
from tests.portal import recipients_data as r
from tests.portal.portal_server import running_portal
from tests.smtp_sink import text_of

pytestmark = pytest.mark.slow
KLASSNING = "informationsklassning"


@pytest.fixture
def world(store, smtp_sink, tmp_path):
    """The seeded year and a running portal: (ids, portal client)."""
    ids = r.seed_year()
    with running_portal(r.env(store, smtp_sink.url), tmp_path / "portal.log") as portal:
        with httpx.Client(base_url=portal.url, headers={"Origin": portal.url}) as client:
            yield ids, client


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', page)[1]


def wait_for(sink, address: str, count: int = 1) -> list:
    """The messages to `address` once `count` have arrived (at most 15 s)."""
    for _ in range(150):
        found = sink.to(address)
        if len(found) >= count:
            return found
        time.sleep(0.1)
    return sink.to(address)


def test_the_contact_answers_the_assignment(world):
    _, client = world
    page = client.get(r.path(links.ASSIGNMENT, r.assignment_id(KLASSNING, "socialforvaltningen"),
                             "anna"))
    assert page.status_code == 200
    assert "Informationsklassning" in page.text and ">Skicka in</button>" in page.text


@pytest.mark.parametrize("person", ["bo", "david"])  # the unit's chef, the coordinator
def test_whom_a_late_answer_is_escalated_to_sees_the_overview(world, person):
    _, client = world
    page = client.get(r.path(links.ASSIGNMENT, r.assignment_id(KLASSNING, "socialforvaltningen"),
                             person))
    assert page.status_code == 200
    text = page.text
    assert "Översikt: Informationsklassning" in text
    assert "Försenat sedan 2027-06-01" in text  # due 31 May
    assert 'href="mailto:anna@example.se"' in text and "Anna Test" in text
    assert "Inget är inskickat ännu." in text
    assert "Svara i kontaktpersonens ställe" in text and "Utse en ny kontakt" in text


def test_the_dpo_sees_a_closed_late_assignment_read_only(world):
    _, client = world
    page = client.get(r.path(links.ASSIGNMENT, r.assignment_id("infosakkollen", ""), "eva"))
    assert page.status_code == 200
    assert "Översikt: Självskattning i Infosäkkollen" in page.text
    assert 'href="mailto:david@example.se"' in page.text
    assert "Försenat sedan 2027-04-01" in page.text
    assert "Svara i kontaktpersonens ställe" not in page.text  # closed on 30 April


def test_a_chef_answers_on_the_contacts_behalf_and_the_history_says_so(world, smtp_sink):
    _, client = world
    aid = r.assignment_id(KLASSNING, "socialforvaltningen")
    path = r.path(links.ASSIGNMENT, aid, "bo")
    form = client.get(path + "/svara")
    assert form.status_code == 200 and "Du svarar i kontaktpersonens ställe" in form.text
    posted = client.post(path + "/svara", data={"csrf": csrf(form.text), "action": "submit",
                                                "genomfort": "yes", "datum": "2027-06-09"})
    assert posted.status_code == 303 and posted.headers["location"].endswith("/kvitto")
    overview = client.get(path).text
    assert "Version 1:" in overview and "Bo Test (i kontaktpersonens ställe)" in overview
    with db.session() as s:
        [version] = s.exec(select(ResponseVersion).where(ResponseVersion.assignment_id == aid))
    assert version.on_behalf and version.submitted_by == "bo"
    assert "Kvittens" in text_of(wait_for(smtp_sink, "bo@example.se")[0])


def test_naming_a_new_contact_tells_the_coordinator_at_once(world, smtp_sink):
    _, client = world
    path = r.path(links.ASSIGNMENT, r.assignment_id(KLASSNING, "socialforvaltningen"), "bo")
    page = client.get(path).text
    sent = client.post(path + "/ny-kontakt", data={"csrf": csrf(page), "name": "Nora Ny",
                                                   "email": "nora.ny@example.se"})
    assert sent.status_code == 200 and "David Test" in sent.text
    [mail] = wait_for(smtp_sink, "david@example.se")
    assert "Bo Test föreslår Nora Ny <nora.ny@example.se>" in text_of(mail)
    again = client.post(path + "/ny-kontakt", data={"csrf": csrf(page), "name": "Nora Ny",
                                                    "email": "nora.ny@example.se"})
    assert again.status_code == 200
    time.sleep(1)
    assert len(smtp_sink.to("david@example.se")) == 1  # the same proposal mails once a day
    bad = client.post(path + "/ny-kontakt", data={"csrf": csrf(page), "name": "", "email": "x"})
    assert bad.status_code == 422


def test_someone_else_is_refused_with_the_coordinators_to_ask(world):
    _, client = world
    aid = r.assignment_id(KLASSNING, "socialforvaltningen")
    page = client.get(r.path(links.ASSIGNMENT, aid, "gustav"))  # another unit's contact
    assert page.status_code == 403
    assert "Du har inte behörighet" in page.text
    assert "David Test" in page.text and 'href="mailto:david@example.se"' in page.text
    with db.session() as s:
        directory = roles.load_directory(session=s)
        assignment = s.get(Assignment, aid)
        work = roles.Work.of(s.get(StepInstance, assignment.step_instance_id), assignment)
    assert roles.may_open("gustav", work, directory) is None  # the same rule says so
    assert roles.may_open("bo", work, directory) == roles.OVERSEE


def test_a_training_participant_sees_their_own_progress(world):
    ids, client = world
    todo = client.get(r.path(links.CAMPAIGN, ids["training"], ids["people"]["erik"]))
    assert todo.status_code == 200
    assert "Din status: Informationssäkerhetsutbildning" in todo.text
    assert "Inte klart ännu. Sista dag: 2027-12-15." in todo.text
    assert 'href="https://lms.example.se/xapi/activities/informationssakerhet-grund"' in todo.text
    done = client.get(r.path(links.CAMPAIGN, ids["training"], ids["people"]["elin"]))
    assert done.status_code == 200 and "Klart: registrerat 2027-06-09." in done.text
    outsider = client.get(r.path(links.CAMPAIGN, ids["training"], "anna"))  # not a member
    assert outsider.status_code == 403


def test_the_chef_of_a_training_unit_sees_its_completion(world):
    ids, client = world
    unit = client.get(r.path(links.CAMPAIGN_UNIT, f"{ids['training']}:socialforvaltningen", "bo"))
    assert unit.status_code == 200
    assert "Socialförvaltningen: Informationssäkerhetsutbildning" in unit.text
    assert "1 av 2 klara (50 %)" in unit.text and "visas efter sista dagen" in unit.text
    step = client.get(r.path(links.ASSIGNMENT,
                             r.assignment_id("informationssakerhetsutbildning",
                                             "socialforvaltningen"), "bo"))
    assert step.status_code == 200 and "1 av 2 klara (50 %)" in step.text
    other = client.get(r.path(links.CAMPAIGN_UNIT, f"{ids['training']}:socialforvaltningen",
                              "helena"))  # the other unit's chef
    assert other.status_code == 403


def test_a_password_drive_recipient_and_the_chef_after_the_deadline(world):
    ids, client = world
    own = client.get(r.path(links.CAMPAIGN, ids["drive"], ids["people"]["ebba"]))
    assert own.status_code == 200 and "Din status: Byt ditt lösenord" in own.text
    assert f'href="{r.RESET_URL}"' in own.text and "Byt lösenord här" in own.text
    unit = client.get(r.path(links.CAMPAIGN_UNIT, f"{ids['drive']}:socialforvaltningen", "bo"))
    assert unit.status_code == 200 and "0 av 2 klara" in unit.text
    assert "Elin Anställd" in unit.text and "Erik Anställd" in unit.text  # deadline 8 June


def test_an_expired_link_offers_a_new_one_by_mail_once_a_day(world, smtp_sink):
    _, client = world
    aid = r.assignment_id(KLASSNING, "socialforvaltningen")
    expired = r.path(links.ASSIGNMENT, aid, "anna", days=-1)
    page = client.get(expired)
    assert page.status_code == 410 and "Länken har gått ut" in page.text
    assert 'href="mailto:david@example.se"' in page.text and "Skicka mig en ny länk" in page.text
    token = expired.rsplit("/", 1)[1]
    sent = client.post(f"/ny-lank/{token}", data={"csrf": csrf(page.text)})
    assert sent.status_code == 200 and "Vi har skickat en ny länk" in sent.text
    [mail] = wait_for(smtp_sink, "anna@example.se")
    fresh = re.search(r"http://portal\.example\.se(/a/[A-Za-z0-9_.-]+)", text_of(mail))[1]
    assert client.get(fresh).status_code == 200
    again = client.post(f"/ny-lank/{token}", data={"csrf": csrf(page.text)})
    assert again.status_code == 429 and "redan skickats i dag" in again.text
    time.sleep(1)
    assert len(smtp_sink.to("anna@example.se")) == 1
    forged = client.post(f"/ny-lank/{token}x", data={"csrf": csrf(page.text)})
    assert forged.status_code == 403


def test_the_receipt_is_in_the_mailbox_within_seconds_once(world, smtp_sink):
    """The first submit after start-up also waits for the delivery code's import; the second
    (a corrected version) shows the steady state. Each version's receipt arrives once."""
    _, client = world
    path = r.path(links.ASSIGNMENT, r.assignment_id(KLASSNING, "socialforvaltningen"), "anna")
    seconds = []
    for version, day in ((1, "2027-06-09"), (2, "2027-06-10")):
        form = client.get(path)
        started = time.monotonic()
        posted = client.post(path, data={"csrf": csrf(form.text), "action": "submit",
                                         "genomfort": "yes", "datum": day})
        assert posted.status_code == 303
        mail = wait_for(smtp_sink, "anna@example.se", version)[version - 1]
        seconds.append(time.monotonic() - started)
        assert "Kvittens" in mail["Subject"] and f"version {version}" in text_of(mail)
    time.sleep(1)  # nothing more comes: the ledger made each once
    assert len(smtp_sink.to("anna@example.se")) == 2
    print(f"\nreceipts in the sink {seconds[0]:.2f} s (first after start-up) and "
          f"{seconds[1]:.2f} s after the submit")
