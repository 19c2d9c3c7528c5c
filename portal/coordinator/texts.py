"""The coordinator web view's own words in Swedish (default) and English."""

from __future__ import annotations

from portal.texts import TEXTS as PORTAL_TEXTS

TEXTS: dict[str, tuple[str, str]] = {
    "portal": ("Årshjulet – samordning", "Annual cycle – coordination"),
    "nav": ("Huvudmeny", "Main menu"),
    "nav_overview": ("Året", "The year"),
    "nav_org": ("Organisation", "Organisation"),
    "nav_incidents": ("Incidenter", "Incidents"),
    "nav_campaigns": ("Kampanjer", "Campaigns"),
    "signed_in_as": ("Inloggad som {name}", "Signed in as {name}"),
    "sign_out": ("Logga ut", "Sign out"),
    "signin_title": ("Logga in", "Sign in"),
    "signin_lead": (
        "Skriv din e-postadress så skickar vi en inloggningslänk. Länken gäller i {minutes} "
        "minuter och kan användas en gång.",
        "Enter your e-mail address and we will send a sign-in link. The link is valid for "
        "{minutes} minutes and can be used once.",
    ),
    "email": ("E-postadress", "E-mail address"),
    "send_link": ("Skicka länk", "Send link"),
    "signin_oidc": ("Logga in med organisationens konto", "Sign in with the organisation account"),
    "signin_sent_title": ("Titta i din e-post", "Check your e-mail"),
    "signin_sent": (
        "Om adressen hör till någon som får logga in har vi skickat en länk dit. "
        "Öppna länken inom {minutes} minuter.",
        "If the address belongs to someone who may sign in, a link is on its way there. "
        "Open it within {minutes} minutes.",
    ),
    "signin_limited_title": ("För många försök", "Too many attempts"),
    "signin_limited": (
        "Du har bett om för många länkar. Vänta en stund och försök igen.",
        "You have asked for too many links. Wait a while and try again.",
    ),
    "signin_confirm_title": ("Logga in i årshjulet", "Sign in to the annual cycle"),
    "signin_confirm": (
        "Tryck på knappen för att logga in. Länken kan bara användas en gång.",
        "Press the button to sign in. The link can be used once.",
    ),
    "signin_button": ("Logga in", "Sign in"),
    "signin_refused_title": ("Länken kan inte användas", "The link cannot be used"),
    "signin_refused": (
        "Inloggningslänken är redan använd eller har gått ut. Be om en ny länk.",
        "The sign-in link has already been used or has expired. Ask for a new link.",
    ),
    "ask_again": ("Be om en ny länk", "Ask for a new link"),
    "mail_subject": ("Din inloggningslänk till årshjulet", "Your sign-in link to the annual cycle"),
    "mail_body": (
        "Hej {name}!\n\nLogga in i årshjulet med den här länken. Den gäller i {minutes} minuter "
        "och kan användas en gång:\n\n{url}\n\nHar du inte bett om länken kan du strunta i det "
        "här meddelandet.\n",
        "Hello {name},\n\nSign in to the annual cycle with this link. It is valid for {minutes} "
        "minutes and can be used once:\n\n{url}\n\nIf you did not ask for it, ignore this "
        "message.\n",
    ),
    "oidc_refused_title": ("Inloggningen misslyckades", "The sign-in failed"),
    "oidc_refused": (
        "Svaret från inloggningstjänsten kunde inte godtas. Försök igen.",
        "The answer from the sign-in service could not be accepted. Try again.",
    ),
    "oidc_unknown_title": ("Du har inte behörighet", "You do not have access"),
    "oidc_unknown": (
        "Kontot hör inte till någon som får logga in i årshjulets samordning.",
        "The account does not belong to anyone who may sign in to the coordination pages.",
    ),
    "forbidden_title": ("Du har inte behörighet", "You do not have access"),
    "forbidden": (
        "Sidan hör till en enhet eller en uppgift som du inte har behörighet till.",
        "The page belongs to a unit or a task you do not have access to.",
    ),
    "cross_site_title": ("Formuläret kunde inte tas emot", "The form could not be accepted"),
    "cross_site": (
        "Formuläret skickades inte från den här sidan. Ladda om sidan och försök igen.",
        "The form was not sent from this page. Reload the page and try again.",
    ),
    "year_title": ("Året {year}", "The year {year}"),
    "wheel": ("Årshjulet {year}, med dagens datum markerat", "The wheel of {year}, today marked"),
    "steps": ("Momenten", "The steps"),
    "step": ("Moment", "Step"),
    "window": ("Period", "Window"),
    "state": ("Läge", "State"),
    "submitted": ("Inskickade", "Submitted"),
    "late": ("Försenade", "Late"),
    "escalated": ("Eskalerade", "Escalated"),
    "no_steps": ("Inget år är planerat ännu (kör arshjul plan).", "No year is planned yet."),
    "your_units": ("Dina enheter", "Your units"),
    "scope": ("Svarar för", "Answering for"),
    "responsible": ("Ansvariga", "Responsible"),
    "days_late": ("Dagar sen", "Days late"),
    "sent": ("Skickat", "Sent"),
    "action": ("Åtgärd", "Action"),
    "remind": ("Påminn nu", "Remind now"),
    "remind_label": ("Påminn nu – {scope}", "Remind now – {scope}"),
    "reminded": ("Påminnelse skickas till {n} personer.", "A reminder goes to {n} people."),
    "reminded_none": (
        "Ingen ny påminnelse: de är redan påminda i dag, eller svaret är inskickat.",
        "No new reminder: they were already reminded today, or the answer is in.",
    ),
    "done": ("inskickat {when}", "submitted {when}"),
    "not_due": ("inte sen", "not late"),
    "nobody": ("ingen utsedd", "nobody assigned"),
    "nothing_sent": ("inget ännu", "nothing yet"),
    "pending": ("väntar", "pending"),
    "unit_title": ("{name}", "{name}"),
    "back": ("Tillbaka till året", "Back to the year"),
    "org_title": ("Organisationen", "The organisation"),
    "org_saved": ("Ändringen är sparad.", "The change is saved."),
    "people": ("Personer", "People"),
    "name": ("Namn", "Name"),
    "roles": ("Roller", "Roles"),
    "roles_hint": (
        "ROLL@ENHET eller ROLL, med mellanslag mellan flera (som i organisationsfilen).",
        "ROLE@SCOPE or ROLE, separated by spaces (as in the organisation file).",
    ),
    "person_id": ("Id (a-z, 0-9 och -)", "Id (a-z, 0-9 and -)"),
    "active": ("Aktiv", "Active"),
    "inactive": ("inaktiverad", "deactivated"),
    "add_person": ("Lägg till person", "Add a person"),
    "replace_title": ("Byt kontaktperson", "Replace a contact"),
    "replace_role": ("Roll och enhet", "Role and scope"),
    "replace_person": ("Ny person", "New person"),
    "replace_button": ("Byt", "Replace"),
    "audit_title": ("Ändringslogg", "Audit log"),
    "audit_when": ("När", "When"),
    "audit_who": ("Vem", "Who"),
    "audit_what": ("Vad", "What"),
    "audit_change": ("Före → efter", "Before → after"),
    "export": (
        "Exportera som YAML (för arshjul org import)", "Export as YAML (for arshjul org import)"
    ),
    "edit": ("Ändra", "Edit"),
    "save": ("Spara", "Save"),
    "deactivate": ("Inaktivera", "Deactivate"),
    "activate": ("Aktivera igen", "Reactivate"),
    "add_role": ("Lägg till roll", "Add role"),
    "role": ("Roll (ROLL@ENHET)", "Role (ROLE@SCOPE)"),
    "remove_role": ("Ta bort {role}", "Remove {role}"),
    "error_title": ("Ändringen sparades inte", "The change was not saved"),
    "download": ("Ladda ner svaren", "Download the answers"),
    "back_to_step": ("Tillbaka till momentet", "Back to the step"),
    "version_shown": (
        "Version {n}, inskickad {when} av {who}.", "Version {n}, submitted {when} by {who}."
    ),
    "versions": ("Versioner", "Versions"),
    "version_n": ("Version {n}", "Version {n}"),
    "shown": ("visas", "shown"),
    "incidents_title": ("Incidenter", "Incidents"),
    "incident_n": ("Incident {n}", "Incident {n}"),
    "register_incident": ("Registrera en incident", "Register an incident"),
    "unit": ("Enhet", "Unit"),
    "register_button": ("Till formuläret", "To the form"),
    "category": ("Kategori", "Category"),
    "aware": ("Känd sedan", "Known since"),
    "next_deadline": ("Nästa frist", "Next deadline"),
    "no_incidents": ("Inga incidenter är registrerade.", "No incidents are registered."),
    "clocks": ("Tidsfrister", "Deadlines"),
    "clock": ("Frist", "Deadline"),
    "deadline": ("Senast", "Due"),
    "left": ("Tid kvar", "Time left"),
    "note": ("Referens eller skäl", "Reference or reason"),
    "close_reported": ("Rapporterad", "Reported"),
    "close_not": ("Rapporteras inte", "Not reported"),
    "reference": ("Referensnummer", "Reference number"),
    "reason": ("Skäl", "Reason"),
    "description": ("Beskrivning", "Description"),
    "campaigns_title": ("Kampanjer", "Campaigns"),
    "campaign": ("Kampanj", "Campaign"),
    "members": ("Personer", "People"),
    "done_count": ("Klara", "Done"),
    "missing": ("Kvar", "Left"),
    "percent": ("Andel klara", "Share done"),
    "total": ("Totalt", "Total"),
    "no_unit": ("(utan enhet)", "(no unit)"),
    "it_list": ("IT-listan: inte klara vid sista dag", "The IT list: not done at the deadline"),
    "it_list_later": (
        "IT-listan visas här när sista dagen ({deadline}) har passerat.",
        "The IT list shows here once the deadline ({deadline}) has passed.",
    ),
    "no_campaigns": ("Inga kampanjer ännu.", "No campaigns yet."),
    "not_found_title": ("Sidan finns inte", "Page not found"),
    "not_found": ("Det finns ingen sådan sida.", "There is no such page."),
}


def text(key: str, lang: str, **params: object) -> str:
    """The text `key` in `lang` (the response portal's texts when not ours), `{params}` filled."""
    sv, en = TEXTS.get(key) or PORTAL_TEXTS[key]
    chosen = en if lang == "en" else sv
    return chosen.format(**params) if params else chosen
