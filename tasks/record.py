"""Ledger recording and the tick's artifacts: tasks around models/notify/plan.py."""

from __future__ import annotations

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from sqlmodel import select

from models import db, organisation
from models.clock import parse_now
from models.cycle.status import as_dicts, state_label, step_status
from models.cycle.tables import StepInstance
from models.i18n import gettext, translator
from models.notify import kinds
from models.notify.plan import record_due
from tasks.deliver import retry_store_errors


@task(name="record_due_notifications", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2,
      retry_condition_fn=retry_store_errors)
def record_due_notifications(now: str, dry_run: bool = False) -> dict:
    """Write every item due at `now` into the ledger (idempotent); returns counts by kind."""
    with db.session() as session:
        return record_due(parse_now(now, "UTC"), session=session, dry_run=dry_run)


def wheel_rows(year: int, now: str, lang: str = "sv", status: list[dict] | None = None
               ) -> list[dict]:
    """Per step instance of `year`: title, window, state, submitted/total, overdue (no people).

    `status`: the year's step_status rows as dicts, when the tick computed them already."""
    _ = translator(lang)
    if status is None:
        with db.session() as session:
            status = as_dicts(step_status(year, parse_now(now, "UTC"), session=session))
    return [
        {_("Steg"): r["title"], _("Öppnar"): r["opens"], _("Sista dag"): r["due"],
         _("Läge"): state_label(r["state"], lang), _("Inlämnat"): f"{r['submitted']}/{r['total']}",
         _("Försenat"): r["overdue"]}
        for r in status
    ]


def tick_markdown(label: str, recorded: dict, delivered: dict, step_titles: dict[int, str],
                  lang: str = "sv") -> str:
    """What a tick did, by kind and by step, in `lang`: titles and counts only."""
    _ = translator(lang)
    lines = [f"# {label}", "", f"| {_('Slag')} | {_('Nya i kön')} | {_('Skickade poster')} |",
             "|---|---|---|"]
    sent = {k[5:] for k in delivered if k.startswith("sent:")}
    for kind in sorted(set(recorded.get("new", {})) | sent, key=kinds.order):
        heading = gettext(kinds.kind(kind).heading, lang)
        lines.append(f"| {heading} | {recorded.get('new', {}).get(kind, 0)} "
                     f"| {delivered.get('sent:' + kind, 0)} |")
    per_step = sorted((step_titles.get(int(k.split(":")[1]), k.split(":")[1]),
                       gettext(kinds.kind(k.split(":")[2]).heading, lang), n)
                      for k, n in delivered.items() if k.startswith("step:"))
    if per_step:
        lines += ["", f"| {_('Steg')} | {_('Slag')} | {_('Skickade poster')} |", "|---|---|---|"]
        lines += [f"| {step} | {kind} | {n} |" for step, kind, n in per_step]
    lines += ["", _(
        "Meddelanden skickade: {messages}; poster som misslyckades: {failed}; gav upp "
        "(obeställbara): {dead}; ersatta av nyare: {superseded}; inte längre aktuella: "
        "{cancelled}; inte försökta: {not_attempted}; kanske levererade, skickas en gång till "
        "senare: {uncertain}; mottagare kvar till nästa tick: {remaining}; obeställbara i kön "
        "totalt: {dead_total}.",
        messages=delivered.get("messages", 0), failed=delivered.get("failed", 0),
        dead=delivered.get("dead", 0), superseded=delivered.get("superseded", 0),
        cancelled=recorded.get("cancelled", 0) + delivered.get("cancelled", 0),
        not_attempted=delivered.get("not_attempted", 0), uncertain=delivered.get("uncertain", 0),
        remaining=delivered.get("remaining", 0), dead_total=recorded.get("dead_total", 0))]
    return "\n".join(lines)


def _step_titles(delivered: dict, lang: str) -> dict[int, str]:
    ids = {int(k.split(":")[1]) for k in delivered if k.startswith("step:")}
    if not ids:
        return {}
    with db.session() as session:
        query = select(StepInstance).where(StepInstance.id.in_(ids))
        return {s.id: (s.title_en if lang == "en" else s.title_sv) for s in session.exec(query)}


@task(name="publish_tick_artifacts", cache_policy=NO_CACHE)
def publish_tick_artifacts(label: str, year: int, now: str, recorded: dict, delivered: dict,
                           status: list[dict] | None = None):
    """Leave the tick summary and the wheel-status-<year> table in the Prefect UI, in the
    organisation's language (`status`: the year's step status, when computed already)."""
    with db.session() as session:
        lang = organisation.info(session=session).language
    markdown = tick_markdown(label, recorded, delivered, _step_titles(delivered, lang), lang)
    create_markdown_artifact(key="tick-summary", markdown=markdown, description=label)
    create_table_artifact(key=f"wheel-status-{year}", table=wheel_rows(year, now, lang, status),
                          description=gettext("Årshjulet {year}: status per steg", lang,
                                              year=year))
