"""The installation's bounds on every team's retention settings (pure: no Flask, no database).

Whoever runs the installation sets a ceiling in the environment (RAW_TEXT_DAYS_MAX,
RETENTION_MONTHS_MAX: what the controller promised). Within it the beheerder sets a minimum and a
maximum per setting (PUT /admin/retention); teamleiders choose their team's values within those.
"""

from dataclasses import asdict, dataclass

from server.marker import N_

FIELDS = ("raw_text_days", "retention_months")
# Per setting, the messages with their numbers; errors.py translates them on the way out
# (server.validation_messages.OWN_TEMPLATES), so they stay Dutch source texts here.
ABOVE_CEILING = {
    "raw_text_days": N_("Deze installatie bewaart dit hoogstens {max} dagen."),
    "retention_months": N_("Deze installatie bewaart dit hoogstens {max} maanden."),
}
OUTSIDE_BOUNDS = {
    "raw_text_days": N_("Kies van {low} tot en met {high} dagen (grenzen van de beheerder)."),
    "retention_months": N_("Kies van {low} tot en met {high} maanden (grenzen van de beheerder)."),
}


@dataclass(frozen=True)
class Bounds:
    raw_text_days_min: int
    raw_text_days_max: int
    retention_months_min: int
    retention_months_max: int

    def of(self, field: str) -> tuple[int, int]:
        return getattr(self, f"{field}_min"), getattr(self, f"{field}_max")

    def as_dict(self) -> dict:
        return asdict(self)


def default_bounds(ceiling: dict[str, int]) -> Bounds:
    """No bounds set: anything from 1 up to the ceiling."""
    return Bounds(1, ceiling["raw_text_days"], 1, ceiling["retention_months"])


def within_ceiling(bounds: Bounds, ceiling: dict[str, int]) -> Bounds:
    """Stored bounds under a ceiling that was lowered since: the ceiling wins."""
    values = {}
    for field in FIELDS:
        low, high = bounds.of(field)
        high = min(high, ceiling[field])
        values[f"{field}_min"], values[f"{field}_max"] = min(low, high), high
    return Bounds(**values)


def bounds_problems(bounds: Bounds, ceiling: dict[str, int]) -> dict[str, list[str]]:
    """Field errors for bounds a beheerder proposes (empty: acceptable)."""
    errors: dict[str, list[str]] = {}
    for field in FIELDS:
        low, high = bounds.of(field)
        if high > ceiling[field]:
            errors[f"{field}_max"] = [ABOVE_CEILING[field].format(max=ceiling[field])]
        if low > high:
            errors[f"{field}_min"] = ["Het minimum is hoger dan het maximum."]
    return errors


def setting_problems(bounds: Bounds, settings: dict) -> dict[str, list[str]]:
    """Field errors for team settings outside the bounds (only the fields present are checked)."""
    errors = {}
    for field in FIELDS:
        if field not in settings:
            continue
        low, high = bounds.of(field)
        if not low <= settings[field] <= high:
            errors[field] = [OUTSIDE_BOUNDS[field].format(low=low, high=high)]
    return errors


def clamped(bounds: Bounds, settings: dict, *, only_present: bool = False) -> dict:
    """The settings that must change to fall within the bounds, with their nearest allowed value."""
    changes = {}
    for field in FIELDS:
        if only_present and field not in settings:
            continue
        low, high = bounds.of(field)
        value = settings[field]
        if not low <= value <= high:
            changes[field] = min(max(value, low), high)
    return changes
