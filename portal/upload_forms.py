"""Wagtail admin upload forms running the portal's upload checks (portal.uploads).

Set as WAGTAILDOCS_DOCUMENT_FORM_BASE and WAGTAILIMAGES_IMAGE_FORM_BASE: they serve the single
upload, the multiple upload, the chooser's upload tab and the replacement of a file.
"""

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from portal import uploads


class SafeDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        self.uploader = kwargs.get("user")  # for the security log
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].help_text = uploads.upload_help_text()
            self.fields["file"].widget.attrs["accept"] = uploads.ACCEPT_ATTRIBUTE

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):  # not the stored file of an edit without a new one
            uploads.validate_upload(file, self.uploader)
        return file


class SafeImageForm(BaseImageForm):
    """Wagtail's image field already checks the extension and the real format (Willow)."""

    def __init__(self, *args, **kwargs):
        self.uploader = kwargs.get("user")
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            wagtail_help = self.fields["file"].help_text
            self.fields["file"].help_text = format_lazy(
                "{} {}", wagtail_help, uploads.antivirus_notice()
            )

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            uploads.check_size(file, self.uploader)
            uploads.scan(file, self.uploader)
        return file
