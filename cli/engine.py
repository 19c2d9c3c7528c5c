"""`arshjul tick`: send what is due now (or at --now), once, as the `tick` flow."""

from __future__ import annotations

import typer

from cli.common import guard, resolve_now


def register(app: typer.Typer) -> None:
    """Add the engine's commands."""
    app.command("tick")(guard(tick_command))


def tick_command(
    now: str = typer.Option(None, "--now", help="Act as if it were this time (ISO 8601, local "
                            "time unless an offset is given), e.g. 2027-10-01T08:00."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show what is due; write and "
                                 "send nothing."),
) -> None:
    """Skicka inbjudningar, påminnelser och eskaleringar som förfallit. / Send what is due.

    One digest per person per tick; re-running with the same --now sends nothing twice. Runs
    as a flow run in Prefect when there is a server (PREFECT_API_URL or `arshjul serve`), else
    here without one.
    """
    from cli.launch import launch
    from models.db import migrate

    at = resolve_now(now)
    migrate()
    result = launch("flows.tick", "tick", "Tick: registrerar det som förfallit …",
                    now=at.isoformat() if at else None, dry_run=dry_run)
    for line in summary_lines(result):
        typer.echo(line)


def summary_lines(result: dict) -> list[str]:
    """The tick's summary: new items and delivered items by kind, failures."""
    recorded, delivered = result["recorded"], result["delivered"]
    head = "Torrkörning (inget skickas)" if result["dry_run"] else "Tick"
    lines = [f"{head} {result['now']}: {recorded['due']} poster förfallna, "
             f"{sum(recorded['new'].values())} nya."]
    for kind, count in sorted(recorded["new"].items()):
        lines.append(f"  ny {kind}: {count}")
    if not result["dry_run"]:
        sent = {k[5:]: v for k, v in delivered.items() if k.startswith("sent:")}
        for kind, count in sorted(sent.items()):
            lines.append(f"  skickat {kind}: {count}")
        lines.append(f"Meddelanden (sammanställningar): {delivered.get('messages', 0)}; "
                     f"misslyckade: {delivered.get('failed', 0)}; "
                     f"uppgivna: {delivered.get('dead', 0)}; "
                     f"kvar till nästa tick: {delivered.get('remaining', 0)} mottagare.")
        lines += _held_back(delivered)
    if recorded.get("dead_total"):
        lines.append(f"Obeställbara totalt: {recorded['dead_total']} poster; samordnarna har "
                     "fått besked (se `arshjul status`).")
    return lines


def _held_back(delivered: dict) -> list[str]:
    """Items this tick did not try, or sent without knowing whether they arrived."""
    lines = []
    if delivered.get("not_attempted"):
        why = ("SMTP-servern gick inte att nå" if delivered.get("unreachable")
               else "tidsbudgeten för leveransen tog slut")
        lines.append(f"Ej försökta: {delivered['not_attempted']} poster ({why}); de räknas inte "
                     "som försök och skickas vid nästa tick.")
    if delivered.get("uncertain"):
        lines.append(f"Kanske levererade: {delivered['uncertain']} poster (servern tappade "
                     "förbindelsen efter meddelandet); de skickas en gång till om 15 minuter.")
    return lines
