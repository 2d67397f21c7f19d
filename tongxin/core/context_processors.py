from django.conf import settings

# The left menu of UI.md; an item appears once its capability exists.
NAV_ITEMS = (
    {"key": "workbench", "label": "工作台", "icon": "bi-speedometer2", "url": "workbench"},
    {"key": "orgs", "label": "组织机构", "icon": "bi-diagram-3", "url": "orgs:tree"},
    {"key": "people", "label": "成员名册", "icon": "bi-people", "url": "people:roster"},
)

# 系统管理: each item for the administrator who holds its capability (tongxin.accounts.roles.Cap).
ADMIN_NAV_ITEMS = (
    {
        "key": "audit",
        "label": "审计日志",
        "icon": "bi-journal-text",
        "url": "audit:index",
        "cap": "view_audit",
    },
)


def tongxin(request):
    scope = getattr(request, "scope", None)
    admin_items = [i for i in ADMIN_NAV_ITEMS if scope is not None and scope.can(i["cap"])]
    return {
        "nav_items": NAV_ITEMS,
        "admin_nav_items": admin_items,
        "member_word": settings.TONGXIN_MEMBER_WORD,
    }
