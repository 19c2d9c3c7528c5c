"""The kinds of message the product sends, in one place: their ids, digest headings and subject
prefixes in both languages, their order in a digest and the chains they form.

The id is what the notification ledger stores in `notification.kind`; the rules, the campaigns,
the incident watch, the portal's receipts and the digest templates all name kinds from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of message."""

    id: str
    heading: dict[str, str]
    prefix: dict[str, str]
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

#: Every kind, in digest order (legal clocks lead; kinds not listed come last).
KINDS: dict[str, Kind] = {k.id: k for k in (
    Kind(INCIDENT_ALERT, {"sv": "Incidenter – lagstadgade tidsfrister",
                          "en": "Incidents – legal deadlines"},
         {"sv": "Incident", "en": "Incident"}),
    Kind(ESCALATION, {"sv": "Försenat – behöver din åtgärd", "en": "Overdue – needs your action"},
         {"sv": "Försenat", "en": "Overdue"}),
    Kind(INVITATION, {"sv": "Nytt i årshjulet", "en": "New in the annual cycle"},
         {"sv": "Nytt", "en": "New"}, chain="audience"),
    Kind(REMINDER, {"sv": "Påminnelse", "en": "Reminder"},
         {"sv": "Påminnelse", "en": "Reminder"}, chain="audience"),
    Kind(MANUAL_REMINDER, {"sv": "Påminnelse från samordnaren",
                           "en": "Reminder from the coordinator"},
         {"sv": "Påminnelse", "en": "Reminder"}),
    Kind(RECEIPT, {"sv": "Kvittens", "en": "Receipt"}, {"sv": "Kvittens", "en": "Receipt"}),
    Kind(CAMPAIGN_REMINDER, {"sv": "Utbildning och kampanjer", "en": "Training and campaigns"},
         {"sv": "Påminnelse", "en": "Reminder"}),
    Kind(DELIVERY_FAILURE, {"sv": "Meddelanden som inte kunde levereras",
                            "en": "Messages that could not be delivered"},
         {"sv": "Leveransfel", "en": "Delivery failure"}),
)}
_OTHER = Kind("", {"sv": "Övrigt", "en": "Other"}, {"sv": "Meddelande", "en": "Message"})


def kind(kind_id: str) -> Kind:
    """The kind of `kind_id` (an unknown id gets the neutral "Övrigt"/"Meddelande" labels)."""
    return KINDS.get(kind_id, _OTHER)


def order(kind_id: str) -> int:
    """The kind's place in a digest."""
    return list(KINDS).index(kind_id) if kind_id in KINDS else len(KINDS)


def chain(kind_id: str) -> str:
    """The chain a kind's items belong to (its own id when it forms none)."""
    return kind(kind_id).chain or kind_id
