"""Request bodies checked with limits before anything else reads them.

Python's json module recurses per nesting level and turns every digit string into an int: 100,000
nested '[' raise RecursionError and a 5,000-digit number trips the int-to-string limit, each a 500
with a traceback. Here a body is refused with a problem document before sessions, CSRF or a view
(and webargs' own parse of the same bytes) ever see it.
"""

import json
import math
import re

from flask import request

from server.errors import Problem
from server.i18n import gettext

# Leerlus's deepest body (a reflection with its visit and lists) nests 3 levels; 32 is ample.
MAX_DEPTH = 32
# Characters in one number literal: ids, counts and scores are far shorter.
MAX_NUMBER_CHARS = 32

# Strings (skipped whole, so brackets inside text do not count) and the brackets themselves.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class _TooLong(ValueError):
    pass


def _number(kind):
    def parse(literal: str):
        if len(literal) > MAX_NUMBER_CHARS:
            raise _TooLong
        value = kind(literal)
        if not math.isfinite(value):  # 1e999 is a float overflow, not a number anyone sends
            raise _TooLong
        return value

    return parse


def _no_constant(name: str):
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def too_deep(text: str) -> bool:
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif token in "]}":
            depth -= 1
    return False


def check_body(data: bytes) -> None:
    """Raise a Problem (400/422) for a body no handler should parse; return quietly otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "De body is geen geldige UTF-8.") from None
    # Fewer brackets than the limit cannot nest deeper than it: the scan is for bodies that might.
    if text.count("[") + text.count("{") > MAX_DEPTH and too_deep(text):
        raise Problem(400, gettext("De JSON is dieper genest dan %(depth)s niveaus.", depth=MAX_DEPTH))
    try:
        json.loads(text, parse_int=_number(int), parse_float=_number(float), parse_constant=_no_constant)
    except _TooLong:
        raise Problem(
            422,
            gettext("Getallen mogen hoogstens %(chars)s tekens lang zijn.", chars=MAX_NUMBER_CHARS),
            errors={"_body": ["Getal te lang."]},
        ) from None
    except (ValueError, RecursionError):
        raise Problem(400, "De body is geen geldige JSON.") from None


def check_json_request() -> None:
    """before_request, registered first: every JSON body is checked before sessions, CSRF or views."""
    if request.is_json:
        data = request.get_data(cache=True)  # also chunked bodies; MAX_CONTENT_LENGTH still applies
        if data:
            check_body(data)
