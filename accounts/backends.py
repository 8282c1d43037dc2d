from django.contrib.auth.backends import ModelBackend

from .personal_codes import user_for_code


class PersonalCodeBackend(ModelBackend):
    """Authenticates a trainee by personal code alone; usernames and passwords go to ModelBackend."""

    def authenticate(self, request, personal_code: str | None = None, **kwargs):
        if personal_code is None:
            return None
        user = user_for_code(personal_code)
        if user is not None and self.user_can_authenticate(user):
            return user
        return None
