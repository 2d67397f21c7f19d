from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("search/", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/reveal/<str:field>/", views.reveal, name="reveal"),
    path("<int:pk>/posts/new/", views.post_edit, name="post_create"),
    path("<int:pk>/posts/<int:post_pk>/", views.post_edit, name="post_edit"),
]
