"""Which international given-name list should the name rules consult? (issue #16, round 5)

    pip download --no-deps -d /tmp/given-name-wheels names-dataset==3.3.1 gender-guesser==0.4.0 \
        faker==40.63.0 nomquamgender==0.1.4
    .venv/bin/python bench/given_names.py --wheels /tmp/given-name-wheels

For each candidate list: how many names of an independent list written by hand for this round (below,
not taken from the held-out or tune sets) and of the held-out/tune sets' personal-data words it
knows, and how many words it wrongly knows as names: frequent Dutch words (pyspellchecker's counts
≥ 100, no deduce-listed name), English words (counts ≥ 1,000), and the theme corpus's tokens that the
rules already hold for name candidates (no dictionary word, capitalised at a sentence start,
capitalised anywhere, lower case). The last three are the over-redaction risk: the list is only
consulted for such tokens. Memory: VmRSS growth while loading (rough; docs/deidentification.md has
the worker's figures).
"""

import argparse
import gc
import gzip
import importlib
import json
import pickle
import pkgutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.privacy import get_deidentifier  # noqa: E402
from server.privacy.deidentify import FREQUENT, GIVEN_NAME_COUNT, GIVEN_NAME_SOURCES, _word_counts  # noqa: E402
from server.privacy.names import TOKEN_RE, fold  # noqa: E402

# Given names per origin, written for this evaluation.
INDEPENDENT = {
    "Ethiopian": "abebe alemayehu almaz aster bekele berhanu birtukan dawit desta eyerusalem fikre genet girma "
    "hailu kidist lemlem meron mesfin mulugeta selamawit tadesse tsion yonas zewdu hiwot mekdes kalkidan "
    "tewodros yohannes",
    "Nigerian": "adebayo adewale ayodele bolanle chinedu chinonso chukwuemeka emeka folasade funmilayo ifeanyi "
    "ngozi nnamdi temitope tunde uchenna yetunde aminu musa abubakar hauwa zainab kelechi ikechukwu damilola "
    "olamide kehinde taiwo segun amaka",
    "Somali": "abdirahman abdullahi ayaan cawo farhiya fartun hodan ifrah khadar maryan mohamud muna nasteho "
    "sahra shukri warsame xamza hibaaq deeqa ubah guled liban",
    "Eritrean": "abrehet aklilu awet berhe efrem filmon ghirmay haben kibrom luwam meseret mussie natnael rahwa "
    "semhar senait tesfit tekle winta yemane yordanos saba mehret selam",
    "Ukrainian": "bohdan dmytro iryna kateryna liudmyla mykola mykhailo nataliia oksana oleksandr oleksii olena "
    "petro serhii svitlana tetiana vasyl viktoriia volodymyr yaroslav yuliia andrii anastasiia larysa zoryana "
    "solomiia",
    "Polish": "agnieszka bartosz dorota ewa grzegorz jadwiga jakub katarzyna krzysztof łukasz magdalena małgorzata "
    "mateusz piotr przemysław tomasz wojciech zofia zbigniew wiesława bożena mirosław halina kazimierz "
    "jarosław beata urszula stanisław",
    "Turkish": "ahmet ayşe burak cem deniz elif emine emre esra fatih gül hatice hüseyin ibrahim kemal mehmet "
    "merve murat mustafa özlem recep selin serkan songül şükrü tuğba yusuf zeynep hülya gökhan ümit sibel",
    "Moroccan": "abdelkader abdelhak aicha bouchra driss fatiha hafida hamid hassan jamila karima khadija latifa "
    "malika mimoun mohammed mustapha nadia naima najat rachid said soufiane touria youssef zakaria hanane "
    "ilham loubna mbarek",
    "Surinamese": "anand chandrika devika ashwin radjesh sunita ramon romano shanti sharmila sandew kenneth "
    "glenn iwan lucien melvin rodney romeo sherida ursula ravindra kiran nandini winston girish dewi soenita "
    "ramdew",
    "Syrian": "ahmad ammar bashar fadi ghassan hala hiba kinan lina loay maher majd nour rasha rima samer tarek "
    "wael yasmin zaid ruba manal ola hussam mahmoud osama razan",
    "Afghan": "abdul ajmal farida farzana fawad freshta gulalai habiba jawad khalid mahbooba malalai mariam "
    "massoud mursal naveed nazanin parwana qadir rahim roya sadiq shabnam shafiq sohaila tahmina wahid zahra "
    "zarghuna mohammad",
    "Ghanaian": "kwame kofi akosua abena yaw ama efua nana adjoa kwesi akua yaa",
    "Kazakh": "aigerim nurlan yerlan aliya saule asel bauyrzhan zhanar dauren gulnara",
    "Vietnamese": "anh hoa huong linh minh nguyet thanh tuan phuong quang",
    "Kurdish/Iranian": "rebin shirin dilan rojda zana hozan berivan sherzad alireza fariba mehdi parisa reza "
    "shahram farhad niloufar",
    "Dutch": "anouk bram daan eva femke gerrit hendrik henk ilse jeroen joost karin kees lotte marieke maarten "
    "niels pieter roos sanne thijs truus wim willemijn bas sjoerd geert anneke marjolein joke",
}


def rss_mb() -> float:
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(status["VmRSS"].split()[0]) / 1024


def wheel(wheels: Path, prefix: str) -> Path:
    return next(wheels.glob(f"{prefix}-*.whl"))


def faker_names(wheels: Path) -> frozenset[str]:
    sys.path.insert(0, str(wheel(wheels, "faker")))  # a wheel is a zip: importable as it is
    person = importlib.import_module("faker.providers.person")
    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            value = getattr(provider, attr, None)
            if isinstance(value, (tuple, list, dict)):
                names.update(n.lower() for n in value)
    return frozenset(names)


def gender_guesser_names(wheels: Path) -> frozenset[str]:
    with zipfile.ZipFile(wheel(wheels, "gender_guesser")) as z:
        lines = z.read("gender_guesser/data/nam_dict.txt").decode("iso8859-1").splitlines()
    return frozenset(
        line[3:29].strip().lower()
        for line in lines
        if not line.startswith("#") and len(line) > 30 and "+" not in line[3:29].strip()
    )


def names_dataset_names(wheels: Path) -> frozenset[str]:
    with zipfile.ZipFile(wheel(wheels, "names_dataset")) as z:
        data = pickle.loads(gzip.decompress(z.read("names_dataset/v3/first_names.pkl.gz")))  # noqa: S301
    print(f"  names-dataset: its dict alone +{rss_mb() - START:.0f} MB")
    return frozenset(k.lower() for k in data)


def nomquamgender_names(wheels: Path, sources: int, count: int) -> frozenset[str]:
    with zipfile.ZipFile(wheel(wheels, "nomquamgender")) as z:
        data = json.loads(z.read("nomquamgender/name_data.json"))
    return frozenset(n for n, (s, c, *_rest) in data.items() if s >= sources and c >= count)


def references(deid) -> dict[str, set[str]]:
    finder, lex = deid._names, deid._names.lex
    refs: dict[str, set[str]] = {
        "nl words": {
            w
            for w in _word_counts("nl", FREQUENT)
            if w.isalpha() and w not in lex.first_names and w not in lex.surnames
        },
        "en words": {w for w in _word_counts("en", 1000) if w.isalpha()},
        "start": set(),
        "capital": set(),
        "lower": set(),
        "pii": set(),  # held-out and tune sets' personal-data words
    }
    for path in sorted((ROOT / "server" / "themes" / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            tokens = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]
            for i, (_, _, tok) in enumerate(tokens):
                if len(tok) < 3 or finder.is_word(tok):
                    continue
                if tok[0].isupper():
                    refs["capital"].add(tok.lower())
                    if finder._at_sentence_start(tokens, i, text):
                        refs["start"].add(tok.lower())
                elif tok.islower():
                    refs["lower"].add(tok)
    for name in ("deid-heldout.jsonl", "deid-tune.jsonl"):
        for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines():
            for value in json.loads(line)["pii"]:
                refs["pii"].update(t.lower() for t in TOKEN_RE.findall(value) if len(t) >= 3)
    return refs


START = 0.0


def main() -> None:
    global START
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wheels", type=Path, default=Path("/tmp/given-name-wheels"))
    args = parser.parse_args()
    deid = get_deidentifier()
    refs = references(deid)
    independent = [n for names in INDEPENDENT.values() for n in names.split()]
    print(
        f"independent names {len(independent)}; nl words {len(refs['nl words'])}; en words {len(refs['en words'])};"
        f" theme-corpus non-words: capitalised at a sentence start {len(refs['start'])}, capitalised"
        f" {len(refs['capital'])}, lower case {len(refs['lower'])}; held-out + tune PII words {len(refs['pii'])}"
    )
    candidates = [
        ("deduce (current)", lambda: deid._names.lex.first_names, False),
        ("faker 40.63.0", lambda: faker_names(args.wheels), False),
        ("gender-guesser 0.4.0", lambda: gender_guesser_names(args.wheels), False),
        ("names-dataset 3.3.1", lambda: names_dataset_names(args.wheels), False),
        ("nomquamgender, all", lambda: nomquamgender_names(args.wheels, 1, 0), True),
        (
            f"nomquamgender {GIVEN_NAME_SOURCES}+ sources {GIVEN_NAME_COUNT}+",
            lambda: nomquamgender_names(args.wheels, GIVEN_NAME_SOURCES, GIVEN_NAME_COUNT),
            True,
        ),
        ("nomquamgender 5+ sources 50+", lambda: nomquamgender_names(args.wheels, 5, 50), True),
    ]
    print(
        f"{'list':34s} {'names':>7s} {'+MB':>5s} {'indep.':>8s} {'PII':>7s} {'nl':>5s} {'en':>5s} start cap lower"
    )
    for label, load, folded in candidates:
        gc.collect()
        START = rss_mb()
        names = load()
        grown = rss_mb() - START
        key = fold if folded else str.lower

        def knows(words, names=names, key=key) -> int:
            return sum(key(w) in names for w in words)

        print(
            f"{label:34s} {len(names):7d} {grown:5.0f} {knows(independent):4d}/{len(independent)}"
            f" {knows(refs['pii']):3d}/{len(refs['pii'])} {knows(refs['nl words']):5d}"
            f" {knows(refs['en words']):5d} {knows(refs['start']):5d} {knows(refs['capital']):3d}"
            f" {knows(refs['lower']):5d}"
        )
        per_origin = {o: knows(s.split()) for o, s in INDEPENDENT.items()}
        print("    " + ", ".join(f"{o} {k}/{len(INDEPENDENT[o].split())}" for o, k in per_origin.items()))
        wrong = sorted(w for w in refs["start"] | refs["capital"] if key(w) in names)
        if wrong:
            print("    theme-corpus name candidates it knows:", " ".join(wrong[:20]))
        del names


if __name__ == "__main__":
    main()
