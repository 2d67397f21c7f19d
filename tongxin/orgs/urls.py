from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree_page, name="tree"),
    path("counts/", views.tree_counts, name="counts"),
    path("list/", views.org_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.tree_children, name="children"),
    path("<int:pk>/new/", views.create, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/dissolve/", views.dissolve, name="dissolve"),
]
