from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="login"),
    path("code/", views.code_login, name="code_login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
]
