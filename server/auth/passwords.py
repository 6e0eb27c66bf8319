"""argon2id password hashing (OWASP's first choice), with transparent re-hashing on login, and the
one password policy every way of setting a password goes through (API, invitation, reset, CLI)."""

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from server.i18n import N_
from server.validation_messages import PASSWORD_TOO_SHORT

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps timing the same for unknown e-mails.
_DUMMY_HASH = _hasher.hash("leerlus-timing-equaliser")
MIN_LENGTH = 10
# zxcvbn's scale: 3 is "safely unguessable" for an online attack (about 10^8 guesses).
MIN_SCORE = 3
# Words that make a password guessable here whatever a general list says: the product, the demo
# password, and the Dutch words people reach for first.
CONTEXT_WORDS = ("leerlus", "leerlus-demo", "demo", "wijkteam", "wijk", "wachtwoord", "welkom", "gemeente")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # The 30,000 most common passwords of the public breach corpora, shipped inside the zxcvbn wheel.
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: str, *, context: tuple[str, ...] = ()) -> list[str]:
    """NIST SP 800-63B: a minimum length, no composition rules, and no password that is common,
    known from breaches or built from this service and this person (`context`: e-mail, name)."""
    if len(password) < MIN_LENGTH:
        return [PASSWORD_TOO_SHORT.format(min=MIN_LENGTH)]
    if len(password) > 200:
        return [N_("Kies een wachtwoord van hoogstens 200 tekens.")]
    if password.lower() in _common_passwords():
        return [
            N_(
                "Dit wachtwoord staat op een lijst van veelgebruikte of uitgelekte wachtwoorden. Kies een ander."
            )
        ]
    inputs = list(CONTEXT_WORDS)
    for value in filter(None, context):
        value = value.lower()
        local = value.split("@")[0]
        parts = [p for p in re.split(r"[\W_]+", value) if p]
        # The whole value, an e-mail's local part, each word, and the words run together.
        inputs += [value, local, "".join(re.split(r"[\W_]+", local)), *parts, "".join(parts)]
    if zxcvbn(password, user_inputs=inputs)["score"] < MIN_SCORE:
        return [N_("Dit wachtwoord is te makkelijk te raden. Een zin van een paar woorden werkt goed.")]
    return []
