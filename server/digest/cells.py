"""Published figures and their suppression rules.

A figure is a cell: {"value": x} when enough distinct people contributed, otherwise
{"suppressed": true, "reason": ...}. Zero contributors are suppressed as well, so a suppressed
cell never tells "nobody" from "one person".
"""

from collections.abc import Hashable, Iterable, Mapping
from datetime import datetime

REASON = "te weinig bijdragen om te tonen"
# DESIGN §6: k is at least 3, whatever is stored.
MIN_K = 3


def effective_k(k: int) -> int:
    return max(int(k or 0), MIN_K)


def k_for_week(k: int, k_before: int | None, k_since_week: str | None, week: str) -> int:
    """The k that applies to one ISO week: a change of k counts from k_since_week on.

    Weeks before it keep the highest k that ever applied to them, so lowering k never publishes
    more of a past week (raising it protects them at once).
    """
    if k_since_week is None or week >= k_since_week:
        return effective_k(k)
    return effective_k(max(k, k_before or 0))


def suppressed() -> dict:
    return {"suppressed": True, "reason": REASON}


def is_suppressed(cell) -> bool:
    return isinstance(cell, dict) and cell.get("suppressed") is True


def enough(people: Iterable, k: int) -> bool:
    return len(set(people)) >= k


def group_ok(people: set, k: int) -> bool:
    """A group of people that a figure describes: empty, or at least k (the complement rule)."""
    return not people or len(people) >= k


def overlap_shown(authors: set[str], unlisted: set[str], uncounted: frozenset[str], k: int) -> bool:
    """May a live figure that overlaps published weeks (theme of the month, knowledge map) be shown?

    It needs k counted authors, and the authors of the weeks whose digest did not list the theme must
    be nobody or at least k counted people: the figure minus the published weekly counts then never
    isolates fewer than k. Authors that cannot make up k (`uncounted`) still count in the figure.
    """
    counted = len(authors - uncounted) >= k
    return counted and (not unlisted or len(unlisted - uncounted) >= k)


def counted_in_digest(
    published: Mapping[str, Mapping[str, datetime]], theme: str, week: str, known_at: datetime | None
) -> bool:
    """Is a row of `week` that carries `theme` since `known_at` in that week's published count?

    `published` maps each theme to {week: that week's data cut-off} for the digests that listed it.
    A row written into a published week after its cut-off, or given the theme after it (an edit, a
    reclassification), is in no published figure: it counts as unlisted, or a live figure minus the
    digests would single out its author.
    """
    cutoff = published.get(theme, {}).get(week)
    return cutoff is not None and known_at is not None and known_at < cutoff


def protect_parts(parts: dict[Hashable, set], parent_visible: bool, k: int) -> set:
    """Which parts of a published total to hide, with complementary suppression.

    `parts` maps each part to the people in it. Parts with fewer than k people are hidden; while
    the total is published, more parts are hidden (smallest first) until the hidden parts together
    cover at least k people, so total − visible parts only ever reveals a group of k or more.
    """
    hidden = {key for key, people in parts.items() if len(people) < k}
    if not parent_visible:
        return set(parts)
    if not hidden:
        return hidden

    def covered() -> int:
        return len(set().union(*(parts[key] for key in hidden)))

    while covered() < k:
        rest = [key for key in parts if key not in hidden]
        if not rest:
            break
        hidden.add(min(rest, key=lambda key: (len(parts[key]), str(key))))
    return hidden
