"""The incident categories, in a module of their own so the command line can list them in its
help without loading the store's tables."""

from __future__ import annotations

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
