from django.conf import settings

# The left menu of UI.md; an item appears once its capability exists.
NAV_ITEMS = (
    {"key": "workbench", "label": "工作台", "icon": "bi-speedometer2", "url": "workbench"},
    {"key": "orgs", "label": "组织机构", "icon": "bi-diagram-3", "url": "orgs:tree"},
    {"key": "people", "label": "成员名册", "icon": "bi-people", "url": "people:roster"},
)


def tongxin(request):
    return {"nav_items": NAV_ITEMS, "member_word": settings.TONGXIN_MEMBER_WORD}
