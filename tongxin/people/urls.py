from django.urls import path

from . import lifecycle_views, views

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
    # The member lifecycle (成员关系 tab).
    path("<int:pk>/transfer-out/", lifecycle_views.transfer_out, name="transfer_out"),
    path("<int:pk>/transfer-in/", lifecycle_views.transfer_in, name="transfer_in"),
    path("<int:pk>/exit/", lifecycle_views.member_exit, name="exit"),
    path("<int:pk>/suspend/", lifecycle_views.suspend, name="suspend"),
    path("<int:pk>/restore/", lifecycle_views.restore, name="restore"),
    path("<int:pk>/receipt/", lifecycle_views.receipt, name="receipt"),
]
