from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    name = "curriculum"
    verbose_name = _("Curriculum")

    def ready(self):
        from . import signals
        from .content_cache import read_token_with_sessions
        from .permissions import register_policies

        register_policies()
        signals.connect_content_receivers()
        read_token_with_sessions()
