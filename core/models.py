"""The site's home page and the organisation's identity shown on pages and certificates."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class HomePage(Page):
    """The root of each locale's tree: introduces the programme and leads to the catalogue."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "ol", "ul", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")


@register_setting(icon="site")
class OrganisationSettings(BaseGenericSetting):
    """Who runs the programme: printed on certificates and the site footer."""

    name = models.CharField(_("organisation name"), max_length=200, default="Hamkori")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("logo"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = _("organisation")
