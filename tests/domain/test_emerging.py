"""Emerging signals: rising terms across distinct authors that no theme covers."""

import pytest

from server.themes.emerging import EmergingSignal, emerging_signals, stem_word

FILLER = [
    "Huisbezoek gedaan, mw was moe en de post lag nog dicht.",
    "Gesprek over de schulden, samen een overzicht gemaakt.",
    "Moeder maakt zich zorgen over school, volgende week weer langs.",
    "Dhr wil geen hulp maar de buren maken zich zorgen.",
]


def week(*texts_by_author: tuple[str, str]) -> list[tuple[str, str]]:
    return list(texts_by_author)


def quiet_weeks(n: int = 4) -> list[list[tuple[str, str]]]:
    return [[(f"a{i}", FILLER[i % len(FILLER)]) for i in range(6)] for _ in range(n)]


def terms(signals: list[EmergingSignal]) -> list[str]:
    return [s.term for s in signals]


def test_new_regulation_mentioned_by_four_authors_emerges():
    current = [
        ("a1", "Mw wist niet dat ze energietoeslag kon aanvragen."),
        ("a2", "Samen de energietoeslag aangevraagd via de site van de gemeente."),
        ("a3", "De energietoeslagen zijn dit jaar later uitbetaald."),
        ("a4", "Dhr vroeg naar de energietoeslag, hij had de brief gemist."),
        ("a5", FILLER[0]),
    ]
    signals = emerging_signals(current, quiet_weeks(), k=3)
    assert signals[0] == EmergingSignal(
        term="energietoeslag", stem=stem_word("energietoeslag"), authors=4, previous_mean=0.0, examples=4
    )
    # Everyday words that every week has do not rise.
    assert not {"huisbezoek", "schulden", "zorgen", "gemeente"} & set(terms(signals))


def test_one_author_repeating_a_word_is_no_signal():
    current = [("a1", "kwijtschelding " * 10)] + [(f"a{i}", FILLER[i % 4]) for i in range(2, 6)]
    assert "kwijtschelding" not in terms(emerging_signals(current, quiet_weeks(), k=3))


def test_below_k_authors_is_no_signal_and_k_is_respected():
    current = [("a1", "Wachtlijst voor de taalcoach."), ("a2", "Taalcoach gevonden.")]
    assert emerging_signals(current, quiet_weeks(), k=3) == []
    assert "taalcoach" in terms(emerging_signals(current, quiet_weeks(), k=2))


def test_rising_is_measured_against_the_previous_mean():
    def weeks_with(authors_per_week: list[int]) -> list[list[tuple[str, str]]]:
        return [[(f"p{i}", "Weer over de wachtlijst gepraat.") for i in range(n)] for n in authors_per_week]

    current = [(f"c{i}", "Weer over de wachtlijst gepraat.") for i in range(3)]
    # Mean 1 author per week -> 3 is a clear rise (>= 2x and +2).
    assert "wachtlijst" in terms(emerging_signals(current, weeks_with([1, 1, 1, 1]), k=3))
    # Mean 2 -> 3 is ordinary variation.
    assert emerging_signals(current, weeks_with([2, 2, 2, 2]), k=3) == []
    # Weeks without texts count as zero: mean (4+0+0+0)/4 = 1.
    signals = emerging_signals(current, weeks_with([4, 0, 0, 0]), k=3, limit=10)
    assert [s.previous_mean for s in signals if s.term == "wachtlijst"] == [1.0]


def test_known_theme_terms_are_left_to_the_classifier():
    current = [(f"a{i}", "Weer een energietoeslag aanvraag.") for i in range(4)]
    known = {stem_word("energietoeslag")}
    signals = emerging_signals(current, quiet_weeks(), k=3, is_known_term=lambda s: s in known)
    assert not any("energietoeslag" in s.term for s in signals)
    assert terms(signals) == ["aanvraag"]


@pytest.mark.parametrize(
    ("person", "address", "phone"),
    [
        ("[naam {i}]", "[adres]", "[telefoonnummer]"),
        # Stored before the Dutch placeholders: still recognised.
        ("[PERSOON-{i}]", "[ADRES]", "[TELEFOON]"),
    ],
)
def test_deidentification_tags_and_stop_words_never_emerge(person, address, phone):
    current = [
        (f"a{i}", f"Bij {person.format(i=i)} en {address} geweest, {phone} doorgegeven aan de mw.")
        for i in range(5)
    ]
    found = " ".join(terms(emerging_signals(current, quiet_weeks(), k=3, limit=20)))
    for word in ("naam", "persoon", "adres", "telefoon", "telefoonnummer", "mw", "de", "aan", "bij"):
        assert word not in found.split()
    # A tag ends a phrase: "geweest doorgegeven" is not a phrase.
    assert "geweest doorgegeven" not in found


def test_new_combination_of_familiar_words_emerges_as_a_phrase():
    previous = [
        [
            (f"p{i}", "De digitale aanvraag bleek lastig." if i % 2 else "Nieuwe regeling besproken.")
            for i in range(8)
        ]
        for _ in range(4)
    ]
    # Still 4 authors a week write "digitale" and 4 write "regeling", but now together.
    current = [(f"a{i}", "Uitleg over de digitale regeling gegeven.") for i in range(4)]
    signals = emerging_signals(current, previous, k=3)
    assert "digitale regeling" in terms(signals)
    assert "digitale" not in terms(signals) and "regeling" not in terms(signals)


def test_phrase_is_dropped_when_its_word_emerges_alone():
    current = [(f"a{i}", "Kwijtschelding waterschap aangevraagd.") for i in range(4)]
    found = terms(emerging_signals(current, quiet_weeks(), k=3, limit=10))
    assert "kwijtschelding" in found and "waterschap" in found
    assert "kwijtschelding waterschap" not in found


def test_strongest_rise_first_and_limit():
    previous = [[(f"p{i}", "Over de wachtlijst.") for i in range(2)] for _ in range(4)]
    current = [(f"a{i}", "Wachtlijst en taalcoach, ook mantelzorgwoning.") for i in range(6)]
    current += [(f"b{i}", "Taalcoach") for i in range(2)]
    signals = emerging_signals(current, previous, k=3, limit=2)
    assert len(signals) == 2
    # taalcoach: 8 authors from 0; mantelzorgwoning: 6 from 0; wachtlijst: 6 from 2.
    assert terms(signals) == ["taalcoach", "mantelzorgwoning"]


def test_empty_input():
    assert emerging_signals([], [], k=3) == []
    assert emerging_signals([("a1", "")], [[]], k=1) == []
