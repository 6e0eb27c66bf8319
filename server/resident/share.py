"""What the app says when it shares a link, and what a card promises: words that match the real form.

Pure: no Flask, no database. The form a resident gets has the team's statements (faces), then one
open question and one question about contact, so "4 korte vragen" for a team with two statements.
Plurals follow the CLDR categories for the six resident languages (integers only).
"""

from server.resident.messages import texts

# After the statements the form asks two more things: "Wat wilt u ons nog zeggen?" and whether
# the medewerker may get in touch.
QUESTIONS_AFTER_STATEMENTS = 2


def question_count(items: list[str]) -> int:
    return len(items) + QUESTIONS_AFTER_STATEMENTS


def plural_category(lang: str, n: int) -> str:
    """The CLDR plural category of a whole number n in one of the resident languages."""
    n = abs(n)
    if lang == "ar":
        if n in (0, 1, 2):
            return ("zero", "one", "two")[n]
        return "few" if 3 <= n % 100 <= 10 else "many" if 11 <= n % 100 <= 99 else "other"
    if lang in ("pl", "uk"):
        if n % 10 == 1 and n % 100 != 11 and (lang == "uk" or n == 1):
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


def parts(lang: str, count: int, variant: str = "wmo") -> str:
    forms = texts(lang, variant)["parts"]
    return forms.get(plural_category(lang, count), forms["other"]).format(count=count)


def share_texts(lang: str, variant: str, *, team: str, count: int, url: str) -> dict[str, str]:
    """The texts the medewerker's phone shares or shows the resident, in the link's language."""
    t = texts(lang, variant)
    words = parts(lang, count, variant)
    return {
        "share_title": t["title"],
        "share_text": t["share_text"].format(team=team, parts=words, url=url),
        "reshare_text": t["reshare_text"].format(team=team, parts=words, url=url),
        "scan_text": t["scan_text"].format(parts=words),
    }


def card_sentence(lang: str, variant: str, count: int) -> str:
    return texts(lang, variant)["card_sentence"].format(parts=parts(lang, count, variant))
