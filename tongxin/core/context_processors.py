from django.apps import apps
from django.conf import settings


def _item(key, label, icon, url, caps=("view",), app=None) -> dict:
    return {"key": key, "label": label, "icon": icon, "url": url, "caps": caps, "app": app}


# The left menu of UI.md, in its order. An item appears once its capability exists (its app,
# ``tongxin.<app>``, is installed) and for a user whose role grants any of ``caps``
# (tongxin.accounts.roles.Cap). No caps: every logged-in user.
NAV_ITEMS = (
    _item("workbench", "工作台", "bi-speedometer2", "workbench", caps=None),
    _item("orgs", "组织机构", "bi-diagram-3", "orgs:tree"),
    _item("people", "成员名册", "bi-people", "people:roster"),
    _item("recruitment", "组织发展", "bi-person-plus", "recruitment:index", app="recruitment"),
    _item("cadres", "干部人才", "bi-person-badge", "cadres:index", app="cadres"),
    _item("training", "教育培训", "bi-mortarboard", "training:index", app="training"),
    _item("branchwork", "基层建设", "bi-house-heart", "branchwork:index", app="branchwork"),
    _item(
        "contributions", "参政议政", "bi-megaphone", "branchwork:contributions", app="branchwork"
    ),
    _item("evaluation", "考评表彰", "bi-award", "evaluation:index", app="evaluation"),
    _item("coverage", "两新组织", "bi-building", "coverage:index", app="coverage"),
    _item(
        "portal", "成员服务", "bi-phone", "portal:index", ("change", "record_activity"), "portal"
    ),
    _item("stats", "统计分析", "bi-bar-chart", "stats:report", ("dashboard", "view"), "stats"),
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
        # Any administrator may be the second one who approves a reset of an administrator's
        # password (tongxin.accounts.services.decision_refusal).
        "key": "password_resets",
        "label": "密码重置审批",
        "icon": "bi-key",
        "url": "accounts:password_resets",
        "caps": ("manage_users", "manage_grants", "view_audit"),
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
        if (not item.get("app") or apps.is_installed(f"tongxin.{item['app']}"))
        and (
            item.get("caps") is None
            or (scope is not None and any(scope.can(cap) for cap in item["caps"]))
        )
    ]


def tongxin(request):
    scope = getattr(request, "scope", None)
    return {
        "nav_items": _allowed(NAV_ITEMS, scope),
        "admin_nav_items": _allowed(ADMIN_NAV_ITEMS, scope),
        "member_word": settings.TONGXIN_MEMBER_WORD,
    }
