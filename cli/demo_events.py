"""The demo year's events outside the wheel, each through the product's own path: two
incidents registered and reported with `arshjul incident report|update` and the clock watch
flow; a password-reset drive started with `arshjul campaign start password-reset`; and the
`campaigns` flow syncing the directory file and the course's statements file (cli/demo_people)
while the training campaign and the drive run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


from cli import campaigns as campaign_cli
from cli import incidents as incident_cli
from cli.demo_commands import arshjul
from cli.demo_people import PeopleFiles
from models.business_days import is_business_day

Echo = Callable[[str], None]
COORDINATOR, DPO = "anna-berg", "erik-lind"


@dataclass(order=True)
class Event:
    at: datetime
    name: str
    action: str
    args: tuple = ()


class DemoEvents:
    """The scripted events of `year`, run in time order between the wheel's ticks."""

    def __init__(self, year: int, files: PeopleFiles, at_local, echo: Echo) -> None:
        self.year, self.files, self.echo = year, files, echo
        drive = date(year, 12, 6)
        self.deadline = drive + timedelta(days=9)
        t = at_local
        events = [
            Event(t(date(year, 3, 9), 15, 5), "GDPR-incident", "breach"),
            Event(t(date(year, 3, 10), 16, 30), "anmäld till IMY", "report_gdpr"),
            Event(t(date(year, 10, 18), 7, 30), "NIS2-incident", "nis2"),
            Event(t(date(year, 10, 18), 22, 10), "tidig varning", "report_nis2",
                  ("nis2-early-warning", "MCF-{y}-0871-TV")),
            Event(t(date(year, 10, 20), 15, 0), "incidentanmälan", "report_nis2",
                  ("nis2-notification", "MCF-{y}-0871-IA")),
            Event(t(date(year, 11, 12), 10, 0), "slutrapport", "report_nis2",
                  ("nis2-final-report", "MCF-{y}-0871-SR")),
            Event(t(drive, 9, 0), "lösenordsbyte", "drive"),
            Event(t(date(year, 12, 8), 10, 0), "handlingsplanen", "plan_follow_up"),
        ]
        # The campaigns flow (every few hours in production; here on the days that matter):
        # the training's start, progress, its reminders and escalation, and every business
        # day of the drive until it closes.
        days = [date(year, 9, 1), date(year, 10, 4), date(year, 11, 15), date(year, 12, 1),
                date(year, 12, 20), date(year, 12, 22)]
        days += [drive + timedelta(days=n) for n in range(1, 11)]
        events += [Event(t(day, 8, 30), "kampanjer", "sync") for day in sorted(set(days))
                   if is_business_day(day)]
        self.pending = sorted(events)
        self.ids: dict[str, int] = {}

    def next_at(self) -> datetime | None:
        return self.pending[0].at if self.pending else None

    def run_due(self, now: datetime) -> None:
        """Run every event at or before `now` (the clock is already there)."""
        while self.pending and self.pending[0].at <= now:
            event = self.pending.pop(0)
            getattr(self, event.action)(event.at, *event.args)

    def breach(self, at: datetime) -> None:
        aware = at - timedelta(minutes=45)
        out = arshjul(incident_cli.report, category="personuppgiftsincident",
                      unit="socialforvaltningen", aware_at=aware.isoformat(),
                      description="Utredning med känsliga personuppgifter skickad med e-post "
                      "till fel mottagare.", personal_data=True, nis2=False, by=COORDINATOR)
        self._registered("gdpr", out, at)

    def nis2(self, at: datetime) -> None:
        aware = at - timedelta(minutes=50)
        out = arshjul(incident_cli.report, category="it-sakerhet", kind="ddos_paverkan",
                      unit="alingsas-energi", aware_at=aware.isoformat(),
                      description="Överbelastningsattack slog ut fjärrvärmens kundportal i "
                      "sex timmar.", personal_data=False, nis2=True, by=COORDINATOR)
        self._registered("nis2", out, at)

    def _registered(self, key: str, output: str, at: datetime) -> None:
        self.ids[key] = int(output.split()[1])
        self._watch(at)
        self.echo(f"  {at:%Y-%m-%d %H:%M}: incident {self.ids[key]} registrerad "
                  f"({'personuppgifter' if key == 'gdpr' else 'betydande enligt NIS2'}), "
                  "klockorna startade, larm skickade")

    def report_gdpr(self, at: datetime) -> None:
        arshjul(incident_cli.update, incident_id=self.ids["gdpr"], reported="gdpr",
                ref=f"IMY-{self.year}-1207", at_text=at.isoformat(), by=DPO)
        self.echo(f"  {at:%Y-%m-%d %H:%M}: incident {self.ids['gdpr']} anmäld till IMY "
                  "inom 72 timmar")

    def report_nis2(self, at: datetime, clock: str, ref: str) -> None:
        arshjul(incident_cli.update, incident_id=self.ids["nis2"], reported=clock,
                ref=ref.format(y=self.year), at_text=at.isoformat(), by=COORDINATOR)

    def _watch(self, at: datetime) -> None:
        from flows.incidents import incident_clock_watch

        incident_clock_watch(now=at.isoformat())

    def plan_follow_up(self, at: datetime) -> None:
        from cli.demo_plan import follow_up_organisation_wide

        follow_up_organisation_wide(self.year)

    def drive(self, at: datetime) -> None:
        self.sync(at)
        self.files.drive_start = at
        out = arshjul(campaign_cli.start_password_reset, deadline=self.deadline.isoformat(),
                      url="https://konto.alingsas.se/byt-losenord")
        self.sync(at + timedelta(minutes=1))
        self.echo(f"  {at:%Y-%m-%d %H:%M}: {out.splitlines()[0]}")

    def sync(self, at: datetime) -> None:
        from flows.campaigns import campaigns

        if self.files.training_start is None:
            self.files.training_start = at
        self.files.write(at)
        campaigns(now=at.isoformat())
