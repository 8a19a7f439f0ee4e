"""Editable templates of the demo documents: Word (python-docx) and Excel (openpyxl) files."""

import datetime
import io

from docx import Document as WordDocument
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from docs_base.demo.content import DocumentSpec, french_date

BLUE_HEX = "000091"

# The cover table a template is filled in with (the establishment's own references).
COVER_FIELDS = (
    ("Établissement", "[Nom de l'établissement, numéro FINESS]"),
    ("Rédigé par", "[Nom, fonction]"),
    ("Validé par", "[Directeur ou directrice, date de validation]"),
    ("Version", "[1.0]"),
    ("Prochaine révision", "[Date]"),
)


def _clip(text: str, limit: int = 255) -> str:
    """Word's core properties hold 255 characters at most."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def document_docx(
    spec: DocumentSpec, *, portal_name: str, publisher: str, issued: datetime.date
) -> bytes:
    """A Word template: cover table to fill in, then the document's sections."""
    doc = WordDocument()
    props = doc.core_properties
    props.title = _clip(spec.title)
    props.author = _clip(publisher)
    props.subject = _clip(spec.summary)
    props.language = "fr-FR"
    props.created = datetime.datetime.combine(issued, datetime.time(9))
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)

    doc.add_heading(spec.title, level=0)
    meta = doc.add_paragraph()
    run = meta.add_run(
        f"{spec.type_label} - Source : {publisher} - Version du {french_date(issued)} - "
        f"{portal_name}"
    )
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor.from_string("5A5A5A")
    doc.add_paragraph().add_run(spec.summary).italic = True

    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, placeholder in COVER_FIELDS:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = placeholder

    for section in spec.sections:
        if section.heading:
            heading = doc.add_heading(section.heading, level=1)
            for run in heading.runs:
                run.font.color.rgb = RGBColor.from_string(BLUE_HEX)
        for paragraph in section.paragraphs:
            doc.add_paragraph(paragraph)
        for step in section.steps:
            doc.add_paragraph(step, style="List Number")
        for entry in section.checklist:
            doc.add_paragraph(f"☐ {entry}", style="List Bullet")
        if section.callout:
            callout = doc.add_paragraph()
            callout.add_run("À retenir : ").bold = True
            callout.add_run(section.callout)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def document_xlsx(
    spec: DocumentSpec, *, portal_name: str, publisher: str, issued: datetime.date
) -> bytes:
    """An Excel workbook: the document's table ready to fill in, and a sheet of instructions."""
    table = spec.table
    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    sheet["A1"] = spec.title
    sheet["A1"].font = Font(bold=True, size=14, color=BLUE_HEX)
    sheet["A2"] = f"Source : {publisher} - Version du {french_date(issued)} - {portal_name}"
    sheet["A2"].font = Font(italic=True, size=9, color="5A5A5A")
    header_row = 4
    header_fill = PatternFill("solid", fgColor=BLUE_HEX)
    for column, label in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header_row, column=column, value=label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        width = max([len(label)] + [len(str(row[column - 1])) for row in table.rows])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 12), 60)
    for offset, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=header_row + offset, column=column, value=value or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    guide = book.create_sheet("Mode d'emploi")
    guide.column_dimensions["A"].width = 110
    lines = [spec.summary, ""]
    for section in spec.sections:
        if section.heading:
            lines.append(section.heading.upper())
        lines.extend(section.paragraphs)
        lines.extend(f"{n}. {step}" for n, step in enumerate(section.steps, start=1))
        lines.extend(f"- {entry}" for entry in section.checklist)
        if section.callout:
            lines.append(f"À retenir : {section.callout}")
        lines.append("")
    for number, line in enumerate(lines, start=1):
        cell = guide.cell(row=number, column=1, value=line or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    props = book.properties
    props.title = spec.title
    props.creator = publisher
    props.language = "fr-FR"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
