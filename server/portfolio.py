"""Mijn portfolio: a medewerker's own evidence for a period, as data, CSV and an A4 PDF.

Pure: the caller gathers the rows (own rows only) and passes them in with the clock. Residents'
answers arrive as score dictionaries and leave only as averages over at least k answers.
"""

import csv
import io
from datetime import date, datetime
from statistics import fmean

from jinja2 import Environment, PackageLoader, select_autoescape

# Hours count for the registers' reflection category; they check and award points themselves.
REGISTERS = [
    {
        "id": "skj",
        "name": "Kwaliteitsregister Jeugd (SKJ)",
        "category": "Reflectie (intervisie, casuïstiekbespreking, moreel beraad)",
        "counts": "contacturen van begeleide reflectie in je herregistratieperiode van 5 jaar",
        "evidence": "verklaring of reflectieformat per reflectieserie, of de drie dimensies "
        "(technisch-instrumenteel, normatief, persoonlijk) in Mijn SKJ",
    },
    {
        "id": "registerplein",
        "name": "Registerplein (register Sociaal Werkers)",
        "category": "Reflectie (intervisie, casuïstiekbespreking, intercollegiale consultatie)",
        "counts": "uren reflectie in 5 jaar; het reglement van je register noemt het minimum",
        "evidence": "invulverklaring reflectie van Registerplein, getekend door de begeleider",
    },
]

ZONES = {"comfort": "Comfortzone", "learning": "Leerzone", "panic": "Paniekzone"}
ROLES = {
    "facilitator": "Leidde de intervisie",
    "brought_in": "Bracht de casus in",
    "participant": "Deelnemer",
}


def feedback_summary(score_rows: list[dict], k: int) -> dict:
    """Averages of residents' scores; nothing at all below k answers, and no item below k scores."""
    if len(score_rows) < k:
        return {"responses": None, "suppressed": True, "k": k, "average": None, "items": {}}
    per_item: dict[str, list[float]] = {}
    for scores in score_rows:
        for item, value in (scores or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                per_item.setdefault(item, []).append(value)
    items = {item: round(fmean(values), 1) for item, values in sorted(per_item.items()) if len(values) >= k}
    every = [value for values in per_item.values() if len(values) >= k for value in values]
    return {
        "responses": len(score_rows),
        "suppressed": False,
        "k": k,
        "average": round(fmean(every), 1) if every else None,
        "items": items,
    }


def build(
    *,
    person: str,
    start: date,
    end: date,
    created_at: datetime,
    reflections: list[dict],
    reflection_count: int,
    questions: list[dict],
    sessions: list[dict],
    months: list[dict],
    feedback: dict,
) -> dict:
    attended = [s for s in sessions if s["attended"]]
    minutes = sum(s["minutes"] for s in attended)
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "created_at": created_at,
        "person": {"display_name": person},
        "reflections": reflections,
        "learning_questions": questions,
        "intervisie": sessions,
        "themes_of_the_month": months,
        "resident_feedback": feedback,
        "totals": {
            "reflections": reflection_count,
            "portfolio_reflections": len(reflections),
            "learning_questions_closed": sum(1 for q in questions if q["status"] == "closed"),
            "intervisie_attended": len(attended),
            "intervisie_brought_in": sum(1 for s in sessions if "brought_in" in s["roles"]),
            "intervisie_hours": round(minutes / 60, 2),
            "casusoverleg_attended": sum(1 for m in months if m["casusoverleg_attended"]),
        },
        "registers": REGISTERS,
    }


def to_csv(portfolio: dict) -> str:
    """One row per piece of evidence: what a register form asks for (date, kind, hours, description)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["soort", "datum", "uren", "thema", "omschrijving", "toelichting"])
    for s in portfolio["intervisie"]:
        writer.writerow(
            [
                "intervisie",
                s["held_on"],
                f"{s['minutes'] / 60:.2f}" if s["attended"] else "0",
                s["theme"] or "",
                s["method"],
                ", ".join(ROLES[r] for r in s["roles"]),
            ]
        )
    for m in portfolio["themes_of_the_month"]:
        writer.writerow(
            [
                "thema van de maand",
                m["month"],
                "",
                m["label"],
                f"{m['my_contributions']} eigen reflecties bij dit thema",
                f"casusoverleg {m['casusoverleg_on']}: "
                f"{'aanwezig' if m['casusoverleg_attended'] else 'niet vastgelegd'}"
                if m["casusoverleg_on"]
                else "",
            ]
        )
    for q in portfolio["learning_questions"]:
        writer.writerow(
            ["leervraag", q["closed_on"] or q["created_on"], "", "", q["text"], q["learned"] or ""]
        )
    for r in portfolio["reflections"]:
        writer.writerow(["reflectie", r["date"], "", ", ".join(r["themes"]), r["text"], r["text_state"]])
    feedback = portfolio["resident_feedback"]
    writer.writerow(
        [
            "feedback van inwoners",
            portfolio["period"]["to"],
            "",
            "",
            "te weinig antwoorden om te tonen"
            if feedback["suppressed"]
            else f"{feedback['responses']} antwoorden, gemiddeld {feedback['average']}",
            "",
        ]
    )
    return out.getvalue()


_templates = Environment(loader=PackageLoader("server", "templates"), autoescape=select_autoescape(["html"]))


def to_html(portfolio: dict) -> str:
    return _templates.get_template("portfolio.html").render(p=portfolio, zones=ZONES, roles=ROLES)


def to_pdf(portfolio: dict) -> bytes:
    """A4 through WeasyPrint (HTML and CSS paged media): the same template prints from the browser."""
    from weasyprint import HTML  # loads Pango through cffi (slow): only when someone asks for a PDF

    return HTML(string=to_html(portfolio)).write_pdf()
