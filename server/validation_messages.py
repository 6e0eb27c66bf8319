"""Validation messages in the reader's language: marshmallow's English templates mapped, in one place,
to Dutch source texts in the gettext catalogue (not patched per field).

A 422's messages pass through ``translate`` on their way into the problem document
(server/errors.py): a message that matches one of marshmallow's templates ("Length must be between
{min} and {max}.") becomes the Dutch text for it ("Gebruik {min} tot en met {max} tekens.") in the
request's language, its numbers carried over; any other message (our own, already Dutch) is looked
up in the catalogue as it is. tests/platform/test_i18n.py fails when marshmallow has a template missing here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from server.i18n import N_, gettext
from server.retention_bounds import ABOVE_CEILING, OUTSIDE_BOUNDS

GTE, GT, LTE, LT = "greater than or equal to", "greater than", "less than or equal to", "less than"

# marshmallow's English template -> our Dutch source text (B1, "je": staff read these).
MARSHMALLOW = {
    "Missing data for required field.": N_("Vul dit in."),
    "Field may not be null.": N_("Vul dit in."),
    "Unknown field.": N_("Dit veld kennen we niet."),
    "Invalid input type.": N_("Dit soort invoer klopt hier niet."),
    "Invalid input.": N_("Deze waarde klopt niet."),
    "Invalid type.": N_("Deze waarde klopt niet."),
    "Invalid value.": N_("Deze waarde klopt niet."),
    "Not a valid email address.": N_("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
    "Not a valid URL.": N_("Vul een geldig webadres in, zoals https://voorbeeld.nl."),
    "Not a valid UUID.": N_("Deze verwijzing klopt niet."),
    "Not a valid boolean.": N_("Kies ja of nee."),
    "Not a valid integer.": N_("Vul een geheel getal in."),
    "Not a valid number.": N_("Vul een getal in."),
    "Number too large.": N_("Dit getal is te groot."),
    "Special numeric values (nan or infinity) are not permitted.": N_("Vul een gewoon getal in."),
    "Not a valid string.": N_("Vul tekst in."),
    "Not a valid utf-8 string.": N_("Deze tekst bevat tekens die we niet kunnen lezen."),
    "Not a valid list.": N_("Stuur hier een lijst."),
    "Not a valid tuple.": N_("Stuur hier een lijst."),
    "Not a valid mapping type.": N_("Stuur hier een object met velden."),
    "Not a valid date.": N_("Vul een datum in, zoals 2026-11-23."),
    "Not a valid {obj_type}.": N_("Vul een geldige datum of tijd in."),
    "Not a valid {awareness} {obj_type}.": N_("Vul een datum en tijd met tijdzone in."),
    '"{input}" cannot be formatted as a date.': N_("Deze datum kunnen we niet weergeven."),
    '"{input}" cannot be formatted as a {obj_type}.': N_("Deze datum of tijd kunnen we niet weergeven."),
    "Not a valid period of time.": N_("Vul een geldige tijdsduur in."),
    "{input!r} cannot be formatted as a timedelta.": N_("Deze tijdsduur kunnen we niet weergeven."),
    "Not a valid IP address.": N_("Vul een geldig IP-adres in."),
    "Not a valid IPv4 address.": N_("Vul een geldig IP-adres in."),
    "Not a valid IPv6 address.": N_("Vul een geldig IP-adres in."),
    "Not a valid IP interface.": N_("Vul een geldig IP-adres met netwerk in."),
    "Not a valid IPv4 interface.": N_("Vul een geldig IP-adres met netwerk in."),
    "Not a valid IPv6 interface.": N_("Vul een geldig IP-adres met netwerk in."),
    "Length must be between 1 and {max}.": N_("Vul dit in (hooguit {max} tekens)."),
    "Length must be between {min} and {max}.": N_("Gebruik {min} tot en met {max} tekens."),
    "Shorter than minimum length 1.": N_("Vul dit in."),
    "Shorter than minimum length {min}.": N_("Gebruik minstens {min} tekens."),
    "Longer than maximum length {max}.": N_("Gebruik hooguit {max} tekens."),
    "Length must be {equal}.": N_("Gebruik precies {equal} tekens."),
    f"Must be {GTE} {{min}} and {LTE} {{max}}.": N_("Kies een getal van {min} tot en met {max}."),
    f"Must be {GT} {{min}} and {LTE} {{max}}.": N_("Kies een getal boven {min}, hooguit {max}."),
    f"Must be {GTE} {{min}} and {LT} {{max}}.": N_("Kies een getal van minstens {min} en onder {max}."),
    f"Must be {GT} {{min}} and {LT} {{max}}.": N_("Kies een getal tussen {min} en {max}."),
    f"Must be {GTE} {{min}}.": N_("Kies {min} of meer."),
    f"Must be {GT} {{min}}.": N_("Kies een getal boven {min}."),
    f"Must be {LTE} {{max}}.": N_("Kies {max} of minder."),
    f"Must be {LT} {{max}}.": N_("Kies een getal onder {max}."),
    "Must be equal to {other}.": N_("Dit moet {other} zijn."),
    "Must be one of: {choices}.": N_("Kies een van deze: {choices}."),
    "One or more of the choices you made was not in: {choices}.": N_("Kies alleen uit: {choices}."),
    "One or more of the choices you made was in: {values}.": N_("Deze keuze kan niet: {values}."),
    "String does not match expected pattern.": N_("Deze tekst heeft niet de goede vorm."),
}

# Our own messages that carry a number filled in by the validator (the rest are looked up as they are).
PASSWORD_TOO_SHORT = N_("Kies een wachtwoord van minstens {min} tekens.")
OWN_TEMPLATES = (
    N_("Kies een k van {min} tot en met {max} (minimaal 3 collega's per cijfer)."),
    PASSWORD_TOO_SHORT,
    *ABOVE_CEILING.values(),
    *OUTSIDE_BOUNDS.values(),
)


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)(?:![rsa])?\}", template)
    regex = ""
    for index, part in enumerate(parts):
        regex += re.escape(part) if index % 2 == 0 else f"(?P<{part}>.*?)"
    return re.compile(regex + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str]]:
    pairs = [(source, dutch) for source, dutch in MARSHMALLOW.items()]
    pairs += [(own, own) for own in OWN_TEMPLATES]
    # Most literal text first: "between 1 and {max}" before "between {min} and {max}", "Must be ... and
    # ..." before "Must be ...".
    pairs.sort(key=lambda pair: -len(re.sub(r"\{\w+(?:![rsa])?\}", "", pair[0])))
    return [(_pattern(source), dutch) for source, dutch in pairs]


def translate(message):
    """One message (or a list/dict of them, as marshmallow nests them) in the request's language."""
    if isinstance(message, list):
        return [translate(item) for item in message]
    if isinstance(message, dict):
        return {key: translate(value) for key, value in message.items()}
    if not isinstance(message, str):
        return message
    for pattern, dutch in _compiled():
        match = pattern.match(message)
        if match:
            values = match.groupdict()
            try:
                return gettext(dutch).format(**values)
            except (KeyError, IndexError, ValueError):
                return dutch.format(**values)
    return gettext(message)
