"""Members brought in by the roster import before it applied the membership rules hold no
political status: each member with an open spell and a blank status gets the party of the
spell's organization, as people.services gives a member (people.rules.member_status)."""

from django.db import migrations

CHUNK = 5000


def give_members_their_partys_status(apps, schema_editor):
    Organization = apps.get_model("orgs", "Organization")
    MembershipSpell = apps.get_model("people", "MembershipSpell")
    Person = apps.get_model("people", "Person")
    nodes = list(Organization.objects.values_list("pk", "path", "depth", "party"))
    own = {path: party for _pk, path, _depth, party in nodes}

    def effective_party(path: str, depth: int) -> str:
        # The node's own party, else the nearest ancestor's (Organization.effective_party);
        # the historical model has no tree methods, so ancestors are the path's prefixes.
        step = len(path) // depth
        for end in range(len(path), 0, -step):
            if party := own.get(path[:end]):
                return party
        return ""

    party_of = {pk: effective_party(path, depth) for pk, path, depth, _party in nodes}
    people: dict[str, list[int]] = {}
    for person_id, org_id in (
        MembershipSpell.objects.filter(end__isnull=True, person__political_status="")
        .order_by()
        .values_list("person_id", "org_id")
    ):
        if party := party_of.get(org_id):
            people.setdefault(party, []).append(person_id)
    for party, ids in people.items():
        for start in range(0, len(ids), CHUNK):
            Person.objects.filter(pk__in=ids[start : start + CHUNK], political_status="").update(
                political_status=party
            )


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_terms_and_elections"),
        ("people", "0012_membership_no_unique"),
    ]

    operations = [
        migrations.RunPython(give_members_their_partys_status, migrations.RunPython.noop),
    ]
