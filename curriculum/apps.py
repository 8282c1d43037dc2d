from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        from . import signals
        from .permissions import register_policies

        register_policies()
        signals.connect_content_receivers()
