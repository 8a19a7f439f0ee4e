"""What the document base app offers the portal: two parts, each declared in its own folder."""

from docs_base.documents.module import DocumentsModule
from docs_base.rex.module import RexModule

__all__ = ["DocumentsModule", "RexModule"]
