"""The demo's employees: a directory file (CSV, `ARSHJUL_DIRECTORY=csv`) and the learning
platform's export of xAPI statements (`ARSHJUL_XAPI_URL=file://…`), both as the product reads
them, rewritten as the year goes on: who has changed their password, who finished the course.

The people are made up (seeded); they live in the demo's files and store, never in Prefect.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cli.demo_phrases import SIZES

FIRST = ("Anna", "Erik", "Maria", "Lars", "Karin", "Per", "Eva", "Johan", "Sara", "Anders",
         "Lena", "Mikael", "Emma", "Jonas", "Sofia", "Oskar", "Elin", "Fredrik", "Ida", "Nils",
         "Hanna", "Gustav", "Maja", "Viktor", "Linnea", "Axel", "Frida", "Olof", "Amira", "Ali")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
        "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
        "Bengtsson", "Lindberg", "Lindqvist", "Berg", "Holm", "Sandberg", "Ahmed", "Yilmaz")
COURSE = "https://lms.example.se/xapi/activities/informationssakerhet-grund"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


@dataclass
class Employee:
    id: str
    name: str
    email: str
    department: str
    #: days after the drive starts when they change their password (None: never)
    reset_after: float | None
    #: days after the training opens when they finish the course (None: never)
    trained_after: float | None


def employees(seed: int, unit_names: dict[str, str]) -> list[Employee]:
    """Everyone in the directory, seeded: most reset within days, a few never; most finish the
    course during the autumn, a few never."""
    rng, out, taken = random.Random(seed * 31 + 7), [], set()
    for unit, size in SIZES.items():
        for _ in range(size):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            n = sum(1 for t in taken if t.startswith(f"{first}.{last}".lower()))
            handle = f"{first}.{last}{n or ''}".lower()
            taken.add(handle)
            reset = rng.choices((rng.uniform(0, 1), rng.uniform(1, 3), rng.uniform(3, 9), None),
                                (55, 25, 13, 7))[0]
            trained = rng.choices((rng.uniform(3, 60), rng.uniform(60, 104), None),
                                  (60, 36, 4))[0]
            out.append(Employee(f"u{len(out) + 1:04}", f"{first} {last}",
                                f"{handle}@demo.alingsas.se".translate(_ASCII),
                                unit_names.get(unit, unit), reset, trained))
    return out


_ASCII = str.maketrans("åäö", "aao")


class PeopleFiles:
    """The directory CSV and the statements file, brought up to a moment of the demo year."""

    def __init__(self, folder: Path, people: list[Employee]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.directory, self.statements = folder / "anstallda.csv", folder / "utbildning.json"
        self.people = people
        self.drive_start: datetime | None = None
        self.training_start: datetime | None = None
        self.write(None)

    def write(self, now: datetime | None) -> None:
        """Both files as the directory and the learning platform would show them at `now`."""
        with self.directory.open("w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["id", "name", "email", "department", "last_password_change"])
            for p in self.people:
                out.writerow([p.id, p.name, p.email, p.department, _when(
                    self.drive_start, p.reset_after, now)])
        statements = [
            {"actor": {"mbox": f"mailto:{p.email}"}, "verb": {"id": COMPLETED},
             "object": {"id": COURSE}, "timestamp": done, "stored": done}
            for p in self.people
            if (done := _when(self.training_start, p.trained_after, now))]
        self.statements.write_text(json.dumps(statements, indent=1), encoding="utf-8")


def _when(start: datetime | None, after: float | None, now: datetime | None) -> str:
    if start is None or after is None or now is None:
        return ""
    moment = start + timedelta(days=after)
    return moment.isoformat() if moment <= now else ""
