"""`arshjul ledger status|requeue`: what the notification ledger holds, and a second chance for
messages that were given up (docs/notifications.md)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.common import guard, render_table
from models import db
from models.errors import InputError, tr
from models.notify import attempts, ledger

ledger_app = typer.Typer(help="Meddelandeliggaren: läge och omköning. / The notification ledger.",
                         no_args_is_help=True)

#: What each state means to a coordinator, in the order a message goes through them.
LABELS = {
    ledger.PENDING: ("väntar på nästa tick", "waiting for the next tick"),
    ledger.SENDING: ("skickas, eller kanske skickat (skickas en gång till)",
                     "being sent, or possibly sent (sent once more)"),
    ledger.RESENDING: ("skickas en andra gång", "being sent a second time"),
    ledger.SENT: ("skickat", "sent"),
    ledger.FAILED: ("misslyckat, försöks igen", "failed, will be retried"),
    ledger.DEAD: ("uppgivet (kan köas om)", "given up (can be requeued)"),
    ledger.CANCELLED: ("avbrutet (inaktuellt)", "cancelled (moot)"),
}

KindOpt = Annotated[str | None, typer.Option("--kind", help="Bara denna typ, t.ex. reminder.")]
FormatOpt = Annotated[str, typer.Option("--format", help="table | json")]


@guard
def status(kind: KindOpt = None, fmt: FormatOpt = "table") -> None:
    """Visa antal poster per läge i liggaren och de uppgivna. / Show the ledger's counts."""
    if fmt not in ("table", "json"):
        raise InputError("--format: " + tr(f"okänt format '{fmt}' (table eller json)",
                                           f"unknown format '{fmt}' (table or json)"))
    with db.session() as session:
        counts = attempts.state_counts(session=session, kind=kind)
        dead = [r for r in ledger.problems(session=session) if kind in (None, r.kind)]
    if fmt == "json":
        typer.echo(json.dumps(counts))
        return
    _print_counts(counts)
    if dead:
        typer.echo("\n" + tr(f"Uppgivna poster: {len(dead)}", f"Given-up items: {len(dead)}"))
        typer.echo(render_table(
            ["Id", tr("Typ", "Kind"), tr("Mottagare", "Recipient"), tr("Försök", "Attempts"),
             tr("Senaste fel", "Last error")],
            [[r.id, r.kind, r.recipient_id, r.attempts, (r.last_error or "")[:60]]
             for r in dead]))


def _print_counts(counts: dict[str, int]) -> None:
    rows = [[state, counts[state], tr(*LABELS.get(state, (state, state)))]
            for state in counts if state != "total"]
    rows.append([tr("totalt", "total"), counts["total"], ""])
    typer.echo(render_table([tr("Läge", "State"), tr("Poster", "Items"),
                             tr("Betyder", "Meaning")], rows))


@guard
def requeue(
    recipient: Annotated[str | None, typer.Option(
        "--recipient", help="Personens id (eller unit:<id>) vars poster köas om.")] = None,
    kind: KindOpt = None,
    all_dead: Annotated[bool, typer.Option(
        "--all-dead", help="Alla uppgivna och misslyckade poster.")] = False,
) -> None:
    """Köa om uppgivna meddelanden till nästa tick. / Requeue given-up messages.

    Dead items (and failed ones waiting for their retry) of a recipient, of a kind, or all of
    them become due at the next tick with a fresh set of attempts; nothing else changes.
    """
    if not (recipient or kind or all_dead):
        raise InputError(tr("ange --recipient, --kind eller --all-dead",
                            "give --recipient, --kind or --all-dead"))
    with db.session() as session:
        before = attempts.state_counts(session=session)
        moved = attempts.requeue(session=session, recipient=recipient, kind=kind)
        after = attempts.state_counts(session=session)
    typer.echo(tr(f"Köade om {moved} poster (av {before['dead']} uppgivna och "
                  f"{before['failed']} misslyckade); de skickas vid nästa tick.",
                  f"Requeued {moved} items (of {before['dead']} given up and {before['failed']} "
                  "failed); they go out at the next tick."))
    _print_counts(after)


def register(app: typer.Typer) -> None:
    """Add `arshjul ledger …`."""
    ledger_app.command("status")(status)
    ledger_app.command("requeue")(requeue)
    app.add_typer(ledger_app, name="ledger")
