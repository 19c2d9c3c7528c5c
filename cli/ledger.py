"""`arshjul ledger status|requeue`: what the notification ledger holds, and a second chance for
messages that were given up (docs/notifications.md)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from cli.common import guard, render_table
from models import db
from models.errors import InputError
from models.i18n import N_, _
from models.notify import attempts, ledger

ledger_app = typer.Typer(help="Meddelandeliggaren: läge och omköning. / The notification ledger.",
                         no_args_is_help=True)

#: What each state means to a coordinator, in the order a message goes through them.
LABELS = {
    ledger.PENDING: N_("väntar på nästa tick"),
    ledger.SENDING: N_("skickas, eller kanske skickat (skickas en gång till)"),
    ledger.RESENDING: N_("skickas en andra gång"),
    ledger.SENT: N_("skickat"),
    ledger.FAILED: N_("misslyckat, försöks igen"),
    ledger.DEAD: N_("uppgivet (kan köas om)"),
    ledger.CANCELLED: N_("avbrutet (inaktuellt)"),
}

KindOpt = Annotated[str | None, typer.Option("--kind", help="Bara denna typ, t.ex. reminder.")]
FormatOpt = Annotated[str, typer.Option("--format", help="table | json")]


@guard
def status(kind: KindOpt = None, fmt: FormatOpt = "table") -> None:
    """Visa antal poster per läge i liggaren och de uppgivna. / Show the ledger's counts."""
    if fmt not in ("table", "json"):
        raise InputError(_("--format: '{fmt}' ska vara en av table, json", fmt=fmt))
    with db.session() as session:
        counts = attempts.state_counts(session=session, kind=kind)
        dead = [r for r in ledger.problems(session=session) if kind in (None, r.kind)]
    if fmt == "json":
        typer.echo(json.dumps(counts))
        return
    _print_counts(counts)
    if dead:
        typer.echo("\n" + _("Uppgivna poster: {count}", count=len(dead)))
        typer.echo(render_table(
            ["Id", _("Typ"), _("Mottagare"), _("Försök"), _("Senaste fel")],
            [[r.id, r.kind, r.recipient_id, r.attempts, (r.last_error or "")[:60]]
             for r in dead]))


def _print_counts(counts: dict[str, int]) -> None:
    rows = [[state, counts[state], _(LABELS[state]) if state in LABELS else ""]
            for state in counts if state != "total"]
    rows.append([_("totalt"), counts["total"], ""])
    typer.echo(render_table([_("Läge"), _("Poster"), _("Betyder")], rows))


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
        raise InputError(_("ange --recipient, --kind eller --all-dead"))
    with db.session() as session:
        before = attempts.state_counts(session=session)
        moved = attempts.requeue(session=session, recipient=recipient, kind=kind)
        after = attempts.state_counts(session=session)
    typer.echo(_("Köade om {moved} poster (av {dead} uppgivna och {failed} misslyckade); de "
                 "skickas vid nästa tick.", moved=moved, dead=before["dead"],
                 failed=before["failed"]))
    _print_counts(after)


def register(app: typer.Typer) -> None:
    """Add `arshjul ledger …`."""
    ledger_app.command("status")(status)
    ledger_app.command("requeue")(requeue)
    app.add_typer(ledger_app, name="ledger")
