from django.urls import path

from .views import (
    assessments,
    documents,
    nonparty,
    plans,
    pools,
    practice,
    recommendations,
    selection,
)

app_name = "cadres"
urlpatterns = [
    path("", pools.index, name="index"),
    path("pools/new/", pools.pool_create, name="pool_create"),
    path("pools/<int:pk>/", pools.pool_detail, name="pool"),
    path("pools/<int:pk>/edit/", pools.pool_edit, name="pool_edit"),
    path("pools/<int:pk>/levels/", pools.pool_level_add, name="pool_level_add"),
    path("pools/<int:pk>/enter/", pools.entry_create, name="entry_create"),
    path("pools/<int:pk>/register/", pools.register, name="register"),
    path("pools/<int:pk>/survey/", pools.survey, name="survey"),
    path("pools/<int:pk>/candidates/new/", pools.candidate_create, name="candidate_create"),
    path("pools/<int:pk>/review/", pools.review, name="review"),
    path("entries/", pools.entries, name="entries"),
    path("nonparty/", nonparty.nonparty_list, name="nonparty"),
    path("nonparty/plans/", plans.plan_list, name="nonparty_plans"),
    path("nonparty/plans/new/", plans.plan_edit, name="nonparty_plan_create"),
    path("nonparty/plans/<int:pk>/", plans.plan_detail, name="nonparty_plan"),
    path("nonparty/plans/<int:pk>/edit/", plans.plan_edit, name="nonparty_plan_edit"),
    path("entries/<int:pk>/exit/", pools.entry_exit, name="entry_exit"),
    path("candidates/<int:pk>/", selection.candidate, name="candidate"),
    path("candidates/<int:pk>/<str:step>/", selection.candidate_step, name="candidate_step"),
    path("assessments/", assessments.assessments, name="assessments"),
    path("assessments/missing/", assessments.assessments_missing, name="assessments_missing"),
    path("assessments/new/", assessments.assessment_edit, name="assessment_create"),
    path("assessments/<int:pk>/", assessments.assessment_edit, name="assessment_edit"),
    path("assessments/import/", assessments.assessment_upload, name="assessment_import"),
    path("assessments/template/", assessments.assessment_template, name="assessment_template"),
    path("practice/", practice.practice_list, name="practice"),
    path("practice/new/", practice.practice_edit, name="practice_create"),
    path("practice/<int:pk>/", practice.practice_edit, name="practice_edit"),
    path("contacts/", practice.contact_list, name="contacts"),
    path("contacts/new/", practice.contact_edit, name="contact_create"),
    path("contacts/<int:pk>/", practice.contact_edit, name="contact_edit"),
    path("recommendations/", recommendations.recommendation_list, name="recommendations"),
    path(
        "recommendations/new/", recommendations.recommendation_create, name="recommendation_create"
    ),
    path("recommendations/<int:pk>/", recommendations.recommendation_detail, name="recommendation"),
    path(
        "recommendations/<int:pk>/advance/",
        recommendations.recommendation_advance,
        name="recommendation_advance",
    ),
    path(
        "recommendations/<int:pk>/stop/",
        recommendations.recommendation_stop,
        name="recommendation_stop",
    ),
    path(
        "people/<int:pk>/registration.docx", documents.registration_form, name="registration_form"
    ),
]
