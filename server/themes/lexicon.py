"""Theme lexicons: Dutch field vocabulary of wijkteams and the sociaal domein.

Entry syntax (entries separated by "|"):
  word          matches the word and its inflections (lemma/stem)
  schuld*       also as the first part of a compound (schuldhulpverlening, schuldenlast)
  *achterstand  also as the last part of a compound (huurachterstand)
  two words     a phrase, word by word (inflections allowed, no compounds)
  ~term         weak evidence (common word, only counts together with other evidence)
  !term         not negatable: its absence is the theme too ("geen werk", "zonder inkomen")
  ^VT           abbreviation that only counts when written in capitals
  =ouderen      exact word form only (its lemma would be too broad)
Negation only applies to `leren` themes: resident-experience terms count in both polarities
("niet bereikbaar" is about bereikbaarheid).
"""

# Fixed expressions whose words are no evidence for any theme: "rekening houden met" is taking
# something into account, not a bill. Their tokens give no lexicon hits, and the model sees one
# feature ("i:rekening houden") instead of their words. Same entry syntax; inflections match.
# "alleen" in the sense of "only" ("alleen maar geluisterd", "alleen als het uitkomt") is no
# loneliness: it was the most frequent eenzaamheid-netwerk false positive on both dev sets.
FIXED_EXPRESSIONS = """
    rekening houden | rekening mee | houden rekening | hield rekening | hielden rekening |
    rekening gehouden | rekening te houden | houden geen rekening | hield geen rekening |
    alleen maar | alleen als | alleen even | alleen nog | kijk alleen | keek alleen
"""

LEXICON: dict[str, str] = {
    "relaties-scheiding": """
        scheiding* | *scheiding | gescheiden | scheiden | uit elkaar | ex | ex-partner | expartner |
        exman | exvrouw | ex-man | ex-vrouw | omgangsregeling* | *omgangsregeling | ~omgang |
        co-ouderschap | coouderschap | ouderschapsplan | ouderschapsbemiddeling | mediation | mediator |
        alimentatie | relatieproblem* | relatietherapie | relatiecrisis | partnerrelatie | ~relatie |
        huwelijk* | ~ruzie | ~ruzies | ~ruziemaken | voogdij | gezamenlijk gezag | loyaliteitsconflict* |
        ~nieuwe partner | ~beide ouders | ouders apart | bezoekregeling | hoog conflict | ~strijd |
        overdracht van de kinderen | ~partner | ~echtgenoot | ~echtgenote | verlaten | vreemdgaan |
        liefdesverdriet | kinderen niet terug | vechtende ouders | ~vader ziet | ~ouderschap |
        ~conflict | relatie uit | uit huis gegaan | weggegaan bij
    """,
    "huiselijk-geweld": """
        huiselijk geweld | geweld* | *geweld | mishandel* | *mishandeling | kindermishandeling |
        ouderenmishandeling | veilig thuis | ^VT | meldcode | ^AMHK | blauwe plek | blauwe plekken |
        ~slaan | ~slaat | ~sloeg | ~geslagen | schoppen | geschopt | een duw | ~duwen | ~geduwd |
        wurgen | gewurgd | misbruik* | *misbruik | aanranding | aangerand | verkrachting | verkracht |
        grensoverschrijdend* | onveilig* | onveiligheid | veiligheidsplan | ~veiligheid | ~veilig |
        uitbuiting | *uitbuiting | loverboy* | eergerelateerd | huisverbod | blijf van mijn lijf |
        vrouwenopvang | ~bedreigd | ~bedreiging | kindverwaarlozing | ~verwaarlozing | incest |
        zedenzaak | ~zeden | stalking | stalkt | dwingende controle | ~controlerend |
        ~geschreeuw | uit zijn slof | uit haar slof | handtastelijk | een klap | klappen gehad |
        pak slaag | ~tik | ~mep | partnergeweld | vrouwenmishandeling | kindcheck | ~jeugdbescherming |
        ~zorgmelding | ~melding | ~slachtoffer | ~dader | ~pleger | ~pinpas | ~geld opnemen |
        aandachtsfunctionaris | striemen | stalken | gestalkt | ~bij de keel | gewurgd | durft niet naar huis |
        ~bang voor haar man | ~bang voor zijn vrouw | ~bang voor hem | veiligheidsoverleg | ~aangifte |
        vt-melding | ~verwaarloosd | ~getuige | seksueel | sexting | grooming | ~dwingt
    """,
    "opvoeden-opgroeien": """
        opvoed* | *opvoeding | opgroei* | ~kind | ~kinderen | ~kids | jeugd* | *jeugd | jeugdhulp* |
        jeugdzorg | jongere* | ~jongen | ~meisje | puber* | pubertijd | tiener* | ~school |
        schoolverzuim | *verzuim | verzuim* | spijbel* | leerplicht* | thuiszitter* | niet naar school |
        ~mentor | zorgcoördinator | jeugdarts | ^JGZ | jgz | cjg | consultatiebureau | baby | peuter* |
        kleuter* | zuigeling | driftbui* | zindelijk* | ontwikkelingsachterstand | adhd | autisme |
        gedragsproblem* | gedragsprobleem | gepest | pesten | ~pest | schoolkeuze | kinderopvang |
        ~huiswerk | ~zoon | ~dochter | ~oudste | ~jongste | ~zusje | ~broertje | gezinscoach |
        zwanger* | kraamtijd | kinderbescherming | ^OTS | ondertoezichtstelling | gezinshuis | pleegzorg |
        pleeggezin | pleegouder* | uithuisplaatsing | opvoedspreekuur | triple p | ~speciaal onderwijs |
        passend onderwijs | zorgleerling | ~vmbo | ~mbo | ~basisschool | middelbare school |
        ~op kamers | 18-/18+ | 18 worden | jongvolwassen* | ~klas | ~juf | ~meester | grenzen stellen |
        ~bedtijd | ~gamen | ~schermtijd | ~ouder | ~ouders | ~moeder | ~vader | kinderkamer |
        ~jeugdbescherming | ~gezin | ~speelt | ~zorgen om zoon | lastig gedrag | ~slapen en voeding |
        ~voeding |
        gezinsvoogd* | jeugdbeschermer* | jeugdbescherming | jeugdreclassering | ~raad voor de kinderbescherming |
        intern begeleider | schoolmaatschappelijk werk | jongerenwerk* | ~jongvolwassene | 18-min | 18-plus |
        opvoedcursus | oudercursus | ~tweeling | ~peuter | ~baby | schoolreis | ~leerling | ~puberdochter |
        ~pubers | ~thuiszitten | verlengde jeugdhulp
    """,
    "geldzorgen-schulden": """
        schuld* | *schuld | *schulden | shv | schuldhulpverlening | schuldsanering | wsnp |
        minnelijk traject | budget* | *budget | budgettering | bewind* | bewindvoer* | beschermingsbewind |
        leefgeld | weekgeld | achterstand* | huurachterstand | betaalachterstand | premieachterstand |
        zorgpremieachterstand | energieachterstand | belastingachterstand | rood staan | roodstand |
        deurwaarder* | incasso* | aanmaning* | ~beslag | beslaglegging | loonbeslag | ~afgesloten |
        afsluiting | energierekening | gasrekening | waterrekening | telefoonrekening | zorgrekening |
        ziekenhuisrekening | tandartsrekening | jaarafrekening | eindafrekening | ~bankrekening |
        ~spaarrekening | ~verrekening | ~rekening | ~rekeningen | openstaande rekening | onbetaalde rekening |
        !rekening niet betalen | !rekeningen niet betalen | ~rekeningen betalen | stapel rekeningen | rekeningen stapelen |
        betalingsafspraak | betalingsafspraken | afspraken met schuldeisers | afspraak met de schuldeiser |
        energietoeslag | energiearmoede |
        armoede* | !arm | !krap | !geen geld | niet rondkomen | !rondkomen | voedselbank | noodfonds |
        bijzondere bijstand | ~toeslagen | toeslagenaffaire | ~boete | ~boetes | cjib |
        betalingsregeling* | lening* | geleend | lenen | krediet | achteraf betalen | ~post |
        stapel post | ongeopende post | ~administratie | thuisadministratie | geldzaken | financiën |
        ~financieel | ~financiële | geldzorg* | ~kosten | vaste lasten | kwijtschelding | wanbetaler |
        geldproblem* | ~pinpas | ~boodschappen | schuldhulpmaatje | geldloket | vroegsignalering |
        !geen geld | niet betalen | kan niet betalen | ~betalen | ~euro | €* | ~geldzaken |
        ~enveloppen | openstaande | ~minima | minimaregeling | ~grip op mijn geld | ~grip op geld |
        ~energie | ~verwarming | ~energieteam | ~kwijt | inkomsten en uitgaven | ~uitgaven |
        ~huurachterstand | brieven van schuldeisers | schuldeiser* |
        beslagvrije voet | dwangbevel | betalingsachterstand* | aflos* | afbetal* | kredietbank |
        budgetbeheer | budgetcoach* | geldcoach | pauzeknop | terugvordering | ~*toeslag | huurtoeslag |
        zorgtoeslag | kinderopvangtoeslag | langdurigheidstoeslag | minimabeleid | voedselpakket* |
        ~ongeopend | ~koelkast was leeg | ~lege koelkast | leergeld | !komt niet rond | !kom niet rond | !niet rond | schuldenlast | !~geld | klarna |
        premieregime | gemeentelijke kredietbank | schuldregeling | saneringskrediet | vaste-lastenlijst
    """,
    "werk-inkomen": """
        !=werk | !werkloos* | !baan | baanverlies | ontslag* | ontslagen | !uitkering* | bijstand* |
        ^WW | uwv | aow | wia | wao | wajong | participatie* | participatiewet | re-integratie |
        reintegratie | werkplein | werkcoach | jobcoach | sollicit* | vacature* | ~dagbesteding |
        vrijwilligerswerk | ~vrijwilliger | dagstructuur | ~structuur | !inkomen | !loon | !salaris |
        arbeidsplicht | tegenprestatie | ziektewet | arbeidsongeschikt* | werkgever | zzp* |
        nulurencontract | uitzendbureau | uitzendwerk | beschut werk | sociale werkplaats | werkervaring |
        ~opleiding | ~cursus | ~stage | !inkomsten | ~werken | ~werkt | !zonder inkomen | ~ploegendienst* |
        ~fulltime | ~parttime | taalstage | leerwerkplek | werkfit | ~kringloop | ~de deur uit |
        ~reden om | thuis zitten | ~hele dag | daginvulling | ~zinvolle | werkzoekend* | ~solliciteren |
        ~werkloosheid | leerbaan | ~arbeidsmarkt | arbeidsmarkt* | !werkloos |
        werkervaringsplek | re-integratiebedrijf | re-integratietraject | arbeidsdeskundige | werkplek |
        startkwalificatie | bbz | ondernemersloket | klantmanager | werkloosheidswet | ^WIA | ~pensionering |
        ~met pensioen | zorgboerderij | ~werkritme | dagritme | ~ritme | omscholen | omscholing
    """,
    "psychische-gezondheid": """
        ggz | *ggz | ggz-* | psychisch* | psychiatr* | depressie* | depressief | ~somber* | angst* |
        angstig | paniekaanval* | psychose* | psychotisch | trauma* | getraumatiseerd | ptss |
        suïcid* | suicid* | zelfmoord* | doodswens | hoeft niet meer | niet meer leven | er een einde aan |
        burn-out | burnout | psycholoog | psychiater | poh-ggz | poh ggz | fact | fact-team |
        crisisdienst | ~opname | ~kliniek | ^IBS | zorgmachtiging | verward* | ~piekeren | ~piekert |
        bipolair | borderline | persoonlijkheidsstoornis | schizofren* | dwangstoornis | ocd |
        eetstoornis | anorexia | boulimia | zelfbeschadiging | automutilatie | ~medicatie |
        antidepressiva | stemmen horen | hoort stemmen | achterdocht* | paranoïde | paranoia | ~rouw |
        ~gek | mentaal | mentale | ~beschermd wonen | ~zakt weg | ~slaapt slecht | ~niet slapen |
        ~overspannen | ~labiel | ~emotioneel | ~huilen | ~huilde | ~paniek | ~wachtlijst | ~intake |
        geestelijke gezondheid | ~zorgmijder | ~zit niet lekker in zijn vel | ~niet lekker in haar vel |
        ~wanhopig | ~hopeloos | ~lusteloos | ~spanningsklachten | ~stress | ~psychiatrische |
        oggz | =113 | zelfdoding | nachtmerrie* | flashback* | herbeleving* | angststoornis | paniekstoornis |
        ~rouwverwerking | traumabehandeling | emdr | ~niet meer willen leven | ~niet meer wil leven |
        ~einde aan maken | crisisopname | ~meldpunt zorgwekkend gedrag | zorgwekkend gedrag | ~somberheid
    """,
    "verslaving": """
        verslav* | *verslaving | verslaafd | alcohol* | drank* | ~drinkt | ~drinken | ~dronk |
        ~gedronken | dronken | drankgebruik | ~bier | biertjes | ~bier | ~wijn | lege blikken |
        lege flessen | drugs* | *drugs | blow* | wiet | cannabis | coke | cocaïne | xtc | ghb | heroïne |
        lachgas | drug* | ~gebruikt | middelengebruik | ~middelen | gok* | *gokken | gokverslaving | casino |
        gameverslaving | tactus | jellinek | brijder | novadic | iriszorg | ^AA | afkicken | ontwenning |
        ~clean | ~terugval | methadon | dealer* | dealen | ~gamen | ~kater | verslavingszorg |
        ~flessen | ~blikken | speed | ~snuiven | ~spuiten | ~drinkgedrag | ~drinkt veel | ~stoned |
        ~onder invloed | onder invloed | ~sigaretten | ~roken | ~krasloten |
        detox | afkick* | crack | ~nuchter | ~slaappillen | ~oxazepam | ~benzo* | drugsgebruik |
        gokschuld* | gokken | online gokken | ~poker | ~krasloten | ~café | ~kroeg | ~drankprobleem |
        alcoholprobleem | terugvalpreventie
    """,
    "eenzaamheid-netwerk": """
        eenzaam | eenzaamheid | eenza* | vereenzaming | vereenzaamd | vereenza* | isolement | geïsoleerd | sociaal isolement | netwerk* | *netwerk |
        sociaal netwerk | ~familie | ~buren | ~buurvrouw | ~buurman | ziet niemand | niemand om |
        ~alleen | mist mensen | ~contacten | sociale contacten | ~vrienden | ~vriendin | maatje |
        maatjesproject | bezoekdienst | zilverlijn | luisterlijn | informele steun | informele hulp |
        ~kennissen | ~kerk | ~ontmoeting | ~koffieochtend | de deur niet uit | ~nooit buiten |
        ~naasten | ~familieleden | ~broer | ~zus | steunsysteem | eigen netwerk | netwerkberaad |
        ~weduwe | ~weduwnaar | ~overlijden | ~overleden | ~aanspraak | ~niemand | ~vereenzaamt |
        ~sociale | ~mensen om zich heen | ~ziet soms dagen | ~buurtgenoot | ~kleinkinderen |
        ~langskomen | ~langs te komen | ~op bezoek | ~visite | ~steun | ~inschakelen | ~betrekken |
        ~erbij betrekken |
        achter de geraniums | zonnebloem | ~niemand meer | ~met niemand | ~omkijkt | ~geen aanspraak |
        ~niemand gesproken | ~alleen thuis | ~geen vrienden | ~geen familie | belrondje | ~eenzame
    """,
    "wonen": """
        woning* | *woning | ~huis | ~thuis | huur* | *huur | huurder* | verhuur* | corporatie* |
        woningcorporatie | woonconsulent | verhuurder | huisbaas | ontruiming* | ontruimen | ontruimd |
        huisuitzetting | uitzetting | dakloos* | thuisloos | zwerven | bankslaper* | slaapt op de bank |
        daklozenopvang | maatschappelijke opvang | nachtopvang | vervuil* | ~verzamel* | verzameldrang |
        hoarding | overlast* | *overlast | buurtbemiddeling | ~urgentie | overbewoning | schimmel* |
        ~vocht | lekkage | verhuiz* | ~verhuisd | woningzoekend* | ~kamer | woonruimte | onderdak |
        ~meubels | ~inrichting | brandgevaar | kakkerlak* | ongedierte | ~muizen | woonsituatie |
        huisvesting | ~flat | housing first | kamerbewoning | antikraak | ~beschermd wonen | ^BW |
        begeleid wonen | zelfstandig wonen | ~wonen | ~woont | ~driekamerwoning | woonlasten |
        ~bovenburen | ~onderburen | ~buren | ~geluidsoverlast | ~stank | ~vuil | ~rommel |
        ~looppad | ~stapels | ~kranten | ~dozen | ~opruimen | ~hokje | ~caravan | ~straat |
        ~op straat | ~slaapplek | urgentieverklaring | ~woonconsulent | ~verwarming | ~tochtstrips |
        ~radiatorfolie |
        huurteam | woonadres | postadres | gedragsaanwijzing | tweede-kansovereenkomst | tweedekans* |
        ~gesloopt | ~sloop | seniorenwoning | benedenwoning | gelijkvloers* | ~woonlasten | ~zelfverwaarlozing |
        ~verwaarloosd | woonbegeleiding | ~uit huis gezet | ~geen huis | ~portiek | ~lift | woningzoekende
    """,
    "ouderen-mantelzorg": """
        =ouderen | =oudere | ouderenadviseur | ouderenwerk* | bejaard* | hoogbejaard | senior* |
        dementie* | dement | alzheimer* | parkinson* | vergeetachtig* | geheugenproblem* |
        mantelzorg* | *mantelzorg | *mantelzorger | overbelast* | respijtzorg | logeeropvang |
        ~dagbesteding | verpleeghuis* | verzorgingshuis* | ^WLZ | wlz | ~ciz | thuiszorg |
        wijkverpleging | ~wijkverpleegkundige | casemanager dementie | valpreventie | ~gevallen |
        rollator | ~aow | ~pensioen | ~echtpaar | ~zorgt voor | ~zorgen voor haar | ~zorgen voor zijn |
        ~zorg voor haar moeder | ~zorg voor zijn vader | ~moeder | ~vader | ~opa | ~oma | ~kleinkinderen |
        ~thuis wonen | ~alleenwonend | ~hulpbehoevend | ~broos | kwetsbare ouderen | ~traplift |
        ~scootmobiel | ~alarmering | ~gas aan | ~zorgverlof | ~valt | ~eet nauwelijks | ~bezoekdienst |
        ~meneer en mevrouw | ~verhuizen naar | ~zorgappartement | ~aanleunwoning | mantelzorgwoning |
        casemanager dementie | logeerhuis | personenalarmering | mantelzorgconsulent | mantelzorgwaardering |
        ~beroerte | ~geheugen | ~vergeet | ~vergeten | ~weduwe | ~weduwnaar | ~hoogbejaarde | ~senioren |
        ~maaltijdservice | ~op haar tandvlees | ~op zijn tandvlees | ~zorgt al jaren | ~zorg voor
    """,
    "gespreksvoering": """
        gespreksvoering | gesprekstechniek* | open vragen | open vraag | doorvragen | doorgevraagd |
        ~luisteren | ~luisterde | ~geluisterd | actief luisteren | ~stilte | ~stiltes | ~samenvatten |
        ~samengevat | motiverende gespreksvoering | ^MI | slecht nieuws | slechtnieuwsgesprek* |
        slechte nieuws | ~oplossingen | te snel met oplossingen | ~advies geven | ~adviseren |
        ~confronteren | ~geconfronteerd | ~vroeg wat | ~gevraagd wat | ~vragen wat | ~benoemen |
        ~benoemd | ~aansluiten | non-verbaal | lichaamstaal | oogcontact | ~toon | korte zinnen |
        terugvertellen | navertellen | ~weerstand | ambivalent* | verandertaal | ~reflecteren |
        parafrase* | vragen stellen | vraagverheldering | ~keukentafelgesprek | ~bespreekbaar |
        ~motivatie | ~laten uitpraten | ~onderbreken | klapte dicht | dichtklappen | ~overspoeld |
        ~met de deur in huis | ~ingepakt | moeilijke boodschap | ~neiging | ~gaten te vullen |
        ~gesprek | ~gesprekken | ~gespreksstof | ~vraag | ~vragen | ~doorvroeg | ~luisterde alleen |
        ~eerst vragen | ~eerst luisteren | ~geluisterd in plaats van | ~wat ze zelf | ~contact maken |
        ~vertrouwen opbouwen | ~aannames | ~aannames checken | ~te veel tegelijk | ~één onderwerp |
        ~boodschap | ~ingreep | ~apart | ~aangesproken | ~verwachtte | ~het woord | ~zei ik |
        ~formulering | ~verwoorden | ~helder zeggen | ~daar werd hij stil | ~stil van | ~praten |
        ^LSD | luisteren samenvatten doorvragen | scaling question | schaalvraag | reflecterend luisteren |
        ~meegegaan in de weerstand | ~teruggegeven | ~terugvertellen | ~small talk | ~één vraag |
        slechtnieuwsgesprek | ~boodschap in de eerste zin | ~gezwegen | ~zwijgen | ~stil gewacht
    """,
    "eigen-regie": """
        eigen regie | eigen kracht | zelfredzaam* | zelfredzaamheid | ~zelf | zelf doen | zelf regelen |
        ~zelf bellen | belt zelf | zelf gebeld | zelf laten | liet hem zelf | liet haar zelf |
        !overnemen | !overgenomen | !over te nemen | !overneemt | loslaten | afbouw* | afschalen |
        eigen oplossingen | eigen plan | krachtgericht | oplossingsgericht | empowerment | ~coachen |
        ~coaching | ~regie | ~zelfstandig | zelfvertrouwen | ~vasthouden | ~vasthoud | ~afhankelijk |
        zelf al geprobeerd | ~eigen keuze | ~zelf bepalen | ~kleine stappen | ~stap voor stap |
        eigen kracht-conferentie | familiegroepsplan | ~grip | ~zelf kan | ~zelf doet | ~zelf kwam |
        ~kwam zelf | ~van hem | ~van haar | ~zelf mee | ~zelf in | ~zelf op | ~zelf iets | ~zelf te |
        ~houdt mij op de hoogte | ~stuurt hem zelf | ~zelf beheren | ~zelf blijven | ~niks te regelen |
        ~hoefde niks | ~zelf voor elkaar | ~eigen tempo | ~eigen doelen | ~meer zelf | ~uit handen |
        ~achter zit | ~erachter | ~kracht | ~sterke kanten | ~mee laten doen |
        familiegroepsplan | zelfredzaamheidsmatrix | ~ontzorg* | ~neem te veel over | ~te veel over |
        ~zelf laten doen | ~zelf de | ~zelf haar | ~zelf zijn | ~zelf gevonden | ~baas in eigen huis |
        ~achterover | coachend | ~zelf een
    """,
    "samenwerking-partners": """
        samenwerk* | *samenwerking | huisarts* | ^POH | praktijkondersteuner* | ~school |
        leerplichtambtenaar | ~leerplicht | politie | wijkagent* | ~veilig thuis | ~^VT | ~corporatie |
        ~woonconsulent | zorgaanbieder* | ~aanbieder | ~collega | ~collega's | ~collegiale consultatie |
        casusoverleg | ^MDO | mdo | multidisciplinair* | ketenpartner* | ~partners | ~partijen |
        ~afstemmen | ~afgestemd | afstemming | ~overleg | om tafel | rondetafel* | rolverdeling |
        één plan | 1gezin1plan | zorgcoördinatie | ~regie | aanspreekpunt | ~fact-team | ~jeugdarts |
        ~jgz | ggd | reclassering | zorg- en veiligheidshuis | veiligheidshuis | ~maatschappelijk werk |
        warme overdracht | ~doorverwijzen | ~verwezen | ~ingeschakeld | ~inschakelen | ~schakelt |
        samen op | ~gezamenlijk | systeemgericht | ~netwerkberaad | ~consultatie | ~jeugdbescherming |
        ~kinderbescherming | ~wijkverpleegkundige | ~ander beeld | ~trekken samen op | ~in beeld |
        ~gebeld met | ~contact gehad met | ~poh-ggz | ~bewindvoerder | ~ouderenadviseur |
        ~mantelzorgconsulent | ~wmo-consulent | ~consulent | ~zorgcoördinator | ~mentor |
        ~behandelaar | ~begeleider | ~instanties | ~ketensamenwerking | ~elkaars | ~iedereen had |
        ~beide kanten | ~met de school | ~met school | ~verwijsindex | ~teamleider | ~supervisor |
        buurtagent* | aandachtsfunctionaris | zorg- en veiligheidshuis | ~intern begeleider | ~gezinsvoogd |
        ~jeugdbeschermer | ~jeugdarts | ~huisartsenpraktijk | ~reclassering | ~ggd | ~wijkverpleging |
        ~thuiszorgorganisatie | ~kredietbank | ~overdracht | schuldenoverleg | ~rondetafel | ~iedereen had
    """,
    "wijkgericht-werken": """
        wijkgericht* | wijkavond* | wijkaanpak | wijknetwerk | wijkinitiatief* | wijkbudget |
        wijkraad | wijkplatform | wijkbewoner* | ~wijk | ~in de wijk | ~wijkcentrum | buurthuis* |
        buurtbemiddeling | ~buurtgenoot | buurtkamer | buurtpreventie | buurtcoach | buurtnetwerk |
        buurtsportcoach | buurtinitiatief | bewonersinitiatief* | bewonerscommissie | ~bewoners |
        bewonersavond | voorliggend veld | voorliggende voorziening* | collectief | collectieve |
        algemene voorziening* | ~vrijwilligers | vrijwilligersorganisatie | ~welzijn | welzijnswerk* |
        welzijnsorganisatie | opbouwwerk* | taalcafé | repair café | ~koffieochtend | inloop* |
        ontmoetingsplek | huiskamer van de wijk | energieteam | energiecoach* | sociale kaart |
        ~activiteit | ~activiteiten | ~community | ~speeltuin | ~galerij | ~kringloop | ~buurt |
        ~straat | buurtfeest | ~buurtvereniging | ~moestuin | ~buurtgenoten | ~bijeenkomst | ~opkomst |
        ~eetcafé | ~samen eten | ~buurtkamer | ~vrijwilliger | ~maatje zoeken | ~initiatief | ~faciliteer |
        wijkschouw | buurtschouw | buurtrestaurant | digicafé | geldcafé | burendag | straatfeest | buurtbus |
        buurtwacht | wijkteam in de wijk | sleutelfiguren | ~bewonersgroep | ~huis aan huis |
        ~speelgroep | ~wandelgroep | ~meidengroep | ~sociale onderneming | ~energiebank | ~repair
    """,
    "regels-en-ruimte": """
        wmo | wmo-* | jeugdwet | participatiewet | indicatie* | *indicatie | beschikking* | toekenning |
        ~toegekend | ~afgewezen | ~afwijzing | ~aanvraag | ~aanvragen | maatwerk* | ~regel | ~regels |
        regelgeving | ~beleid | beleidsregel* | ~protocol | ~procedure | bezwaar* | hardheidsclausule |
        pgb | zorg in natura | ~wlz | ~ciz | eigen bijdrage | ~keukentafelgesprek | ~ondersteuningsplan |
        ~huishoudelijke hulp | huishoudelijke ondersteuning | beslistermijn | ~termijn | ~verlenging |
        herindicatie | gat in het systeem | tussen wal en schip | 18-/18+ | ~systeem | bureaucratie* |
        ~formulier | ~formulieren | ~voorwaarden | ~criteria | ~urgentie | urgentiegrond | kostendelersnorm |
        ontheffing | ~arbeidsplicht | ~sanctie | ~maatregel | ~recht op | ~geen recht | ~valt buiten |
        ~financiering | ~contract | budgetplafond | ~wachtlijst | ~de gemeente | ~consulent |
        ~op papier | ~volgens de regels | ~ruimte voor | ~uitzondering | ~loket | ~toegang |
        ~verantwoording | ~cijfers | ~productie | ~6 weken | ~termijnen | ~wet | ~juridisch |
        ~verlopen | ~overbrugging | ~stopt | ~afloopt | ~loopt af | ~regeling | ~voorziening |
        gebruikelijke zorg | wmo-melding | ~klantmanager | ~cak | ~rugzakje | ~herindicatie | ~valt net |
        ~net boven de norm | ~de norm | ~buiten de regels | ~het beleid | ~volgens het beleid | ~verlopen |
        ~bureaucratie | ~kastje naar de muur | ~tussen wal en schip | ~gat in de zorg
    """,
    "grenzen-werkdruk": """
        werkdruk* | te druk | ~druk | ~stress | ~gestrest | ~overbelast | eigen grenzen | ~grens |
        mijn grens | mijn grenzen | agressie* | agressief | ~schreeuwen | ~schreeuwde | ~bedreigd |
        scheldt | uitgescholden | ~intimiderend | ~intimidatie | trilde | ~trillen | supervisie |
        ~supervisor | ~intervisie | ~teamleider | ~leidinggevende | zelfzorg | slaap er slecht van |
        ~wakker van | mee naar huis | thuis nog bezig | ~bezighoudt | blijft hangen | ~emotioneel |
        ~zwaar | zwaarste | ~moe | overuren | caseload | ~casussen | ~burn-out | ~overspannen |
        met z'n tweeën | ~met een collega | niet alleen naartoe | ~grommen | ~hond | ~spannend |
        ~vermoeid | debriefing | incidentmelding | nee zeggen | ~eigen welzijn | ~uitgeput |
        ~mijn hoofd | ~ik merk dat ik | ~ik voel | ~raakte mij | ~raakt me | ~geraakt | ~vol zitten |
        ~te veel | ~lastig bezoek | ~onveilig voelde | ~boos | ~dreigen | ~dreigde | ~aangesproken |
        ~vanavond | ~ontspannen | ~ziekmelding | ~ziek gemeld | ~tempo | ~achterstand in |
        ~intervisie | ~caseload | ~ziek gemeld | ~ziekgemeld | ~mijn vrije tijd | ~privénummer |
        ~werktelefoon | ~na vijf uur | ~kan het niet loslaten | ~niet loslaten | ~op ben | ~vol | ~huilen |
        ~moest even huilen | ~raakt me persoonlijk | ~persoonlijk | ~prikkelbaar | ~opgevangen | uitgescholden
    """,
    "cultuur-taal": """
        taal* | ~taal | talencursus | talenkennis | tolk* | tolken | tolkte | tolkcentrum | telefonische tolk | ~nederlands |
        spreekt geen nederlands | nederlandse taal | arabisch | turks | turkse | pools | poolse |
        marokkaans* | eritrea | eritrees | eritrese | tigrinya | syrië | syrisch* | somalisch |
        somalië | oekraïne | oekraïens* | afghaans* | afghanistan | koerdisch | farsi | ~engels |
        bulgaars* | roemeens* | statushouder* | vluchteling* | asiel* | azc | inburger* |
        nieuwkomer* | migrant* | migratie* | arbeidsmigrant* | cultuur* | *cultuur | culturele |
        cultureel | laaggeletterd* | slecht lezen | niet lezen | analfabe* | ~b1 | ~brieven |
        ~voorlezen | ~voorlas | hoofddoek | ramadan | moskee | imam | ~religie | ~geloof |
        familie-eer | ~achtergrond | ~aannames | vooroordeel | vooroordelen | google translate |
        vertaalapp | ~vertalen | ~vertaling | nt2 | ~spreekt | ~dialect | ~buitenlands |
        ~kan niet lezen | ~leest niet | ~lezen en schrijven | digibeet | ~digitaal | ~turks |
        ~gewoontes | ~gebruiken | ~schaamte | ~eer | ~man voert het woord |
        taalhuis | taalmaatje | pictogram* | dari | pashtu | tigrinya | ^COA | ~gemeenschap |
        ~nederlandse regels | ~schoonvader | ~oudste man | ~eigen taal | ~vertaalapp | ~handen en voeten |
        ~gewoonte | ~schoenen
    """,
    "ethische-dilemmas": """
        dilemma* | ethisch* | ~moreel | morele | ~twijfel | ~twijfel of | ~twijfelde | autonomie |
        zelfbeschikking | ~bescherming | ~privacy | beroepsgeheim | zwijgplicht | ~toestemming |
        ~melden | moet ik melden | ~ingrijpen | wie mag beslissen | ~mag dat zelf bepalen |
        ~zelf bepalen | tegen de wil | tegen zijn wil | tegen haar wil | wilsbekwaam* | wilsonbekwaam* |
        bemoeizorg | drang en dwang | ~dwang | ~verraden | ~vertrouwen schenden | ~loyaal | ~waarden |
        ~geweten | ~onderbuik | moreel beraad | ~afweging | ~afwegen | ~botsende | spanningsveld |
        ~grijs gebied | ~gedwongen | zorgmijd* | ~bemoeien | ~mag ik | ~kan ik dit | ~weet niet wie |
        ~weet eerlijk gezegd niet | ~recht om | ~vrijheid | ~wil geen hulp | ~wilde geen hulp |
        ~ik maak me zorgen | ~mag hij dat | ~mag zij dat | ~eigen keus | ~snap ze allebei |
        ~wat weegt zwaarder | ~beslissen | ~wat is wijsheid | ~vertrouwelijk | ~geheim | ~vertellen |
        ~wil niet dat | ~zonder medeweten | ~achter de rug | ~inbrengen | ~veiligheid van |
        ~in vertrouwen | ~beloofd | ~mag ik | ~mag dat | ~wie beslist | ~aan zijn lot | ~aan haar lot |
        ~vrijheid of | ~veiligheid of | ~zijn keuze | ~haar keuze | ~respecteer | ~voortrek | ~zwakke plek |
        ~cadeau* | ~privé | ~kans geven | ~het recht
    """,
    "ervaring-bejegening": """
        vriendelijk* | onvriendelijk | aardig | aardige | respect* | respectvol | ~gehoord | gezien |
        voelde me gehoord | voel me gehoord | voelde mij gehoord | echt gehoord | niet gehoord |
        serieus genomen | ~serieus | ~betrokken | meelevend | begripvol | ~begrip | ~warm | menselijk |
        bot | botte | kortaf | arrogant | neerbuigend | uit de hoogte | als een nummer | niet geloofd |
        luisterde | luisterend oor | ~luisteren | ~geluisterd | op haar telefoon | op zijn telefoon |
        nam de tijd | tijd voor me | tijd voor mij | ~vertrouwen | ~prettig | dacht mee |
        dacht echt met me mee | ~meedenken | ~meegedacht | ~oordeel | veroordeeld | zonder oordeel |
        ~lief | geduld* | geduldig | ongeduldig | afgeblaft | afgescheept | ~hele verhaal |
        zoveelste keer | ~aandacht | bejegening | beleefd | onbeschoft | ~oprecht | partijdig | ~uitgelachen |
        ~behandeld | ~gevoel | ~voelde me | ~voel me | ~lieve | ~begrepen | als een kind | als kind |
        ~echt | als mens | als een mens | ~normaal | ~toon | ~steun | ~luisterde niet | ~geen interesse | ~ongeïnteresseerd |
        ~keek niet op | ~nam me | ~nam mij | ~afgewimpeld | ~vervelend
    """,
    "ervaring-bereikbaarheid": """
        bereikbaar* | onbereikbaar | te bereiken | ~bereiken | ~bellen | ~gebeld | terugbellen |
        teruggebeld | belde terug | belt terug | ~telefoon | ~telefonisch | voicemail | bandje |
        ingesproken | inspreken | ~mail | ~gemaild | geen reactie | reageerde niet | ~antwoord |
        ~aan de lijn | ~lijn | wachtrij | in de wacht | ~spreekuur | openingstijden | ~loket |
        contactpersoon | vaste contactpersoon | ~appen | ~app | ~whatsapp | ~opnemen | nam niet op |
        neemt niet op | niemand nam op | nam niemand op | niemand opnam | ~weekend | ~contact | ~reageert | ~gereageerd | ~bericht | ~berichtje |
        ~keer gebeld | ~niemand | ~langs lopen | ~gelopen | ~nummer | ~terug | ~vakantie |
        ~afwezig | ~ziek | ~maandag | ~dinsdag | ~vrijdag | ~'s avonds | ~mailtje | niks meer gehoord |
        niets meer gehoord | nooit meer iets gehoord | niks meer van gehoord | niets meer van gehoord |
        nooit meer iets van gehoord | nooit iets van gehoord | nooit gekomen | niet komen opdagen | afgezegd
    """,
    "ervaring-duidelijkheid": """
        duidelijk* | onduidelijk* | uitleg | uitgelegd | ~uitleggen | ~legde uit | ~begreep |
        ~begrijpen | snapte | ~snap | moeilijke woorden | vaktaal | jargon | ~brief | ~brieven |
        wat er gaat gebeuren | wat er nu gaat gebeuren | vervolgstap* | volgende stap | ~helder |
        verwarrend | ~informatie | ~info | ~verslag | ~afspraken | ~op papier | in gewone taal |
        =begrijpelijk | =begrijpelijke | onbegrijpelijk | niet verteld | niemand had verteld | waar ik aan toe |
        wat ik moet doen | ~stappenplan | ~overzicht | ~weet nog steeds niet | ~weet niet wat |
        ~wist niet | ~zelf iets aanvragen | ~moet ik | ~hoe het zit | ~wat de bedoeling | ~bedoeling |
        ~uitgelegd | ~onduidelijkheid | ~vragen | ~begrijp | ~snappen | ~verteld | ~wie | ~uitleg over
    """,
    "ervaring-snelheid": """
        lang geduurd | ~duurde | ~duurt | ~wachten | ~wacht | wachttijd* | wachtlijst* | ~weken |
        ~maanden | ~snel | snelle | ~meteen | ~direct | volgende dag | binnen een week | ~binnen |
        vlot | ~eindelijk | traag | trage | vertraging | vertraagd | lang op zich | ~nog steeds |
        ~nog altijd | eindeloos | pas na | te laat | ~op tijd | snelheid | doorlooptijd | ~lang |
        ~zolang | ~dagen | ~week | ~al vier weken | ~aanmelding | ~gewacht | ~zeven weken |
        ~twee maanden | ~vlug | ~gelijk | ~dezelfde dag | ~zo snel | ~snel geregeld | ~kwam pas
    """,
    "ervaring-resultaat": """
        ~geholpen | goed geholpen | opgelost | ~oplossing | resultaat | niks veranderd | niets veranderd |
        slaap weer | kan weer slapen | van het kastje naar de muur | niks mee opgeschoten | lost niks op |
        niks opgelost | niets opgelost | helpt niks | hielp niks | nergens op uitgelopen |
        ~veranderd | verbeterd | ~beter | gaat beter | ~gaat weer | slaap ik weer | ~rust | ~lucht |
        ~opgelucht | verschil gemaakt | ~vooruit | stap verder | ~weer grip | ~nog steeds |
        niet geholpen | niets opgeleverd | schiet niet op | niks opgeschoten | ~blij | dankzij |
        door de hulp | had ik maar eerder | ~geregeld | is geregeld | ~kan ik blijven | ~probleem |
        ~werkt | =helpt | hielp | ~effect | zinloos | nutteloos | ~teleurgesteld | ~eindelijk |
        ~zelfde | ~opgeleverd | ~gelukt | ~gaat goed
    """,
}
