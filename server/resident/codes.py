"""Short codes a resident types from a printed card or hears read aloud, when the QR code cannot be scanned.

Eight characters drawn from Crockford's base-32 alphabet without 0 and 1 (so no 0/O, 1/I/L and no U
at all: 30 characters, 39 bits), shown as ABCD-EFGH. Typing is forgiving the way Crockford
specifies: case, spaces and dashes do not matter, and O is read as 0, I and L as 1 (so cards
printed before 0 and 1 were left out keep working). Only an HMAC keyed with the app's secret is stored, because 40 bits are
too few to survive a leaked database as a plain SHA-256; guessing online is held back by the rate
limits on the code page (with, say, 10 000 open cards, one guess has about a 1 in 6·10^7 chance).
"""

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # what a code may contain (Crockford)
DRAWN = ALPHABET.replace("0", "").replace("1", "")  # what new codes are made of: nothing to mistake
LENGTH = 8
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(DRAWN) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The canonical code for what someone typed, or None when it cannot be a code."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def typed_length(typed: str) -> int:
    """How many characters someone typed, not counting spaces and dashes (for "U typte er 7")."""
    return len("".join(typed.split()).replace("-", ""))


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def code_hash(code: str, secret: str) -> str:
    return hmac.new(secret.encode(), b"feedback-code:" + code.encode(), hashlib.sha256).hexdigest()
