"""The reference report's 2022 incident tables, typed as printed there, and our spelling of them.

Source: shared/reference/alingsas-uppfoljning-2022.txt ("IT-säkerhetsincidenter 2022",
"Borttappad/stulen utrustning 2022", "Personuppgiftsincidenter 2022" and its "Någon insamling …"
sentences). Every test that compares with the reference uses these rows and `SPELLING`, the one
mapping of a reference label to the label the product prints (see docs/report.md, "Labels").
"""

from __future__ import annotations

#: IT-security rows as the reference prints them (its spelling, its hyphen).
REFERENCE_IT = [
    ("Överbelastningsattacker där kommunens skydd aktiverats", "13"),
    ("Överbelastningsattacker som fått påverkan på verksamhet/system", "0"),
    ("Fullbordade kända intrång", "0"),
    ("Phisingattack", "Ca 650"),
    ("Lyckade phisingattacker", "6"),
    ("Skadlig kod - händelser där skadlig kod är stoppad i klienter (datorer)", "Ca 1250"),
]
REFERENCE_EQUIPMENT = [
    ("Chromebooks", "43"),
    ("OTP-kort", "40"),
    ("EDU iPad", "9"),
    ("ADM iPad", "4"),
    ("Mobiltelefoner och tillbehör", "3"),
    ("EDU PC", "2"),
    ("ADM PC", "1"),
]
REFERENCE_BREACHES = [
    ("Barn- och ungdomsnämnden", "5"),
    ("Kommunstyrelsen", "2"),
    ("Kultur- och utbildningsnämnden", "2"),
    ("Samhällsbyggnadsnämnden", "1"),
    ("Socialnämnden", "4"),
    ("Vård- och omsorgsnämnden", "8"),
    ("Överförmyndarnämnden", "0"),
]
REFERENCE_NOT_COLLECTED = [
    "Någon insamling av incidenter gällande inbrott och övrig skadegörelse har inte genomförts "
    "under 2022.",
    "Någon insamling av incidenter gällande personell säkerhet har inte genomförts under 2022.",
    "Någon insamling av incidenter gällande administrativ säkerhet har inte genomförts under 2022.",
]

#: Reference label → our label. The product corrects the reference's spelling ("phising"), names
#: the phishing row in the plural like its neighbour, and uses a dash where the reference has a
#: hyphen; every other label is the reference's own.
SPELLING = {
    "Phisingattack": "Phishingattacker",
    "Lyckade phisingattacker": "Lyckade phishingattacker",
    "Skadlig kod - händelser där skadlig kod är stoppad i klienter (datorer)": (
        "Skadlig kod – händelser där skadlig kod är stoppad i klienter (datorer)"
    ),
}


def ours(rows: list[tuple[str, str]]) -> list[list[str]]:
    """Reference rows as the product prints them: [label, count] with our spelling."""
    return [[SPELLING.get(label, label), count] for label, count in rows]
