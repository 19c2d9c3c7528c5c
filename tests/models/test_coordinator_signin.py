"""Sign-in links and sessions in the store: single use, expiry, idle timeout, roles, limits."""

from __future__ import annotations

from datetime import timedelta

from models import db
from models.coordinator.signin import (
    redeem_link,
    request_link,
    session_viewer,
    start_session,
)
from tests.portal.coordinator_data import seed_coordination
from tests.portal.portal_data import NOW


def test_link_is_single_use_and_expires(store):
    seed_coordination()
    with db.session() as s:
        asked = request_link(" Dan-Samordnare@Example.se ", "10.0.0.1", session=s, now=NOW)
        assert asked.person.id == "dan-samordnare" and not asked.limited
        late = request_link("dan-samordnare@example.se", "10.0.0.1", session=s, now=NOW)
        assert redeem_link(late.token, None, session=s, now=NOW + timedelta(minutes=16)) is None
        cookie = redeem_link(asked.token, None, session=s, now=NOW + timedelta(minutes=5))
        assert cookie and redeem_link(asked.token, None, session=s, now=NOW) is None
        assert session_viewer(cookie, session=s, now=NOW).person_id == "dan-samordnare"


def test_session_ends_after_the_idle_timeout_and_when_replaced(store):
    seed_coordination()
    with db.session() as s:
        cookie = start_session("eva-chef", "link", None, session=s, now=NOW)
        viewer = session_viewer(cookie, session=s, now=NOW + timedelta(minutes=29))
        assert viewer.units == {"socialforvaltningen"} and not viewer.may_edit
        # used at minute 29: idle counts from there
        assert session_viewer(cookie, session=s, now=NOW + timedelta(minutes=58)) is not None
        assert session_viewer(cookie, session=s, now=NOW + timedelta(minutes=89)) is None
        first = start_session("eva-chef", "link", None, session=s, now=NOW)
        second = start_session("eva-chef", "link", first, session=s, now=NOW)
        assert session_viewer(first, session=s, now=NOW) is None
        assert session_viewer(second, session=s, now=NOW) is not None


def test_contacts_get_no_link_and_the_client_limit_holds(store):
    seed_coordination()
    with db.session() as s:
        assert request_link("bo-ek@example.se", "10.0.0.2", session=s, now=NOW).token is None
        outcomes = [request_link(f"x{i}@example.se", "10.0.0.3", session=s, now=NOW).limited
                    for i in range(21)]
    assert outcomes == [False] * 20 + [True]  # 4 x ARSHJUL_SIGNIN_LIMIT per client address
