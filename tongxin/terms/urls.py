from django.urls import path

from . import views

# Under orgs/, where the pages were before terms had their own app.
app_name = "terms"
urlpatterns = [
    path("<int:pk>/election/", views.election_new, name="election_new"),
    path("terms/", views.terms_list, name="terms"),
    path("terms/seats/", views.seats_list, name="term_seats"),
    path("terms/<int:pk>/undo/", views.election_undo, name="election_undo"),
    path("terms/import/", views.campaign_import, name="campaign_import"),
    path("terms/import/template/", views.campaign_template, name="campaign_template"),
]
