"""The site's home page and the organisation's identity shown on pages and certificates."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .audit import AuditAction


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

    def route(self, request, path_components):
        """An address under the catalogue goes where it went last time, while no page has changed
        (curriculum.routing); otherwise the walk below. The home page itself is Wagtail's own."""
        if not path_components:
            return super().route(request, path_components)
        # Here, not at the top: the curriculum app's models build on core's.
        from curriculum.routing import route_kept

        return route_kept(self, request, path_components, self._route_through_catalogue)

    def _route_through_catalogue(self, request, path_components):
        """Step to the catalogue in one query; any other child as Wagtail does.

        Page.route reads a child as a plain page and then again as its specific class: two queries
        on the way to every catalogue, course and module page (issue 18). The catalogue is the child
        nearly every address goes through, so it is looked for first, as its own class with its
        locale; a child of another type (or none) costs that one query more, then Wagtail's route.
        Liveness and view restrictions are checked where Wagtail checks them: the last page's own
        route, and serve.
        """
        from curriculum.models import CourseIndexPage

        catalogue = (
            CourseIndexPage.objects.child_of(self)
            .select_related("locale")
            .filter(slug=path_components[0])
            .first()
        )
        if catalogue is not None:
            catalogue._cached_parent_obj = self  # as Page.route does: the parent needs no query
            return catalogue.route(request, path_components[1:])
        return super().route(request, path_components)


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


class AuditEventQuerySet(models.QuerySet):
    """Audit events are append-only: no bulk update or delete through the ORM."""

    def update(self, **kwargs):
        raise AuditEventImmutable(AUDIT_APPEND_ONLY)

    def delete(self):
        raise AuditEventImmutable(AUDIT_APPEND_ONLY)


AUDIT_APPEND_ONLY = "Audit events are append-only; they cannot be changed or deleted."


class AuditEventImmutable(Exception):
    pass


class AuditEvent(models.Model):
    """One recorded create, change, delete or export (see core.audit). Never changed once written."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who (at the time)"), max_length=150)
    occurred_at = models.DateTimeField(_("when (UTC)"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, null=True, blank=True
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200)
    # Which participant the row is about (no foreign key: the trail outlives the rows it describes).
    participant_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr} by {self.actor_label} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEventImmutable(AUDIT_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEventImmutable(AUDIT_APPEND_ONLY)
