"""Document base (``documents``) and experience feedback (``rex``)."""

from docs_base.models.documents import *  # noqa: F403
from docs_base.models.rex import *  # noqa: F403
