"""argon2id password hashing (OWASP's first choice), with transparent re-hashing on login."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps timing the same for unknown e-mails.
_DUMMY_HASH = _hasher.hash("leerlus-timing-equaliser")
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens.")
    if len(password) > 200:
        problems.append("Kies een wachtwoord van hoogstens 200 tekens.")
    return problems
