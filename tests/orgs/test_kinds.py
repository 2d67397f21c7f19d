"""Organization kinds are a code table: the defaults, the kinds the system administrator adds,
and the upgrade that keeps the kinds organizations already have."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.factories import make_user
from tongxin.accounts.roles import Role
from tongxin.orgs.kinds import kind_choices
from tongxin.orgs.models import Organization, OrganizationKind


@pytest.mark.django_db
def test_the_defaults_are_the_party_kinds_then_the_deployment_kinds():
    assert [name for _code, name in kind_choices()] == [
        "委员会", "基层委员会", "总支", "支部", "小组",
        "部门", "街道党工委", "社区党总支", "行业党委", "部委办局", "单位",
    ]  # fmt: skip
    assert kind_choices()[3] == ("branch", "支部")


@pytest.mark.django_db
def test_the_system_administrator_adds_a_kind_that_forms_and_filters_offer(
    client, world, city_staff
):
    sysadmin = make_user("xitong", roles=(Role.SYSTEM_ADMIN,))
    client.force_login(sysadmin)
    response = client.post(
        reverse("admin:orgs_organizationkind_add"),
        {"code": "area_committee", "name": "片区党委", "order": "200"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    kind = OrganizationKind.objects.get(code="area_committee")
    # Its name is a statistics key and an import value: it is never changed or deleted.
    change = client.get(reverse("admin:orgs_organizationkind_change", args=[kind.pk]))
    assert 'name="name"' not in change.content.decode()
    delete = client.get(reverse("admin:orgs_organizationkind_delete", args=[kind.pk]))
    assert delete.status_code == 403

    client.force_login(city_staff)
    form = client.get(reverse("orgs:create", args=[world.city.pk])).content.decode()
    assert '<option value="area_committee">片区党委</option>' in form
    response = client.post(
        reverse("orgs:create", args=[world.city.pk]),
        {"code": "C1-P", "name": "东片区党委", "kind": "area_committee", "party": "", "note": ""},
    )
    assert response.status_code == 302
    assert Organization.objects.get(code="C1-P").get_kind_display() == "片区党委"
    listed = client.get(reverse("orgs:list"), {"org": world.city.pk, "kind": "area_committee"})
    assert "东片区党委" in listed.content.decode()


@pytest.mark.django_db
def test_a_kind_not_in_the_table_is_refused_naming_the_kinds(client, world, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("orgs:create", args=[world.city.pk]),
        {"code": "C1-P", "name": "东片区党委", "kind": "area_committee", "party": "", "note": ""},
    )
    assert response.status_code == 200
    assert not Organization.objects.filter(code="C1-P").exists()
    with pytest.raises(ValidationError, match="不是可选的组织类型，应为：委员会、基层委员会"):
        Organization(code="X", name="X", kind="area_committee").full_clean(
            exclude=["path", "depth", "numchild"]
        )


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_the_kinds_organizations_have():
    executor = MigrationExecutor(connection)
    executor.migrate([("orgs", "0005_terms_moved_to_their_own_app")])
    executor.loader.build_graph()
    old = executor.loader.project_state(("orgs", "0005_terms_moved_to_their_own_app")).apps
    OldOrganization = old.get_model("orgs", "Organization")
    OldOrganization.objects.create(path="0001", depth=1, code="C1", name="市委会", kind="committee")
    OldOrganization.objects.create(
        path="00010001", depth=2, code="C1-A", name="一支部", kind="branch"
    )
    OldOrganization.objects.create(
        path="00010002", depth=2, code="C1-X", name="旧类型", kind="cell"
    )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        kinds = dict(OrganizationKind.objects.values_list("code", "name"))
        assert kinds["committee"] == "委员会" and kinds["branch"] == "支部"
        assert kinds["street_committee"] == "街道党工委"
        assert kinds["cell"] == "cell"  # a value from outside the old list stays valid
        assert dict(Organization.objects.values_list("code", "kind")) == {
            "C1": "committee", "C1-A": "branch", "C1-X": "cell",
        }  # fmt: skip
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
