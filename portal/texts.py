"""The portal's own words in Swedish (default) and English, per the organisation's language."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "portal": ("Årshjulet – svarsportal", "Annual cycle – response portal"),
    "skip": ("Hoppa till innehållet", "Skip to content"),
    "step": ("Moment", "Step"),
    "scope": ("Svarar för", "Answering for"),
    "opens": ("Öppnar", "Opens"),
    "due": ("Sista dag", "Due"),
    "closes": ("Kan ändras till och med", "Can be changed until"),
    "responsible": ("Ansvariga", "Responsible"),
    "you": ("du", "you"),
    "status": ("Status", "Status"),
    "status_draft": ("Inte inskickat", "Not submitted"),
    "status_submitted": (
        "Inskickat {when} av {who} (version {n})",
        "Submitted {when} by {who} (version {n})",
    ),
    "draft_saved_at": ("Utkast sparat {when} av {who}.", "Draft saved {when} by {who}."),
    "draft_newer": (
        "Du visar ett utkast med ändringar som inte är inskickade.",
        "You are looking at a draft with changes that are not submitted.",
    ),
    "saved": ("Utkastet är sparat.", "The draft is saved."),
    "required": ("obligatorisk", "required"),
    "optional": ("valfri", "optional"),
    "yes": ("Ja", "Yes"),
    "no": ("Nej", "No"),
    "none": ("Inget svar", "No answer"),
    "not_collected": ("Inte insamlad", "Not collected"),
    "not_collected_value": ("inte insamlad", "not collected"),
    "target": ("Målnivå: {n}", "Target level: {n}"),
    "date_hint": ("Skriv datumet som ÅÅÅÅ-MM-DD.", "Write the date as YYYY-MM-DD."),
    "max_chars": ("Högst {n} tecken.", "At most {n} characters."),
    "rows_hint": ("Minst {n} rader.", "At least {n} rows."),
    "row": ("Rad {n}", "Row {n}"),
    "add_row": ("Lägg till rad", "Add row"),
    "remove_row": ("Ta bort rad {n}", "Remove row {n}"),
    "save": ("Spara utkast", "Save draft"),
    "submit": ("Skicka in", "Submit"),
    "resubmit": ("Skicka in ändringarna", "Submit the changes"),
    "errors_title": ("Det finns problem i svaren", "There is a problem with the answers"),
    "error_prefix": ("Fel", "Error"),
    "error_page_prefix": ("Fel: ", "Error: "),
    "closed": (
        "Momentet är stängt sedan {when}. Svaren kan inte längre ändras.",
        "The step closed on {when}. The answers can no longer be changed.",
    ),
    "closed_title": ("Momentet är stängt", "The step is closed"),
    "receipt_title": ("Tack! Svaren är inskickade", "Thank you! The answers are submitted"),
    "receipt_body": (
        "Version {n} skickades in {when} av {who}. En kvittens skickas till dig.",
        "Version {n} was submitted {when} by {who}. A receipt is sent to you.",
    ),
    "receipt_edit": (
        "Du kan ändra svaren till och med {when} via samma länk.",
        "You can change the answers until {when} through the same link.",
    ),
    "back_to_form": ("Tillbaka till formuläret", "Back to the form"),
    "your_answers": ("Dina svar", "Your answers"),
    "contact": ("Kontakta {who} för en ny länk.", "Contact {who} for a new link."),
    "contact_fallback": (
        "samordnaren för informationssäkerhet",
        "the information security coordinator",
    ),
    "expired_title": ("Länken har gått ut", "The link has expired"),
    "expired_body": (
        "Länkar i meddelanden gäller en begränsad tid, och den här har slutat gälla.",
        "Links in messages are valid for a limited time, and this one is no longer valid.",
    ),
    "invalid_title": ("Länken är inte giltig", "The link is not valid"),
    "invalid_body": (
        "Länken är ändrad eller ofullständig. "
        "Kopiera hela länken från meddelandet och försök igen.",
        "The link has been changed or is incomplete. "
        "Copy the whole link from the message and try again.",
    ),
    "denied_title": ("Du har inte behörighet", "You do not have access"),
    "denied_body": (
        "Länken gäller inte dig eller det här momentet längre.",
        "The link no longer applies to you or to this step.",
    ),
    "forbidden_post_title": ("Formuläret kunde inte tas emot", "The form could not be accepted"),
    "forbidden_post_body": (
        "Formuläret skickades inte från svarsportalen eller hör till en annan länk. "
        "Öppna länken från meddelandet igen.",
        "The form was not sent from the response portal or belongs to another link. "
        "Open the link from the message again.",
    ),
    "too_large_title": ("För mycket text", "Too much text"),
    "too_large_body": (
        "Svaren var för stora för att tas emot. Korta ner de längsta texterna och försök igen.",
        "The answers were too large to accept. Shorten the longest texts and try again.",
    ),
    "not_found_title": ("Sidan finns inte", "Page not found"),
    "organisation": ("hela organisationen", "the whole organisation"),
    "count": ("Antal", "Count"),
    "remove": ("Ta bort", "Remove"),
    "receipt_note": (
        "Vi har tagit emot version {n} av svaren för {scope}.",
        "We have received version {n} of the answers for {scope}.",
    ),
    # Overview for whom a late answer is escalated to (portal.oversight)
    "overview_title": ("Översikt: {step}", "Overview: {step}"),
    "late_since": ("Försenat sedan {when}: inget är inskickat.",
                   "Late since {when}: nothing has been submitted."),
    "not_late": ("Inte försenat.", "Not late."),
    "why_you": (
        "Du får den här sidan eftersom du är {role} och ärendet har eskalerats eller ingår i ditt "
        "ansvar. Du kan läsa svaret, svara i kontaktpersonens ställe eller utse en ny kontakt.",
        "You see this page because you are {role} and the matter was escalated to you or is part "
        "of your responsibility. You can read the answer, answer in the contact's place or name a "
        "new contact.",
    ),
    "contacts_title": ("Ansvariga och hur du når dem", "Who is responsible and how to reach them"),
    "no_contact": ("Ingen är utsedd att svara för {scope}.",
                   "Nobody is named to answer for {scope}."),
    "answer_so_far": ("Svaret hittills", "The answer so far"),
    "nothing_submitted": ("Inget är inskickat ännu.", "Nothing has been submitted yet."),
    "history_title": ("Versioner", "Versions"),
    "history_row": ("Version {n}: {when}, {who}", "Version {n}: {when}, {who}"),
    "on_behalf_mark": ("i kontaktpersonens ställe", "in the contact's place"),
    "answer_on_behalf": ("Svara i kontaktpersonens ställe", "Answer in the contact's place"),
    "on_behalf_notice": (
        "Du svarar i kontaktpersonens ställe. Versionen sparas som inskickad av dig för "
        "kontaktpersonens räkning.",
        "You are answering in the contact's place. The version is recorded as submitted by you "
        "on the contact's behalf.",
    ),
    "new_contact_title": ("Utse en ny kontakt", "Name a new contact"),
    "new_contact_help": (
        "Samordnarna får ditt förslag och lägger in personen i organisationsfilen.",
        "The coordinators receive your proposal and add the person to the organisation file.",
    ),
    "name": ("Namn", "Name"),
    "email": ("E-postadress", "E-mail address"),
    "send_proposal": ("Skicka förslaget", "Send the proposal"),
    "proposal_bad": ("Skriv både namn och en e-postadress med @.",
                     "Write both a name and an e-mail address with @."),
    "proposal_sent_title": ("Förslaget är skickat", "The proposal is sent"),
    "proposal_sent": (
        "Samordnarna ({who}) har fått ditt förslag om {name} för {scope}.",
        "The coordinators ({who}) have received your proposal of {name} for {scope}.",
    ),
    # Campaign pages (portal.campaign_pages)
    "own_progress_title": ("Din status: {title}", "Your status: {title}"),
    "done_at": ("Klart: registrerat {when}.", "Done: recorded {when}."),
    "not_done": ("Inte klart ännu. Sista dag: {when}.", "Not done yet. Due: {when}."),
    "course_link": ("Gå till utbildningen", "Go to the training"),
    "password_link": ("Byt lösenord här", "Change your password here"),
    "no_longer_member": ("Du ingår inte längre i kampanjen.", "You are no longer in the campaign."),
    "unit_progress_title": ("{unit}: {title}", "{unit}: {title}"),
    "unit_counts": ("{done} av {members} klara ({percent} %). Sista dag: {when}.",
                    "{done} of {members} done ({percent} %). Due: {when}."),
    "missing_title": ("Inte klara efter sista dagen", "Not done after the due date"),
    "missing_before": ("Namnen på de som inte är klara visas efter sista dagen.",
                       "The names of those not done are shown after the due date."),
    "step_done": ("Enheten har nått målet för momentet.", "The unit has reached the step's goal."),
    "no_campaign": ("Kampanjen har inte startat ännu. Den startar {when}.",
                    "The campaign has not started yet. It starts {when}."),
    # Link error pages (portal.link_errors)
    "denied_how": ("Hör av dig till samordnarna om du behöver komma åt momentet:",
                   "Contact the coordinators if you need access to the step:"),
    "new_link": ("Skicka mig en ny länk", "Send me a new link"),
    "new_link_help": ("Den nya länken skickas till den e-postadress vi redan har för dig.",
                      "The new link is sent to the e-mail address we already have for you."),
    "new_link_sent_title": ("En ny länk är på väg", "A new link is on its way"),
    "new_link_sent": ("Vi har skickat en ny länk till din e-postadress.",
                      "We have sent a new link to your e-mail address."),
    "new_link_limit": ("En ny länk har redan skickats i dag. Det går att be om en ny i morgon.",
                       "A new link was already sent today. You can ask for another tomorrow."),
}


def text(key: str, lang: str, **params: object) -> str:
    """The portal text `key` in `lang`, with `{params}` filled in."""
    sv, en = TEXTS[key]
    return (en if lang == "en" else sv).format(**params) if params else (en if lang == "en" else sv)
