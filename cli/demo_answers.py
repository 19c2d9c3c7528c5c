"""What the demo's simulated contacts type in: answers from realistic ranges and phrases.

A unit of a Swedish municipality reports a handful of phishing attempts a quarter, not half a
million; its risk analysis names its own information assets, not "Simulerat svar". Every draw
comes from a `random.Random` seeded per assignment, so `arshjul demo --seed N` repeats the same
year. No personal data: owners are roles, assets are kinds of system.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from models.cycle.forms import Form

#: realistic quarterly counts of one unit, by question id of the incident statistics form
COUNTS = {
    "ddos_skydd_aktiverat": (0, 2), "ddos_paverkan": (0, 1), "intrang": (0, 1),
    "natfiske_forsok": (3, 60), "natfiske_lyckade": (0, 2), "skadlig_kod_stoppad": (0, 12),
    "inbrott_skadegorelse": (0, 1), "personell_incidenter": (0, 1),
    "administrativa_incidenter": (0, 2), "personuppgiftsincidenter": (0, 1),
}
EQUIPMENT = (0, 3)  # lost or stolen devices of one kind, one unit, one quarter
ASSETS = (
    "Verksamhetssystem för ärendehandläggning", "E-postsystemet", "Lönesystemet",
    "Journalsystem", "Diariet", "Ekonomisystemet", "Elevdokumentation", "Passersystemet",
    "Arkivet i källaren", "Gemensam filyta", "Intranätet", "Kommunens webbplats",
    "Bokningssystem för lokaler", "Telefonväxeln", "Fakturahanteringen", "Kartdatabasen",
    "Bygglovsarkivet", "Schemaläggningssystemet", "Ärendehanteringen för bistånd",
    "Verksamhetens mobiltelefoner", "Kundregistret", "Vattenverkets styrsystem",
    "Avtalsdatabasen", "Personalakter i pappersform", "Videomötestjänsten",
)
MEASURES = (
    "Införa tvåfaktorsinloggning", "Se över behörigheterna två gånger per år",
    "Öva reservrutiner vid driftstopp", "Kryptera bärbara enheter", "Ta fram en kontinuitetsplan",
    "Utbilda medarbetarna i informationshantering", "Begränsa åtkomsten till arkivet",
    "Skriva avtal om säkerhetskopiering med leverantören", "Logga och följa upp åtkomst",
)
OWNERS = ("Systemförvaltare", "Verksamhetschef", "IT-avdelningen", "Arkivarie", "Enhetschef")
PHRASES = (
    "Arbetet följer planen.", "Vi behöver mer stöd från IT i början av året.",
    "Rutinen är beslutad och kommunicerad.", "Genomfört på arbetsplatsträffar under hösten.",
)


def realistic_values(form: Form, today: date, rng: random.Random) -> dict:
    """Valid answers to every question of `form`, drawn from realistic ranges and phrases."""
    values = {}
    for q in form.questions:
        if q.type == "table":
            rows = rng.randint(max(q.min_rows, 3), max(q.min_rows, 3) + 2)
            assets = rng.sample(ASSETS, rows)
            values[q.id] = [{c.id: _cell(c, today, rng, asset) for c in q.columns or []}
                            for asset in assets]
        else:
            values[q.id] = _cell(q, today, rng, "")
    return values


def _cell(q, today: date, rng: random.Random, asset: str):
    if q.id in ("tillgang", "aktivitet"):
        return asset or rng.choice(MEASURES)
    if q.id in ("atgard",):
        return rng.choice(MEASURES)
    if q.id in ("ansvarig",):
        return rng.choice(OWNERS)
    kind = q.type
    if kind == "number":
        low, high = COUNTS.get(q.id, EQUIPMENT)
        return rng.randint(low, high)
    if kind == "scale":
        low = int(q.min if q.min is not None else 1)
        high = int(q.max if q.max is not None else low + 4)
        return rng.randint(max(low, 1), max(low, min(high, 4)))  # few units say 0 or 5
    if kind == "yesno":
        return rng.random() < 0.85
    if kind == "choice":
        return rng.choice(q.choices).value
    if kind == "multi":
        return [c.value for c in rng.sample(q.choices, min(2, len(q.choices)))]
    if kind == "date":
        return (today - timedelta(days=rng.randint(0, 20))).isoformat()
    return rng.choice(PHRASES) if q.required else ""
