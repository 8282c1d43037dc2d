import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Loaded before the first request rather than by it (core/warm_up.py says what and why).
from core.warm_up import warm_up  # noqa: E402  (needs the apps loaded above)

warm_up()
