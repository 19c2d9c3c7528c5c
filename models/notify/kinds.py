"""The kinds of message the product sends, in one place: their ids, digest headings and subject
prefixes (Swedish; English in the catalog, models.i18n), their order in a digest and the chains they form.

The id is what the notification ledger stores in `notification.kind`; the rules, the campaigns,
the incident watch, the portal's receipts and the digest templates all name kinds from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.i18n import N_


@dataclass(frozen=True)
class Kind:
    """One kind of message."""

    id: str
    heading: str  # Swedish; English in the catalog (models.i18n)
    prefix: str
    #: items of kinds sharing a chain form one chain per subject: only the newest is shown.
    chain: str = ""


INCIDENT_ALERT = "incident-alert"
ESCALATION = "escalation"
INVITATION = "invitation"
REMINDER = "reminder"
RECEIPT = "receipt"
CAMPAIGN_REMINDER = "campaign-reminder"
DELIVERY_FAILURE = "delivery-failure"
MANUAL_REMINDER = "manual-reminder"
#: a chef's (or coordinator's) proposal of a new contact, to the coordinators (portal).
CONTACT_PROPOSAL = "contact-proposal"
#: a fresh link asked for on an expired link's page (portal).
NEW_LINK = "new-link"

#: Every kind, in digest order (legal clocks lead; kinds not listed come last).
KINDS: dict[str, Kind] = {k.id: k for k in (
    Kind(INCIDENT_ALERT, N_("Incidenter – lagstadgade tidsfrister"), N_("Incident")),
    Kind(ESCALATION, N_("Försenat – behöver din åtgärd"), N_("Försenat")),
    Kind(INVITATION, N_("Nytt i årshjulet"), N_("Nytt"), chain="audience"),
    Kind(REMINDER, N_("Påminnelse"), N_("Påminnelse"), chain="audience"),
    Kind(MANUAL_REMINDER, N_("Påminnelse från samordnaren"), N_("Påminnelse")),
    Kind(RECEIPT, N_("Kvittens"), N_("Kvittens")),
    Kind(CAMPAIGN_REMINDER, N_("Utbildning och kampanjer"), N_("Påminnelse")),
    Kind(DELIVERY_FAILURE, N_("Meddelanden som inte kunde levereras"), N_("Leveransfel")),
    Kind(CONTACT_PROPOSAL, N_("Förslag på ny kontakt"), N_("Ny kontakt")),
    Kind(NEW_LINK, N_("Ny länk"), N_("Ny länk")),
)}
_OTHER = Kind("", N_("Övrigt"), N_("Meddelande"))


def kind(kind_id: str) -> Kind:
    """The kind of `kind_id` (an unknown id gets the neutral "Övrigt"/"Meddelande" labels)."""
    return KINDS.get(kind_id, _OTHER)


def order(kind_id: str) -> int:
    """The kind's place in a digest."""
    return list(KINDS).index(kind_id) if kind_id in KINDS else len(KINDS)


def chain(kind_id: str) -> str:
    """The chain a kind's items belong to (its own id when it forms none)."""
    return kind(kind_id).chain or kind_id
