from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Background jobs as their owners see them: progress, outcome and the file to download."""

    name = "jobs"
    verbose_name = _("Background jobs")
