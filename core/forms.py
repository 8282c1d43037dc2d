"""Wagtail document uploads with a size limit (Wagtail limits images, not documents)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

DOCUMENT_TOO_LARGE = _("This file is larger than %(size)s, the largest document the site accepts.")


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        limit = settings.HAMKORI_DOCUMENT_MAX_UPLOAD_SIZE
        if uploaded is not None and getattr(uploaded, "size", 0) > limit:
            raise forms.ValidationError(DOCUMENT_TOO_LARGE % {"size": filesizeformat(limit)})
        return uploaded
