"""The incident vocabulary shared by registered incidents and the report's incident tables.

The category ids are the question ids of the `incidentstatistik` form
(wheel/forms/incidentstatistik.yaml), so answers, imported figures and registered incidents share
one vocabulary; the report (models.report.figures) prints exactly these rows, in this order.
"""

from __future__ import annotations

#: IT-security incident categories (reference table "IT-säkerhetsincidenter"), in row order.
IT_CATEGORIES: dict[str, dict[str, str]] = {
    "ddos_skydd_aktiverat": {
        "sv": "Överbelastningsattacker där kommunens skydd aktiverats",
        "en": "Denial-of-service attacks where the protection was activated",
    },
    "ddos_paverkan": {
        "sv": "Överbelastningsattacker som fått påverkan på verksamhet/system",
        "en": "Denial-of-service attacks that affected operations/systems",
    },
    "intrang": {"sv": "Fullbordade kända intrång", "en": "Completed known intrusions"},
    "natfiske_forsok": {"sv": "Phishingattacker", "en": "Phishing attacks"},
    "natfiske_lyckade": {"sv": "Lyckade phishingattacker", "en": "Successful phishing attacks"},
    "skadlig_kod_stoppad": {
        "sv": "Skadlig kod – händelser där skadlig kod är stoppad i klienter (datorer)",
        "en": "Malware – events where malware was stopped on clients (computers)",
    },
}

#: Lost or stolen equipment by type (reference table "Borttappad/stulen utrustning"), in row order.
EQUIPMENT_CATEGORIES: dict[str, dict[str, str]] = {
    "utrustning_chromebook": {"sv": "Chromebooks", "en": "Chromebooks"},
    "utrustning_otp_kort": {"sv": "OTP-kort", "en": "OTP cards"},
    "utrustning_ipad_edu": {"sv": "EDU iPad", "en": "EDU iPad"},
    "utrustning_ipad_adm": {"sv": "ADM iPad", "en": "ADM iPad"},
    "utrustning_mobil": {
        "sv": "Mobiltelefoner och tillbehör",
        "en": "Mobile phones and accessories",
    },
    "utrustning_pc_edu": {"sv": "EDU PC", "en": "EDU PC"},
    "utrustning_pc_adm": {"sv": "ADM PC", "en": "ADM PC"},
}

#: Equipment counted by the questionnaire but not a row of the reference table: printed only when
#: it has a count.
EXTRA_EQUIPMENT = {"utrustning_ovrig": {"sv": "Övrig utrustning", "en": "Other equipment"}}

#: Burglary and damage: a physical-security kind of a registered incident, and one of the report's
#: three areas outside the tables (models.report.figures).
BURGLARY = "inbrott_skadegorelse"

#: Categories of a registered incident (the register's own vocabulary).
PERSONAL_DATA = "personuppgiftsincident"
IT_SECURITY = "it-sakerhet"
PHYSICAL = "fysisk-sakerhet"
PERSONNEL = "personell"
ADMINISTRATIVE = "administrativ"

#: category id → {sv, en} label, in the reference report's order.
CATEGORIES: dict[str, dict[str, str]] = {
    IT_SECURITY: {"sv": "IT-säkerhet", "en": "IT security"},
    PHYSICAL: {"sv": "Fysisk säkerhet", "en": "Physical security"},
    PERSONNEL: {"sv": "Personell säkerhet", "en": "Personnel security"},
    ADMINISTRATIVE: {"sv": "Administrativ säkerhet", "en": "Administrative security"},
    PERSONAL_DATA: {"sv": "Personuppgiftsincident", "en": "Personal-data breach"},
}
#: Physical-security sub-kinds: lost/stolen equipment (needs an equipment type) or burglary (the
#: report's area id, so a registered burglary counts in that area).
EQUIPMENT_LOST = "utrustning"
PHYSICAL_KINDS: dict[str, dict[str, str]] = {
    EQUIPMENT_LOST: {"sv": "Borttappad/stulen utrustning", "en": "Lost/stolen equipment"},
    BURGLARY: {"sv": "Inbrott och övrig skadegörelse", "en": "Burglary and damage"},
}
#: Equipment types (the report's rows, then "other").
EQUIPMENT_TYPES: dict[str, dict[str, str]] = {**EQUIPMENT_CATEGORIES, **EXTRA_EQUIPMENT}
SUBKINDS: dict[str, dict[str, dict[str, str]]] = {
    IT_SECURITY: IT_CATEGORIES,
    PHYSICAL: PHYSICAL_KINDS,
}
