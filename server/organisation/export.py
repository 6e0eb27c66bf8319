"""The CEO export: client-experience items as a CSV in the layout of the yearly Wmo report (pure).

One rectangular table (semicolon-separated, as Dutch spreadsheets expect): a row per unit
(the organisation, then each team or "overige teams" where published) and statement, then the
response row and the method note and purpose as rows of their own, so the note travels with the
figures. Only cells of the protected overview are written; a suppressed cell stays empty.
"""

import csv
import io

from server.marker import N_
from server.organisation.overview import OTHERS_LABEL, PURPOSE

# Our statements and the standard item texts of the Wmo client-experience survey (docs/resident-feedback.md).
CEO_ITEMS = {
    "serieus": ("kwaliteit gesprek", "De medewerker nam mij serieus."),
    "samen_oplossingen": ("kwaliteit gesprek", "De medewerker en ik hebben samen naar oplossingen gezocht."),
    "past_bij_vraag": ("kwaliteit ondersteuning", "De ondersteuning die ik krijg past bij mijn hulpvraag."),
    "weet_waar_terecht": (
        "toegankelijkheid",
        "Ik weet waar ik moet zijn als ik hulp of ondersteuning nodig heb.",
    ),
    "kwaliteit_leven": (
        "effect",
        "Door de ondersteuning die ik krijg heb ik een betere kwaliteit van leven.",
    ),
}
COLUMNS = (
    "organisatie",
    "eenheid",
    "periode",
    "soort",
    "domein",
    "item",
    "stelling_ceo",
    "n",
    "percentage_helemaal_mee_eens",
    "gemiddelde_1_5",
    "onderdrukt",
)
# Dutch source texts ({k}: the k; {others}: the label of the merged small teams).
METHOD = (
    N_(
        "Verzameld met een korte vragenlijst die de inwoner direct na een contact met het wijkteam krijgt "
        "(link of QR-code, zonder account, anoniem). Schaal 1-5; 4 en 5 tellen als (helemaal) mee eens. "
        "Anders dan het jaarlijkse cliëntervaringsonderzoek: per contact gevraagd, niet alleen aan inwoners "
        "met een maatwerkvoorziening."
    ),
    N_(
        "Cijfers onder {k} antwoorden (of van minder dan {k} medewerkers) worden niet getoond; kleine teams "
        "staan samen onder '{others}'."
    ),
)


def _text(value: str) -> str:
    """A name typed by a user (team, gemeente) never becomes a spreadsheet formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _decimal(value: float, places: int) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def export_csv(overview: dict) -> str:
    """The CSV text for one overview (see server.organisation.overview.view)."""
    organisation = _text(overview["organisation"]["name"])
    period = overview["period"]["value"]
    units = [(None, organisation)] + [(group["key"], _text(group["label"])) for group in overview["teams"]]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)

    def cell_of(figures: dict, key: str | None) -> dict:
        return figures["org"] if key is None else figures["teams"][key]

    for key, unit in units:
        for row in overview["residents"]:
            domain, text = CEO_ITEMS.get(row["item"], ("", row["item"]))
            cell = cell_of(row, key)
            if "value" in cell:
                value = cell["value"]
                numbers = [
                    value["n"],
                    _decimal(value["agree_share"] * 100, 0),
                    _decimal(value["mean"], 2),
                    "nee",
                ]
            else:
                numbers = ["", "", "", "ja"]
            writer.writerow([organisation, unit, period, "stelling", domain, row["item"], text, *numbers])
        cell = cell_of(overview["response_rate"], key)
        if "value" in cell:
            value = cell["value"]
            numbers = [value["sent"], _decimal(value["rate"] * 100, 0), "", "nee"]
        else:
            numbers = ["", "", "", "ja"]
        writer.writerow(
            [
                organisation,
                unit,
                period,
                "respons",
                "",
                "respons",
                "Beantwoorde links van alle verstuurde links (n = verstuurd)",
                *numbers,
            ]
        )
    k = overview["k"]
    for note in METHOD:
        text = note.format(k=k, others=OTHERS_LABEL)
        writer.writerow([organisation, organisation, period, "methode", "", "", text, "", "", "", ""])
    writer.writerow(
        [organisation, organisation, period, "doelbinding", "", "", PURPOSE.format(k=k), "", "", "", ""]
    )
    return out.getvalue()
