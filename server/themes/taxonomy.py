"""The Leerlus theme taxonomy v1 (copied from shared/data/taxonomy.md; ids are stable API values)."""

from __future__ import annotations

from typing import NamedTuple


class Theme(NamedTuple):
    id: str
    label: str
    group: str  # 'leren' | 'ervaring'
    description: str


THEMES: list[Theme] = [
    Theme(
        "relaties-scheiding",
        "Relaties en (v)echtscheiding",
        "leren",
        "Partnerconflicten, scheiding, vechtscheiding, co-ouderschap, omgangsregeling.",
    ),
    Theme(
        "huiselijk-geweld",
        "Huiselijk en seksueel geweld",
        "leren",
        "Huiselijk geweld, kindermishandeling, ouderenmishandeling, seksueel geweld, "
        "onveilige thuissituatie, Veilig Thuis, meldcode.",
    ),
    Theme(
        "opvoeden-opgroeien",
        "Opvoeden en opgroeien",
        "leren",
        "Opvoedvragen, jeugd, schoolverzuim, pubers, ontwikkeling van kinderen, jeugdhulp.",
    ),
    Theme(
        "geldzorgen-schulden",
        "Geldzorgen en schulden",
        "leren",
        "Schulden, achterstanden, armoede, budgetteren, schuldhulpverlening, bewindvoering, energierekening.",
    ),
    Theme(
        "werk-inkomen",
        "Werk, inkomen en dagbesteding",
        "leren",
        "Baanverlies, uitkering, participatie, re-integratie, dagbesteding, vrijwilligerswerk "
        "als dagstructuur.",
    ),
    Theme(
        "psychische-gezondheid",
        "Psychische gezondheid (GGZ)",
        "leren",
        "Depressie, angst, psychose, trauma, suïcidaliteit, wachtlijsten in de GGZ.",
    ),
    Theme("verslaving", "Verslaving", "leren", "Alcohol, drugs, gokken, verslavingszorg."),
    Theme(
        "eenzaamheid-netwerk",
        "Eenzaamheid en sociaal netwerk",
        "leren",
        "Eenzaamheid, isolement, familie/buren/netwerk inschakelen, informele steun.",
    ),
    Theme(
        "wonen",
        "Wonen en huisvesting",
        "leren",
        "Huisvesting, huisuitzetting, dakloosheid, vervuilde woning en verzamelen, burenoverlast.",
    ),
    Theme(
        "ouderen-mantelzorg",
        "Ouderen en mantelzorg",
        "leren",
        "Ouderen, dementie, mantelzorgers, overbelaste mantelzorg.",
    ),
    Theme(
        "gespreksvoering",
        "Gespreksvoering",
        "leren",
        "Gesprekstechniek: open vragen, motiverende gespreksvoering, luisteren, niet te snel "
        "adviseren, slechtnieuwsgesprekken.",
    ),
    Theme(
        "eigen-regie",
        "Eigen kracht en eigen regie",
        "leren",
        "Eigen kracht en regie van de inwoner versterken, coachen, zelfredzaamheid, loslaten, "
        "niet overnemen.",
    ),
    Theme(
        "samenwerking-partners",
        "Samenwerking met partners",
        "leren",
        "Samenwerking met huisarts, school, politie, Veilig Thuis, corporatie, zorgaanbieders, "
        "collega's; casusoverleg; systeemgericht werken met meerdere partijen.",
    ),
    Theme(
        "wijkgericht-werken",
        "Wijkgericht werken",
        "leren",
        "Wijkgericht werken, bewonersinitiatieven, voorliggend veld, collectieve oplossingen in de wijk.",
    ),
    Theme(
        "regels-en-ruimte",
        "Regels, indicaties en maatwerk",
        "leren",
        "Wetten en regels (Wmo, Jeugdwet, Participatiewet), indicaties en beschikkingen, spanning "
        "tussen regels en wat de inwoner nodig heeft, maatwerk.",
    ),
    Theme(
        "grenzen-werkdruk",
        "Eigen grenzen en werkdruk",
        "leren",
        "Eigen grenzen van de professional, stress, werkdruk, agressie tegen de medewerker, "
        "emotionele belasting, zelfzorg.",
    ),
    Theme(
        "cultuur-taal",
        "Cultuur en taal",
        "leren",
        "Taalbarrières, tolken, culturele verschillen, migratie en statushouders, laaggeletterdheid.",
    ),
    Theme(
        "ethische-dilemmas",
        "Ethische dilemma's",
        "leren",
        "Morele vragen: autonomie versus bescherming, privacy versus veiligheid, wanneer ingrijpen, "
        "botsende waarden.",
    ),
    Theme(
        "ervaring-bejegening",
        "Bejegening en gehoord voelen",
        "ervaring",
        "Gehoord, gerespecteerd en serieus genomen voelen, vriendelijkheid, of juist niet.",
    ),
    Theme(
        "ervaring-bereikbaarheid",
        "Bereikbaarheid",
        "ervaring",
        "De medewerker of het team wel of niet kunnen bereiken, telefoon, terugbellen.",
    ),
    Theme(
        "ervaring-duidelijkheid",
        "Duidelijkheid en uitleg",
        "ervaring",
        "Duidelijke uitleg, begrepen vervolgstappen, jargon, brieven.",
    ),
    Theme(
        "ervaring-snelheid",
        "Snelheid en wachttijd",
        "ervaring",
        "Wachttijden, snelheid van de hulp, vertraging.",
    ),
    Theme(
        "ervaring-resultaat",
        "Resultaat van de hulp",
        "ervaring",
        "Of de hulp de situatie echt heeft opgelost of verbeterd.",
    ),
]

THEME_IDS: list[str] = [t.id for t in THEMES]
_BY_ID = {t.id: t for t in THEMES}


def theme_by_id(theme_id: str) -> Theme | None:
    return _BY_ID.get(theme_id)


def allowed_ids(kind: str) -> list[str]:
    """`ervaring-*` themes only apply to resident feedback."""
    if kind == "feedback":
        return THEME_IDS
    return [t.id for t in THEMES if t.group == "leren"]
