"""The cadre pipeline in the browser: the survey finds an eligible member, who is talked to,
asked about, put on the initial list and entered in the reserve by the meeting's decision;
trained (the training app's records); assessed; recommended for a government post and
appointed, the post then counted in the rank group 县处级. A recommendation of someone without
the required training is refused at 任用 with the rule named; the year-end review lists who is
over the age limit."""

from datetime import date, timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.test_roster_flow import log_in
from tests.cadres.helpers import train
from tests.factories import make_member, make_user
from tongxin.cadres import services
from tongxin.cadres.models import EntrySource, PoolKind, Recommendation, TalentPool
from tongxin.core.codes import AdminRank, PostKind
from tongxin.core.dates import years_before
from tongxin.people.models import Post
from tongxin.training.models import Enforcement, TrainingRequirement

pytestmark = pytest.mark.django_db(transaction=True)

RULE = "实职安排须经中青年骨干培训"


def _fill_step(page, key, **values):
    form = page.get_by_test_id(f"step-{key}")
    if not form.is_visible():
        page.locator("details", has=form).locator("summary").click()
    for name, value in values.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.get_by_role("button").click()


def test_from_the_survey_to_an_appointment(page, world):
    today = timezone.localdate()
    iso = today.isoformat()
    member = make_member(
        world.branch_a,
        name="李青",
        gender="2",
        birth_date=years_before(today, 38),
        title="讲师",
        title_level="3",
        education="14",
        work_unit="江城大学文学院",
    )
    untrained = make_member(
        world.branch_a,
        name="王未训",
        birth_date=years_before(today, 40),
        title_level="2",
        start=today - timedelta(days=3000),
    )
    veteran = make_member(
        world.branch_b,
        name="周老",
        birth_date=years_before(today, 48),
        title_level="2",
        start=today - timedelta(days=3000),
    )
    reserve = services.pool_save(
        pool=TalentPool(
            owner=world.city,
            name="后备干部",
            kind=PoolKind.RESERVE,
            max_age=45,
            min_title_level="3",
        )
    )
    services.pool_entry_start(
        pool=reserve,
        person=veteran,
        on=today - timedelta(days=1500),
        source=EntrySource.ORGANIZATION,
        decision_meeting="主委会议",
        decision_date=today - timedelta(days=1500),
    )
    services.pool_entry_start(
        pool=reserve,
        person=untrained,
        on=today - timedelta(days=400),
        source=EntrySource.UNIT,
        decision_meeting="主委会议",
        decision_date=today - timedelta(days=400),
    )
    TrainingRequirement.objects.create(
        name=RULE,
        post_kind=PostKind.GOVERNMENT,
        class_types=["young_backbone"],
        within_years=5,
        enforcement=Enforcement.REFUSE,
    )
    make_user("city_staff", world.city)

    log_in(page, "city_staff")
    page.get_by_role("link", name="干部人才").click()
    page.get_by_test_id("pools").get_by_role("link", name="后备干部").click()
    page.get_by_test_id("survey-link").click()

    # The survey: 李青 (38, 中级) is eligible; 王未训 and 周老 are already in the pool.
    survey = page.get_by_test_id("survey")
    expect(page.get_by_test_id("survey-total")).to_have_text("共 1 人")
    expect(survey).to_contain_text("李青")
    survey.locator("tr", has_text="李青").get_by_test_id("start-candidate").click()
    expect(page.get_by_test_id("candidate-status")).to_have_text("考察中")

    _fill_step(page, "talk", on=iso, talkers="王主委、组织处长", summary="愿意接受组织培养")
    expect(page.get_by_test_id("timeline")).to_contain_text("谈心谈话")
    _fill_step(page, "opinion", on=iso, body="江城大学党委", conclusion="agree")
    _fill_step(page, "vote", on=iso, meeting="支部大会", participants="25", votes_for="23")
    _fill_step(page, "list", on=iso)
    expect(page.get_by_test_id("candidate-status")).to_have_text("初步人选")
    _fill_step(page, "decide", on=iso, meeting="第十二届主委会第五次会议")
    expect(page.get_by_test_id("candidate-status")).to_have_text("已入库")
    timeline = page.get_by_test_id("timeline")
    for step in ("征求意见", "民主推荐", "列入初步人选", "研究决定入库"):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("city_staff")

    # Trained: the training app's records.
    train(world, member, end=today - timedelta(days=30))

    # Assessed, from the person file.
    page.get_by_role("link", name="李青").first.click()
    page.get_by_role("link", name="后备与考核").click()
    expect(page.get_by_test_id("person-entries")).to_contain_text("后备干部")
    page.get_by_test_id("add-assessment").click()
    page.get_by_label("年度").fill(str(today.year - 1))
    page.get_by_label("考核等次").select_option(label="优秀")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("person-assessments")).to_contain_text(str(today.year - 1))
    expect(page.get_by_test_id("person-assessments")).to_contain_text("优秀")

    # Recommended for a government post and appointed.
    page.get_by_role("link", name="推荐使用").click()
    page.get_by_test_id("recommend").click()
    page.get_by_label("推荐类别").select_option(label="外举")
    page.get_by_label("职务类别").select_option(label="实职")
    page.get_by_label("拟任职务").fill("副区长")
    page.get_by_label("任职单位或机关").fill("江城市江南区人民政府")
    page.get_by_label("职务级别").select_option(label="县处级副职")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("recommendation-status")).to_have_text("民主推荐")
    form = page.get_by_test_id("advance-form")
    form.get_by_label("参加人数").fill("30")
    form.get_by_label("得票数").fill("27")
    page.get_by_test_id("advance").click()
    for step in ("组织考察", "讨论决定", "公示", "任用"):
        expect(page.get_by_test_id("recommendation-status")).to_have_text(step)
        page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("recommendation-status")).to_have_text("已任用")
    expect(page.get_by_test_id("appointed-post")).to_contain_text("副区长")
    post = Post.objects.get(person=member)
    assert (post.kind, post.rank, post.start) == (
        PostKind.GOVERNMENT,
        AdminRank.DIVISION_DEPUTY,
        today,
    )

    # The statistics count the post in the rank group 县处级, and the figure opens the list.
    page.goto(f"/stats/?org={world.city.pk}&as_of={iso}")
    figure = page.locator(f'a[href*="rank_group={quote("县处级")}"][href*="as_of={iso}"]').first
    expect(figure).to_have_text("1")
    figure.click()
    expect(page.get_by_test_id("roster-table")).to_contain_text("李青")

    # Without the training the rule asks for, 任用 is refused with the rule named.
    recommendation = services.recommendation_create(
        recommendation=Recommendation(
            owner=world.city,
            person=untrained,
            direction="external",
            post_kind=PostKind.GOVERNMENT,
            title="副局长",
            unit="江城市科学技术局",
            rank=AdminRank.DIVISION_DEPUTY,
            started_on=today - timedelta(days=20),
        )
    )
    for _ in range(4):
        step = recommendation.current_step
        votes = {"participants": 20, "votes_for": 18} if step.role == "vote" else {}
        services.recommendation_advance(
            recommendation=recommendation, on=today - timedelta(days=10), **votes
        )
        recommendation.refresh_from_db()
    page.goto(f"/cadres/recommendations/{recommendation.pk}/")
    expect(page.get_by_test_id("rule-refusal")).to_contain_text(RULE)
    page.get_by_test_id("advance").click()
    expect(page.get_by_test_id("advance-form")).to_contain_text(f"违反「{RULE}」")
    expect(page.get_by_test_id("advance-form")).to_contain_text("不能办理「任用」")
    expect(page.get_by_test_id("recommendation-status")).to_have_text("任用")
    assert not Post.objects.filter(person=untrained).exists()

    # The year-end review lists who is over the age limit.
    page.goto(f"/cadres/pools/{reserve.pk}/")
    page.get_by_role("link", name="年终动态管理").click()
    review = page.get_by_test_id("review")
    row = review.locator("tr", has_text="周老")
    expect(row).to_contain_text("超龄（48岁）")
    row.get_by_placeholder("理由（必填）").fill("已满48周岁，按规定出库")
    row.get_by_label("结论").select_option(label="出库")
    row.get_by_role("button", name="记录").click()
    expect(page.get_by_role("status")).to_contain_text("周老 出库")
    assert reserve.entries.get(person=veteran).exit_reason == "over_age"
    assert date.today() >= today  # the run did not cross midnight into another assessment year
