"""Intervisie methods: the steps a session follows, with their timings. Pure domain data, no Flask.

A step's `collects` names what the facilitator notes during it: open questions, options (richtingen),
the owner and the action, the Beroepscode article, the team's insight.
"""

from dataclasses import dataclass

# The edition a moreel beraad refers to. The code has numbered articles; the group names the one
# at stake by number and in its own words (the full text is the BPSW's, not ours to ship).
BEROEPSCODE = "Beroepscode voor professionals in sociaal werk (BPSW, geldig vanaf 1 januari 2022)"
BEROEPSCODE_ARTICLES = 29


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    minutes: int
    guide: str
    collects: str | None = None


@dataclass(frozen=True)
class Method:
    id: str
    label: str
    purpose: str
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


METHODS = {
    method.id: method
    for method in (
        Method(
            "actieleren",
            "Actieleren",
            "Van een vraag uit de praktijk naar één concrete actie.",
            (
                Step(
                    "inbreng",
                    "Inbreng",
                    5,
                    "De inbrenger vertelt kort de situatie en de vraag. De anderen luisteren.",
                ),
                Step(
                    "open_vragen",
                    "Open vragen",
                    15,
                    "Iedereen stelt open vragen: wat, hoe, waarom. Nog geen adviezen.",
                    "questions",
                ),
                Step(
                    "richtingen",
                    "Richtingen",
                    15,
                    "Welke kanten kun je op? Noteer alle richtingen, ook de rare.",
                    "options",
                ),
                Step("actie_eigenaar", "Actie-eigenaar", 5, "Wie pakt het op? Eén naam.", "owner"),
                Step(
                    "actie",
                    "Actie",
                    10,
                    "Kies één richting en maak er een concrete actie van, met een datum.",
                    "action",
                ),
                Step(
                    "inzicht",
                    "Wat leert het team?",
                    5,
                    "Eén zin die het team wil onthouden bij dit thema.",
                    "insight",
                ),
            ),
        ),
        Method(
            "incidentmethode",
            "Incidentmethode",
            "Leren van één kort incident: wat deed je, wat zouden anderen doen?",
            (
                Step(
                    "incident",
                    "Het incident",
                    5,
                    "De inbrenger vertelt een kort incident, tot het moment van kiezen.",
                ),
                Step(
                    "informatieve_vragen",
                    "Informatieve vragen",
                    10,
                    "Vragen naar feiten die nodig zijn om te kunnen kiezen. Nog geen oordeel.",
                    "questions",
                ),
                Step(
                    "wat_zou_jij_doen",
                    "Wat zou jij doen?",
                    15,
                    "Ieder zegt wat hij of zij op dat moment zou doen, en waarom.",
                    "options",
                ),
                Step(
                    "wat_deed_de_inbrenger",
                    "Wat deed de inbrenger?",
                    5,
                    "De inbrenger vertelt wat er echt gebeurde.",
                ),
                Step(
                    "actie",
                    "Leerpunt en actie",
                    10,
                    "Wat neem je mee? Maak er een actie van met een eigenaar.",
                    "action",
                ),
                Step(
                    "inzicht",
                    "Wat leert het team?",
                    5,
                    "Eén zin die het team wil onthouden bij dit thema.",
                    "insight",
                ),
            ),
        ),
        Method(
            "moreel_beraad",
            "Moreel beraad",
            "Een ethisch dilemma samen doordenken, met de beroepscode erbij.",
            (
                Step(
                    "dilemma",
                    "Casus en dilemma",
                    10,
                    "Wat is de situatie? Formuleer het dilemma: moet ik A of B doen?",
                ),
                Step(
                    "verheldering",
                    "Verhelderende vragen",
                    10,
                    "Vragen om de situatie en het dilemma scherp te krijgen.",
                    "questions",
                ),
                Step(
                    "perspectieven",
                    "Perspectieven en waarden",
                    15,
                    "Wie zijn erbij betrokken? Welke waarden en normen spelen voor ieder van hen?",
                    "options",
                ),
                Step(
                    "beroepscode",
                    "Beroepscode",
                    5,
                    "Welk artikel van de beroepscode gaat hierover? Noem het nummer en "
                    "zeg in eigen woorden waar het over gaat.",
                    "article",
                ),
                Step(
                    "afweging",
                    "Afweging en keuze",
                    10,
                    "Wat weegt het zwaarst? Wat kies je, en wat doe je om de "
                    "schade van die keuze te beperken?",
                    "action",
                ),
                Step(
                    "inzicht",
                    "Wat leert het team?",
                    10,
                    "Eén zin die het team wil onthouden bij dit thema.",
                    "insight",
                ),
            ),
        ),
    )
}


def method_body(method: Method) -> dict:
    return {
        "id": method.id,
        "label": method.label,
        "purpose": method.purpose,
        "minutes": method.minutes,
        "steps": [
            {"key": s.key, "title": s.title, "minutes": s.minutes, "guide": s.guide, "collects": s.collects}
            for s in method.steps
        ],
    }


def case_text_from_reflection(deidentified: dict, fields: tuple[str, ...]) -> str:
    """The de-identified answers of a reflection as one readable case text."""
    return "\n".join(
        deidentified.get(field, "").strip() for field in fields if deidentified.get(field, "").strip()
    )
