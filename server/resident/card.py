"""The leave-behind card: A6, or four to an A4 sheet for the office printer, as a PDF.

fpdf2 lays the card out (embedded DejaVu Sans, which covers Latin, Turkish, Cyrillic and Arabic;
HarfBuzz shapes Arabic through fpdf2's text shaping); segno makes the QR code, drawn as vector
rectangles so it stays sharp on any printer. No Flask here: the caller passes the words.
"""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno
from fpdf import FPDF

FONT_DIR = Path(os.environ.get("LEERLUS_CARD_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
A6 = (105.0, 148.0)
A4 = (210.0, 297.0)
MARGIN = 8.0
QR_SIZE = 58.0
LAYOUTS = ("a4", "a6")


@dataclass(frozen=True)
class Card:
    url: str  # what the QR code opens
    code: str  # the short code, as shown (ABCD-EFGH)
    address: str  # where to type the code, without https://
    team: str
    expires: date
    language: str
    direction: str  # "ltr" or "rtl"
    texts: dict  # the resident catalogue for this language and version
    sentence: str  # what the card promises, counted from the real form ("4 korte vragen ...")


def cards_pdf(cards: list[Card], layout: str = "a4") -> bytes:
    """One card per A6 page, or four per A4 page in a 2x2 grid with dashed cutting lines."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    page = A4 if layout == "a4" else A6
    pdf = FPDF(unit="mm", format=page)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title("Leerlus")
    pdf.set_creator("Leerlus")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVuMono", "B", str(FONT_DIR / "DejaVuSansMono-Bold.ttf"))
    per_page = 4 if layout == "a4" else 1
    for start in range(0, len(cards), per_page):
        pdf.add_page()
        if layout == "a4":
            _cutting_lines(pdf)
        for slot, card in enumerate(cards[start : start + per_page]):
            _card(pdf, card, x=(slot % 2) * A6[0], y=(slot // 2) * A4[1] / 2)
    return bytes(pdf.output())


def _cutting_lines(pdf: FPDF) -> None:
    pdf.set_draw_color(160)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.line(A4[0] / 2, 0, A4[0] / 2, A4[1])
    pdf.line(0, A4[1] / 2, A4[0], A4[1] / 2)
    pdf.set_dash_pattern()


def _text(
    pdf: FPDF,
    card: Card,
    x: float,
    width: float,
    text: str,
    size: float,
    *,
    bold=False,
    align="C",
    mono=False,
    gap=1.5,
) -> None:
    pdf.set_font("DejaVuMono" if mono else "DejaVu", "B" if bold else "", size)
    pdf.set_x(x)
    pdf.multi_cell(width, size * 0.45, text, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.get_y() + gap)


def _card(pdf: FPDF, card: Card, x: float, y: float) -> None:
    t = card.texts
    rtl = card.direction == "rtl"
    # HarfBuzz joins and orders Arabic letters; for the other languages plain layout is exact.
    pdf.set_text_shaping(
        True, direction="rtl" if rtl else "ltr", script="arab" if rtl else None, language=card.language
    )
    inner_x, width = x + MARGIN, A6[0] - 2 * MARGIN
    pdf.set_text_color(0)
    pdf.set_y(y + MARGIN)
    _text(pdf, card, inner_x, width, card.team, 10, bold=True, gap=2.5)
    _text(pdf, card, inner_x, width, t["title"], 16, bold=True, gap=1.5)
    _text(pdf, card, inner_x, width, card.sentence, 11, gap=2)
    _qr(pdf, card.url, x + (A6[0] - QR_SIZE) / 2, pdf.get_y())
    pdf.set_y(pdf.get_y() + QR_SIZE + 2)
    _text(pdf, card, inner_x, width, t["card_scan"], 9.5, gap=2)
    _text(pdf, card, inner_x, width, t["card_type"].format(address=card.address), 9.5, gap=1.5)
    # The code and the address are Latin whatever the page's language: no shaping needed.
    pdf.set_text_shaping(False)
    _text(pdf, card, inner_x, width, card.code, 22, bold=True, mono=True, gap=2)
    pdf.set_text_shaping(
        True, direction="rtl" if rtl else "ltr", script="arab" if rtl else None, language=card.language
    )
    # Isolated left-to-right, so an Arabic card does not print the date back to front.
    when = "\u2066" + card.expires.strftime("%d-%m-%Y") + "\u2069"
    _text(pdf, card, inner_x, width, t["card_valid"].format(date=when), 9.5)
    pdf.set_text_shaping(False)


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    qr = segno.make(url, error="m")
    rows = [list(row) for row in qr.matrix]
    quiet = 2  # modules of white border (the card's own margin adds more)
    module = QR_SIZE / (len(rows) + 2 * quiet)
    pdf.set_fill_color(0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            run = c
            while run < len(row) and row[run]:
                run += 1
            # One rectangle per run of dark modules: fewer objects, no hairline gaps between them.
            pdf.rect(
                x + (quiet + c) * module, y + (quiet + r) * module, (run - c) * module, module, style="F"
            )
            c = run
