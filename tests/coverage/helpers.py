from datetime import date

from tests.factories import make_org
from tongxin.coverage import services
from tongxin.coverage.models import NewOrganization, NewOrgKind, make_credit_code


def make_district():
    """东区党工委 with two streets of two communities each."""
    root = make_org(code="TQ", name="测试区党工委", kind="committee")
    east = make_org(root, code="TQ01", name="东街道党工委", kind="street_committee")
    west = make_org(root, code="TQ02", name="西街道党工委", kind="street_committee")
    communities = {
        code: make_org(parent, code=code, name=name, kind="community_general_branch")
        for parent, code, name in (
            (east, "TQ0101", "东一社区"),
            (east, "TQ0102", "东二社区"),
            (west, "TQ0201", "西一社区"),
            (west, "TQ0202", "西二社区"),
        )
    }
    return root, east, west, communities


make_new_org_serial = iter(range(1, 10**6))


def make_new_org(area, *, name=None, founded=date(2020, 1, 1), **fields) -> NewOrganization:
    serial = next(make_new_org_serial)
    return services.new_org_save(
        new_org=NewOrganization(
            credit_code=make_credit_code(serial),
            name=name or f"测试企业{serial}",
            kind=fields.pop("kind", NewOrgKind.ENTERPRISE),
            area=area,
            founded=founded,
            **fields,
        )
    )
