"""The Dutch placeholders of de-identified text and the code that reads them (docs/deidentification.md)."""

import pytest

from server.digest.board import QUOTE_LENGTH as BOARD_QUOTE_LENGTH
from server.digest.board import _shorten as board_shorten
from server.digest.builder import QUOTE_LENGTH
from server.digest.builder import _shorten as digest_shorten
from server.privacy.placeholders import PLACEHOLDER_RE, placeholder, shorten, without_placeholders
from server.services.reflections import visible_matches


def test_every_category_reads_as_dutch():
    assert placeholder("PERSOON", 2) == "[naam 2]"
    assert [placeholder(c) for c in ("SCHOOL", "ADRES", "TELEFOON", "EMAIL", "BSN", "IBAN")] == [
        "[school]",
        "[adres]",
        "[telefoonnummer]",
        "[e-mail]",
        "[BSN]",
        "[IBAN]",
    ]
    # Every placeholder the de-identifier can write is recognised as one.
    for category in ("PERSOON", "TELEFOON", "EMAIL", "URL", "POSTCODE", "DATUM", "GEBOORTEDATUM"):
        assert PLACEHOLDER_RE.fullmatch(placeholder(category, 7))
    for category in ("LEEFTIJD", "NUMMER", "SCHOOL", "PRAKTIJK", "HUISARTS", "INSTELLING"):
        assert PLACEHOLDER_RE.fullmatch(placeholder(category))


@pytest.mark.parametrize("text", ["[naam 12]", "[huisarts]", "[PERSOON-3]", "[TELEFOON]"])
def test_new_and_stored_old_placeholders_are_recognised(text):
    assert without_placeholders(f"bij {text} thuis") == "bij   thuis"


@pytest.mark.parametrize("text", ["[naam]", "[Naam 1]", "[schoolplein]", "[x]", "[1]"])
def test_brackets_that_are_no_placeholder_stay(text):
    assert without_placeholders(text) == text


@pytest.mark.parametrize("cut", range(0, 12))
def test_shortening_never_cuts_a_placeholder_in_half(cut):
    limit = 40
    text = "x" * (limit - 8 - cut) + " [naam 1] en [naam 2] gingen samen naar de wijkagent."
    out = shorten(text, limit)
    assert out.endswith(" …") and len(out) <= limit + 2
    body = out.removesuffix(" …")
    assert body.count("[") == body.count("]") == len(PLACEHOLDER_RE.findall(body))
    assert not body.endswith("[naam")


@pytest.mark.parametrize(
    ("cut_by", "limit"), [(digest_shorten, QUOTE_LENGTH), (board_shorten, BOARD_QUOTE_LENGTH)]
)
def test_digest_and_board_quotes_keep_placeholders_whole(cut_by, limit):
    text = "a" * (limit - 4) + " [naam 1] belde."
    assert cut_by(text) == "a" * (limit - 4) + " …"
    assert cut_by("Bij  [naam 1]\nthuis.") == "Bij [naam 1] thuis."


def test_matched_words_inside_a_placeholder_are_not_shown():
    shown = "Zoon zit op [school], [naam 1] belde de huisarts."
    assert visible_matches(["school", "naam", "huisarts", "belde de"], shown) == ["huisarts", "belde de"]
    assert visible_matches(
        ["persoon", "telefoon", "bellen"], "Bel [PERSOON-1] op [TELEFOON] om te bellen."
    ) == ["bellen"]
