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
    "not_found_body": (
        "Adressen leder inte till någon sida. Öppna länken från meddelandet igen.",
        "The address leads to no page. Open the link from the message again.",
    ),
    "bad_request_title": ("Begäran kunde inte läsas", "The request could not be read"),
    "bad_request_body": (
        "Det som skickades gick inte att tolka. Öppna länken från meddelandet och försök igen.",
        "What was sent could not be read. Open the link from the message and try again.",
    ),
    "method_title": ("Det går inte att göra så här", "That cannot be done here"),
    "method_body": (
        "Sidan tar inte emot den sortens begäran. Öppna länken från meddelandet igen.",
        "The page does not accept that kind of request. Open the link from the message again.",
    ),
    "unprocessable_title": ("Uppgifterna stämmer inte", "The details do not fit"),
    "unprocessable_body": (
        "En del av adressen eller formuläret har fel form. Öppna länken från meddelandet igen.",
        "Part of the address or form has the wrong form. Open the link from the message again.",
    ),
    "organisation": ("hela organisationen", "the whole organisation"),
    "count": ("Antal", "Count"),
    "remove": ("Ta bort", "Remove"),
    "receipt_note": (
        "Vi har tagit emot version {n} av svaren för {scope}.",
        "We have received version {n} of the answers for {scope}.",
    ),
}


def text(key: str, lang: str, **params: object) -> str:
    """The portal text `key` in `lang`, with `{params}` filled in."""
    sv, en = TEXTS[key]
    return (en if lang == "en" else sv).format(**params) if params else (en if lang == "en" else sv)
