"""The four demo reports a new user tries (issue 20): the city committee, a branch, the
district's 党工委 (DQ) and the united-front department (TZ, no members) — no section, table,
chart or sentence that tells nothing."""

import pytest

from tongxin.core.scope import Scope
from tongxin.orgs.models import Organization
from tongxin.people import demo
from tongxin.people.demo import users as demo_users
from tongxin.stats.report import annual, draft
from tongxin.stats.report.draft import FIGURE_ROWS

from .conftest import DEMO_TODAY

pytestmark = pytest.mark.django_db
YEAR = DEMO_TODAY.year - 1  # the demo's last whole year


def _figure_rows(table):
    return [row for row in table.rows if row.kind in FIGURE_ROWS]


def _assert_tells_something(written):
    for part in written.parts:
        assert part.has_figures, part.key
        for topic in part.topics:
            for sentence in topic.sentences:
                # A number of a sentence is never a plain 0 ("处级0人").
                zeros = [
                    p.text for p in sentence.pieces if p.key and p.modifier == "" and not p.value
                ]
                assert not zeros, sentence.text
        for table in part.tables:
            assert any(c.value for row in _figure_rows(table) for c in row.cells), table.title
            for group in {c.group for c in table.columns if c.group}:
                columns = [i for i, c in enumerate(table.columns) if c.group == group]
                assert any(row.cells[i].value for row in _figure_rows(table) for i in columns), (
                    f"{table.title}: {group}"
                )
                assert group in table.title
        for chart in part.charts:
            assert any(f.value for _name, figures in chart.series for f in figures), chart.key
    for table in written.annual_tables:
        assert any(c.value for row in _figure_rows(table) for c in row.cells), table.title


def test_the_four_demo_reports_leave_out_what_has_no_records(demo_root):
    everything = Scope(everything=True)
    codes = [
        demo_root.code,
        demo.DEMO_BRANCH_CODE,
        demo_users.DISTRICT_CODE,
        demo_users.UNITED_FRONT_CODE,
    ]
    drafts = {}
    for code in codes:
        org = Organization.objects.get(code=code)
        drafts[code] = written = draft.build(scope=everything, org=org, year=YEAR)
        assert written.parts, code
        _assert_tells_something(written)
        # The 年报 workbook has exactly the report's tables (none of zeros only).
        assert annual.workbook(written)

    department = drafts[demo_users.UNITED_FRONT_CODE]
    assert department.report.figures["members"]["total"].value == 0
    text = "".join(s.text for s in department.sentences)
    # No members: no 成员 sentence, marker, structure table or chart; its cadres are told.
    assert "成员总数" not in text and "【待补充" not in text
    basic = [p for p in department.parts if p.key == "basic"]
    assert not basic or (not basic[0].tables and not basic[0].charts)
    assert "members" not in {t.section.key for t in department.annual_tables}
    assert any(p.key == "cadres" for p in department.parts)

    # The city keeps its structure tables, its charts and the sections it has records of.
    city = drafts[demo_root.code]
    basic = next(p for p in city.parts if p.key == "basic")
    assert basic.tables and basic.charts


def test_a_node_with_members_keeps_the_marker_for_what_staff_must_fill_in(demo_root):
    """The marker stays where the node has members but no records of a kind (activities)."""
    from tongxin.stats.models import ReportSentence
    from tongxin.stats.report import keys

    keys.ensure_defaults()
    marking = ReportSentence.objects.filter(party="", when_missing="mark")
    district = Organization.objects.get(code=demo_users.DISTRICT_CODE)
    written = draft.build(scope=Scope(everything=True), org=district, year=YEAR)
    markers = [s for s in written.sentences if s.marker]
    assert written.report.figures["members"]["total"].value
    assert {s.slot for s in markers} <= set(marking.values_list("slot", flat=True))
    for sentence in markers:
        assert sentence.marker.startswith("【待补充：") and not sentence.pieces
