"""Intervisie methods: the steps a session follows, with their timings. Pure domain data, no Flask.

A step's `collects` names what the facilitator notes during it: open questions, options (richtingen),
the owner and the action, the Beroepscode article, the team's insight.
"""

from dataclasses import dataclass

from server.marker import N_, Texts

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
            N_("Actieleren"),
            N_("Van een vraag uit de praktijk naar één concrete actie."),
            (
                Step(
                    "inbreng",
                    N_("Inbreng"),
                    5,
                    N_("De inbrenger vertelt kort de situatie en de vraag. De anderen luisteren."),
                ),
                Step(
                    "open_vragen",
                    N_("Open vragen"),
                    15,
                    N_("Iedereen stelt open vragen: wat, hoe, waarom. Nog geen adviezen."),
                    "questions",
                ),
                Step(
                    "richtingen",
                    N_("Richtingen"),
                    15,
                    N_("Welke kanten kun je op? Noteer alle richtingen, ook de rare."),
                    "options",
                ),
                Step("actie_eigenaar", N_("Actie-eigenaar"), 5, N_("Wie pakt het op? Eén naam."), "owner"),
                Step(
                    "actie",
                    N_("Actie"),
                    10,
                    N_("Kies één richting en maak er een concrete actie van, met een datum."),
                    "action",
                ),
                Step(
                    "inzicht",
                    N_("Wat leert het team?"),
                    5,
                    N_("Eén zin die het team wil onthouden bij dit thema."),
                    "insight",
                ),
            ),
        ),
        Method(
            "incidentmethode",
            N_("Incidentmethode"),
            N_("Leren van één kort incident: wat deed je, wat zouden anderen doen?"),
            (
                Step(
                    "incident",
                    N_("Het incident"),
                    5,
                    N_("De inbrenger vertelt een kort incident, tot het moment van kiezen."),
                ),
                Step(
                    "informatieve_vragen",
                    N_("Informatieve vragen"),
                    10,
                    N_("Vragen naar feiten die nodig zijn om te kunnen kiezen. Nog geen oordeel."),
                    "questions",
                ),
                Step(
                    "wat_zou_jij_doen",
                    N_("Wat zou jij doen?"),
                    15,
                    N_("Ieder zegt wat hij of zij op dat moment zou doen, en waarom."),
                    "options",
                ),
                Step(
                    "wat_deed_de_inbrenger",
                    N_("Wat deed de inbrenger?"),
                    5,
                    N_("De inbrenger vertelt wat er echt gebeurde."),
                ),
                Step(
                    "actie",
                    N_("Leerpunt en actie"),
                    10,
                    N_("Wat neem je mee? Maak er een actie van met een eigenaar."),
                    "action",
                ),
                Step(
                    "inzicht",
                    N_("Wat leert het team?"),
                    5,
                    N_("Eén zin die het team wil onthouden bij dit thema."),
                    "insight",
                ),
            ),
        ),
        Method(
            "moreel_beraad",
            N_("Moreel beraad"),
            N_("Een ethisch dilemma samen doordenken, met de beroepscode erbij."),
            (
                Step(
                    "dilemma",
                    N_("Casus en dilemma"),
                    10,
                    N_("Wat is de situatie? Formuleer het dilemma: moet ik A of B doen?"),
                ),
                Step(
                    "verheldering",
                    N_("Verhelderende vragen"),
                    10,
                    N_("Vragen om de situatie en het dilemma scherp te krijgen."),
                    "questions",
                ),
                Step(
                    "perspectieven",
                    N_("Perspectieven en waarden"),
                    15,
                    N_("Wie zijn erbij betrokken? Welke waarden en normen spelen voor ieder van hen?"),
                    "options",
                ),
                Step(
                    "beroepscode",
                    N_("Beroepscode"),
                    5,
                    N_(
                        "Welk artikel van de beroepscode gaat hierover? Noem het nummer en "
                        "zeg in eigen woorden waar het over gaat."
                    ),
                    "article",
                ),
                Step(
                    "afweging",
                    N_("Afweging en keuze"),
                    10,
                    N_(
                        "Wat weegt het zwaarst? Wat kies je, en wat doe je om de "
                        "schade van die keuze te beperken?"
                    ),
                    "action",
                ),
                Step(
                    "inzicht",
                    N_("Wat leert het team?"),
                    10,
                    N_("Eén zin die het team wil onthouden bij dit thema."),
                    "insight",
                ),
            ),
        ),
    )
}


def method_body(method: Method, texts: Texts) -> dict:
    """A method as the reader sees it: its words (marked N_ above) in the reader's language."""
    say = texts.gettext
    return {
        "id": method.id,
        "label": say(method.label),
        "purpose": say(method.purpose),
        "minutes": method.minutes,
        "steps": [
            {
                "key": s.key,
                "title": say(s.title),
                "minutes": s.minutes,
                "guide": say(s.guide),
                "collects": s.collects,
            }
            for s in method.steps
        ],
    }


def case_text_from_reflection(deidentified: dict, fields: tuple[str, ...]) -> str:
    """The de-identified answers of a reflection as one readable case text."""
    return "\n".join(
        deidentified.get(field, "").strip() for field in fields if deidentified.get(field, "").strip()
    )
