"""Admin forms: a SCORM package is checked and extracted when uploaded; a question must have
consistent answers for its kind."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from elearning import module, scorm
from elearning.models import QuestionKind


class ScormPackageForm(WagtailAdminModelForm):
    def clean_archive(self):
        archive = self.cleaned_data.get("archive")
        if archive is None or not hasattr(archive, "content_type"):
            return archive  # unchanged file
        if not archive.name.lower().endswith(".zip"):
            raise ValidationError(_("Upload a SCORM 1.2 package as a .zip file."))
        if archive.size > settings.ELEARNING_SCORM_MAX_BYTES:
            raise ValidationError(_("The package is too large."))
        module.scan_upload(archive, getattr(self, "for_user", None))
        archive.seek(0)
        self.extracted = scorm.extract(archive)
        archive.seek(0)
        return archive

    def save(self, commit=True):
        package = super().save(commit=False)
        extracted = getattr(self, "extracted", None)
        if extracted:
            if package.folder:
                scorm.remove_files(package)
            for name, value in extracted.items():
                setattr(package, name, value)
        if commit:
            package.save()
        return package


class QuestionForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("answers")
        if formset is None or not formset.is_valid():
            return cleaned
        answers = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        correct = sum(1 for answer in answers if answer.get("correct"))
        kind = cleaned.get("kind")
        if len(answers) < 2:
            raise ValidationError(_("A question needs at least two answers."))
        if correct == 0:
            raise ValidationError(_("Mark at least one answer as correct."))
        if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
            raise ValidationError(
                _("A single-choice or true/false question has one correct answer.")
            )
        if kind == QuestionKind.TRUE_FALSE and len(answers) != 2:
            raise ValidationError(_("A true/false question has exactly two answers."))
        return cleaned
