"""Demo records of branch work on top of the demo roster (``manage.py seed_demo``).

The committee's leaders liaise with the branches and visit them each half-year (a few branches
not yet this half-year, so that the workbench has something to say); every current branch holds
two years of activities with their attendance; members and branches submit contributions that
climb the adoption ladder, one social-condition report of the 医药卫生支部 (the demo chair's
branch) as far as the national CPPCC. Everything is drawn from the ``rng`` given and dated
relative to ``today``, and written through the services.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Exists, OuterRef

from tongxin.core.codes import OrgKind, PostKind
from tongxin.core.scope import Scope, subtree_q
from tongxin.orgs.models import Organization
from tongxin.people.models import Post

from . import photos as photo_files
from . import selectors, services
from .models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Adoption,
    AdoptionRung,
    Contribution,
    ContributionAuthor,
    ContributionKind,
    LiaisonAssignment,
    LiaisonVisit,
)
from .points import reward_rules_restore_defaults
from .selectors import half_year_start, roster_on

EVERYTHING = Scope(everything=True)
FLAGSHIP_BRANCH = "MM-JC-ZS01"  # 医药卫生支部, the branch of the demo user ``zhibu``
UNVISITED_THIS_HALF = 3
YEARS = 2

# fmt: off
KIND_WEIGHTS = (
    (ActivityKind.STUDY, 28), (ActivityKind.THEME, 12),
    (ActivityKind.SOCIAL_SERVICE, 12), (ActivityKind.FORUM, 10), (ActivityKind.INSPECTION, 7),
    (ActivityKind.FELLOWSHIP, 7), (ActivityKind.GENERAL_MEETING, 4),
)
TITLES = {
    ActivityKind.STUDY: ("学习全国两会精神", "学习《中国民主同盟章程》", "“凝心铸魂强根基”主题学习",
                         "盟史学习会", "学习中共中央关于加强新时代统一战线工作的意见"),
    ActivityKind.COMMITTEE_MEETING: ("支委会：研究季度工作", "支委会：讨论发展新盟员",
                                     "支委会：部署参政议政选题"),
    ActivityKind.THEME: ("“同心向党”主题活动", "“多党合作在江城”主题活动", "纪念民盟成立主题活动"),
    ActivityKind.SOCIAL_SERVICE: ("“烛光行动”送教下乡", "义诊进社区", "法律咨询进社区",
                                  "助学帮扶走访", "科普进校园"),
    ActivityKind.FORUM: ("参政议政选题座谈会", "新盟员座谈会", "“我为江城发展献一策”座谈会"),
    ActivityKind.INSPECTION: ("赴江城高新区考察", "赴乡村振兴示范村考察", "赴红色教育基地参观学习"),
    ActivityKind.FELLOWSHIP: ("新老盟员迎新春联谊会", "与兄弟支部联谊", "盟员家属联谊活动"),
    ActivityKind.GENERAL_MEETING: ("年度支部大会",),
}
PLACES = ("支部活动室", "民盟江城市委会议室", "江城大学逸夫楼报告厅", "江城市民主党派大楼",
          "江南区社区服务中心", "江城市图书馆")
PARTNERS = ("江城市第一人民医院", "江南区红星社区居委会", "江城市青少年宫", "江北区石桥镇中心小学",
            "江城市律师协会")
TOPICS = ("了解支部班子建设和组织发展情况", "听取支部参政议政选题汇报", "座谈支部活动经费和场地",
          "了解新盟员培养和教育情况", "调研盟员履职和社会服务情况")
PROBLEMS = ("活动场地不固定", "青年盟员参加活动时间难以保证", "参政议政选题缺少调研经费",
            "部分离退休盟员联系不便", "")
FOLLOW_UPS = ("市委会协调活动场地", "组织部安排专题培训", "参政议政委员会给予选题指导", "")

CONTRIBUTION_WEIGHTS = (
    (ContributionKind.SOCIAL_REPORT, 50), (ContributionKind.PROPOSAL, 20),
    (ContributionKind.ARTICLE, 10), (ContributionKind.RESEARCH, 8),
    (ContributionKind.PUBLICITY, 7), (ContributionKind.PLENARY_SPEECH, 5),
)
SUBJECTS = ("基层医疗机构人才流失", "老旧小区加装电梯", "中小学课后服务", "农村留守老人照护",
            "中小微企业融资难", "城市内涝治理", "养老服务人才培养", "非遗传承人队伍建设",
            "青年科技人才住房保障", "预付式消费监管", "县域医共体建设", "电动自行车充电安全",
            "职业教育产教融合", "社区心理健康服务", "城乡垃圾分类")
TITLE_FORMS = {
    ContributionKind.SOCIAL_REPORT: "关于{}问题的建议",
    ContributionKind.PROPOSAL: "关于加强{}的提案",
    ContributionKind.ARTICLE: "{}的思考与对策",
    ContributionKind.RESEARCH: "江城市{}调研报告",
    ContributionKind.PUBLICITY: "支部开展{}主题调研",
    ContributionKind.PLENARY_SPEECH: "推进{}的几点建议（大会发言）",
}
CHANNELS = {
    ContributionKind.SOCIAL_REPORT: "民盟江城市委社情民意信息",
    ContributionKind.PROPOSAL: "江城市政协提案",
    ContributionKind.ARTICLE: "《江城盟讯》",
    ContributionKind.RESEARCH: "民盟江城市委调研课题",
    ContributionKind.PUBLICITY: "民盟江城市委网站",
    ContributionKind.PLENARY_SPEECH: "江城市政协全体会议",
}
# The rungs a kind may climb, each with the chance of reaching it once the one before was
# reached, the days it takes, the document and the body.
LADDERS = {
    ContributionKind.SOCIAL_REPORT: (
        (AdoptionRung.CITY, 0.6, 10, "《江城社情民意》{y}年第{n}期", "民盟江城市委"),
        (AdoptionRung.PROVINCE, 0.45, 30, "省委统战部《统战信息》{y}年第{n}期", "省委统战部"),
        (AdoptionRung.CENTRE, 0.35, 45, "民盟中央《盟内信息》{y}年第{n}期", "民盟中央"),
        (AdoptionRung.INSTRUCTION_PROVINCE, 0.3, 20, "批示件〔{y}〕{n}号", "副省长"),
    ),
    ContributionKind.PROPOSAL: (
        (AdoptionRung.COLLECTIVE, 0.35, 20, "江盟〔{y}〕{n}号", "民盟江城市委"),
        (AdoptionRung.KEY, 0.3, 40, "江城市政协重点提案{y}-{n}", "江城市政协"),
    ),
}
FLAGSHIP_LADDER = (
    (AdoptionRung.CITY, 10, "《江城社情民意》{y}年第21期", "民盟江城市委"),
    (AdoptionRung.PROVINCE, 40, "省委统战部《统战信息》{y}年第33期", "省委统战部"),
    (AdoptionRung.CENTRE, 80, "民盟中央《盟内信息》{y}年第12期", "民盟中央"),
    (AdoptionRung.NATIONAL_CPPCC, 120, "全国政协《社情民意信息专报》第86期", "全国政协办公厅"),
)
OTHER_LADDER = ((AdoptionRung.CITY, 0.3, 15, "《江城盟讯》{y}年第{n}期", "民盟江城市委"),)
# fmt: on


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _day_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _current_branches(root, today) -> list[Organization]:
    branches = Organization.objects.filter(subtree_q(root.path), kind=OrgKind.BRANCH)
    return [b for b in branches.order_by("path") if b.is_current(today)]


def _liaison(*, root, today, rng, branches) -> tuple[int, int]:
    leaders = list(
        Post.objects.filter(org=root, kind=PostKind.PARTY)
        .active_on(today)
        .select_related("person")
        .order_by("pk")
    )
    if not leaders:
        return 0, 0
    start = today - timedelta(days=365 * YEARS)
    unvisited = set(rng.sample([b.pk for b in branches], min(len(branches), UNVISITED_THIS_HALF)))
    visits = 0
    assigned = []
    for index, branch in enumerate(branches):
        leader = leaders[index % len(leaders)]
        begins = max(start, branch.established or start)
        (assignment,) = services.liaison_assign(
            orgs=[branch],
            person=leader.person,
            title=f"市委会{leader.title}",
            start=begins,
        )
        assigned.append(assignment)
        half = half_year_start(begins)
        while half <= today:
            half_end = (
                half.replace(month=12, day=31) if half.month == 7 else half.replace(month=6, day=30)
            )
            first, last = max(half, begins), min(half_end, today)
            current = half == half_year_start(today)
            if first <= last and not (current and branch.pk in unvisited):
                if current or rng.random() < 0.85:
                    services.visit_save(
                        visit=LiaisonVisit(
                            org=branch,
                            assignment=assignment,
                            date=_day_between(rng, first, last),
                            visitors=f"{leader.person.name}、市委会组织部干部",
                            topics=rng.choice(TOPICS),
                            problems=rng.choice(PROBLEMS),
                            follow_up=rng.choice(FOLLOW_UPS),
                        )
                    )
                    visits += 1
            half = half_end + timedelta(days=1)
    return len(assigned), visits


def _quarters(today: date):
    """The quarters of last year and of this year up to ``today``: (first day, last day)."""
    for year in (today.year - 1, today.year):
        for month in (1, 4, 7, 10):
            first = date(year, month, 1)
            after = date(year, month + 3, 1) if month < 10 else date(year + 1, 1, 1)
            last = after - timedelta(days=1)
            if first <= today:
                yield first, min(last, today)


def _activities(*, root, today, rng, branches) -> tuple[int, int]:
    """Each branch, each quarter of last year and this: a committee meeting most quarters and
    up to two other activities."""
    count = attended = 0
    for branch in branches:
        days = []
        for first, last in _quarters(today):
            first = max(first, branch.established or first)
            if first > last:
                continue
            if rng.random() < 0.85:
                days.append((_day_between(rng, first, last), ActivityKind.COMMITTEE_MEETING))
            for _ in range(rng.randint(0, 2)):
                days.append((_day_between(rng, first, last), _weighted(rng, KIND_WEIGHTS)))
        for day, kind in sorted(days):
            roster = [p.pk for p in roster_on(scope=EVERYTHING, org=branch, on=day)]
            if not roster:
                continue
            if kind == ActivityKind.COMMITTEE_MEETING:
                expected = rng.sample(roster, min(len(roster), rng.randint(3, 5)))
            else:
                expected = roster
            present = [pk for pk in expected if rng.random() < 0.78]
            activity = services.activity_save(
                activity=Activity(
                    org=branch,
                    date=day,
                    kind=kind,
                    title=rng.choice(TITLES[kind]),
                    place=rng.choice(PLACES),
                    partners=rng.choice(PARTNERS) if kind == ActivityKind.SOCIAL_SERVICE else "",
                    summary=f"{branch.display_name}组织盟员参加，应到 {len(expected)} 人，"
                    f"实到 {len(present)} 人。",
                ),
                expected=expected,
                present=present,
                scope=EVERYTHING,
            )
            count += 1
            attended += len(present)
            if branch.code == FLAGSHIP_BRANCH and day >= today - timedelta(days=120):
                _photos(activity, rng)
    return count, attended


def _photos(activity, rng) -> None:
    """Two plain generated pictures, stored like an upload."""
    from PIL import Image, ImageDraw

    uploads = []
    for n in range(2):
        image = Image.new("RGB", (800, 600), tuple(rng.randint(90, 200) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(6):
            x, y = rng.randint(0, 700), rng.randint(0, 500)
            colour = tuple(rng.randint(0, 255) for _ in range(3))
            draw.ellipse((x, y, x + rng.randint(40, 160), y + rng.randint(40, 160)), fill=colour)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        uploads.append(
            SimpleUploadedFile(f"活动照片{n + 1}.jpg", out.getvalue(), content_type="image/jpeg")
        )
    services.photos_add(activity=activity, uploads=uploads, caption="活动现场")


def _climb(contribution, ladder, rng, today) -> int:
    on, made = contribution.submitted_on, 0
    for rung, chance, days, document, body in ladder:
        if rng.random() >= chance:
            break
        on = on + timedelta(days=rng.randint(days // 2, days))
        if on > today:
            break
        services.adoption_save(
            adoption=Adoption(
                contribution=contribution,
                rung=rung,
                on=on,
                document=document.format(y=on.year, n=rng.randint(1, 60)),
                body=body,
            )
        )
        made += 1
    return made


def _contributions(*, root, today, rng, branches) -> tuple[int, int]:
    start = today - timedelta(days=365 * YEARS)
    count = adoptions = 0
    for _ in range(50):
        branch = rng.choice(branches)
        kind = _weighted(rng, CONTRIBUTION_WEIGHTS)
        day = _day_between(rng, max(start, branch.established or start), today)
        roster = list(roster_on(scope=EVERYTHING, org=branch, on=day))
        if len(roster) < 3:
            continue
        collective = kind == ContributionKind.PROPOSAL and rng.random() < 0.3
        authors = [] if collective else rng.sample(roster, rng.choice((1, 1, 1, 2)))
        others = [p for p in roster if p not in authors]
        co_signers = (
            rng.sample(others, min(len(others), rng.randint(1, 3)))
            if kind == ContributionKind.PROPOSAL
            else []
        )
        subject = rng.choice(SUBJECTS)
        contribution = services.contribution_save(
            contribution=Contribution(
                kind=kind,
                title=TITLE_FORMS[kind].format(subject),
                submitted_on=day,
                channel=CHANNELS[kind],
                reference=f"{day.year}-{rng.randint(1, 300):03d}",
                is_collective=collective,
                summary=f"围绕{subject}，提出对策建议。",
            ),
            authors=authors,
            author_orgs=[branch] if collective else [],
            co_signers=co_signers,
            scope=EVERYTHING,
        )
        count += 1
        adoptions += _climb(contribution, LADDERS.get(kind, OTHER_LADDER), rng, today)
    # The flagship: a report of the chair's branch that climbed to the national CPPCC three
    # weeks ago, so that this year's points and ranking show it.
    branch = next(b for b in branches if b.code == FLAGSHIP_BRANCH)
    day = today - timedelta(days=140)
    roster = list(roster_on(scope=EVERYTHING, org=branch, on=day))
    if not roster:  # a very small demo (seed_demo --members)
        return count, adoptions
    author = roster[0]
    flagship = services.contribution_save(
        contribution=Contribution(
            kind=ContributionKind.SOCIAL_REPORT,
            title="关于破解县域基层医疗机构人才“引不进、留不住”问题的建议",
            submitted_on=day,
            channel=CHANNELS[ContributionKind.SOCIAL_REPORT],
            reference=f"{day.year}-017",
            summary="调研江城市三个县区的乡镇卫生院，提出定向培养、编制统筹和职称倾斜等建议。",
        ),
        authors=[author],
        scope=EVERYTHING,
    )
    for rung, days, document, body in FLAGSHIP_LADDER:
        on = day + timedelta(days=days)
        services.adoption_save(
            adoption=Adoption(
                contribution=flagship,
                rung=rung,
                on=on,
                document=document.format(y=on.year),
                body=body,
            )
        )
        adoptions += 1
    return count + 1, adoptions


def seed_demo(*, root, today, rng) -> list[str]:
    reward_rules_restore_defaults()
    branches = _current_branches(root, today)
    # Liaison covers every grassroots organization (the district committees too).
    grassroots = list(selectors.branches(scope=EVERYTHING, org=root, on=today).order_by("path"))
    assignments, visits = _liaison(root=root, today=today, rng=rng, branches=grassroots)
    activities, attended = _activities(root=root, today=today, rng=rng, branches=branches)
    contributions, adoptions = _contributions(root=root, today=today, rng=rng, branches=branches)
    return [
        f"联系基层：{assignments} 项联系安排，走访 {visits} 次"
        f"（本半年未走访的基层组织 {UNVISITED_THIS_HALF} 个）",
        f"支部活动：近两年 {activities} 次，实到 {attended} 人次",
        f"参政议政成果：{contributions} 项，采用和批示 {adoptions} 次"
        "（医药卫生支部一篇社情民意信息获全国政协采用）",
    ]


def reset_demo(*, root) -> None:
    in_tree = subtree_q(root.path, "org__path")
    names = list(
        ActivityPhoto.objects.filter(subtree_q(root.path, "activity__org__path")).values_list(
            "file", "thumbnail"
        )
    )
    Activity.objects.filter(in_tree).delete()
    LiaisonVisit.objects.filter(in_tree).delete()
    LiaisonAssignment.objects.filter(in_tree).delete()
    authored = ContributionAuthor.objects.filter(in_tree, contribution=OuterRef("pk"))
    Contribution.objects.filter(Exists(authored)).delete()
    photo_files.remove(*(name for pair in names for name in pair))
