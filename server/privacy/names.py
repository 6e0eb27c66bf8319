"""Name heuristics on top of deduce.

deduce finds capitalised Dutch names from its lists. It misses non-Dutch names
that are not in its lists ("Bouzid", "Abebe"), lower-case names ("ayse yilmaz")
and it glues sentence-initial words and titles onto names ("Huisbezoek Irene
Smit", "mw Els Jansen"). The rules here use one idea: a token that is not a
known Dutch word, standing where a name stands, is a name.
"""

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from server.field_words import ABBREVIATIONS, LOAN_WORDS

from .spans import Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A word, or the apostrophe particle of a name such as "'s Gravensande", "'t Hart" (one token, so
# that it joins the name parts around it like "van" does).
TOKEN_RE = re.compile(r"(?<![\w'’])['’][st](?=\s)|[^\W\d_]+(?:['’\-][^\W\d_]+)*")

# Titles stay in the text ("mw [PERSOON-1]"): they carry no identity and the
# reader needs them. Lower-case forms; a trailing dot is skipped by the tokenizer.
TITLES = _words(
    "dhr mw mevr mevrouw meneer mijnheer heer mej juf juffrouw dr drs ir ing mr prof ds "
    "zus zuster broer oom tante opa oma"
)
# Single-token name particles, including Arabic and Berber ones.
INTERFIXES = _words(
    "van de der den het 't ’t 's ’s te ten ter vd la le da di do dos du del von zur el al ben bin bint abu ibn ait oulad"
)
# Dutch tussenvoegsels: between a first name and a surname ("daan van de klashorst").
TUSSENVOEGSELS = _words("van de der den het 't ’t 's ’s te ten ter vd v/d")
# Particles that rarely stand in a sentence outside a name, and the phrases they do stand in.
STRONG_PARTICLES = _words("der den ter ten 's ’s vd v/d")
PARTICLE_PHRASES = _words(
    """sprake plaatse info informatie minste meeste slotte behoeve zake tijde hoogte gelegenheid
    voorbereiding ondersteuning kennisgeving vergelijking beschikking grondslag dood nauwernood
    einde eerste tweede derde laatste opzichte onrechte gevolge overstaan aanzien hand huize zijde
    ochtends middags avonds nachts morgens winters zomers weekends zondags maandags dinsdags
    woensdags donderdags vrijdags zaterdags lands rijks werelds"""
)
# Titles of address: what follows them is a surname even when it is also a word ("dhr. Knappe",
# "mw Groen"). Family words ("oma", "juf") are titles too but are followed by ordinary words.
FORMAL_TITLES = _words("dhr mw mevr mevrouw meneer mijnheer heer mej dr drs ir ing mr prof ds fam")
# Capitalised words in Dutch social-work text that are neither dictionary words
# nor names: organisations, laws, regulations, apps.
DOMAIN_TERMS = _words(
    """wmo jeugdwet participatiewet wsnp wlz zvw aow anw wia wajong ww bbz tozo iou
    ggz ggd cjg vt shv uwv svb cak duo ind coa mee zvh ozj sociaal wijkteam buurtteam
    humanitas vluchtelingenwerk voedselbank kredietbank schuldhulpverlening
    schuldhulpmaatje geldfit nibud juridisch loket raadslid thuiszorg jeugdzorg
    veilig thuis leger heils salvation zorgverzekeraar menzis zilveren kruis vgz cz
    woningcorporatie ymere rochdale vestia portaal woonstad
    whatsapp facebook instagram tiktok snapchat google teams zoom signal telegram
    youtube marktplaats bol heijn lidl aldi jumbo action digid mijnoverheid minecraft excel mcdonald's mcdonalds
    toeslagen belastingdienst gemeente rijksoverheid centrum jeugd gezin energietoeslag
    huurtoeslag zorgtoeslag kinderopvangtoeslag kindgebonden budget
    ivm ipv mbt tzt evt mnd wk bijv oa zgn nav ism mbv tav vwb ggf ihkv obv adhd
    zsm afspr mdo intervisie casus jgz vpk wijkvpk poh hb hbs woco max min ca incl excl tel
    caseload casemanager jobcoach hoarding mediation privacy online zn wkn
    gedupeerde gedupeerden toeslagenaffaire raad kinderbescherming zonnebloem luisterlijn tactus
    klarna eneco vattenfall essent budgetenergie riagg jellinek brijder novadic iriszorg mentrum
    parnassia lentis arkin altrecht ggzingeest kwintes lister philadelphia cordaan amsta
    ramadan kerst pasen suikerfeest offerfeest pinksteren sinterklaas
    nederlands nederlandse engels engelse arabisch turks berbers tigrinya pools
    marokkaans marokkaanse turkse surinaams surinaamse syrisch syrische eritrees
    eritrese somalisch oekraïens oekraïense"""
)
# Countries, regions and nationalities: "uit Eritrea", "de Poolse buurvrouw" stay (DESIGN §6).
GEOGRAPHY = _words(
    """eritrea syrië syrie afghanistan somalië somalie marokko turkije polen oekraïne oekraine irak iran
    ethiopië ethiopie soedan jemen suriname curaçao curacao aruba bonaire antillen ghana nigeria congo
    egypte algerije tunesië libië pakistan india china bulgarije roemenië hongarije rusland spanje
    portugal italië griekenland frankrijk duitsland belgië engeland schotland ierland amerika brazilië
    colombia venezuela indonesië vietnam thailand filipijnen bangladesh nepal koerdistan palestina
    libanon jordanië kaapverdië angola kameroen guinee senegal gambia kenia oeganda rwanda burundi
    tanzania zimbabwe bosnië servië kroatië albanië kosovo macedonië moldavië litouwen letland estland
    tsjechië slowakije georgië armenië azerbeidzjan tsjetsjenië europa afrika azië nederland indië
    rijn maas waal ijssel schelde
    afghaans afghaanse pools poolse bulgaars bulgaarse roemeens roemeense somalische irakees irakese
    iraans iraanse koerdisch koerdische ethiopisch ethiopische ghanees ghanese nigeriaans nigeriaanse
    antilliaans antilliaanse kaapverdiaans kaapverdiaanse hindoestaans hindoestaanse chinees chinese
    indiaas indiase pakistaans pakistaanse russisch russische duits duitse belgisch belgische spaans
    spaanse portugees portugese italiaans italiaanse grieks griekse frans franse amerikaans
    amerikaanse braziliaans braziliaanse arabische islamitisch islamitische joods joodse christelijk
    christelijke katholiek katholieke protestants protestantse hongaars hongaarse eritreeër eritreeërs
    syriër syriërs marokkaan marokkanen turk turken polen oekraïners afghanen somaliërs surinamer
    surinamers antillianen tigrinya dari farsi pashto koerdisch somali amhaars urdu hindi russisch
    oekraïens papiaments brit britten deen denen fin finnen thai israël roma"""
)
# Who opens a sentence with a verb of speaking when it is no name.
ROLE_NOUNS = _words(
    """moeder vader ouder ouders zoon dochter kind kinderen oudste jongste middelste baby broer zus
    opa oma tante oom neef nicht man vrouw partner vriend vriendin jongen meisje jongere buurvrouw
    buurman buren bewoner bewoners inwoner cliënt client klant gezin familie mantelzorger collega
    teamleider consulent huisarts dokter arts tolk mentor juf meester leerkracht docent school
    gemeente politie wijkagent corporatie verhuurder huisbaas werkgever baas schuldeiser
    deurwaarder bewindvoerder verpleegkundige psycholoog psychiater begeleider hulpverlener
    iedereen niemand allebei beiden"""
)
SPEECH_VERBS = _words(
    """vertelde vertelt zei zegt belde belt appte appt mailde mailt huilde huilt lachte lacht vroeg
    vraagt antwoordde antwoordt riep schreeuwde knikte zuchtte"""
)
SUBJECT_PRONOUNS = _words("ik je jij u hij ze zij we wij jullie men het die")
# Finite verbs that follow a subject ("Oluwaseun kwam langs", "Bolat heeft schulden"). After a word
# that opens a sentence they may also mean inversion ("Achteraf had ik"): a pronoun follows then.
FINITE_VERBS = _words(
    """is was heeft had wil wilde wou moet moest kan kon mag mocht zal zou wordt werd komt kwam gaat
    ging werkt werkte woont woonde zit zat staat stond krijgt kreeg weet wist vindt vond doet deed
    maakt maakte loopt liep blijft bleef lijkt leek voelt voelde geeft gaf neemt nam kijkt keek denkt
    dacht hoort hoorde spreekt sprak snapt begrijpt begreep schaamt zoekt zocht durft durfde wacht
    wachtte heb slaapt sliep eet at betaalt betaalde speelt speelde leert leerde"""
)
INVERSION_SUBJECTS = SUBJECT_PRONOUNS | _words("er")
_NEVER_ALONE = DOMAIN_TERMS | GEOGRAPHY  # a one-word deduce hit on these is a language or a country
# Abbreviations and English loan words of field notes ("snachts", "clt", "working poor"): words,
# unless deduce lists them as names. Not in DOMAIN_TERMS: after a title a capital is still a
# surname ("mw Ha").
FIELD_WORDS = frozenset(ABBREVIATIONS) | LOAN_WORDS
# Multi-word names of organisations whose parts look like person names.
PROTECTED_RE = re.compile(
    r"(?i)\b(?:albert heijn|leger des heils|de key|eigen haard|veilig thuis|zilveren kruis"
    r"|sociaal raadslid|juridisch loket|tiny houses?)\b"
)
# Heads of Dutch compounds that the dictionary lacks: "Participatiewet".
COMPOUND_TAILS = _words(
    """wet toeslag regeling uitkering aanvraag loket team zorg hulp verlening consulent
    werker dienst fonds pas punt huis centrum winkel bank plan traject gesprek overleg
    bezoek budget kosten schuld schulden premie verzekering app groep cursus school opvang"""
)
# Dutch numerals written out, 11 to 89: "mevrouw van zesentachtig" is an age under AGE_LIMIT, no
# surname. 90 and over are left out on purpose: they must never become words that protect a text.
_NUMERAL_RE = re.compile(
    r"(?:(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)[eë]n)?"
    r"(?:twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig)"
    r"|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n(\"“]|\s-)\s*$")


@dataclass(frozen=True)
class NameLexicon:
    """Word lists the heuristics need, all lower-case."""

    first_names: frozenset[str]
    surnames: frozenset[str]
    stop_words: frozenset[str]
    whitelist: frozenset[str]
    places: frozenset[str]
    frequent_words: frozenset[str] = frozenset()  # frequent Dutch words (subtitle counts)
    english_words: frozenset[str] = frozenset()  # every English word of the same counts
    # Given names from many countries (nomquamgender, folded to ASCII: "halyna", "tigist"). Only
    # a token the rules already hold for a name candidate is looked up here, never a word.
    given_names: frozenset[str] = frozenset()


# Letters NFKD does not split into a base letter and a mark.
_FOLD = str.maketrans({"ł": "l", "ı": "i", "ø": "o", "ß": "ss", "đ": "d", "æ": "ae", "œ": "oe"})


def fold(token: str) -> str:
    """Lower case, without diacritics, as the given-name list spells names: "Łukasz" -> "lukasz"."""
    decomposed = unicodedata.normalize("NFKD", token.lower().translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class NameFinder:
    def __init__(self, lexicon: NameLexicon):
        self.lex = lexicon
        self.listed = lexicon.first_names | lexicon.surnames
        # simplemma loads its Dutch dictionary (seconds) on first use: do it now,
        # before the worker forks, not in the first job.
        simplemma.is_known("huis", lang="nl")

    @lru_cache(maxsize=65536)  # noqa: B019 - one long-lived instance per process
    def is_word(self, token: str) -> bool:
        """A Dutch dictionary word (or inflection), domain term or domain compound."""
        low = token.lower()
        if low in DOMAIN_TERMS or low in self.lex.whitelist or low in self.lex.stop_words:
            return True
        if _NUMERAL_RE.fullmatch(low):
            return True
        if (low in self.lex.frequent_words or low in FIELD_WORDS) and low not in self.listed:
            return True
        if "-" in low:
            # Dutch compounds put the head last: "Wmo-aanvraag"; "Al-Khatib" is a name.
            return self.is_word(low.rsplit("-", 1)[1])
        if simplemma.is_known(low, lang="nl"):
            return True
        # Inflections the dictionary lacks ("professionele"). Short lemmas are
        # rule-based guesses that turn names into words ("maarten" -> "maart").
        lemma = simplemma.lemmatize(low, lang="nl")
        if len(lemma) >= 6 and low not in self.listed and simplemma.is_known(lemma, lang="nl"):
            return True
        if len(low) >= 9 and low not in self.listed and self._compound(low):
            return True
        return self._service_compound(low)

    @staticmethod
    def _service_compound(low: str) -> bool:
        """A known word + a service head the dictionary lacks: "participatiewet", "verslavingszorg"."""
        for tail in COMPOUND_TAILS:
            head = low.removesuffix(tail)
            if (
                head != low
                and len(head) >= 3
                and (
                    simplemma.is_known(head, lang="nl")
                    or head in DOMAIN_TERMS
                    or (head[-1] == "s" and simplemma.is_known(head[:-1], lang="nl"))
                )
            ):
                return True
        return False

    @staticmethod
    def _compound(low: str) -> bool:
        """Two known Dutch words, optionally joined by s/e/en: "buurtbemiddeling", "werkplein".
        Head 4+, tail 5+ letters: surnames split into short words ("butselaar": buts-e-laar)."""
        for cut in range(4, len(low) - 3):
            head, tail = low[:cut], low[cut:]
            if len(tail) < 5 or not simplemma.is_known(tail, lang="nl"):
                continue
            for linker in ("", "s", "e", "en"):
                if (
                    head.endswith(linker)
                    and len(head) - len(linker) >= 4
                    and simplemma.is_known(head[: len(head) - len(linker)] if linker else head, lang="nl")
                ):
                    return True
        return False

    def is_listed(self, token: str) -> bool:
        return token.lower() in self.listed

    def is_given_name(self, token: str) -> bool:
        """A given name somewhere in the world; only asked of tokens that are no word."""
        return fold(token) in self.lex.given_names

    def name_like(self, token: str) -> bool:
        """Could be (part of) a name wherever it stands."""
        low = token.lower()
        if len(low) < 2 or low in self.lex.stop_words or low in TITLES or low in INTERFIXES:
            return False
        if low in self.lex.places or low in GEOGRAPHY or low in DOMAIN_TERMS:
            return False
        return not self.is_word(token) or (token[0].isupper() and self.is_listed(token))

    def find(self, text: str, known: Iterable[Span]) -> list[Span]:
        """Person spans: the trimmed deduce spans in `known` plus new ones."""
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]
        protected = [(m.start(), m.end()) for m in PROTECTED_RE.finditer(text)]
        hits: list[tuple[int, int]] = []  # token index ranges, inclusive
        ends = [end for _, end, _ in tokens]
        for span in known:
            # Tokens overlapping the span: the first ending after its start up to
            # the last starting before its end.
            first = bisect.bisect_right(ends, span.start)
            last = first
            while last + 1 < len(tokens) and tokens[last + 1][0] < span.end:
                last += 1
            if first < len(tokens) and tokens[first][0] < span.end:
                first, last = self._trim(tokens, first, last)
                # "Engels", or a law after particles deduce took for a surname ("van de Participatiewet").
                lone = all(
                    tokens[k][2].lower() in _NEVER_ALONE or tokens[k][2].lower() in INTERFIXES
                    for k in range(first, last + 1)
                )
                if first <= last and not lone and not self._sentence_word(tokens, first, last, text):
                    hits.append((first, last))
        hits.extend(self._title_rule(tokens, text))
        hits.extend(self._unknown_word_rule(tokens, text))
        hits.extend(self._lower_case_rule(tokens, text))
        hits.extend(self._sentence_start_rule(tokens, text))
        ranges = []
        for first, last in hits:
            if first > last:
                continue
            first, last = self._extend(tokens, first, last, text)
            start, end = tokens[first][0], tokens[last][1]
            if not any(start < p_end and p_start < end for p_start, p_end in protected):
                ranges.append((first, last))
        ranges.extend(
            self._extend(tokens, first, last, text) for first, last in self._repeated_parts(tokens, ranges)
        )
        return [
            Span(tokens[f][0], tokens[la][1], "PERSOON", text[tokens[f][0] : tokens[la][1]])
            for f, la in ranges
        ]

    @staticmethod
    def _at_sentence_start(tokens, i: int, text: str) -> bool:
        if i == 0:
            return True
        # Only the gap after the previous token: a "^" in _SENTENCE_END must not match a plain space.
        gap = text[tokens[i - 1][1] : tokens[i][0]]
        return bool(_SENTENCE_END.search(gap)) and gap.strip() != ""

    def _trim(self, tokens, first: int, last: int) -> tuple[int, int]:
        """Drop titles and ordinary words that deduce glued onto the front."""
        while first <= last:
            tok = tokens[first][2]
            low = tok.lower()
            if low == "de" and first < last and tokens[first + 1][2].lower() == "heer":
                first += 2
            elif low in TITLES:
                first += 1
            elif low in INTERFIXES and first < last:
                break  # "de Vries": the particle belongs to the surname
            elif low in self.lex.stop_words or (
                first < last and self.is_word(tok) and not self.is_listed(tok)
            ):
                first += 1
            else:
                break
        while last >= first and tokens[last][2].lower() in self.lex.stop_words:
            last -= 1
        return first, last

    def _sentence_word(self, tokens, first: int, last: int, text: str) -> bool:
        """deduce's one-token hit is a capitalised word: "Mooi dat ...", "Pas toen ...".

        A listed surname straight after a title stays a name ("dhr. Visser");
        a repeated surname is caught again by _repeated_parts.
        """
        tok = tokens[first][2]
        if first != last or not self.is_word(tok) or tok.lower() in self.lex.first_names:
            return False  # "Jan belde": a first name at a sentence start is a name
        if not self._at_sentence_start(tokens, first, text):
            return False
        after_title = first > 0 and tokens[first - 1][2].lower() in TITLES
        return not (after_title and self.is_listed(tok))

    @staticmethod
    def _adjacent(tokens, i: int, j: int, text: str) -> bool:
        """Tokens i and j (i < j, consecutive) are separated by spaces only."""
        gap = text[tokens[i][1] : tokens[j][0]]
        return gap.strip(" \t.") == "" and len(gap) <= 3

    def _title_rule(self, tokens, text: str) -> Iterator[tuple[int, int]]:
        """After a title any non-word is a name: "mw el amrani", "dhr Bouzid".

        After a title of address a surname that is also a word is a name too: capitalised
        ("mw Groen", "dhr. Knappe,") or, in lower case, after a particle ("dhr van der veen").
        """
        for i, (_, end, tok) in enumerate(tokens):
            if tok.lower() not in TITLES:
                continue
            formal = tok.lower() in FORMAL_TITLES
            last, particles = None, False
            j = i + 1
            while j < len(tokens) and j - i <= 4 and self._adjacent(tokens, j - 1, j, text):
                nxt = tokens[j][2]
                # "dhr. Professionele hulp ...": after a dot a capital may start a sentence.
                dotted = j == i + 1 and "." in text[end : tokens[j][0]]
                if nxt.lower() in INTERFIXES:
                    particles = True
                elif (self.name_like(nxt) and not (dotted and self.is_word(nxt))) or (
                    formal and last is None and self._surname_after_title(tokens, j, text, dotted, particles)
                ):
                    last = j
                elif not (dotted and self.name_like(nxt)):
                    break  # a dotted capitalised word only counts if a name follows
                j += 1
            if last is not None:
                yield i + 1, last

    def _plain_word(self, low: str) -> bool:
        """A word of the dictionary itself (not only a guessed compound) or a listed non-name."""
        return (
            low in self.lex.stop_words
            or low in self.lex.whitelist
            or low in DOMAIN_TERMS
            or low in GEOGRAPHY
            or low in self.lex.places
            or low in ROLE_NOUNS
            or low in TITLES
            or simplemma.is_known(low, lang="nl")
            # Also frequent words and service compounds ("de hiernaast", "dhr de verslavingszorg"),
            # not any split into two words: surnames split too ("klashorst").
            or (low in self.lex.frequent_words and low not in self.listed)
            or self._service_compound(low)
            or bool(_NUMERAL_RE.fullmatch(low))
        )

    def _surname_after_title(self, tokens, j: int, text: str, dotted: bool, particles: bool) -> bool:
        """A word that stands as a surname after a title of address ("mw Groen", "dhr. Knappe,")."""
        tok = tokens[j][2]
        low = tok.lower()
        if len(low) < 2 or low in self.lex.stop_words or low in _NEVER_ALONE:
            return False
        if low in ROLE_NOUNS or low in TITLES or (low in self.lex.places and not particles):
            return False  # after a particle a place is a surname: "dhr van Gent"
        if tok.islower():
            # "mw stil", "dhr oud" are predicates; after a particle it is a surname: "dhr van der veen".
            return particles and (low in self.lex.surnames or not self._plain_word(low))
        if not tok[0].isupper() or tok.isupper():
            return False
        if not dotted:
            return True  # "mw Groen": a capital after a title without a dot is a surname
        # After "dhr." a capital may also open a sentence ("dhr. Professionele hulp is nodig"): a
        # surname is listed, or ends the phrase, or speaks ("dhr. Knappe, ...", "dhr. Knappe belde").
        after = text[tokens[j][1] : tokens[j][1] + 3].lstrip(" \t")
        speaks = (
            j + 1 < len(tokens)
            and tokens[j + 1][2] in SPEECH_VERBS
            and self._adjacent(tokens, j, j + 1, text)
        )
        return low in self.lex.surnames or not after or after[0] in ",;:.!?)" or speaks

    def _unknown_word_rule(self, tokens, text: str) -> Iterator[tuple[int, int]]:
        """A capitalised non-word where no sentence starts is a name."""
        for i, (_, _, tok) in enumerate(tokens):
            if not tok[0].isupper() or (len(tok) > 1 and tok.isupper()) or not self.name_like(tok):
                continue  # lower case, acronym, or a word
            listed_non_word = not self.is_word(tok) and self.is_listed(tok)
            if listed_non_word or not self._at_sentence_start(tokens, i, text):
                yield i, i
            elif (
                i + 1 < len(tokens)
                and self._adjacent(tokens, i, i + 1, text)
                and tokens[i + 1][2][0].isupper()
                and not self.is_word(tokens[i + 1][2])
                and self.name_like(tokens[i + 1][2])
            ):
                yield i, i + 1

    def _sentence_start_rule(self, tokens, text: str) -> Iterator[tuple[int, int]]:
        """A name that opens a sentence alone: "Olena (geb. ...)", "Lama vertelde", "Oluwaseun kwam".

        An unknown capitalised word that is a given name of the world's lists (before any word), or
        that is followed by a bracket or a finite verb (unless it splits into
        Dutch words: "Kookcafé was"), or a short word (names that are also words are short: Roos,
        Lama, Kok) followed by a verb of speaking, and no role noun. A pronoun after the verb makes
        the first word an adverb ("Later belde hij", "Achteraf had ik"). deduce already tags listed
        first names there ("Roos heeft").
        """
        for i, (_, end, tok) in enumerate(tokens):
            low = tok.lower()
            if (
                not tok[0].isupper()
                or tok.isupper()
                or len(tok) < 3
                or low in self.lex.stop_words
                or low in TITLES
                or low in ROLE_NOUNS
                or low in DOMAIN_TERMS
                or low in GEOGRAPHY
                or low in self.lex.places
                or not self._at_sentence_start(tokens, i, text)
            ):
                continue
            word = self.is_word(tok)
            # A given name of the world's lists that no dictionary knows opens a sentence before any
            # word ("Halyna samen met haar zus ...", "Olumide from the team ...").
            if not word and (self.is_given_name(tok) or text[end : end + 2].strip().startswith("(")):
                yield i, i
                continue
            if i + 1 >= len(tokens) or not self._adjacent(tokens, i, i + 1, text):
                continue
            verb = tokens[i + 1][2]
            inverted = i + 2 < len(tokens) and tokens[i + 2][2].lower() in INVERSION_SUBJECTS
            if verb in SPEECH_VERBS:
                # A title or role noun after the verb is its subject: "Vandaag zei mevrouw".
                inverted = inverted or (
                    i + 2 < len(tokens) and tokens[i + 2][2].lower() in TITLES | ROLE_NOUNS
                )
                name = not word or (len(tok) <= 7 and not inverted)
            elif verb in FINITE_VERBS:
                name = not word and not inverted and not self._two_words(low)
            else:
                name = False
            if name:
                yield i, i

    @staticmethod
    def _two_words(low: str) -> bool:
        """A Dutch compound of words of 3+ letters, optionally joined by s/e/en: "kookcafé",
        "buurtsportcoach"."""
        for cut in range(3, len(low) - 2):
            head, tail = low[:cut], low[cut:]
            if not (simplemma.is_known(tail, lang="nl") or (len(tail) >= 6 and NameFinder._two_words(tail))):
                continue
            for linker in ("", "s", "e", "en"):
                stem = head[: len(head) - len(linker)]
                if head.endswith(linker) and len(stem) >= 3 and simplemma.is_known(stem, lang="nl"):
                    return True
        return False

    def _lower_case_rule(self, tokens, text: str) -> Iterator[tuple[int, int]]:
        """Lower-case names: "yves", "kim prins", "oksana kovalenko"."""
        lex = self.lex
        for i, (_, _, tok) in enumerate(tokens):
            if not tok.islower() or len(tok) < 3 or tok in lex.stop_words or tok in DOMAIN_TERMS:
                continue
            # Not across a sentence end: "een baan. de mantelzorg".
            if (
                tok in lex.first_names
                and i + 1 < len(tokens)
                and tokens[i + 1][2] in TUSSENVOEGSELS
                and "." not in text[tokens[i][1] : tokens[i + 1][0]]
            ):
                end = self._surname_after_particles(tokens, i + 1, text)
                if end is not None:
                    yield i, end  # "daan van de klashorst", "thijs ter haar"
                    continue
            # "15 jan" is a date, not Jan.
            after_number = bool(re.search(r"\d[ \t]*$", text[: tokens[i][0]]))
            if (tok in self.listed and not self.is_word(tok)) or (
                self._only_a_name(tok) and not after_number
            ):
                yield i, i
                continue
            if i + 1 >= len(tokens) or not self._adjacent(tokens, i, i + 1, text):
                continue
            nxt = tokens[i + 1][2]
            if not nxt.islower() or len(nxt) < 3 or nxt in lex.stop_words:
                continue
            listed_pair = tok in lex.first_names and (nxt in lex.surnames or nxt in INTERFIXES)
            # A typo is no name part, unless a given name precedes it ("zarghuna popal").
            typo = self._misspelt(tok) or (self._misspelt(nxt) and not self.is_given_name(tok))
            unknown_pair = not self.is_word(tok) and not self.is_word(nxt) and not typo
            if listed_pair or unknown_pair:
                yield i, i + (nxt not in INTERFIXES)

    @lru_cache(maxsize=65536)  # noqa: B019 - one long-lived instance per process
    def _misspelt(self, low: str) -> bool:
        """One typo away from a frequent Dutch word, and no name: "steets" (steeds), "uitgeleg".

        Field notes are typed fast; two misspelt words in a row ("steets nie") are no name pair.
        Only words of 6+ letters (shorter names are one letter from many words: "popal") that no
        list of names knows."""
        if len(low) < 6 or low in self.listed or self.is_given_name(low):
            return False
        letters = "abcdefghijklmnopqrstuvwxyzë"
        splits = [(low[:k], low[k:]) for k in range(len(low) + 1)]
        edits = (
            [a + b[1:] for a, b in splits if b]
            + [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
            + [a + c + b[1:] for a, b in splits if b for c in letters]
            + [a + c + b for a, b in splits for c in letters]
        )
        return any(e != low and e in self.lex.frequent_words and e not in self.listed for e in edits)

    def _only_a_name(self, low: str) -> bool:
        """A listed first name that the dictionary knows only as a name ("hans": its lemma is
        "Hans"), that the world's given-name lists confirm, and that is no country, place or stop word."""
        return (
            low in self.lex.first_names
            and self.is_given_name(low)
            and low not in _NEVER_ALONE
            and low not in self.lex.places
            and low not in self.lex.stop_words
            and simplemma.lemmatize(low, lang="nl")[:1].isupper()
        )

    def _surname_after_particles(self, tokens, j: int, text: str) -> int | None:
        """After a first name, particles and then a surname: the index of the surname, or None.

        "daan van de klashorst": the particles make "klashorst" a surname although it splits into
        two words; a plain word after them is not ("roos van de buurvrouw").
        """
        k = j
        while k < len(tokens) and k - j < 3 and tokens[k][2].lower() in TUSSENVOEGSELS:
            if not self._adjacent(tokens, k - 1, k, text):
                return None
            k += 1
        if k == j or k >= len(tokens) or not self._adjacent(tokens, k - 1, k, text):
            return None
        tok = tokens[k][2]
        low = tok.lower()
        if len(low) < 2 or (tok.isupper() and len(tok) > 1) or low in _NEVER_ALONE or low in self.lex.places:
            return None
        # "ter", "van der", "'s" hardly occur in a sentence except in a name ("thijs ter haar")
        # and in a few fixed phrases ("ter sprake", "ten slotte").
        strong = any(tokens[m][2].lower() in STRONG_PARTICLES for m in range(j, k))
        if strong and low not in PARTICLE_PHRASES and not low.isdigit():
            return k
        return k if low in self.lex.surnames or not self._plain_word(low) else None

    def _extend(self, tokens, first: int, last: int, text: str) -> tuple[int, int]:
        """Grow over neighbouring name parts: "mohamed bouzid", "Fatima El Amrani"."""

        def part(tok: str, like: str) -> bool:
            # A surname that is also a word ("Visser", "klein") continues a name
            # only when written in the same case as the name so far.
            low = tok.lower()
            surname = low in self.lex.surnames and low not in self.lex.stop_words
            return self.name_like(tok) or (surname and tok[0].isupper() == like[0].isupper())

        while last + 1 < len(tokens) and self._adjacent(tokens, last, last + 1, text):
            prev = tokens[last][2]
            # Skip particles ("van den", "El") only if a name part follows them.
            j = last + 1
            while (
                j + 1 < len(tokens)
                and tokens[j][2].lower() in INTERFIXES
                and self._adjacent(tokens, j, j + 1, text)
            ):
                j += 1
            if part(tokens[j][2], prev):
                last = j
            else:
                break
        while first > 0 and self._adjacent(tokens, first - 1, first, text):
            prev = tokens[first - 1][2]
            capitalised_name = prev[0].isupper() and self.name_like(prev) and not self.is_word(prev)
            # "de Vries", "van den Velde": a particle before a capitalised surname.
            particle = prev in INTERFIXES and tokens[first][2][0].isupper()
            before = tokens[first - 2][2] if first > 1 else ""
            if prev == "ben" and not (before[:1].isupper() and self.name_like(before)):
                particle = False  # "Ik ben Ayaan": the verb, not "Mohamed ben Ali"
            if capitalised_name or particle:
                first -= 1
            else:
                break
        return first, last

    def _repeated_parts(self, tokens, ranges) -> Iterator[tuple[int, int]]:
        """Later mentions of a part of a found name: "Els Jansen ... Els vond"."""
        parts: dict[str, bool] = {}  # lower-case part -> seen written in lower case
        for first, last in ranges:
            for _, _, tok in tokens[first : last + 1]:
                low = tok.lower()
                if len(low) >= 3 and low not in INTERFIXES and low not in self.lex.stop_words:
                    parts[low] = parts.get(low, False) or tok.islower()
        inside = {i for first, last in ranges for i in range(first, last + 1)}
        for i, (_, _, tok) in enumerate(tokens):
            low = tok.lower()
            # Lower case repeats a name written in lower case, or one that is no word ("Nomvula ... nomvula").
            if i not in inside and low in parts and (tok[0].isupper() or parts[low] or not self.is_word(tok)):
                yield i, i


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")


class ForeignNameFinder(NameFinder):
    """The same rules for a resident comment in English, Turkish, Polish, Ukrainian or Arabic.

    There is no dictionary of those languages here (simplemma's would cost ~560 MB per worker), so
    the rules lean on case, which these languages share with Dutch: a lower-case word is a word
    (lower-case names are not caught), a capitalised unknown word inside a sentence is a name. Arabic script has no case: Arabic-script words count as words; Latin-script
    names inside an Arabic comment are still caught.
    """

    def __init__(self, lexicon: NameLexicon, lang: str):
        super().__init__(lexicon)
        self.lang = lang

    @lru_cache(maxsize=65536)  # noqa: B019 - one long-lived instance per language and process
    def is_word(self, token: str) -> bool:
        low = token.lower()
        return (
            NameFinder.is_word(self, token)
            or self._english_word(low)  # English is mixed into every language ("Everything is fine")
            or bool(_ARABIC_SCRIPT.search(token))
            or token.islower()
            or low.replace("i\u0307", "i") in CAPITALISED_WORDS  # "İngilizce".lower() keeps a dot
        )

    def _lower_case_rule(self, tokens, text: str) -> Iterator[tuple[int, int]]:
        # Short words of these languages are listed first names elsewhere ("hala", "ale", "nic",
        # "sama"): without a dictionary, lower-case names cannot be told apart (a known limit),
        # except before a Turkish title ("fatma hanım") and, in English, where the word list
        # knows the words: a listed name or an unknown word after a cue ("thanks to olumide").
        # Arabic script has no case: a word after a title of address ("الأستاذة فاطمة") or a
        # listed first name that is no common word ("لمحمد", with its one-letter prefix) is a name.
        for i, (_, _, tok) in enumerate(tokens):
            if not tok.islower() or len(tok) < 3 or _ARABIC_SCRIPT.search(tok):
                continue
            adjacent = i + 1 < len(tokens) and self._adjacent(tokens, i, i + 1, text)
            if adjacent and tokens[i + 1][2].lower() in TURKISH_TITLES and tok not in TURKISH_DETERMINERS:
                yield i, i
            elif (
                self.lang == "pl"  # "pan" is an English word too ("the pan")
                and i > 0
                and tokens[i - 1][2].lower() in POLISH_TITLES
                and self._adjacent(tokens, i - 1, i, text)
                and any(self.is_given_name(form) for form in polish_nominatives(tok))
            ):
                yield i, i  # "pani ewie", "panu piotrowi": a declined given name after pan/pani
            elif (
                self.lang == "en"
                and not self._english_word(tok)
                and not NameFinder.is_word(self, tok)
                and tok not in CAPITALISED_WORDS
            ):
                cue = i > 0 and tokens[i - 1][2].lower() in ENGLISH_CUES
                if self.is_listed(tok) or cue:
                    yield i, i
        for i, (_, _, tok) in enumerate(tokens):
            if not _ARABIC_SCRIPT.search(tok):
                continue
            after_title = (
                i > 0 and tokens[i - 1][2] in ARABIC_TITLES and self._adjacent(tokens, i - 1, i, text)
            )
            if after_title or _arabic_first_name(tok):
                last = i
                if last + 1 < len(tokens) and _arabic_first_name(tokens[last + 1][2]):
                    last += 1  # "محمد علي": a second listed name is the family name
                yield i, last

    def _english_word(self, low: str) -> bool:
        """In the (American) list, also in British spelling or plural: "neighbours", "colour"."""
        stem = low.removesuffix("s")
        return any(
            w in self.lex.english_words
            for w in {low, stem, low.replace("our", "or"), stem.replace("our", "or")}
        )


def _arabic_first_name(token: str) -> bool:
    stem = token[1:] if token[:1] in "لوبف" and len(token) > 3 else token
    return (token in ARABIC_FIRST_NAMES or stem in ARABIC_FIRST_NAMES) and token not in ARABIC_NAME_WORDS


# Turkish titles follow the name ("Ayşe hanım", "fatma hanım"), except after "this/that/a".
TURKISH_TITLES = _words("hanım hanim bey abla ağabey abi hoca teyze amca")
TURKISH_DETERMINERS = _words("bu şu o bir ev")
# Polish titles (also the polite "you", so only a given name after them counts), in every case.
POLISH_TITLES = _words("pan pana panu panem panie pani panią")
# Polish case endings of given names and the nominative they come from: Ewa -> ewie, ewy, ewę, ewą;
# Marta -> marcie; Agnieszka -> agnieszce; Olga -> oldze; Piotr -> piotra, piotrowi, piotrem, piotrze.
_POLISH_ENDINGS = (
    ("cie", "ta"),
    ("dzie", "da"),
    ("dze", "ga"),
    ("ce", "ka"),
    ("rze", "ra"),
    ("rze", "r"),
    ("ie", "a"),
    ("owi", ""),
    ("em", ""),
    ("y", "a"),
    ("i", "a"),
    ("ę", "a"),
    ("ą", "a"),
    ("a", ""),
    ("u", ""),
)


# Case forms after "pan"/"pani" whose nominative is a given name somewhere: "pani się zgodziła",
# "dla pani mamy" (your mother's).
_POLISH_WORDS = _words("się mamy mamie mamę mamą taty tacie tatę tatą miły")


def polish_nominatives(low: str) -> set[str]:
    """The nominatives a word can be a case form of: "ewie" -> {"ewa"}, "piotrowi" -> {"piotr"}.

    Only case forms, and a masculine nominative of 4+ letters: a lower-case word after "pani" that
    is itself a name somewhere is as often a Polish word ("pani sama", "pani ma"; "sama" -> "sam")."""
    if low in _POLISH_WORDS:
        return set()
    forms = set()
    for ending, nominative in _POLISH_ENDINGS:
        form = low[: len(low) - len(ending)] + nominative
        if low.endswith(ending) and len(form) >= (3 if form.endswith("a") else 4):
            forms.add(form)
    return forms


# English words after which an unknown lower-case word is a person ("thanks to olumide").
ENGLISH_CUES = _words(
    """to with from thank thanks you my his her our their neighbour neighbor friend son daughter husband
    wife brother sister mother father mr mrs ms miss dear hi hello"""
)
# Arabic titles of address: the word after them is a name.
ARABIC_TITLES = _words(
    """الأستاذة الاستاذة الأستاذ الاستاذ السيدة السيد الست مدام الأخت الاخت الأخ الاخ الدكتور الدكتورة
    الدكتوره الآنسة الانسة استاذة استاذ أستاذة أستاذ سيدة سيد ست خالتي عمو خالة"""
)
# Frequent Arabic first names (as written in Arabic script), for comments in Arabic. Names that are
# also common words ("نور" light, "أمل" hope, "سعيد" happy) only count after a title.
ARABIC_FIRST_NAMES = _words(
    """محمد أحمد احمد محمود مصطفى علي حسن حسين عمر عثمان يوسف إبراهيم ابراهيم خالد يونس ياسين
    عبدالله عبدالرحمن عبدالكريم طارق سمير هشام رشيد نبيل وليد بلال أيوب ايوب إسماعيل اسماعيل
    سليمان موسى عيسى زكريا حمزة أنس انس رضوان منير مروان أيمن ايمن فراس باسل عادل ماهر ناصر
    جمال فيصل رامي سامي هاني زياد مهدي إدريس ادريس عبدالعزيز عبدالقادر
    فاطمة فاطمه خديجة خديجه عائشة عايشة مريم زينب سارة ساره ليلى ليلي سلمى رانيا هالة سناء
    أمينة امينة نادية ناديه سعاد حليمة حنان إيمان ايمان لبنى ياسمين دعاء آمنة امنة صفاء رقية
    هاجر إكرام اكرام سهام نعيمة مليكة لطيفة زهرة سميرة بشرى أسماء اسماء شيماء ريم رزان لانا
    ديما رغد غادة منى وفاء"""
)
ARABIC_NAME_WORDS = _words(
    """نور أمل امل هدى سعيد كريم جميلة حياة سلام صباح رحمة سماح بشرى منى وفاء لطيفة زهرة علي حسن جمال
    عادل سامي نبيل منير ماهر ناصر رشيد هاني باسل أمين امين ريم لانا ديما رغد غادة سناء هالة إيمان ايمان
    صفاء دعاء سهام إكرام اكرام سعاد حنان أسماء اسماء أنس انس ياسمين"""
)


# Words the other languages capitalise inside a sentence.
CAPITALISED_WORDS = _words(
    """god allah bog бог dutch english turkish arabic polish ukrainian netherlands holland monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august
    september october november december pan pani państwo bay bayan hanım hoca пан пані
    türkçe arapça hollandaca ingilizce lehçe ukraynaca kürtçe farsça almanca fransızca rusça türk türkiye
    hollanda suriye fas irak polonya ukrayna istanbul ankara izmir polska polski polsku holandia
    holenderski holendersku ukraina niderlandzki warszawa kraków syria syrian morocco moroccan turkey
    iraq eritrea eritrean somali afghan kurdish dutchman україна україни україні україну нідерланди нідерландів нідерландах нідерландам
    голландії польщі туреччини сирії росії києва харкова одеси львова
    голландія голландії польща туреччина сирія росія київ харків одеса львів маріуполь
    українська українською нідерландська нідерландською англійська англійською"""
)
