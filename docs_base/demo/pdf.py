"""Printable PDFs of the demo documents (fpdf2), generated at load time.

fpdf2 ships no TrueType font and none is guaranteed on the machine, so the PDFs use the core
Helvetica font in the Windows-1252 encoding: it covers French (accents, œ, «», €, ’). The few
characters it lacks are replaced by their nearest equivalent (see ``printable``).
"""

import datetime
import unicodedata

from fpdf import FPDF

from docs_base.demo.content import DocumentSpec, french_date

ENCODING = "windows-1252"
BLUE = (0, 0, 145)  # DSFR "bleu France"
GREY = (90, 90, 90)
LIGHT_BLUE = (236, 236, 254)
LIGHT_GREY = (246, 246, 246)
REPLACEMENTS = {
    "≥": ">=",
    "≤": "<=",
    "→": "->",
    "\u202f": "\u00a0",  # narrow no-break space
    "\u2011": "-",  # non-breaking hyphen
    "☐": "[ ]",
}
ACCESS_NOTICES = {
    "members": "Diffusion restreinte : membres approuvés du portail",
    "roles": "Diffusion restreinte : fonctions désignées (RSSI, DSI...)",
    "establishment": "Diffusion restreinte : usage interne de l'établissement",
}


def printable(text: str) -> str:
    """``text`` with the characters Windows-1252 lacks replaced (accents are kept)."""
    for char, replacement in REPLACEMENTS.items():
        text = text.replace(char, replacement)
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            folded = unicodedata.normalize("NFKD", char).encode(ENCODING, "ignore").decode(ENCODING)
            out.append(folded or "?")
    return "".join(out)


class _DocumentPdf(FPDF):
    def __init__(self, header_text: str, footer_text: str):
        super().__init__(format="A4")
        self.core_fonts_encoding = ENCODING
        self.header_text = printable(header_text)
        self.footer_text = printable(footer_text)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=20)
        self.alias_nb_pages()

    def header(self):
        self.set_font("Helvetica", "B", 8)
        self.set_text_color(*BLUE)
        self.cell(0, 5, self.header_text, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*BLUE)
        self.set_line_width(0.6)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font("Helvetica", "", 7.5)
        self.set_text_color(*GREY)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, printable(f"Page {self.page_no()}/{{nb}}"), align="R")
        self.set_text_color(0, 0, 0)

    # --- content -------------------------------------------------------------------------

    def text_block(self, text: str, size: float = 10.5, style: str = "", height: float = 5.4):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, height, printable(text), new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str):
        if self.get_y() > self.h - 50:  # keep a heading with its first lines
            self.add_page()
        self.ln(3)
        self.set_font("Helvetica", "B", 13)
        self.set_text_color(*BLUE)
        self.multi_cell(0, 6.5, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def item(self, marker: str, text: str, box: bool = False):
        indent = 8
        self.set_font("Helvetica", "", 10.5)
        if self.get_y() > self.h - 30:
            self.add_page()
        y = self.get_y()
        if box:
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.3)
            self.rect(self.l_margin + 1.5, y + 1.2, 3, 3)
        else:
            self.set_font("Helvetica", "B", 10.5)
            self.cell(indent, 5.4, printable(marker))
            self.set_font("Helvetica", "", 10.5)
        self.set_xy(self.l_margin + indent, y)
        self.multi_cell(self.epw - indent, 5.4, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(0.8)

    def boxed(self, text: str, fill: tuple, bold_prefix: str = "", style: str = ""):
        self.set_fill_color(*fill)
        self.set_draw_color(*BLUE)
        self.set_line_width(1)
        self.set_font("Helvetica", style, 10.5)
        body = printable(f"{bold_prefix}{text}")
        self.multi_cell(
            0,
            5.4,
            body,
            border="L",
            fill=True,
            padding=(2.5, 3, 2.5, 4),
            markdown=False,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(2)


def document_pdf(
    spec: DocumentSpec, *, portal_name: str, publisher: str, issued: datetime.date
) -> bytes:
    """The printable version of a demo document: its own title, source, date and content."""
    header = f"{portal_name} - Base documentaire"
    if notice := ACCESS_NOTICES.get(spec.access):
        header = f"{header} - {notice}"
    footer = f"{spec.type_label} - Source : {publisher} - Version du {french_date(issued)}"
    pdf = _DocumentPdf(header, footer)
    pdf.set_title(printable(spec.title))
    pdf.set_author(printable(publisher))
    pdf.set_subject(printable(spec.summary))
    pdf.set_creator(printable(portal_name))
    pdf.set_lang("fr-FR")
    pdf.set_creation_date(datetime.datetime.combine(issued, datetime.time(9), datetime.UTC))
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 5, printable(spec.type_label.upper()), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.text_block(spec.title, size=18, style="B", height=8)
    pdf.ln(1)
    pdf.set_text_color(*GREY)
    pdf.text_block(
        f"Source : {publisher}   |   Version du {french_date(issued)}", size=9, height=4.5
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)
    pdf.boxed(spec.summary, LIGHT_GREY, style="I")

    for section in spec.sections:
        if section.heading:
            pdf.heading(section.heading)
        for paragraph in section.paragraphs:
            pdf.text_block(paragraph)
            pdf.ln(2)
        for number, step in enumerate(section.steps, start=1):
            pdf.item(f"{number}.", step)
        for entry in section.checklist:
            pdf.item("", entry, box=True)
        if section.callout:
            pdf.ln(1)
            pdf.boxed(section.callout, LIGHT_BLUE, bold_prefix="À retenir : ")
    return bytes(pdf.output())
