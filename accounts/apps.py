from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .personal_codes import remember_code_session

        user_logged_in.connect(remember_code_session, dispatch_uid="accounts.remember_code_session")
