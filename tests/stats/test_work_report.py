"""The yearly work report (REPORT.md): sentences worded from the statistics' figures of the year
and the year before, never a number of their own; templates the administrator keeps per party."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import make_member
from tongxin.core.figures import share
from tongxin.core.numerals import chinese_number
from tongxin.core.scope import Scope
from tongxin.stats import sections
from tongxin.stats.models import ReportSentence
from tongxin.stats.report import draft, keys, templating

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def year_of_records(world):
    """Members admitted before and during the year, in two branches of the city."""
    make_member(world.branch_a, name="张敏", gender="2", start=date(2015, 1, 1), title_level="2")
    make_member(world.branch_a, name="周明", start=date(2023, 5, 1), degree="3")
    make_member(world.branch_b, name="王芳", gender="2", start=date(2024, 3, 1), degree="3")
    make_member(world.branch_b, name="李强", start=date(2024, 9, 1), birth_date=date(1990, 2, 1))
    make_member(world.other_branch, name="曾强", start=date(2015, 1, 1))
    return world


def _figures(world, org, year):
    everything = Scope(everything=True)
    now = sections.compute(
        scope=everything, org=org, as_of=date(year, 12, 31), period_start=date(year, 1, 1)
    )
    before = sections.compute(
        scope=everything, org=org, as_of=date(year - 1, 12, 31), period_start=date(year - 1, 1, 1)
    )
    return now, before


def test_every_number_of_every_sentence_is_the_selectors_figure(year_of_records):
    world = year_of_records
    written = draft.build(scope=Scope(everything=True), org=world.city, year=YEAR)
    now, before = _figures(world, world.city, YEAR)
    numbers = [p for s in written.sentences for p in s.pieces if p.key]
    assert numbers, "the draft tells the year's figures"
    for piece in numbers:
        path = tuple(piece.key.split("."))
        current = templating.figure_at(now, path)
        previous = templating.figure_at(before, path)
        if piece.modifier == "":
            assert piece.value == current.value, piece
            assert piece.url == current.url
        elif piece.modifier == "上年":
            assert piece.value == previous.value
        elif piece.modifier == "增减":
            assert piece.value == current.value - previous.value
        else:
            assert piece.modifier == "占"
    text = "".join(s.text for s in written.sentences)
    # 4 members at the end of 2024, 2 a year earlier; 2 admitted in 2024.
    assert now["members"]["total"].value == 4
    assert "现有成员4人，比上年增加2人" in text
    assert "女性2人，占50%" in text
    assert f"{YEAR}年新发展成员2人" in text
    assert "硕士1人" in text  # 王芳, admitted this year; 周明 the year before
    assert [p.number for p in written.parts][:2] == ["一", "二"]


def test_a_part_without_records_has_no_sentence_and_no_number(year_of_records):
    world = year_of_records
    written = draft.build(scope=Scope(everything=True), org=world.city, year=YEAR)
    keys_written = [p.key for p in written.parts]
    # No class, activity, contribution, rounds, coverage registry: no such part at all.
    for absent in ("training", "participation", "evaluation", "coverage"):
        assert absent not in keys_written
    text = "".join(s.text for s in written.sentences)
    assert "培训" not in text and "参政议政" not in text
    # A sentence whose figure has no records is marked, never given a number.
    organizations = next(p for p in written.parts if p.key == "basic")
    assert all(
        s.pieces or s.marker.startswith("【待补充：")
        for t in organizations.topics
        for s in t.sentences
    )


def test_a_node_without_members_gets_markers_not_zeros(world):
    written = draft.build(scope=Scope(everything=True), org=world.branch_a, year=YEAR)
    assert written.parts == []
    assert "【待补充" not in "".join(s.text for s in written.sentences)


def test_the_year_before_without_records_gives_no_comparison(world):
    make_member(world.branch_a, name="新人", start=date(2024, 4, 1))
    written = draft.build(scope=Scope(everything=True), org=world.city, year=YEAR)
    text = "".join(s.text for s in written.sentences)
    assert "现有成员1人，平均年龄" in text
    assert "比上年" not in text.split("。")[0] + text.split("。")[1]


def test_wording_of_changes_and_shares():
    assert templating.change_text(311, 309, "人") == "，比上年增加2人"
    assert templating.change_text(5, 7, "个") == "，比上年减少2个"
    assert templating.change_text(3, 3, "人") == "，与上年持平"
    assert share(283, 311) == 91.0 and templating.share_text(283, 311) == "91%"
    assert templating.share_text(1, 3) == "33.3%"
    assert templating.number_text(35.0) == "35"


def test_a_template_naming_an_unknown_key_is_refused_with_the_key(world):
    sentence = ReportSentence(
        part="basic", slot="x", what="测试", text="成员{members.totl}人，其中{members.women}人。"
    )
    with pytest.raises(ValidationError) as refused:
        sentence.full_clean()
    assert "members.totl" in str(refused.value)
    assert not ReportSentence.objects.filter(slot="x").exists()
    bad = ReportSentence(part="basic", slot="y", what="测试", text="成员{members.total|增加:人}")
    with pytest.raises(ValidationError, match="增加"):
        bad.full_clean()
    # The sections documented but not installed here are known keys all the same.
    keys.check_template("党组织覆盖率{coverage.party_rate}%")
    keys.check_template("党外干部{non_party_cadres.files}人")


def test_the_administrator_edits_templates_in_the_admin_and_is_told_the_key(admin_client, world):
    keys.ensure_defaults()
    default = ReportSentence.objects.get(party="", slot="members")
    url = reverse("admin:stats_reportsentence_add")
    data = {
        "party": "05",
        "part": "basic",
        "topic": "成员队伍",
        "slot": "members",
        "order": default.order,
        "text": "盟员{members.totl}人。",
        "what": "成员总数",
        "when_missing": "mark",
        "active": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "members.totl" in response.content.decode()
    assert not ReportSentence.objects.filter(party="05").exists()
    data["text"] = "全市共有盟员{members.total}人{members.total|增减:人}。"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    saved = ReportSentence.objects.get(party="05", slot="members")
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(saved).filter(action=LogEntry.Action.CREATE).exists()


def test_a_partys_own_sentence_replaces_the_default_for_its_organizations(year_of_records):
    world = year_of_records
    keys.ensure_defaults()
    ReportSentence.objects.create(
        party="05",
        part="basic",
        topic="成员队伍",
        slot="members",
        order=20,
        text="全市共有盟员{members.total}人{members.total|增减:人}。",
        what="成员总数",
    )
    written = draft.build(scope=Scope(everything=True), org=world.city, year=YEAR)
    text = "".join(s.text for s in written.sentences)
    assert "全市共有盟员4人，比上年增加2人。" in text
    assert "现有成员" not in text


# --- the Word document ------------------------------------------------------------------------


def _docx_text(path) -> tuple[object, str]:
    from docx import Document

    document = Document(str(path))
    return document, "\n".join(p.text for p in document.paragraphs)


def test_the_command_writes_the_draft_as_an_official_word_document(year_of_records, tmp_path):
    from django.core.management import call_command

    world = year_of_records
    target = tmp_path / "report.docx"
    call_command("work_report", org="C1", year="2024", output=str(target))
    document, text = _docx_text(target)
    written = draft.build(scope=Scope(everything=True), org=world.city, year=YEAR)
    assert document.paragraphs[0].text == "民盟江城市委员会2024年度工作总结"
    assert "一、基本情况" in text and "二、组织发展" in text
    for sentence in written.sentences:
        assert sentence.text in text  # the same words, the same figures as the page
    assert f"{written.closing_number}、存在的问题和下一步打算" in text and "【待补充】" in text
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert "PAGE" in section.footer._element.xml
    # The members' structure table, with the year before and the change.
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "年龄结构·35岁及以下" in cells or "学历·研究生" in cells
    assert "增减" in cells
    # The dashboard's charts as pictures.
    assert len(document.inline_shapes) >= 1


def test_the_command_refuses_an_unknown_code_or_year(world, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到组织编码「NOPE」"):
        call_command("work_report", org="NOPE", year="2024", output=str(tmp_path / "a.docx"))
    with pytest.raises(CommandError, match="年度「24」无效"):
        call_command("work_report", org="C1", year="24", output=str(tmp_path / "a.docx"))
    assert not list(tmp_path.iterdir())


def test_libreoffice_converts_the_document_to_pdf(year_of_records, tmp_path):
    """A document LibreOffice cannot open fails; in CI a missing soffice fails too."""
    import os
    import shutil
    import subprocess

    from django.core.management import call_command

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice (Debian libreoffice-writer) is missing: .ci/run installs it")
        pytest.skip("soffice is not installed (apt-get install libreoffice-writer)")
    target = tmp_path / "report.docx"
    call_command("work_report", org="C1", year="2024", output=str(target))
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 10_000  # text, tables and the chart pictures


# --- sections other apps add ------------------------------------------------------------------


def test_a_section_registered_later_gets_its_part_from_the_default_sentences(
    year_of_records, monkeypatch
):
    """八、党群共建 is written from the `coverage` section once an app registers it (issue 18),
    and only where the node has records of its kind."""
    from tongxin.core import extensions
    from tongxin.core.codes import OrgKind
    from tongxin.core.figures import Figure, StatsSection
    from tongxin.orgs.models import Organization

    world = year_of_records

    def coverage(*, scope, org, as_of, period_start):
        # The registry's organizations stand in for the 两新组织 here: real rows, counted.
        found = Organization.objects.filter(scope.q("path"), path__startswith=org.path).exclude(
            pk=org.pk
        )
        covered = found.filter(kind=OrgKind.BRANCH).exclude(code="C1-B")
        registered, party = found.count(), covered.count()
        return {
            "registered": Figure(registered, found, "/orgs/"),
            "party_covered": Figure(party, covered, "/orgs/"),
            "party_rate": Figure(share(party, registered), found, "/orgs/"),
        }

    section = StatsSection(key="coverage", label="两新党群共建", compute=coverage)
    registration = extensions.Registration("stats_sections", section, 90, __name__)
    monkeypatch.setattr(extensions, "_registered", [*extensions.registrations(), registration])
    written = draft.build(scope=Scope(everything=True), org=world.city, year=YEAR)
    part = next(p for p in written.parts if p.key == "coverage")
    assert part.title == "党群共建" and part.number == chinese_number(len(written.parts))
    text = "".join(s.text for t in part.topics for s in t.sentences)
    assert "全区登记两新组织4家" in text
    assert "建立党组织的2家" in text and "覆盖率50%" in text
    assert "coverage" in [t.section.key for t in written.annual_tables]
    # A branch has no organizations below it: no records of the kind, no part.
    branch = draft.build(scope=Scope(everything=True), org=world.branch_a, year=YEAR)
    assert "coverage" not in [p.key for p in branch.parts]


def test_the_demo_city_committees_report_tells_its_year_and_ranks_its_branches(demo_root):
    from tongxin.evaluation import selectors as evaluation_selectors

    everything = Scope(everything=True)
    written = draft.build(scope=everything, org=demo_root, year=2024)
    now, before = _figures(None, demo_root, 2024)
    assert [p.title for p in written.parts][:3] == ["基本情况", "组织发展", "干部队伍建设"]
    for piece in (p for s in written.sentences for p in s.pieces if p.key and not p.modifier):
        assert piece.value == templating.figure_at(now, tuple(piece.key.split("."))).value
    entries = evaluation_selectors.scored_entries(
        scope=everything, org=demo_root, start=date(2024, 1, 1), end=date(2024, 12, 31), top=3
    )
    assert [line.rank for line in written.ranking] == [e.standing.rank for e in entries]
    first = written.ranking[0]
    assert f"{first.count}个支部考评中以总分{first.total}分名列第一" in first.sentence


def test_every_default_sentence_names_known_keys_only(world):
    from tongxin.stats.report.defaults import DEFAULTS, PARTS

    parts = {key for key, _title in PARTS}
    for part, _topic, slot, what, when_missing, text in DEFAULTS:
        assert part in parts and what and when_missing in ("omit", "mark"), slot
        keys.check_template(text)
    assert len({slot for _p, _t, slot, *_rest in DEFAULTS}) == len(DEFAULTS)


def test_charts_are_drawn_with_chinese_labels_in_the_vendored_font():
    import warnings

    from tongxin.core.figures import Figure
    from tongxin.stats.charts import Chart
    from tongxin.stats.report import pictures

    assert pictures.FONT.exists() and (pictures.FONT.parent / "LICENSE").exists()
    chart = Chart(
        "education",
        "学历结构（研究生、大学本科）",
        "bar",
        date(2024, 12, 31),
        ["研究生", "大学本科", "大学专科", "中专及以下"],
        [("人数", [Figure(5), Figure(12), Figure(3), Figure(0)])],
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        image = pictures.png(chart)
    assert image.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_the_documents_charts_are_the_dashboards_and_each_is_drawn_once(year_of_records):
    from tongxin.stats import charts as stats_charts
    from tongxin.stats.report import pictures

    world = year_of_records
    everything = Scope(everything=True)
    written = draft.build(scope=everything, org=world.city, year=YEAR)
    drawn = next(p for p in written.parts if p.key == "basic").charts
    shown = {
        c.key: c
        for c in stats_charts.dashboard(scope=everything, org=world.city, as_of=written.as_of)
    }
    wanted = ["members-trend", "education", "new-members"]
    with_records = [k for k in wanted if any(f.value for _n, fs in shown[k].series for f in fs)]
    # No education recorded for these members: no chart of zeros.
    assert [c.key for c in drawn] == with_records == ["members-trend", "new-members"]
    for chart in drawn:
        assert chart.data == shown[chart.key].data  # same titles, categories and figures
    first = pictures.png(drawn[0])
    assert first.startswith(b"\x89PNG") and pictures.png(drawn[0]) is first
