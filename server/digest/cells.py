"""Published figures and their suppression rules.

A figure is a cell: {"value": x} when enough distinct people contributed, otherwise
{"suppressed": true, "reason": ...}. Zero contributors are suppressed as well, so a suppressed
cell never tells "nobody" from "one person".
"""

from collections.abc import Hashable, Iterable

REASON = "te weinig bijdragen om te tonen"
MIN_K = 2


def effective_k(k: int) -> int:
    return max(int(k or 0), MIN_K)


def suppressed() -> dict:
    return {"suppressed": True, "reason": REASON}


def is_suppressed(cell) -> bool:
    return isinstance(cell, dict) and cell.get("suppressed") is True


def enough(people: Iterable, k: int) -> bool:
    return len(set(people)) >= k


def group_ok(people: set, k: int) -> bool:
    """A group of people that a figure describes: empty, or at least k (the complement rule)."""
    return not people or len(people) >= k


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
