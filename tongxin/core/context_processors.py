from django.conf import settings

# The left menu of UI.md; an item appears once its capability exists, and for a user whose
# role grants ``caps`` (any of them; tongxin.accounts.roles.Cap). None: every logged-in user.
NAV_ITEMS = (
    {"key": "workbench", "label": "工作台", "icon": "bi-speedometer2", "url": "workbench"},
    {
        "key": "orgs",
        "label": "组织机构",
        "icon": "bi-diagram-3",
        "url": "orgs:tree",
        "caps": ("view",),
    },
    {
        "key": "people",
        "label": "成员名册",
        "icon": "bi-people",
        "url": "people:roster",
        "caps": ("view",),
    },
)

# 系统管理: each item for the administrator who holds its capability.
ADMIN_NAV_ITEMS = (
    {
        "key": "users",
        "label": "用户与授权",
        "icon": "bi-person-gear",
        "url": "admin:accounts_user_changelist",
        "caps": ("manage_users", "manage_grants"),
    },
    {
        "key": "audit",
        "label": "审计日志",
        "icon": "bi-journal-text",
        "url": "audit:index",
        "caps": ("view_audit",),
    },
)


def _allowed(items, scope):
    return [
        item
        for item in items
        if item.get("caps") is None
        or (scope is not None and any(scope.can(cap) for cap in item["caps"]))
    ]


def tongxin(request):
    scope = getattr(request, "scope", None)
    return {
        "nav_items": _allowed(NAV_ITEMS, scope),
        "admin_nav_items": _allowed(ADMIN_NAV_ITEMS, scope),
        "member_word": settings.TONGXIN_MEMBER_WORD,
    }
