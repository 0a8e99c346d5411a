from django.urls import path

from tuopin.policy import views

app_name = "policy"
urlpatterns = [path("standards/", views.standards, name="standards")]
