"""Fixed texts of the annual report in Swedish and English (the reference report's wording)."""

from __future__ import annotations

TITLES = {
    "sv": {
        "report": "Uppföljning och utvärdering av informationssäkerhets- och dataskyddsarbetet {y}",
        "sammanfattning": "Sammanfattning",
        "om": "Om informationssäkerhet och dataskydd",
        "underlag": "Underlag för genomgång",
        "omvarldsanalys": "Omvärldsanalys",
        "uppfoljning": "Uppföljning av tidigare beslut",
        "revisioner": "Resultat från revisioner (interna och externa) och andra granskningar",
        "infosakkollen": "Informationssäkerhet",
        "dpo": "Dataskydd",
        "atgarder": "Status när det gäller förebyggande och korrigerande åtgärder",
        "riskarbete": "Riskarbete",
        "klassning": "Informationsklassningar",
        "utbildning": "Utbildning",
        "overensstammelse": "Överensstämmelse med krav och mål",
        "lagefterlevnad": "Utvärdering av lagefterlevnad",
        "rekommendationer": "Rekommendationer",
        "bilaga1": "Bilaga 1 – Uppföljning Handlingsplan för informationssäkerhet & dataskydd {y}",
    },
    "en": {
        "report": "Follow-up and evaluation of the information security and data protection "
        "work {y}",
        "sammanfattning": "Summary",
        "om": "About information security and data protection",
        "underlag": "Basis for the review",
        "omvarldsanalys": "External analysis",
        "uppfoljning": "Follow-up of earlier decisions",
        "revisioner": "Results of audits (internal and external) and other reviews",
        "infosakkollen": "Information security",
        "dpo": "Data protection",
        "atgarder": "Status of preventive and corrective measures",
        "riskarbete": "Risk work",
        "klassning": "Information classifications",
        "utbildning": "Training",
        "overensstammelse": "Conformity with requirements and goals",
        "lagefterlevnad": "Evaluation of legal compliance",
        "rekommendationer": "Recommendations",
        "bilaga1": "Appendix 1 – Follow-up of the action plan for information security & data "
        "protection {y}",
    },
}

ABOUT = {
    "sv": [
        "Informationssäkerhet handlar om att hindra information från att läcka ut, förvanskas och "
        "förstöras. Det handlar också om att rätt information ska finnas tillgänglig för rätt "
        "personer, och i rätt tid.",
        "Arbetet med informationssäkerhet är uppbyggt utifrån MCF:s (tidigare MSB) metodstöd för "
        "systematiskt informationssäkerhetsarbete. Metodstödet består av fyra metodsteg som "
        "tillsammans bildar ett årshjul. Till årshjulet har även arbetet med dataskydd lagts till.",
        "Dataskydd handlar om skyddet av enskildas personuppgifter och är en "
        "integritetsskyddsfråga. Regler för hantering av personuppgifter återfinns i EU:s "
        "dataskyddsförordning.",
    ],
    "en": [
        "Information security is about preventing information from leaking, being altered or "
        "destroyed, and about the right information being available to the right people at the "
        "right time.",
        "The work follows MCF's (formerly MSB) method support for systematic information security: "
        "four method steps that together form an annual wheel, with data protection added.",
        "Data protection is about protecting individuals' personal data; the rules are in the EU "
        "General Data Protection Regulation.",
    ],
}

MISSING = {
    "sv": "Någon insamling av {what} har inte genomförts under {y}.",
    "en": "No collection of {what} was carried out in {y}.",
}
NO_TEXT = {
    "sv": "Ingen text om {what} har lämnats för {y}.",
    "en": "No text on {what} was provided for {y}.",
}
