"""The demo's terms and evaluation: built through the services, some terms due and one
overdue, last year's round closed with awards, this year's open, and a clean reset."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from tongxin.core.scope import Scope, subtree_q
from tongxin.evaluation import selectors
from tongxin.evaluation.models import Award, EvaluationRound, Rubric
from tongxin.orgs.models import Organization
from tongxin.people import demo
from tongxin.people.models import Honor
from tongxin.terms import selectors as terms
from tongxin.terms.models import Term

EVERYTHING = Scope(everything=True)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--members", "90", "--seed", "5", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_has_terms_due_soon_overdue_and_renewed(seeded):
    from django.utils import timezone

    today = timezone.localdate()
    root = demo.demo_root()
    assert "届次与换届选举" in seeded
    assert terms.due_soon(scope=EVERYTHING, org=root, on=today).count() >= 3
    assert terms.overdue(scope=EVERYTHING, org=root, on=today).count() >= 1
    # The committee's branches: the demo's district and department are other trees.
    branches = Organization.objects.filter(
        subtree_q(root.path), kind="branch", dissolved__isnull=True
    )
    for branch in branches:
        current = Term.objects.filter(org=branch, end__isnull=True)
        assert current.count() == 1, branch
        assert current.get().seats.filter(is_chair=True).count() == 1, branch
    city = Term.objects.get(org=root, end__isnull=True)
    assert city.previous is not None
    c = terms.term_composition(city)
    assert c.re_elected > 0 and c.newcomers > 0 and "连任" in c.sentence()


@pytest.mark.django_db
def test_the_demo_has_a_closed_round_with_awards_and_an_open_one(seeded):
    from django.utils import timezone

    year = timezone.localdate().year
    root = demo.demo_root()
    last = EvaluationRound.objects.get(org=root, year=year - 1)
    current = EvaluationRound.objects.get(org=root, year=year)
    assert not last.is_open and current.is_open
    ranking = selectors.standings(round_=last)
    grassroots = ("grassroots_committee", "general_branch", "branch")
    ranked = Organization.objects.filter(subtree_q(root.path), kind__in=grassroots)
    assert len(ranking) == ranked.count() - 1  # one dissolved
    assert all(s.missing == 0 for s in ranking)
    advanced = Award.objects.filter(round=last, kind="advanced_branch")
    assert set(advanced.values_list("org", flat=True)) == {s.org.pk for s in ranking[:3]}
    assert Award.objects.filter(round=last, person__isnull=False).exists()
    assert any(s.missing for s in selectors.standings(round_=current))
    assert Honor.objects.filter(conferred_on__lte=date.today()).count() >= 5
    assert Rubric.objects.filter(org=root).count() == 1


@pytest.mark.django_db
def test_the_demo_resets_cleanly(seeded):
    out = StringIO()
    call_command("seed_demo", "--reset", "--members", "90", "--seed", "5", stdout=out)
    assert "已删除原有演示数据" in out.getvalue()
    assert EvaluationRound.objects.count() == 2
    assert Term.objects.filter(org__code=demo.ROOT_CODE).count() == 2
