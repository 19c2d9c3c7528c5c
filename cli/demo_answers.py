"""What the demo's simulated contacts type in: answers from realistic ranges and phrases.

A unit of a Swedish municipality reports a handful of phishing attempts a quarter, not half a
million, and a school loses Chromebooks where the housing company loses none; its risk analysis
names its own information assets, not "Simulerat svar". Every draw comes from a `random.Random`
seeded per assignment, so `arshjul demo --seed N` repeats the same year. No personal data:
owners are roles, services are products (cli/demo_phrases.py).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from cli import demo_phrases as P
from models.cycle.forms import Form

ASSETS = (
    "Verksamhetssystem för ärendehandläggning", "E-postsystemet", "Lönesystemet",
    "Journalsystem", "Diariet", "Ekonomisystemet", "Elevdokumentation", "Passersystemet",
    "Arkivet i källaren", "Gemensam filyta", "Intranätet", "Kommunens webbplats",
    "Bokningssystem för lokaler", "Telefonväxeln", "Fakturahanteringen", "Kartdatabasen",
    "Bygglovsarkivet", "Schemaläggningssystemet", "Ärendehanteringen för bistånd",
    "Verksamhetens mobiltelefoner", "Kundregistret", "Vattenverkets styrsystem",
    "Avtalsdatabasen", "Personalakter i pappersform", "Videomötestjänsten",
)


@dataclass
class Context:
    """Who answers: the unit (for its size and kind), the boards' names, the unit's breaches
    in the incident register for the quarter (its statistics count at least those), the unit's
    activities of the year's action plan (its follow-up answers for those)."""

    unit: str = ""
    boards: list[str] = field(default_factory=list)
    breaches: int = 0
    activities: list[str] = field(default_factory=list)


def realistic_values(form: Form, today: date, rng: random.Random,
                     context: Context | None = None) -> dict:
    """Valid answers to every question of `form`, drawn from realistic ranges and phrases."""
    ctx = context or Context()
    values = {}
    for q in form.questions:
        if q.type == "table":
            values[q.id] = _rows(form.id, q, today, rng, ctx)
        elif form.id == "incidentstatistik" and q.type == "number":
            values[q.id] = count(q.id, ctx.unit, rng)
        else:
            values[q.id] = _cell(q, today, rng)
    if form.id == "incidentstatistik":
        values["personuppgiftsincidenter"] += ctx.breaches
    if form.id == "infosakkollen":
        levels = [v for k, v in values.items() if isinstance(v, int) and k != "total_niva"]
        values["total_niva"] = min(levels) if levels else values.get("total_niva")
    if form.id == "namndbeslut-dataskydd":
        values["paragraf"] = str(rng.randint(20, 180))
    return values


def count(qid: str, unit: str, rng: random.Random) -> int:
    """A quarter's count for `unit`: Poisson around the unit's size times the category's rate."""
    tens = P.SIZES.get(unit, 20) / 10
    if qid in P.SCHOOL:
        units, rate = P.SCHOOL[qid]
        mean = rate * tens if unit in units else 0.0
    else:
        mean = P.PER_TEN.get(qid, 0.02) * tens
    return _poisson(mean, rng)


def _poisson(mean: float, rng: random.Random) -> int:
    if mean <= 0:
        return 0
    if mean > 30:  # normal approximation: fast and close enough for large means
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _rows(form_id: str, q, today: date, rng: random.Random, ctx: Context) -> list[dict]:
    maker = {
        "register-molntjanster": _cloud, "register-nis2": _nis2,
        "register-nis2-organisation": _nis2_org, "register-behandlingar": _processing,
        "handlingsplan-status": _activities, "dpo-aterkoppling": _feedback,
    }.get(form_id)
    if maker:
        rows = maker(q, today, rng, ctx)
    else:
        n = rng.randint(max(q.min_rows, 3), max(q.min_rows, 3) + 2)
        rows = [{"tillgang": asset} for asset in rng.sample(ASSETS, n)]
    columns = q.columns or []
    return [{c.id: row[c.id] if c.id in row else _cell(c, today, rng) for c in columns}
            for row in rows]


def _cloud(q, today, rng, ctx) -> list[dict]:
    keys = ("tjanst", "leverantor", "personuppgifter", "tredjeland", "land", "rattslig_grund",
            "tia", "pub_avtal")
    picked = rng.sample(P.CLOUD, rng.randint(max(q.min_rows, 2), 4))
    return [{**dict(zip(keys, row, strict=True)),
             "granskas": (today + timedelta(days=rng.randint(200, 700))).isoformat()}
            for row in picked]


def _nis2(q, today, rng, ctx) -> list[dict]:
    rows = P.NIS2.get(ctx.unit, (P.NIS2_OTHER,))
    return [dict(zip(("verksamhet", "sektor", "omfattas", "bevis"), r, strict=True)) for r in rows]


def _nis2_org(q, today, rng, ctx) -> list[dict]:
    return [{"beskrivning": what, "typ": kind, "bevis": proof,
             "datum": (today - timedelta(days=rng.randint(10, 40))).isoformat()}
            for what, kind, proof in P.NIS2_ORG]


def _processing(q, today, rng, ctx) -> list[dict]:
    keys = ("behandling", "andamal", "rattslig_grund", "kansliga", "dpia_behovs")
    rows = [dict(zip(keys, r, strict=True)) for r in rng.sample(P.PROCESSING, 3)]
    for row in rows:
        if row["dpia_behovs"]:
            row["dpia_gjord"] = (today - timedelta(days=rng.randint(30, 300))).isoformat()
    return rows


def _activities(q, today, rng, ctx) -> list[dict]:
    out = []
    titles = list(ctx.activities) or rng.sample(P.ACTIVITIES, rng.randint(3, 5))
    if ctx.activities and rng.random() < 0.3:  # something the unit took on during the year
        titles.append(rng.choice([a for a in P.ACTIVITIES if a not in titles]))
    for activity in titles:
        status = rng.choices(("genomford", "paborjad", "ej-paborjad"), (5, 3, 2))[0]
        out.append({"aktivitet": activity, "status": status, "flyttas": status != "genomford",
                    "kommentar": rng.choice(P.STATUS_COMMENTS[status])})
    return out


def _feedback(q, today, rng, ctx) -> list[dict]:
    return [{"namnd": board, "aterkoppling": rng.choice(P.TEXTS["aterkoppling"]),
             "atgarder": rng.choice(P.TEXTS["atgarder"])} for board in ctx.boards or ["-"]]


def _cell(q, today: date, rng: random.Random):
    if q.id == "tillgang":
        return rng.choice(ASSETS)
    if q.id == "atgard":
        return rng.choice(P.MEASURES)
    if q.id in ("ansvarig", "agare"):
        return rng.choice(P.OWNERS)
    kind = q.type
    if kind == "number":
        high = int(q.max) if q.max is not None else 40
        return rng.randint(int(q.min or 0), min(high, 40))
    if kind == "scale":
        low = int(q.min if q.min is not None else 1)
        high = int(q.max if q.max is not None else low + 4)
        return rng.randint(max(low, 1), max(low, min(high, 3)))  # few units say 0, 4 or 5
    if kind == "yesno":
        return rng.random() < 0.95
    if kind == "choice":
        return rng.choice(q.choices).value
    if kind == "multi":
        return [c.value for c in rng.sample(q.choices, min(2, len(q.choices)))]
    if kind == "date":
        return (today - timedelta(days=rng.randint(0, 20))).isoformat()
    if q.id in P.TEXTS:
        return rng.choice(P.TEXTS[q.id])
    return rng.choice(P.TEXTS["kommentar"]) if q.required else ""
