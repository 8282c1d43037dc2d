"""drf-spectacular hooks: the schema describes /api/v1/ only (Wagtail's admin API is Wagtail's)."""

API_PREFIX = "/api/v1/"


def only_api_v1(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
