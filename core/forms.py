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


class LanguageMarkedSelect(forms.Select):
    """A select whose options name translated things (a course page, an instrument) and carry `lang`
    when the option's text is in another language than the page (WCAG 3.1.2).

    Give its field a queryset with `select_related("locale")`, or each option costs a query.
    """

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        from django.utils.translation import get_language

        from core.languages import differs_from_page, language_code

        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        locale = getattr(getattr(value, "instance", None), "locale", None)
        if locale is not None and differs_from_page(locale.language_code, get_language()):
            option["attrs"]["lang"] = language_code(locale.language_code)
        return option
