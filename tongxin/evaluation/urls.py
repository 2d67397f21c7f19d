from django.urls import path

from .views import awards, honours, org_honours, rounds, rubrics

app_name = "evaluation"
urlpatterns = [
    path("", rounds.index, name="index"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/close/", rounds.close, name="close"),
    path("rounds/<int:pk>/export/", awards.export, name="export"),
    path("rounds/<int:pk>/branches/<int:org_pk>/", rounds.sheet, name="sheet"),
    path("scores/<int:pk>/", rounds.score, name="score"),
    path("standings/", rounds.standings_list, name="standings"),
    path("rubrics/default/", rubrics.rubric_default, name="rubric_default"),
    path("rubrics/<int:pk>/", rubrics.rubric_detail, name="rubric"),
    path("rubrics/<int:pk>/copy/", rubrics.rubric_copy, name="rubric_copy"),
    path("rubrics/<int:pk>/kinds/", rubrics.rubric_kinds, name="rubric_kinds"),
    path("rubrics/<int:pk>/items/new/", rubrics.item_edit, name="item_new"),
    path("rubrics/<int:pk>/items/<int:item_pk>/", rubrics.item_edit, name="item_edit"),
    path("rubrics/<int:pk>/items/<int:item_pk>/delete/", rubrics.item_delete, name="item_delete"),
    path("rounds/<int:pk>/awards/new/", awards.award_new, name="award_new"),
    path("awards/", awards.awards_list, name="awards"),
    path("awards/<int:pk>/delete/", awards.award_delete, name="award_delete"),
    path("honours/", honours.honours_list, name="honours"),
    path("people/<int:person_pk>/honours/new/", honours.honor_edit, name="honor_new"),
    path("honours/<int:pk>/", honours.honor_edit, name="honor_edit"),
    path("honours/<int:pk>/delete/", honours.honor_delete, name="honor_delete"),
    path("orgs/<int:org_pk>/honours/new/", org_honours.org_honor_new, name="org_honor_new"),
]
