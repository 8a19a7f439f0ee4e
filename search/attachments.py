"""Text of attached files (PDF, DOCX, ODT, XLSX/ODS), for the index.

Extraction never raises: a file that cannot be read contributes no text (and is logged).
"""

import io
import logging
from pathlib import PurePath

logger = logging.getLogger(__name__)
MAX_CHARS = 300_000  # enough for any guide; bounds index size and time
MAX_PDF_PAGES = 200


def _pdf(data: bytes) -> str:
    # Not at the top: a heavy parser (the four take 0.3 s to load), for indexing files only.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])


def _docx(data: bytes) -> str:
    # Not at the top: a heavy parser (the four take 0.3 s to load), for indexing files only.
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _odf(data: bytes) -> str:
    # Not at the top: a heavy parser (the four take 0.3 s to load), for indexing files only.
    from odf import teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    return "\n".join(teletype.extractText(p) for p in document.getElementsByType(text.P))


def _xlsx(data: bytes) -> str:
    # Not at the top: a heavy parser (the four take 0.3 s to load), for indexing files only.
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(value) for value in row if value is not None)
    workbook.close()
    return "\n".join(parts)


EXTRACTORS = {".pdf": _pdf, ".docx": _docx, ".odt": _odf, ".ods": _odf, ".xlsx": _xlsx}


def extract_text(file, filename: str) -> str:
    """The text of ``file`` (a file object or bytes) named ``filename``; "" if unknown."""
    extractor = EXTRACTORS.get(PurePath(filename).suffix.lower())
    if extractor is None:
        return ""
    try:
        if isinstance(file, bytes):
            data = file
        else:
            with file.open("rb") as opened:
                data = opened.read()
        return " ".join(extractor(data).split())[:MAX_CHARS]
    except Exception as error:  # a damaged file must not stop indexing
        logger.warning("No text extracted from %s: %s", filename, error)
        return ""
