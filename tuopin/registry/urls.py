from django.urls import path

from tuopin.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.household_list_view, name="list"),
    path("new/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/members/new/", views.person_create, name="person_create"),
    path("<int:pk>/procedures/", views.procedure_start, name="procedure_start"),
    path("<int:pk>/procedures/<int:case>/step/", views.procedure_step, name="procedure_step"),
    path("members/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("members/<int:pk>/delete/", views.person_delete, name="person_delete"),
]
