from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The plumbing of /api/v1/ (docs/api.md); each app's endpoints live in that app's api.py."""

    name = "api"
    verbose_name = _("API")
