"""A delivery batch's digests: its recipients read once, each digest rendered once, in order.

Rendering is pure work (templates, a signed link, the RFC 5322 bytes): tasks/deliver.py does it
for the next digest while the SMTP server accepts the one before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from models.notify import ledger
from models.notify.digest import Digest, Mail, Recipient
from models.org import Person, Unit
from models.roles import UNIT_RECIPIENT

MOOT = "recipient deactivated"


def recipients(ids: list[str], session: Session) -> dict[str, Recipient]:
    """The people and units behind recipient ids (a unit's id is `unit:<unit id>`)."""
    people = [i for i in ids if not i.startswith(UNIT_RECIPIENT)]
    units = [i[len(UNIT_RECIPIENT):] for i in ids if i.startswith(UNIT_RECIPIENT)]
    out = {}
    # plain rows of the columns needed (a batch reads hundreds of people; ORM objects cost more)
    columns = (Person.id, Person.email, Person.name, Person.notify, Person.active)
    for p in session.execute(select(*columns).where(Person.id.in_(people or [""]))):
        out[p.id] = Recipient(p.id, p.email or "", p.name, list(p.notify or []), active=p.active)
    columns = (Unit.id, Unit.name, Unit.notify, Unit.active)
    for u in session.execute(select(*columns).where(Unit.id.in_(units or [""]))):
        out[UNIT_RECIPIENT + u.id] = Recipient(UNIT_RECIPIENT + u.id, "", u.name,
                                               list(u.notify or []), person=False, active=u.active)
    return out


@dataclass
class Prepared:
    """A recipient's rows, rendered (or the reason they cannot be)."""

    recipient: Recipient | None
    rows: list
    digest: Digest | None = None
    mail: Mail | None = None
    problem: str | None = None
    kept: list = field(default_factory=list)  # the rows the digest delivers


def repeated_id(kept: list) -> str | None:
    """The Message-ID of the possibly delivered message that this one repeats, if it repeats
    exactly one: a mail program that already has that message can then drop the copy."""
    earlier = {r.digest_id for r in kept if r.state == ledger.SENDING}
    if len(earlier) == 1 and all(r.state == ledger.SENDING for r in kept):
        return earlier.pop()
    return None


class Ahead:
    """The batch's digests rendered in order, the next one ahead while the server is busy.

    Rendering is pure CPU work: done in the same thread while the SMTP server accepts the
    previous message, it costs no wall time (a render thread fought the sending thread for the
    GIL: every socket call waited for it).
    """

    def __init__(self, groups: list, prepare):
        self.groups, self.prepare = groups, prepare
        self.ready: dict[int, tuple] = {}
        self.next = 0

    def prepare_next(self) -> None:
        """Render the next digest now (never raises: an error is raised by `take`)."""
        if self.next < len(self.groups) and self.next not in self.ready:
            try:
                self.ready[self.next] = (self.prepare(self.groups[self.next]), None)
            except Exception as exc:  # noqa: BLE001 - raised where the digest is taken
                self.ready[self.next] = (None, exc)

    def take(self, index: int) -> Prepared:
        self.next = index
        self.prepare_next()
        item, error = self.ready.pop(index)
        self.next = index + 1
        if error is not None:
            raise error
        return item
