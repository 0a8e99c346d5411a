from django.contrib.auth import views as auth_views
from django.urls import path

from tuopin.accounts import views
from tuopin.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/active/", views.user_active_view, name="user_active"),
    path("users/<int:pk>/password/", views.user_password_view, name="user_password"),
    path("login-failures/", views.login_failures_view, name="login_failures"),
    path("login-failures/unlock/", views.login_unlock_view, name="login_unlock"),
    path("access-log/", views.access_log_view, name="access_log"),
    path("access-log/export.xlsx", views.access_log_export, name="access_log_export"),
]
