from django.urls import path

from tuopin.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/status/", views.project_status, name="status"),
    path("<int:pk>/entries/", views.fund_entry_create, name="entry"),
    path("<int:pk>/households/", views.project_households, name="households"),
    path("<int:pk>/entries/reverse/", views.fund_entry_reverse, name="reverse"),
    path("budget/", views.budget_view, name="budget"),
    path("audit/", views.audit_view, name="audit"),
    path("roadmaps/", views.roadmap_index, name="roadmaps"),
    path("roadmaps/<int:pk>/", views.roadmap_view, name="roadmap"),
    path("villages/<int:pk>/construction/", views.construction_view, name="construction"),
    path("villages/<int:pk>/publicity/", views.publicity_view, name="publicity"),
    path("targets/", views.targets_view, name="targets"),
    path("needs/", views.needs_view, name="needs"),
    path("costs/", views.costs_view, name="costs"),
    path("export/plan.xlsx", views.export_plan, name="export"),
    path("export/projects.xlsx", views.project_list_export, name="list_export"),
]
