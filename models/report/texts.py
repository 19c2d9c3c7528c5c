"""Fixed texts of the annual report (the reference report's wording), in Swedish; English in the
catalog (models/i18n.py). Translated where the report is built."""

from __future__ import annotations

from models.i18n import N_

TITLES = {
    "report": N_("Uppföljning och utvärdering av informationssäkerhets- och dataskyddsarbetet {y}"),
    "sammanfattning": N_("Sammanfattning"),
    "om": N_("Om informationssäkerhet och dataskydd"),
    "underlag": N_("Underlag för genomgång"),
    "omvarldsanalys": N_("Omvärldsanalys"),
    "uppfoljning": N_("Uppföljning av tidigare beslut"),
    "revisioner": N_("Resultat från revisioner (interna och externa) och andra granskningar"),
    "infosakkollen": N_("Informationssäkerhet"),
    "dpo": N_("Dataskydd"),
    "atgarder": N_("Status när det gäller förebyggande och korrigerande åtgärder"),
    "riskarbete": N_("Riskarbete"),
    "klassning": N_("Informationsklassningar"),
    "utbildning": N_("Utbildning"),
    "overensstammelse": N_("Överensstämmelse med krav och mål"),
    "lagefterlevnad": N_("Utvärdering av lagefterlevnad"),
    "rekommendationer": N_("Rekommendationer"),
    "bilaga1": N_("Bilaga 1 – Uppföljning Handlingsplan för informationssäkerhet & dataskydd {y}"),
}

ABOUT = [
    N_(
        "Informationssäkerhet handlar om att hindra information från att läcka ut, förvanskas "
        "och förstöras. Det handlar också om att rätt information ska finnas tillgänglig för "
        "rätt personer, och i rätt tid."
    ),
    N_(
        "Arbetet med informationssäkerhet är uppbyggt utifrån MCF:s (tidigare MSB) metodstöd "
        "för systematiskt informationssäkerhetsarbete. Metodstödet består av fyra metodsteg som"
        " tillsammans bildar ett årshjul. Till årshjulet har även arbetet med dataskydd lagts "
        "till."
    ),
    N_(
        "Dataskydd handlar om skyddet av enskildas personuppgifter och är en "
        "integritetsskyddsfråga. Regler för hantering av personuppgifter återfinns i EU:s "
        "dataskyddsförordning."
    ),
]

MISSING = N_("Någon insamling av {what} har inte genomförts under {y}.")
NO_TEXT = N_("Ingen text om {what} har lämnats för {y}.")
