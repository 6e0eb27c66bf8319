"""The gemeente overview's own words in the reader's language, for the app (the CSV stays Dutch).

overview.py and export.py hold Dutch source texts (marked for the catalogue); the JSON the app reads
passes through in_language on its way out. Names people typed (teams, their own themes) stay as typed;
the standard themes get their name in the reader's language.
"""

from server.i18n import gettext, theme_name
from server.organisation.export import METHOD
from server.organisation.overview import OTHERS, OTHERS_LABEL, PURPOSE, UNKNOWN_THEME, ZONE_LABELS


def in_language(overview: dict) -> dict:
    k = overview["k"]
    others = gettext(OTHERS_LABEL)
    overview["purpose"] = gettext(PURPOSE).format(k=k)
    overview["method"] = [gettext(note).format(k=k, others=others) for note in METHOD]
    for zone in overview["learning_zones"]:
        zone["label"] = gettext(ZONE_LABELS[zone["zone"]])
    for group in overview["teams"]:
        if group["key"] == OTHERS:
            group["label"] = others
    for theme in [*overview["themes"]["items"], *overview["decisions"]["themes_of_the_month"]]:
        label = theme["label"]
        theme["label"] = gettext(UNKNOWN_THEME) if label == UNKNOWN_THEME else theme_name(theme["id"], label)
    return overview
