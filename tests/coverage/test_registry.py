"""The registry's rules: the key is a valid credit code, facts keep their history, and a
deregistered organization leaves the counts on its date."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.coverage.helpers import make_district, make_new_org
from tongxin.core.scope import Scope
from tongxin.coverage import selectors, services
from tongxin.coverage.models import NewOrganization, NewOrgKind, PartyForm, make_credit_code
from tongxin.coverage.stats import compute

pytestmark = pytest.mark.django_db


def test_it_rejects_a_credit_code_with_a_bad_check_character():
    _root, _e, _w, communities = make_district()
    good = make_credit_code(7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        services.new_org_save(
            new_org=NewOrganization(
                credit_code=bad,
                name="坏代码公司",
                kind=NewOrgKind.ENTERPRISE,
                area=communities["TQ0101"],
            )
        )
    assert "统一社会信用代码" in str(error.value) and "校验码" in str(error.value)
    assert not NewOrganization.objects.exists()


def test_it_names_a_credit_code_of_the_wrong_length():
    _root, _e, _w, communities = make_district()
    with pytest.raises(ValidationError, match="应为18位"):
        services.new_org_save(
            new_org=NewOrganization(
                credit_code="91310101123",
                name="短代码公司",
                kind=NewOrgKind.ENTERPRISE,
                area=communities["TQ0101"],
            )
        )


def test_a_form_change_keeps_the_old_form_with_its_dates():
    _root, _e, _w, communities = make_district()
    new_org = make_new_org(communities["TQ0101"])
    services.party_form_set(new_org=new_org, form=PartyForm.JOINT, start=date(2021, 3, 1))
    services.party_form_set(new_org=new_org, form=PartyForm.SINGLE, start=date(2023, 7, 1))
    history = list(new_org.forms.order_by("start").values_list("form", "start", "end"))
    assert history == [
        (PartyForm.JOINT, date(2021, 3, 1), date(2023, 7, 1)),
        (PartyForm.SINGLE, date(2023, 7, 1), None),
    ]
    # Asked at a date, the form in force then.
    scope = Scope(everything=True)
    joint = selectors.CoverageFilter(on=date(2022, 12, 31), form=PartyForm.JOINT)
    single = selectors.CoverageFilter(on=date(2023, 12, 31), form=PartyForm.SINGLE)
    assert list(selectors.coverage_list(scope=scope, org=communities["TQ0101"], filters=joint)) == [
        new_org
    ]
    assert list(
        selectors.coverage_list(scope=scope, org=communities["TQ0101"], filters=single)
    ) == [new_org]
    # The same form again changes nothing; an earlier start for a new form is refused.
    services.party_form_set(new_org=new_org, form=PartyForm.SINGLE, start=date(2023, 7, 1))
    assert new_org.forms.count() == 2
    with pytest.raises(ValidationError, match="应晚于现有的"):
        services.party_form_set(new_org=new_org, form=PartyForm.JOINT, start=date(2022, 1, 1))
    assert new_org.forms.count() == 2


def test_a_deregistered_organization_leaves_the_counts_on_its_date():
    root, _e, _w, communities = make_district()
    kept = make_new_org(communities["TQ0101"])
    gone = make_new_org(communities["TQ0102"])
    for new_org in (kept, gone):
        services.party_form_set(new_org=new_org, form=PartyForm.SINGLE, start=date(2021, 1, 1))
    services.new_org_deregister(new_org=gone, on=date(2024, 5, 1))
    scope = Scope(everything=True)

    def figures(on):
        return compute(scope=scope, org=root, as_of=on, period_start=date(on.year, 1, 1))

    before = figures(date(2024, 4, 30))
    on_the_day = figures(date(2024, 5, 1))
    assert before["registered"].value == 2
    assert before["party"]["单独组建"].value == 2
    assert on_the_day["registered"].value == 1
    assert on_the_day["party"]["单独组建"].value == 1
    assert list(on_the_day["registered"].records) == [kept]


def test_party_members_are_the_latest_count_on_or_before_the_date():
    root, _e, _w, communities = make_district()
    new_org = make_new_org(communities["TQ0101"])
    services.party_members_record(new_org=new_org, on=date(2022, 1, 1), count=2)
    services.party_members_record(new_org=new_org, on=date(2023, 1, 1), count=5)
    scope = Scope(everything=True)
    at = compute(scope=scope, org=root, as_of=date(2022, 6, 30), period_start=date(2022, 1, 1))
    assert at["party_members"].value == 2
    later = compute(scope=scope, org=root, as_of=date(2023, 6, 30), period_start=date(2023, 1, 1))
    assert later["party_members"].value == 5
    # Five members and no party organization of its own: it qualifies for 单独组建.
    gap = selectors.CoverageFilter(on=date(2023, 6, 30), gap=selectors.Gap.QUALIFIES_SINGLE)
    assert list(selectors.coverage_list(scope=scope, org=root, filters=gap)) == [new_org]
