"""The stored default sentences follow a new version of the code's defaults unless the
administrator edited them (tongxin.stats.report.stored)."""

import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from tongxin.stats.models import ReportSentence
from tongxin.stats.report import defaults, stored

pytestmark = pytest.mark.django_db


def _upgrade(monkeypatch, changes: dict[str, str], added: list[tuple] = ()):
    """The code's next version: some defaults reworded, some new ones."""
    upgraded = [
        (part, topic, slot, what, missing, changes.get(slot, text))
        for part, topic, slot, what, missing, text in defaults.DEFAULTS
    ]
    upgraded.extend(added)
    monkeypatch.setattr(stored, "DEFAULTS", upgraded)


def test_the_defaults_are_stored_after_migrate_with_their_digest():
    stored.after_migrate(sender=None)
    rows = {row.slot: row for row in ReportSentence.objects.filter(party="")}
    assert set(rows) == {slot for _p, _t, slot, *_rest in defaults.DEFAULTS}
    assert all(stored.unedited(row) for row in rows.values())


def test_an_unedited_default_follows_the_code_an_edited_one_stays_a_new_one_appears(
    monkeypatch,
):
    stored.sync_defaults()
    edited = ReportSentence.objects.get(party="", slot="new_members")
    edited.text = "本年度共发展新成员{new_members.total}人。"
    edited.save()
    switched_off = ReportSentence.objects.get(party="", slot="flows")
    switched_off.active = False
    switched_off.save()

    new_text = "截至{year}年底，现有成员{members.total}人{members.total|增减:人}。"
    _upgrade(
        monkeypatch,
        {
            "members": new_text,
            "new_members": "{year}年新发展成员{new_members.total}人。",
            "flows": "本年转入{flows.in.total}人。",
        },
        [("basic", "成员队伍", "members_women", "女性成员数", "omit", "女性{members.women}人。")],
    )
    result = stored.sync_defaults()

    members = ReportSentence.objects.get(party="", slot="members")
    assert members.text == new_text and stored.unedited(members)
    assert ReportSentence.objects.get(party="", slot="new_members").text == edited.text
    added = ReportSentence.objects.get(party="", slot="members_women")
    assert added.text == "女性{members.women}人。" and added.active
    # Switching a default off is not an edit of its words: it follows, and stays off.
    flows = ReportSentence.objects.get(party="", slot="flows")
    assert flows.text == "本年转入{flows.in.total}人。" and not flows.active
    assert result.added == ["members_women"]
    assert set(result.updated) == {"members", "flows"}
    assert result.edited == ["new_members"] and result.edited_behind == ["new_members"]
    assert any(
        "new_members" in line and "report_sentences --reset" in line for line in result.lines()
    )
    # Nothing left to do the second time.
    again = stored.sync_defaults()
    assert not again.changed and again.edited == ["new_members"]


def test_a_default_the_code_drops_is_switched_off_unless_edited(monkeypatch):
    stored.sync_defaults()
    edited = ReportSentence.objects.get(party="", slot="mass")
    edited.what = "群团组织（本地说法）"
    edited.save()
    gone = {"terms", "mass"}
    monkeypatch.setattr(stored, "DEFAULTS", [d for d in defaults.DEFAULTS if d[2] not in gone])
    result = stored.sync_defaults()
    assert result.switched_off == ["terms"]
    assert not ReportSentence.objects.get(slot="terms").active
    assert ReportSentence.objects.get(slot="mass").active  # the administrator's own
    assert ReportSentence.objects.filter(slot__in=gone).count() == 2  # never deleted


def test_a_partys_own_sentence_is_never_touched(monkeypatch):
    stored.sync_defaults()
    own = ReportSentence.objects.create(
        party="05", part="basic", slot="members", text="盟员{members.total}人。", what="成员总数"
    )
    _upgrade(monkeypatch, {"members": "成员{members.total}人。"})
    stored.sync_defaults()
    own.refresh_from_db()
    assert own.text == "盟员{members.total}人。" and own.default_digest == ""


def test_the_command_lists_edited_rows_and_resets_one_on_request(monkeypatch):
    stored.sync_defaults()
    row = ReportSentence.objects.get(party="", slot="members")
    shipped = row.text
    row.text = "成员{members.total}人。"
    row.save()
    out = _call("report_sentences")
    assert "管理员修改过、保留原样（1）：members" in out
    out = _call("report_sentences", "--reset", "members")
    assert "已改用程序的默认句子：members" in out
    row.refresh_from_db()
    assert row.text == shipped and stored.unedited(row)
    with pytest.raises(CommandError, match="“nosuch”"):
        call_command("report_sentences", "--reset", "nosuch")


def test_rows_stored_before_the_digest_are_recognised_when_shipped_text():
    """The migration marks a row whose words are a shipped default as unedited, so that it
    follows the code from then on; a row edited before the upgrade keeps a blank digest."""
    migration = importlib.import_module(
        "tongxin.stats.migrations.0003_report_sentence_default_digest"
    )
    stored.sync_defaults()
    ReportSentence.objects.filter(party="").update(default_digest="")
    ReportSentence.objects.filter(slot="hours").update(text="学时{training.hours}小时。")
    migration.mark_shipped(apps, None)
    rows = {row.slot: row for row in ReportSentence.objects.filter(party="")}
    assert rows["members"].default_digest == stored.row_digest(rows["members"])
    assert rows["hours"].default_digest == ""
    assert not stored.unedited(rows["hours"])


def _call(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_admin_list_shows_which_defaults_are_as_shipped(admin_client):
    from django.urls import reverse

    stored.sync_defaults()
    ReportSentence.objects.filter(party="", slot="members").update(text="成员{members.total}人。")
    response = admin_client.get(reverse("admin:stats_reportsentence_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "与程序默认一致" in page
    # One edited default among the stored ones: one "no" icon.
    assert page.count('alt="False"') == 1
