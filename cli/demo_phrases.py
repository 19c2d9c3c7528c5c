"""What the demo's contacts write: the phrases, systems and sizes of a Swedish municipality.

Data only (cli/demo_answers.py draws from it). No personal data: owners are roles, services are
products, decisions are numbers.
"""

from __future__ import annotations

#: employees per unit in the demo's directory (a municipality of ~3,000, scaled down twentyfold)
SIZES = {
    "barn-och-ungdomsforvaltningen": 45, "vard-och-omsorgsforvaltningen": 38,
    "socialforvaltningen": 15, "kultur-och-utbildningsforvaltningen": 18,
    "samhallsbyggnadsforvaltningen": 10, "kommunledningskontoret": 9,
    "alingsas-energi": 6, "alingsashem": 4, "sorf": 7, "overformyndarenheten": 2,
}
#: mean count per quarter per 10 employees of the demo (each stands for twenty), by question of the incident statistics
PER_TEN = {
    "ddos_skydd_aktiverat": 0.06, "ddos_paverkan": 0.0, "intrang": 0.0,
    "natfiske_forsok": 10.0, "natfiske_lyckade": 0.1, "skadlig_kod_stoppad": 20.0,
    "inbrott_skadegorelse": 0.06, "personell_incidenter": 0.04,
    "administrativa_incidenter": 0.1, "personuppgiftsincidenter": 0.4,
    "utrustning_otp_kort": 0.7, "utrustning_mobil": 0.1, "utrustning_pc_adm": 0.04,
    "utrustning_ipad_adm": 0.06, "utrustning_ovrig": 0.04,
}
#: equipment only schools have: question → (units, mean per quarter per 10 employees)
SCHOOL = {
    "utrustning_chromebook": (("barn-och-ungdomsforvaltningen",), 2.2),
    "utrustning_ipad_edu": (("barn-och-ungdomsforvaltningen",), 0.5),
    "utrustning_pc_edu": (("kultur-och-utbildningsforvaltningen",), 0.3),
}
MEASURES = (
    "Införa tvåfaktorsinloggning", "Se över behörigheterna två gånger per år",
    "Öva reservrutiner vid driftstopp", "Kryptera bärbara enheter", "Ta fram en kontinuitetsplan",
    "Utbilda medarbetarna i informationshantering", "Begränsa åtkomsten till arkivet",
    "Skriva avtal om säkerhetskopiering med leverantören", "Logga och följa upp åtkomst",
)
OWNERS = ("Systemförvaltare", "Verksamhetschef", "IT-avdelningen", "Arkivarie", "Enhetschef")
ACTIVITIES = (
    "Införa tvåfaktorsinloggning i verksamhetssystemen", "Informationsklassa kritiska system",
    "Ta fram kontinuitetsplaner för verksamhetskritiska processer",
    "Genomföra en övning med scenariot IT-attack", "Se över behörighetsrutinerna",
    "Uppdatera behandlingsregistret", "Utbilda chefer i incidentrapportering",
    "Separera nätet för styrsystem", "Granska personuppgiftsbiträdesavtalen",
    "Införa rutin för loggkontroll", "Säkerhetskrav i upphandlingsmallen",
    "Informationsinsats om nätfiske",
)
STATUS_COMMENTS = {
    "genomford": ("Klart och överlämnat till förvaltningen.", "Genomfört enligt plan."),
    "paborjad": ("Pågår, klart under första halvåret.", "Väntar på leverantören."),
    "ej-paborjad": ("Flyttas till nästa års handlingsplan.", "Inte prioriterat i år."),
}
#: (service, supplier, personal data, third country, country, legal basis, TIA, DPA)
CLOUD = (
    ("Microsoft 365", "Microsoft", True, True, "USA", "adekvansbeslut", True, True),
    ("Visma Lön", "Visma", True, False, "", None, None, True),
    ("Google Workspace for Education", "Google", True, True, "USA", "adekvansbeslut", True, True),
    ("Zoom", "Zoom Communications", True, True, "USA", "scc", True, True),
    ("Lifecare", "Tietoevry", True, False, "", None, None, True),
    ("Mailchimp", "Intuit", True, True, "USA", "scc", False, True),
    ("Kartverktyg i molnet", "Esri", False, True, "USA", "scc", False, False),
    ("Bokningssystemet", "Lokalbokning Sverige AB", True, False, "", None, None, True),
)
#: unit → (activity, sector, in scope, evidence) of the NIS2 register
NIS2 = {
    "samhallsbyggnadsforvaltningen": (
        ("Dricksvattenförsörjning", "dricksvatten", "ja", "Kommunstyrelsens beslut, § 187"),
        ("Avloppsreningsverket", "avloppsvatten", "ja", "Kommunstyrelsens beslut, § 187"),
        ("Avfallshantering", "avfall", "utreds", "Utredning pågår, klar i juni")),
    "alingsas-energi": (
        ("Fjärrvärme", "energi", "ja", "Styrelsens beslut och analys av tröskelvärden"),
        ("Elnät", "energi", "ja", "Styrelsens beslut och analys av tröskelvärden")),
    "vard-och-omsorgsforvaltningen": (
        ("Hemsjukvård", "halso-och-sjukvard", "ja", "Analys enligt MCF:s vägledning"),),
    "kommunledningskontoret": (
        ("Kommunens centrala förvaltning", "offentlig-forvaltning", "ja",
         "Cybersäkerhetslagen 2025:1506, kommuner omfattas"),),
}
NIS2_OTHER = ("Verksamheten i övrigt", "annan", "nej", "Bedömning: inte samhällsviktig verksamhet")
NIS2_ORG = (
    ("Registrering av kommunen hos MCF", "registrering", "Kvitto från MCF:s e-tjänst"),
    ("Kommunstyrelsens utbildning i cybersäkerhetslagen", "ledningsutbildning",
     "Deltagarlista och presentation"),
)
#: (processing, purpose, legal basis, sensitive, DPIA needed)
PROCESSING = (
    ("Elevdokumentation", "Dokumentera elevernas utveckling", "allmant-intresse", False, True),
    ("Ekonomiskt bistånd", "Handlägga ansökningar", "myndighetsutovning", True, True),
    ("Löneadministration", "Betala ut lön", "avtal", False, False),
    ("Bygglovsärenden", "Pröva ansökningar om bygglov", "myndighetsutovning", False, False),
    ("Journalföring i hemsjukvården", "Dokumentera vård", "rattslig-forpliktelse", True, True),
    ("Nyhetsbrev", "Informera invånare", "samtycke", False, False),
    ("Ställföreträdarskap", "Tillsyn över gode män", "myndighetsutovning", True, True),
)
TEXTS = {
    "org_beskrivning": ("Dataskyddssamordnare på förvaltningen, nätverk med dataskyddsombudet "
                        "varje månad.", "Ansvaret ligger hos nämndens kansli med stöd av "
                        "dataskyddsombudet."),
    "rattslig_grund": ("Rättslig grund dokumenteras per behandling i registret; samtycke "
                       "används bara för nyhetsbrev och bilder.",),
    "incident_beskrivning": ("Incidenter rapporteras i kommunens incidentformulär och följs "
                             "upp av dataskyddsombudet.",),
    "rattigheter_beskrivning": ("Begäran om registerutdrag hanteras av registraturen inom en "
                                "månad.",),
    "kb_process": ("Konsekvensbedömning görs med kommunens mall vid nya system.",),
    "aterkoppling": ("Registret är uppdaterat; rutinen för registerutdrag behöver förtydligas.",
                     "God ordning; konsekvensbedömningar saknas för två system.",
                     "Incidentrutinen är känd, men få incidenter rapporteras."),
    "atgarder": ("Förtydliga rutinen och utbilda handläggarna under våren.",
                 "Genomföra de saknade konsekvensbedömningarna före sommaren."),
    "beslut": ("Nämnden godkänner återkopplingen och uppdrar åt förvaltningen att åtgärda "
               "bristerna.",),
    "kommentar": ("Genomfört enligt plan.", "Genomfört på arbetsplatsträffar.",
                  "Klart, dokumenterat i kommunens samarbetsyta."),
}
