"""The whole demo, as ``manage.py seed_demo`` builds it, for the tests that read it.

Building it costs about a minute on PostgreSQL on a busy machine (57,000 statements), and five
tests read it. The root conftest builds it once per session (``demo_built``) inside a
transaction that stays open until the session ends and is then rolled back; each test that
asks for ``demo_root`` runs in its own savepoint inside that transaction, so what one test
writes is gone before the next one starts. Those tests run last (the root conftest's
``pytest_collection_modifyitems``): no other test runs while the demo is in the database."""

import random
from datetime import date

from tongxin.core import extensions
from tongxin.core.bulk import analyze
from tongxin.people import demo

# The demo's history is dated back from this day.
DEMO_TODAY = date(2025, 6, 30)

# The fixture the tests ask for; the tests that use it are moved to the end of the run.
FIXTURE = "demo_root"


def build() -> int:
    """Write the demo: the roster, then every app's records. Returns the root's id."""
    demo.build_demo(today=DEMO_TODAY)
    rng = random.Random(demo.DEFAULT_SEED)
    for seed_app in extensions.get("seed_demo"):
        seed_app(root=demo.demo_root(), today=DEMO_TODAY, rng=rng)
    # As seed_demo does: PostgreSQL gathers no statistics on rows this transaction has not
    # committed, and planned the demo's report as if the tables were empty (seconds a query).
    analyze()
    return demo.demo_root().pk


def last(items: list) -> None:
    """Move the tests that read the shared demo to the end, keeping each group's order."""
    shared = [item for item in items if FIXTURE in getattr(item, "fixturenames", ())]
    if shared:
        items[:] = [item for item in items if FIXTURE not in getattr(item, "fixturenames", ())]
        items.extend(shared)
