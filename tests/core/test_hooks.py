"""The extension points (tongxin.core.extensions): one registration API, refused when misspelt,
and one explicit order."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tongxin.core import extensions
from tongxin.core.extensions import Tab
from tongxin.stats.sections import all_sections
from tongxin.training import hooks as training_hooks


def hook_errors():
    return [e for e in run_checks() if e.id.startswith("tongxin.core.E00")]


def test_the_installed_apps_register_only_known_hooks_at_distinct_orders():
    assert hook_errors() == []


def test_manage_check_refuses_a_misspelt_hook_and_names_it_with_its_module():
    tab = Tab("misspelt", "拼错", "people/detail.html")
    with extensions.register_temporarily("person_tab", tab, order=999):
        with pytest.raises(SystemCheckError) as raised:
            call_command("check")
    message = str(raised.value)
    assert "未知的钩子“person_tab”" in message
    assert "tests.core.test_hooks" in message and "person_tabs" in message  # the hint
    assert hook_errors() == []  # gone with the registration


def test_two_registrations_of_one_hook_at_one_order_are_refused():
    tab = Tab("twin", "重复", "people/detail.html")
    with extensions.register_temporarily("person_tabs", tab, order=10):  # 后备与考核's
        [error] = hook_errors()
    assert error.id == "tongxin.core.E002"
    assert "order=10" in error.msg and "tongxin.cadres.hooks" in error.msg


def test_a_hook_defined_in_a_hooks_module_but_not_registered_is_refused(monkeypatch):
    monkeypatch.setattr(training_hooks, "ORG_TABS", [], raising=False)
    [error] = hook_errors()
    assert error.id == "tongxin.core.E003"
    assert "tongxin.training.hooks 定义了 ORG_TABS 却没有注册" in error.msg


def test_reading_an_unknown_hook_fails_at_once():
    with pytest.raises(LookupError, match="未知的钩子“person_tab”"):
        extensions.get("person_tab")


def test_the_person_files_tabs_keep_the_order_of_ui_md_then_the_others():
    assert [tab.key for tab in extensions.get("person_tabs")] == [
        "cadres",
        "training",
        "practice",
        "honours",
        "contributions",
        "recruitment",
        "recommendations",
        "portal",
    ]


def test_the_organization_pages_tabs_keep_their_order():
    keys = [tab.key for tab in extensions.get("org_tabs")]
    assert keys == ["terms", "recruitment", "liaison", "activities", "honours"]


def test_the_statistics_sections_keep_their_order_the_core_ones_first():
    assert [section.key for section in all_sections()] == [
        "organizations",
        "members",
        "flows",
        "new_members",
        "political_arrangements",
        "recruitment",
        "recruitment_plans",
        "terms",
        "training",
        "cadres",
        "non_party_cadres",
        "branchwork",
        "evaluation",
        "coverage",
    ]


def test_the_demo_is_seeded_app_by_app_in_the_order_of_their_dependencies():
    seeds = [seed.__module__ for seed in extensions.get("seed_demo")]
    assert seeds == [
        "tongxin.terms.hooks",
        "tongxin.training.hooks",
        "tongxin.recruitment.hooks",
        "tongxin.branchwork.demo",
        "tongxin.evaluation.hooks",
        "tongxin.cadres.hooks",
        "tongxin.cadres.hooks",  # the united-front department, after the cadres' own records
        "tongxin.coverage.hooks",
        "tongxin.portal.hooks",
    ]
    resets = [reset.__module__ for reset in extensions.get("reset_demo")]
    assert resets == [seed.replace("seed", "reset") for seed in seeds]


def test_the_roster_offers_the_actions_other_apps_register():
    offers = [offer.__module__ for offer in extensions.get("roster_actions")]
    assert offers == ["tongxin.portal.hooks"]


def test_the_login_asks_the_apps_that_may_refuse_it():
    refusals = [refusal.__module__ for refusal in extensions.get("login_refusals")]
    assert refusals == ["tongxin.portal.hooks"]
