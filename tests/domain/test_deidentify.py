"""De-identification: canary corpus recall/precision and the behaviours a reader sees.

deduce takes seconds to load, so the whole module shares one Deidentifier (the
process-wide singleton the worker uses too).
"""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.nl import bsn

from server.privacy import Span, cache_dir, deidentify, get_deidentifier, normalise_text, warm_cache

CORPUS = Path(__file__).resolve().parents[1] / "data" / "pii_corpus.jsonl"
PATTERN_CLASSES = ("BSN", "EMAIL", "TELEFOON", "POSTCODE", "IBAN")
INVISIBLE = "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"


@pytest.fixture(scope="module")
def deid():
    return get_deidentifier()


@pytest.fixture(scope="module")
def corpus():
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def outputs(deid, corpus):
    return {item["id"]: deid.deidentify(item["text"]) for item in corpus}


def leaked(value: str, category: str, output: str) -> bool:
    """Does any identifying part of a gold PII value survive in the output?"""
    value = normalise_text(value)
    if category == "PERSOON":
        parts = [p for p in re.findall(r"[^\W\d_]+", value) if len(p) >= 3]
        particles = {"van", "den", "der", "ter", "ten", "het"}
        return any(
            re.search(rf"(?<!\w){re.escape(p)}(?!\w)", output, re.IGNORECASE)
            for p in parts
            if p.lower() not in particles
        )
    digits = re.sub(r"\D", "", value)
    if category in ("BSN", "TELEFOON", "IBAN") and digits:
        return digits[-6:] in re.sub(r"\D", "", output)
    return value.lower() in output.lower()


# --- normalisation ------------------------------------------------------------


def test_normalise_strips_invisible_characters_that_split_names():
    assert (
        normalise_text("Jan\u200bsen en Pie\u202et\u2066 de V\u00adries\ufeff") == "Jansen en Piet de Vries"
    )


def test_normalise_applies_nfkc_and_changes_nothing_else():
    assert normalise_text("０６-１２３４５６７８") == "06-12345678"  # full-width digits
    assert normalise_text("ﬁets") == "fiets"  # ligature
    text = "  Mw  belt\tmorgen.\nDhr NIET! café 👍 مرحبا "
    assert normalise_text(text) == text
    assert normalise_text("") == ""


# --- corpus gates (T6) -----------------------------------------------------------


def test_corpus_has_every_adversarial_kind(corpus):
    texts = " ".join(i["text"] for i in corpus)
    for marker in (".amsterdam", ".info", ".eu", "+32", "+90", "+212", "-jarige", "\u200b"):
        assert marker in texts, marker
    bsns = [p["text"] for i in corpus for p in i["pii"] if p["category"] == "BSN"]
    assert any("." in b for b in bsns) and any(" " in b for b in bsns)
    assert any(len(b) == 8 for b in bsns)


def test_pattern_classes_have_full_recall(corpus, outputs):
    misses = [
        (item["id"], pii["text"])
        for item in corpus
        for pii in item["pii"]
        if pii["category"] in PATTERN_CLASSES and leaked(pii["text"], pii["category"], outputs[item["id"]])
    ]
    total = sum(p["category"] in PATTERN_CLASSES for i in corpus for p in i["pii"])
    assert total >= 150
    assert misses == []


def test_name_recall_is_high(corpus, outputs):
    names = [(i["id"], p["text"]) for i in corpus for p in i["pii"] if p["category"] == "PERSOON"]
    misses = [(iid, name) for iid, name in names if leaked(name, "PERSOON", outputs[iid])]
    recall = 1 - len(misses) / len(names)
    assert recall >= 0.95, misses


def test_addresses_dates_and_ages_mostly_disappear(corpus, outputs):
    for category in ("ADRES", "DATUM", "LEEFTIJD"):
        gold = [(i["id"], p["text"]) for i in corpus for p in i["pii"] if p["category"] == category]
        misses = [g for g in gold if leaked(g[1], category, outputs[g[0]])]
        assert len(misses) <= 0.1 * len(gold), (category, misses)


def test_no_valid_bsn_survives_in_any_output(outputs):
    for output in outputs.values():
        for run in re.findall(r"\d(?:[ .\-]?\d)*", output):
            digits = re.sub(r"\D", "", run)
            windows = [digits[i : i + 9] for i in range(len(digits) - 8)]
            assert not any(bsn.is_valid(w) for w in windows), output


def test_clean_social_work_sentences_come_through_unchanged(corpus, outputs):
    clean = [i for i in corpus if i["kind"] == "clean"]
    changed = [(i["text"], outputs[i["id"]]) for i in clean if outputs[i["id"]] != normalise_text(i["text"])]
    assert len(clean) >= 40
    assert len(changed) <= 0.05 * len(clean), changed


# --- what a reader sees -------------------------------------------------------------


def test_same_person_same_number_and_titles_stay(deid):
    out = deid.deidentify(
        "Ik heb met mw Els Jansen gesproken. Els vond het fijn. Mevrouw Jansen belt terug, "
        "haar buurman dhr de Vries ook."
    )
    assert out == (
        "Ik heb met mw [naam 1] gesproken. [naam 1] vond het fijn. Mevrouw [naam 1] belt terug, "
        "haar buurman dhr [naam 2] ook."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Gesprek met ayse yilmaz over de schulden.",
        "mw el amrani belt morgen terug.",
        "Vader (Mohamed Bouzid) is boos.",
        "Afspraak met Tesfaye Gebremedhin en zijn broer.",
        "De buurvrouw, Oksana Kovalenko, helpt met de boodschappen.",
        "Huisbezoek Irene Smit, ze was blij.",
    ],
)
def test_non_dutch_and_lower_case_names_disappear(deid, text):
    out = deid.deidentify(text)
    assert "[naam 1]" in out
    for name in (
        "ayse",
        "yilmaz",
        "amrani",
        "Bouzid",
        "Mohamed",
        "Tesfaye",
        "Gebremedhin",
        "Oksana",
        "Kovalenko",
        "Irene",
        "Smit",
    ):
        assert name not in out
    # Sentence-initial words are not glued onto the name.
    assert out.split()[0] in text.split()[0] or out.startswith("[")


@pytest.mark.parametrize(
    "phone",
    [
        "06-12345678",
        "06 1234 5678",
        "0612345678",
        "06 12 34 56 78",
        "+31 6 12345678",
        "+31612345678",
        "0031 6 1234 5678",
        "0031612345678",
        "020-1234567",
        "(020) 123 45 67",
        "010 - 123 45 67",
        "0570-123456",
        "+31 (0)20 123 4567",
        "+32 470 12 34 56",
        "+90 532 123 45 67",
        "+212 6 12 34 56 78",
        "0032 470 123456",
    ],
)
def test_phone_notations(deid, phone):
    assert deid.deidentify(f"Bel haar op {phone} na 17 uur.") == "Bel haar op [telefoonnummer] na 17 uur."


@pytest.mark.parametrize("number", ["204816397", "2048.16.397", "204 816 397", "204-816-397", "12345672"])
def test_bsn_notations(deid, number):
    assert bsn.is_valid(re.sub(r"\D", "", number).zfill(9))
    assert deid.deidentify(f"BSN {number} gecheckt.") == "BSN [BSN] gecheckt."


def test_date_that_passes_the_eleven_proof_is_still_a_date(deid):
    assert bsn.is_valid("012031951")
    assert deid.deidentify("Geboren op 12-03-1951.") == "Geboren op [geboortedatum]."
    assert bsn.is_valid("019500105")
    assert deid.deidentify("Geboren 1950-01-05.") == "Geboren [geboortedatum]."


@pytest.mark.parametrize(
    "email", ["j.bakker1978@hotmail.com", "piet@gemeente.amsterdam", "info@buurt.info", "a.b+zorg@mail.eu"]
)
def test_email_with_any_tld(deid, email):
    assert deid.deidentify(f"Mail naar {email} graag.") == "Mail naar [e-mail] graag."


@pytest.mark.parametrize(
    "iban",
    ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91abna0417164300", "DE89 3704 0044 0532 0130 00"],
)
def test_iban(deid, iban):
    assert deid.deidentify(f"Huur gaat van {iban} af.") == "Huur gaat van [IBAN] af."


def test_postcodes_and_addresses(deid):
    out = deid.deidentify(
        "Mw woont op Kerkstraat 12, 1234 AB, haar zus op dorpsweg 3a (1234ab) en hij aan de "
        "Burgemeester de Withstraat 4-II."
    )
    assert out == "Mw woont op [adres], [postcode], haar zus op [adres] ([postcode]) en hij aan de [adres]."


def test_ages_from_90_go_and_keep_their_word(deid):
    assert deid.deidentify("De 93-jarige dhr is gevallen.") == "De [leeftijd]-jarige dhr is gevallen."
    assert (
        deid.deidentify("Meneer (92) woont alleen, al 20 jaar.")
        == "Meneer ([leeftijd]) woont alleen, al 20 jaar."
    )
    assert deid.deidentify("Mw is 101 jaar oud.") == "Mw is [leeftijd] jaar oud."
    # Written out too: deduce reads only digits.
    assert (
        deid.deidentify("mevrouw van negenennegentig woont alleen") == "mevrouw van [leeftijd] woont alleen"
    )
    assert deid.deidentify("Dhr is eenennegentig en valt vaak.") == "Dhr is [leeftijd] en valt vaak."
    assert deid.deidentify("De negentigjarige buurvrouw belde.") == "De [leeftijd]jarige buurvrouw belde."
    assert deid.deidentify("oma wordt honderd in mei") == "oma wordt [leeftijd] in mei"


def test_ages_under_90_stay(deid):
    """Alone they identify nobody and the team needs them (docs/privacy.md)."""
    for text in (
        "De 87-jarige dhr is gevallen.",
        "zoon (15) spijbelt",
        "mw (84) woont alleen",
        "dochter (9) en zoon (12) slapen slecht",
        "hij is 45 jaar oud",
        "ik heb 32 jaar bij de drukkerij gewerkt",
        "mevrouw van zesentachtig woont alleen",
        "de huur is negentig euro hoger",
        "ik heb het wel honderd keer gezegd",
    ):
        assert deid.deidentify(text) == text


def test_first_name_at_sentence_start(deid):
    assert deid.deidentify("Jan belde: zijn broer Ahmed zit in de problemen.") == (
        "[naam 1] belde: zijn broer [naam 2] zit in de problemen."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Overleg met Veilig Thuis en de huisarts gehad.",
        "Dhr was boos, mw bleef rustig.",
        "Uitkering 2 weken te laat, de WW stopte in 2024 en de Wmo-aanvraag loopt.",
        "Het gezin komt uit Eritrea en spreekt Tigrinya.",
        "Boodschappen bij de Albert Heijn gedaan, daarna naar de voedselbank.",
        "Mooi dat ze zelf belde. Pas toen werd het duidelijk.",
        "Hij nam 1500mg paracetamol, zegt hij, om 14.30 uur.",
    ],
)
def test_professional_text_survives(deid, text):
    assert deid.deidentify(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "mw snachts onrustig, dochter belt savonds",
        "clt vlgs dochter erg eenzaam",
        "Vandaag met Clt en Amw gesproken over de schulden.",
        "Overleg met de tl over de Pw uitkering van dhr.",
        "Sochtends komt de thuiszorg, smiddags de dochter.",
        "Gesprek via Google Translate met de buurvrouw.",
        "Tiny house idee van dhr: hij wil niet meer in een flat wonen.",
        "werkt 3 baantjes en komt nog steeds niet rond. working poor",
        "Geoefend met de scaling question: op een schaal van 1 tot 10.",
        "Met de outreach worker langs geweest bij mw.",
    ],
)
def test_field_abbreviations_and_loan_words_are_no_names(deid, text):
    """The classifier's abbreviations (server/field_words.py) and English loan words of field notes
    are words to the de-identifier too."""
    assert deid.deidentify(text) == text


def test_names_that_look_like_field_words_still_go(deid):
    # "Tiny" is a listed first name; after a title a capital is a surname even if it abbreviates.
    assert (
        deid.deidentify("Tiny belde over de huur, mw Ha ook.")
        == "[naam 1] belde over de huur, mw [naam 2] ook."
    )
    assert deid.deidentify("dhr Clt belde") == "dhr [naam 1] belde"


def test_obfuscated_name_cannot_hide(deid):
    out = deid.deidentify("Bij Maar\u200bten Sa\u202elet thuis.")
    assert out == "Bij [naam 1] thuis."


def test_output_is_stable_under_a_second_pass(deid, corpus, outputs):
    # A retried job may de-identify already de-identified text.
    for item in corpus[:60]:
        assert deid.deidentify(outputs[item["id"]]) == outputs[item["id"]]


def test_find_returns_spans_on_the_normalised_text(deid):
    text = "Bel Jan\u200bsen op 06-12345678."
    spans = deid.find(text)
    norm = normalise_text(text)
    assert spans == [Span(4, 10, "PERSOON", "Jansen"), Span(14, 25, "TELEFOON", "06-12345678")]
    assert all(norm[s.start : s.end] == s.text for s in spans)


# --- robustness and process behaviour ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "👨‍👩‍👧 😀😀 🇳🇱",
        "مرحبا، اسمي فاطمة. اتصل بي على 0612345678",
        "\u202eتست\u202c emoji 🙂 met Jan",
        ("Dhr belt. " * 5000) + "Piet Jansen 06-12345678",
        "[[[]]] ((( ))) ... --- @@@ +++ 000000000",
    ],
)
def test_odd_input_never_raises(deid, text):
    out = deid.deidentify(text)
    assert isinstance(out, str)
    assert "0612345678" not in out and "12345678" not in out.replace("[", "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300)
)
def test_arbitrary_text_never_raises(deid, text):
    out = deid.deidentify(text)
    assert isinstance(out, str)
    assert not any(c in out for c in INVISIBLE)


def test_singleton_and_module_level_function(deid):
    assert get_deidentifier() is deid
    assert deidentify("Bel 06-12345678") == "Bel [telefoonnummer]"


def test_cache_lives_in_a_writable_configured_place(deid, monkeypatch, tmp_path):
    assert (warm_cache() / "cache" / "lookup_structs.pickle").is_file()
    monkeypatch.setenv("LEERLUS_DEDUCE_CACHE", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"
    monkeypatch.delenv("LEERLUS_DEDUCE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "leerlus" / "deduce"


def test_loading_deduce_leaves_root_logging_alone():
    # deduce calls logging.basicConfig(DEBUG, stdout) on import; in a fresh process
    # (pytest's own handlers would mask it here) our import must undo that.
    probe = "import logging, sys; {}; r = logging.getLogger(); print(len(r.handlers), r.level)"
    ours = "from server.privacy.deidentify import _import_deduce; _import_deduce()"
    root = Path(__file__).resolve().parents[2]
    run = [sys.executable, "-c"]
    plain = subprocess.run([*run, probe.format("import deduce")], capture_output=True, text=True, cwd=root)
    guarded = subprocess.run([*run, probe.format(ours)], capture_output=True, text=True, cwd=root)
    assert plain.stdout.split() == ["1", str(logging.DEBUG)]  # the problem is real
    assert guarded.stdout.split() == ["0", str(logging.WARNING)]


def test_brackets_around_a_whole_phone_number_stay_balanced(deid):
    assert (
        deid.deidentify("Belde met mw (06-21436587) over de huur.")
        == "Belde met mw ([telefoonnummer]) over de huur."
    )
    assert "[telefoonnummer]" in deid.deidentify("Bel (020) 123 45 67 voor een afspraak.")


# Every text of the demo team, de-identified in a fresh interpreter: its output as JSON on stdout.
DEMO_CORPUS = """
import json
from server.demo.plan import load, pools
from server.privacy import deidentify

texts = [value for pool in pools().values() for item in pool
         for field, value in item.items() if isinstance(value, str) and field not in ("zone",)]
texts += [comment["text"] for comment in load("feedback.json")["comments"]]
print(json.dumps([deidentify(text) for text in texts], ensure_ascii=False))
"""


def test_output_is_a_pure_function_of_the_text_across_processes():
    """The same text gives the same de-identified text in any process: a name that one worker
    removes is never left by another (different hash seeds, a fresh deduce each time)."""
    root = Path(__file__).resolve().parents[2]
    outputs = [
        subprocess.run(
            [sys.executable, "-c", DEMO_CORPUS],
            capture_output=True,
            text=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            timeout=900,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    texts = json.loads(outputs[0])
    assert len(texts) > 100
    # The colleagues' first names in the demo texts ("Bij Jeroen navragen") are gone in every run.
    from server.demo.plan import load

    first_names = {account["display_name"].split()[0] for account in load("team.json")["accounts"]}
    assert {"Jeroen", "Fatma"} <= first_names
    assert [text for text in texts if set(re.findall(r"\w+", text)) & first_names] == []


# --- policy of docs/privacy.md: small named institutions go, what the team needs stays ----------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoon zit op basisschool De Springplank in groep 6.", "Zoon zit op [school] in groep 6."),
        (
            "De juf van De Regenboog belde over zijn gedrag.",
            "De juf van [instelling] belde over zijn gedrag.",
        ),
        (
            "Verwezen door praktijk Oosterpoort, de POH kent mw goed.",
            "Verwezen door [praktijk], de POH kent mw goed.",
        ),
        ("Ze zit in de tweede klas van het Erasmus Lyceum.", "Ze zit in de tweede klas van [school]."),
        ("dochter gaat naar kinderdagverblijf 't Kabouterhuis", "dochter gaat naar [school]"),
        (
            "Via huisartsenpraktijk De Linde aangemeld, geboren op 3-4-1961.",
            "Via [huisarts] aangemeld, geboren op [geboortedatum].",
        ),
    ],
)
def test_named_schools_and_practices_near_a_person_go(deid, text, expected):
    assert deid.deidentify(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Gezin uit Eritrea, moeder spreekt Tigrinya en een beetje Engels.",
        "Mw (84) woont al 30 jaar in de wijk, haar zoon (15) spijbelt.",
        "De Poolse buurvrouw helpt, ze zijn van Syrische afkomst.",
        "Samen met de huisarts, de school en Veilig Thuis een plan gemaakt.",
        "Het Werkplein geeft geen ontheffing; morgen bellen met de Voedselbank en het Juridisch Loket.",
        "Ik heb Buurtbemiddeling ingeschakeld in plaats van zelf te bemiddelen.",
        "Hij zit al 2 jaar op de wachtlijst bij de GGZ en gaat naar de AA-groep.",
        "Moeder vertelde dat de oudste niet meer naar school gaat.",
        "In de Vogelbuurt is de overlast minder sinds de wijkagent langskomt.",
    ],
)
def test_what_the_team_needs_stays(deid, text):
    assert deid.deidentify(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Lama vertelde over haar vlucht, ik heb alleen geluisterd.", "Lama"),
        ("Nadia (geb. 3 april 1990) werkt in de kas.", "Nadia"),
        ("Tesfalem (17) zit thuis zonder school.", "Tesfalem"),
        ("zoon Mykola (8) zit in groep 5.", "Mykola"),
        ("mw Van der Berg-Oudshoorn wil alles zelf regelen.", "Oudshoorn"),
    ],
)
def test_rare_and_sentence_initial_names_go(deid, text, name):
    assert name not in deid.deidentify(text)


@pytest.mark.parametrize(
    "text",
    [
        "the lady was very kind and she listened to me, but I still dont know what happens next",
        "borçlarım için yardım istedim ama hala bir şey olmadı, çok bekliyorum",
        "dzwoniłem parę razy i nikt nie oddzwonił",
        "Дуже дякую, пані все пояснила, тепер знаю куди йти",
        "الله يخليها، سمعتني وما حكمت علي",
    ],
)
def test_resident_comments_in_other_languages_are_not_redacted_as_names(deid, text):
    assert deid.deidentify(text) == text


def test_names_in_other_languages_still_go(deid):
    out = deid.deidentify("Thank you Marieke Bosman, she explained everything about the letters.")
    assert "Marieke" not in out and "Bosman" not in out and "explained everything" in out
    assert "Fatima" not in deid.deidentify("Fatima bana çok yardım etti, teşekkürler")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("الأستاذة فاطمة كانت لطيفة جدا", ["فاطمة"]),  # after a title of address
        ("شكرا لمحمد من فريق الحي، ساعدني كثير", ["محمد"]),  # a listed name with its prefix
        ("السيدة نور ساعدتني بالرسائل", ["نور"]),  # a name that is a word, after a title
        ("shukran l Khadija, 3awntni bzaf", ["Khadija"]),  # arabizi
        ("Пані Олена дуже допомогла, дякую", ["Олена"]),
        ("Mehmet Bey telefonu açmıyor", ["Mehmet"]),
        ("the lady Jessica was very kind, my son goes to school De Springplank", ["Jessica", "Springplank"]),
        ("Ik ben Ayaan en mijn zoon zit op De Regenboog", ["Ayaan", "Regenboog"]),
    ],
)
def test_names_in_resident_comments_in_every_language_go(deid, text, names):
    out = deid.deidentify(text)
    assert not [name for name in names if name in out], out


@pytest.mark.parametrize(
    "text",
    [
        "Hollandaca bilmiyorum, Türkçe konuşan biri gelsin",  # languages stay (policy)
        "İngilizce konuşan tercüman istedim",
        "نور البيت رجع بعد ما صلحوا الكهرباء",  # "نور" (light) without a title is a word
        "Ми з України, живемо в Нідерландах два роки",
    ],
)
def test_languages_countries_and_word_names_stay_in_resident_comments(deid, text):
    assert deid.deidentify(text) == text


def test_ik_ben_keeps_its_verb(deid):
    # "ben" is also an Arabic name particle ("Mohamed ben Ali"); after "Ik" it is the verb.
    assert deid.deidentify("Ik ben Ayaan, ik woon hier") == "Ik ben [naam 1], ik woon hier"
    assert "ben" not in deid.deidentify("gesprek met Mohamed ben Ali over de huur")


def test_deidentification_is_a_function_of_the_text(deid):
    text = "Olena (geb. 14-03-1986) en zoon Bohdan zitten op obs De Piramide, belt 06-12345678."
    first = deid.deidentify(text)
    assert all(deid.deidentify(text) == first for _ in range(3))
    assert deid.deidentify(first) == first


# --- issue #16: the corpus leaks ("Knappe", "daan van de klashorst", "Matthias 's Gravensande"), other
# examples of the same kinds --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # rare and non-Dutch names inside a sentence
        ("Afspraak met Oluwaseun Adeyemi over de huurachterstand.", ["Oluwaseun", "Adeyemi"]),
        (
            "Bij mw Nguyen Thi Hoa thuis, de buurman Siddharth Venkataraman tolkt.",
            ["Nguyen", "Hoa", "Siddharth"],
        ),
        ("De oudste, Ngozi Okonkwo, zit in de brugklas.", ["Ngozi", "Okonkwo"]),
        # lower-case names with tussenvoegsels
        ("gesprek met sanne van der meulen over haar schulden.", ["sanne", "meulen"]),
        ("huisbezoek bij thijs ter haar, hij was somber.", ["thijs", "ter haar"]),
        ("bellen met femke van 't veld en lieke ten brinke.", ["femke", "veld", "lieke", "brinke"]),
        ("dhr van der veen wil hulp bij de formulieren.", ["veen"]),
        # apostrophe prefixes
        (
            "Willemijn 's Jacob en Rutger ’t Hart kwamen samen langs.",
            ["Willemijn", "Jacob", "'s", "’t", "[naam 3]"],  # two people, not four; no particle left
        ),
        ("Brief van mw 's Gravendijk over de energierekening.", ["Gravendijk", "'s"]),
        # names that are also words, after a title
        ("Gesproken met mevr. Mooi, zij wil hulp bij de post.", ["Mooi"]),
        (
            "dhr. Koster belde over de huur. Meneer Kok wil geen hulp, mevrouw De Wit wel.",
            ["Koster", "Kok", "Wit"],
        ),
        ("Daarna met mw Zwart gebeld over de energietoeslag.", ["Zwart"]),
        # ... and not listed as names at all (these leaked before)
        ("Brief gestuurd naar dhr. Blijde, de huur is te hoog.", ["Blijde"]),
        ("Daarna mw Dapper gebeld over de huur.", ["Dapper"]),
        ("Gesproken met mevr. Lieflijk.", ["Lieflijk"]),
    ],
)
def test_names_of_the_kinds_that_leaked_on_the_corpus_go(deid, text, names):
    out = deid.deidentify(text)
    assert "[naam 1]" in out
    for name in names:
        assert name not in out, (name, out)


def test_the_same_person_keeps_the_same_number_across_particles(deid):
    out = deid.deidentify("Bij daan van de klashorst thuis. Later belde hij, en daan nog, daarna mw Zwart.")
    assert out == "Bij [naam 1] thuis. Later belde hij, en [naam 1] nog, daarna mw [naam 2]."


@pytest.mark.parametrize(
    "text",
    [
        "Mw stil en teruggetrokken, dhr boos.",
        "'s Avonds belt ze, 's ochtends niet. Het was half tien 's ochtends.",
        "Gesprek met dhr. Professionele hulp is nodig.",
        "Met dhr. Daarna de school gebeld.",
        "Het kwam ter sprake, ten slotte ter info doorgestuurd.",
        "Met mark van de week gepraat, roos van de buurvrouw staat in de tuin.",
        "Moeder en de kinderen van de buren spelen buiten.",
        "Mevrouw zit al 2 jaar in de schuldhulp, meneer (62) werkt bij de Jumbo.",
        "mw van de gemeente belde, dhr van het wijkteam ook.",
    ],
)
def test_words_around_titles_and_particles_stay(deid, text):
    assert deid.deidentify(text) == text


# --- round 4 of #16: gaps of the held-out set's kinds (examples of their own, not its texts) ------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Adaeze kwam vandaag niet opdagen bij de afspraak.", ["Adaeze"]),  # before a finite verb
        ("Bolat heeft zijn papieren bij de gemeente ingeleverd.", ["Bolat"]),
        ("Ifeoma wil een andere woning, de huidige is te klein.", ["Ifeoma"]),
        # a name found once is caught in lower case too
        ("Gesprek met Nomvula over de huur. Later betaalde nomvula het zelf.", ["Nomvula", "nomvula"]),
        ("thanks to obinna for helping with the letters", ["obinna"]),  # English: after a cue
        ("my neighbour babatunde brings soup every week", ["babatunde"]),
        ("zehra hanım çok yardımcı oldu, teşekkürler", ["zehra"]),  # Turkish title after the name
    ],
)
def test_rare_names_opening_a_sentence_and_lower_case_names_in_comments_go(deid, text, names):
    out = deid.deidentify(text)
    assert not [name for name in names if re.search(rf"\b{name}\b", out)], out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mail graag naar k.dejong12 at ziggo punt nl voor het verslag.",
            "Mail graag naar [e-mail] voor het verslag.",
        ),
        ("Zijn adres is jan.smit(at)gmail(dot)com zei hij.", "Zijn adres is [e-mail] zei hij."),
        ("stuur het naar info @ buurtteam . nl", "stuur het naar [e-mail]"),
    ],
)
def test_spelled_out_email_addresses_go(deid, text, expected):
    assert deid.deidentify(text) == expected


@pytest.mark.parametrize(
    ("stays", "name_goes"),
    [
        # compounds and adverbs that open a sentence before a verb; a rare name in their place goes
        ("Klantmanager heeft de aanvraag goedgekeurd.", "Chiamaka heeft de aanvraag goedgekeurd."),
        ("Schuldhulpmaatje kwam ook mee naar het gesprek.", "Tsegaye kwam ook mee naar het gesprek."),
        ("Buurtsportcoach wil de jongens laten voetballen.", "Dauletbek wil de jongens laten voetballen."),
        ("Achteraf had ik meer moeten doorvragen.", "Oyelaran had meer moeten doorvragen."),
        ("Tegenwoordig heeft hij meer rust.", "Nyambura heeft meer rust."),
        # a word simplemma's dictionary lacks, after a title; a name there goes
        (
            "Ik wil mw desnoods helpen met vrijwilligerswerk.",
            "Ik wil mw Ogunleye helpen met vrijwilligerswerk.",
        ),
        # English words and spellings in English comments; a name after the same cue goes
        ("my neighbours dont care about the noise", "my neighbour kwabena doesnt care about the noise"),
        (
            "Everything was fine, the meeting helped a lot",
            "Everything was fine, the meeting helped a lot, thanks to wanjiru",
        ),
        ("she listened and didnt judge me", "thanks to tendai, she listened and didnt judge me"),
        ("bu hanım çok iyiydi", "gülsüm hanım çok iyiydi"),
        ("I was at home, not at the office. Come to the centre.", "write to p.appiah at live dot nl"),
    ],
)
def test_words_that_look_like_new_names_stay(deid, stays, name_goes):
    assert deid.deidentify(stays) == stays
    assert "[" in deid.deidentify(name_goes)


# --- round 5 of #16: given names of the world (nomquamgender), examples of their own -------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a given name no dictionary knows, opening a sentence before a word that is no verb
        ("Mulugeta samen met zijn broer naar het loket geweest.", ["Mulugeta"]),
        ("Svitlana daarna nog gebeld over de huurachterstand.", ["Svitlana"]),
        ("Zoryana vandaag voor het eerst alleen naar de taalles.", ["Zoryana"]),
        # before a finite verb, although it splits into two Dutch words (kid-ist, mek-des)
        ("Kidist heeft de brief van de belasting niet begrepen.", ["Kidist"]),
        ("Mekdes weet niet waar ze de aanvraag moet doen.", ["Mekdes"]),
        # opening an English comment
        ("Chukwuemeka from the food bank helped us a lot", ["Chukwuemeka"]),
        ("Tewodros explained everything twice, very patient", ["Tewodros"]),
        # a lower-case first name that the dictionary knows only as a name
        ("vanmiddag met arie de formulieren ingevuld", ["arie"]),
        ("wim belde terug, hij wil toch hulp", ["wim"]),
        # Polish comments: a declined given name after pan/pani
        ("dziękuję bardzo pani agnieszce za cierpliwość", ["agnieszce"]),
        ("rozmawiałam z panem tomaszem o czynszu i było dobrze", ["tomaszem"]),
        ("pani oldze i panu krzysztofowi bardzo dziękuję", ["oldze", "krzysztofowi"]),
    ],
)
def test_given_names_of_the_world_go(deid, text, names):
    out = deid.deidentify(text)
    assert not [name for name in names if re.search(rf"\b{name}\b", out)], out


@pytest.mark.parametrize(
    ("stays", "name_goes"),
    [
        # a compound the dictionaries lack opens the sentence; a given name in its place goes
        ("Buurtsportcoach samen met de jongens gevoetbald.", "Chukwudi samen met de jongens gevoetbald."),
        ("Jongerenwerk daarna gebeld over de overlast.", "Yordanos daarna gebeld over de overlast."),
        # languages, nationalities and dates stay in lower case; a name there goes
        ("ik spreek frans met de buurvrouw", "ik spreek frans met karel"),
        ("een thai en een deen in de groep", "een thai en een deen en hans in de groep"),
        ("op 15 jan is de zitting bij de rechter", "op 15 jan belt willem de rechter"),
        # Polish words after pan/pani (also the polite "you") stay; a declined name goes
        ("pani się zgodziła i była bardzo miła", "pani ewie dziękuję, była bardzo miła"),
        ("dla pani mamy też dziękuję", "dla pani ewy też dziękuję"),
        ("pani sama to zrobiła, pan ma rację", "pana piotra nie było, pan ma rację"),
    ],
)
def test_words_stay_where_given_names_go(deid, stays, name_goes):
    assert deid.deidentify(stays) == stays
    assert "[" in deid.deidentify(name_goes)


# --- batch6 of the theme corpus (texts without personal data): over-redactions and their causes ---


@pytest.mark.parametrize(
    ("stays", "name_goes", "names"),
    [
        # a first name + particle does not reach across a sentence end or onto a service compound
        (
            "Ze heeft drie kinderen en een baan. de mantelzorg weegt zwaar.",
            "Ze heeft een baan. kees de vries helpt haar.",
            ["kees", "vries"],
        ),
        (
            "hij koos de dierenopvang, dat past beter bij hem",
            "hij belde kees de vries, dat past beter bij hem",
            ["kees", "vries"],
        ),
        # two misspelt words in a row are no name pair; two unknown names are
        (
            "ik snap nog steets nie wat ik moet doen",
            "ik snap nog niet wat oksana kovalenko moet doen",
            ["oksana", "kovalenko"],
        ),
        ("ze heeft het heel duidluk uitgeleg", "ze heeft het met ayse yilmaz uitgelegd", ["ayse", "yilmaz"]),
        ("zsm afspr maken met schuldhulp", "zsm afspr maken met mw Bouzid", ["Bouzid"]),
        # after a title and a particle: a numeral, a frequent word, a service compound stay
        ("Net bij mevrouw van zesentachtig geweest.", "Net bij mevrouw van Dijk geweest.", ["Dijk"]),
        ("Meneer van hiernaast komt elke week.", "Meneer van Bommel komt elke week.", ["Bommel"]),
        ("samen met dhr de verslavingszorg gebeld", "samen met dhr de vries gebeld", ["vries"]),
        ("mw vd flat achter de kerk kwam ook", "mw vd berg achter de kerk kwam ook", ["berg"]),
        # an adverb before a verb of speaking with a title as its subject; a name there goes
        ("Vandaag zei mevrouw dat het beter gaat.", "Lama vertelde dat het beter gaat.", ["Lama"]),
        # brands, a former colony, a river, a law, a national register
        (
            "Hij bouwt kastelen in Minecraft en maakte een Excel van zijn uitgaven.",
            "Hij bouwt kastelen met Kwabena.",
            ["Kwabena"],
        ),
        (
            "Ze groeide op in Indië en voer later op de Rijn.",
            "Ze groeide op bij Tsegaye Abebe.",
            ["Tsegaye", "Abebe"],
        ),
        ("Hij werkt bij de McDonald's.", "Hij werkt bij Oluwaseun.", ["Oluwaseun"]),
        (
            "In de bijstand mag mevrouw van de Participatiewet maar beperkt bijverdienen.",
            "Gisteren mag mevrouw van de Berg maar beperkt bijverdienen.",
            ["Berg"],
        ),
        ("Hij laat zich inschrijven in het Cruks-register.", "Zoon zit op de Springplank.", ["Springplank"]),
    ],
)
def test_batch6_words_stay_where_names_go(deid, stays, name_goes, names):
    assert deid.deidentify(stays) == stays
    out = deid.deidentify(name_goes)
    assert not [name for name in names if re.search(rf"\b{re.escape(name)}\b", out)], out
