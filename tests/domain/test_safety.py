"""Safety signals: high precision, negation and hypotheticals respected (no Flask imports)."""

import pytest

from server.themes import SafetySignal, detect_safety_signal


@pytest.mark.parametrize(
    "text,kind",
    [
        (
            "Mw vertelde bij de deur dat haar man haar soms een duw geeft als hij gedronken heeft.",
            "huiselijk-geweld",
        ),
        ("Haar vriend sloeg haar gisteravond, ze had een dikke lip.", "huiselijk-geweld"),
        (
            "Zoon (8) had blauwe plekken op zijn bovenarm, moeder zei dat hij gevallen was.",
            "kindermishandeling",
        ),
        ("Vader slaat de kinderen met een riem als ze niet luisteren.", "kindermishandeling"),
        ("Het meisje vertelde dat haar oom haar heeft verkracht.", "seksueel-geweld"),
        (
            "Vermoeden van financiële uitbuiting van de hoogbejaarde ouders door de zoon.",
            "ouderenmishandeling",
        ),
    ],
)
def test_clear_unsafety_is_signalled(text, kind):
    sig = detect_safety_signal(text)
    assert isinstance(sig, SafetySignal)
    assert sig.kind == kind
    assert sig.matches


@pytest.mark.parametrize(
    "text",
    [
        "Geen signalen van huiselijk geweld, wel veel stress over geld.",
        "Er waren geen signalen van onveiligheid of verwaarlozing.",
        "Huiselijk geweld is uitgesloten, het gaat om een burenruzie.",
        "Morgen een training over de meldcode huiselijk geweld.",
        "Moeder slaat met de deuren als ze boos is.",
        "Vader sloeg de deur dicht en ging weg.",
        "Het was een geweldig gesprek, mw was heel open.",
        "",
    ],
)
def test_negated_hypothetical_or_innocent_text_is_not_signalled(text):
    assert detect_safety_signal(text) is None
