"""Who is asking, why, and share texts that count the real form (issue #18, resident page)."""

import pytest

from server.extensions import db
from server.models import Organisation, Team
from server.resident.messages import LANGUAGES, MESSAGES, YOUTH
from server.resident.share import parts, plural_category, question_count
from tests.support.factories import add_visit


def test_plural_categories_by_hand():
    assert [plural_category("nl", n) for n in (1, 2, 4)] == ["one", "other", "other"]
    assert [plural_category("pl", n) for n in (1, 2, 4, 5, 12, 22, 25)] == [
        "one",
        "few",
        "few",
        "many",
        "many",
        "few",
        "many",
    ]
    assert [plural_category("uk", n) for n in (1, 3, 7, 11, 21)] == ["one", "few", "many", "many", "one"]
    assert [plural_category("ar", n) for n in (1, 2, 3, 10, 11, 100)] == [
        "one",
        "two",
        "few",
        "few",
        "many",
        "other",
    ]
    assert parts("pl", 4) == "4 krótkie pytania" and parts("pl", 7) == "7 krótkich pytań"
    assert parts("uk", 4) == "4 короткі запитання" and parts("uk", 5) == "5 коротких запитань"
    assert parts("ar", 4) == "4 أسئلة قصيرة" and parts("tr", 7) == "7 kısa soru"
    assert question_count(["serieus", "samen_oplossingen"]) == 4


def test_every_language_has_the_new_texts():
    for lang in LANGUAGES:
        for key in (
            "asked_by",
            "asked_by_team",
            "why",
            "parts",
            "share_text",
            "reshare_text",
            "scan_text",
            "card_sentence",
            "code_title",
            "code_label",
            "code_hint",
            "code_malformed",
            "code_gone",
        ):
            assert MESSAGES[lang].get(key), (lang, key)
        assert "other" in MESSAGES[lang]["parts"]
        assert "{url}" in MESSAGES[lang]["share_text"] and "{team}" in MESSAGES[lang]["share_text"]
    assert "je" in YOUTH["nl"]["share_text"].split() and " u " not in YOUTH["nl"]["share_text"]


@pytest.fixture
def medewerker(app, make_team, make_user, login):
    with app.app_context():
        organisation = Organisation(name="Gemeente Rivierstad")
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    team = make_team("Wijkteam <Oost> & Zuid", organisation_id=organisation_id)
    user = make_user(team, "medewerker")
    visit_id = add_visit(app, user, team)
    return {"team": team, "client": login(user), "visit": visit_id}


def test_share_texts_count_the_real_form_in_the_links_language(app, medewerker):
    client, visit = medewerker["client"], medewerker["visit"]
    body = client.post(f"/api/v1/visits/{visit}/feedback-link", json={}).get_json()
    # The team asks two statements, then the open question and the contact question: four.
    assert body["share_text"] == (
        "Hoe was ons bezoek? Wijkteam <Oost> & Zuid stelt u 4 korte vragen. Het duurt 1 minuut en u hoeft "
        f"uw naam niet te geven: {body['url']}"
    )
    assert body["scan_text"] == "Scan mij — 4 korte vragen over ons bezoek"
    assert body["reshare_text"].startswith(
        "Een herinnering van Wijkteam <Oost> & Zuid: wilt u nog 4 korte vragen"
    )
    assert body["share_title"] == "Hoe was ons bezoek?"
    with app.app_context():
        db.session.get(Team, medewerker["team"]).wmo_items = [
            "serieus",
            "samen_oplossingen",
            "past_bij_vraag",
            "weet_waar_terecht",
            "kwaliteit_leven",
        ]
        db.session.commit()
    polish = client.post(f"/api/v1/visits/{visit}/feedback-link", json={"language": "pl"}).get_json()
    assert "7 krótkich pytań" in polish["share_text"] and polish["share_text"].endswith(polish["url"])
    youth = client.post(f"/api/v1/visits/{visit}/feedback-link", json={"variant": "jeugd"}).get_json()
    assert "stelt je 4 korte vragen" in youth["share_text"] and youth["share_title"] == "Hoe was het gesprek?"


def test_the_page_says_who_is_asking_and_why(app, medewerker):
    client = medewerker["client"]
    body = client.post(f"/api/v1/visits/{medewerker['visit']}/feedback-link", json={}).get_json()
    resident = app.test_client()
    page = resident.get(f"/f/{body['token']}").get_data(as_text=True)
    assert (
        "<bdi>Wijkteam &lt;Oost&gt; &amp; Zuid</bdi> van <bdi>Gemeente Rivierstad</bdi> stelt u deze vragen."
        in page
    )
    assert "Waarom vragen we dit? Zo leren wij wat goed gaat en wat beter kan." in page
    arabic = resident.get(f"/f/{body['token']}?lang=ar").get_data(as_text=True)
    assert "<bdi>Gemeente Rivierstad</bdi>) يطرح عليك هذه الأسئلة." in arabic
    for lang in LANGUAGES:
        assert MESSAGES[lang]["why"] in resident.get(f"/f/{body['token']}?lang={lang}").get_data(as_text=True)
    # A team without a gemeente names only itself.
    with app.app_context():
        db.session.get(Team, medewerker["team"]).organisation_id = None
        db.session.commit()
    page = resident.get(f"/f/{body['token']}?lang=en").get_data(as_text=True)
    assert "<bdi>Wijkteam &lt;Oost&gt; &amp; Zuid</bdi> is asking you these questions." in page


def _luminance(colour: str) -> float:
    if len(colour) == 4:  # #fff
        colour = "#" + "".join(c * 2 for c in colour[1:])
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_faces_differ_in_shape_and_colour_with_enough_contrast():
    import re

    from server.resident import CSS, FACES

    assert len(set(FACES)) == 5
    light, dark = re.findall(r":root\{([^}]*)\}", CSS)
    for scheme in (light, dark):
        colours = dict(re.findall(r"--([\w-]+):(#[0-9a-f]{6}|#[0-9a-f]{3})\b", scheme))
        faces = [colours[f"f{n}"] for n in range(1, 6)]
        assert len(set(faces)) == 5
        for face in faces:
            # WCAG 1.4.11: graphics need 3:1 against what they stand on, also when picked.
            assert _contrast(face, colours["bg"]) >= 3 and _contrast(face, colours["pick"]) >= 3, face
