"""Demonstration data: a fictional city committee of 民盟 with five years of history.

``build_demo`` (builder) writes the organization tree (tree), about 300 synthetic current members
(names, work) with five years of spells and posts; ``seed_all`` adds each domain app's records on
top. ``ensure_demo_users`` (users) gives each role an account, ``summarize`` (summary) counts the
data on a day.
"""

from .builder import (
    DEFAULT_MEMBERS,
    DEFAULT_SEED,
    MIN_MEMBERS,
    build_demo,
    reset_demo,
    seed_all,
)
from .summary import DemoSummary, summarize
from .tree import (
    APPROVING_BODY,
    CATEGORIES,
    DEMO_BRANCH_CODE,
    DISSOLVED_BRANCH,
    NEW_BRANCH,
    ORG_BY_CODE,
    ORGS,
    ROOT_CODE,
    ROOT_NAME,
    OrgSpec,
    demo_root,
)
from .users import (
    ADMIN_USERNAME,
    AUDITOR_USERNAME,
    BRANCH_USERNAME,
    DEMO_USERS,
    UNITED_FRONT_CODE,
    DemoUser,
    ensure_demo_users,
)

__all__ = [
    "ADMIN_USERNAME",
    "APPROVING_BODY",
    "AUDITOR_USERNAME",
    "BRANCH_USERNAME",
    "CATEGORIES",
    "DEFAULT_MEMBERS",
    "DEFAULT_SEED",
    "DEMO_BRANCH_CODE",
    "DEMO_USERS",
    "DISSOLVED_BRANCH",
    "MIN_MEMBERS",
    "NEW_BRANCH",
    "ORGS",
    "ORG_BY_CODE",
    "ROOT_CODE",
    "ROOT_NAME",
    "UNITED_FRONT_CODE",
    "DemoSummary",
    "DemoUser",
    "OrgSpec",
    "build_demo",
    "demo_root",
    "ensure_demo_users",
    "reset_demo",
    "seed_all",
    "summarize",
]
