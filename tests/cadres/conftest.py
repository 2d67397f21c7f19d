"""Pools and people for the cadres tests, built through the services."""

from datetime import date

import pytest

from tests.factories import make_member
from tongxin.cadres import services
from tongxin.cadres.models import EntrySource, PoolKind, TalentPool

DECIDED = date(2025, 3, 1)


def make_pool(owner, name="后备干部", kind=PoolKind.RESERVE, excludes=(), **fields) -> TalentPool:
    return services.pool_save(
        pool=TalentPool(owner=owner, name=name, kind=kind, **fields), excludes=excludes
    )


def enter(pool, person, on=DECIDED, **fields):
    values = {
        "source": EntrySource.ORGANIZATION,
        "decision_meeting": "主委会议",
        "decision_date": on,
    }
    values.update(fields)
    return services.pool_entry_start(pool=pool, person=person, on=on, **values)


@pytest.fixture
def reserve(world):
    """The city's reserve pool: 45 and under, 中级 titles or above."""
    return make_pool(world.city, max_age=45, min_title_level="3", capacity=10)


@pytest.fixture
def young_member(world):
    return make_member(
        world.branch_a,
        name="李青",
        birth_date=date(1988, 5, 4),
        title="讲师",
        title_level="3",
        education="14",
        gender="2",
    )
