"""奖励办法 are settings: the system administrator changes the points in the back office
(系统管理 → 奖励办法); a rule for a later year changes that year and the ones after it."""

from django.contrib import admin

from tongxin.accounts.admin_site import SettingsAdminPermissions

from .models import RewardRule


@admin.register(RewardRule)
class RewardRuleAdmin(SettingsAdminPermissions, admin.ModelAdmin):
    list_display = ["kind", "rung_display", "year", "points", "note"]
    list_filter = ["kind", "year"]
    list_editable = ["points"]
    ordering = ["kind", "rung", "-year"]

    @admin.display(description="采用或批示", ordering="rung")
    def rung_display(self, rule):
        return rule.get_rung_display() if rule.rung else "报送"
