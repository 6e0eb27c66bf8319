"""Response rates: links answered / links issued. Pure: the caller reads the rows.

A link counts as issued once a resident could have seen it: not replaced by a newer link, and, for
a card printed ahead in a batch, once it is tied to a visit or answered (a card still in the
medewerker's bag was never handed out).
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class IssuedLink:
    medewerker: str | None  # who asked for it
    answered: bool


def rate(links: Iterable[IssuedLink]) -> dict:
    links = list(links)
    answered = sum(1 for link in links if link.answered)
    return {
        "issued": len(links),
        "answered": answered,
        "rate": round(answered / len(links), 3) if links else None,
    }


def team_rate(links: Iterable[IssuedLink], k: int, viewer: str | None = None) -> dict | None:
    """The team's rate, or None unless at least k medewerkers other than the viewer issued links.

    Not counting the viewer: they know their own figure, and the team's minus theirs must still
    cover k colleagues, so it never reveals one colleague's rate.
    """
    links = list(links)
    others = {link.medewerker for link in links if link.medewerker is not None and link.medewerker != viewer}
    return rate(links) if len(others) >= k else None
