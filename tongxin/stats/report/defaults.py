"""The default sentence templates, a set per part of the report (REPORT.md's order).

Each is stored as a ``ReportSentence`` (party "" = every party) the first time a report is
drafted; the system administrator edits them in the back office, or adds a party's own
sentence under the same slot. The syntax is ``tongxin.stats.report.templating``'s.
"""

from __future__ import annotations

# (key, title) of the report's parts, in order. A part is written when the node has records
# of its kind; the closing part is always there, for staff to write.
PARTS = [
    ("basic", "基本情况"),
    ("development", "组织发展"),
    ("cadres", "干部队伍建设"),
    ("training", "教育培训"),
    ("grassroots", "基层组织建设"),
    ("participation", "参政议政"),
    ("evaluation", "考评表彰"),
    ("coverage", "党群共建"),
]
CLOSING = "存在的问题和下一步打算"
PART_TITLES = dict(PARTS)

# (part, topic, slot, what is missing, when missing: "omit" or "mark", text)
DEFAULTS: list[tuple[str, str, str, str, str, str]] = [
    # 一、基本情况
    (
        "basic",
        "组织建设",
        "organizations",
        "下属组织数",
        "omit",
        "截至{year}年底，共有下属组织{organizations.total}个{organizations.total|增减:个}"
        "[，其中支部{organizations.by_kind.支部}个][，总支{organizations.by_kind.总支}个]"
        "[，基层委员会{organizations.by_kind.基层委员会}个]。",
    ),
    (
        "basic",
        "成员队伍",
        "members",
        "成员总数",
        "mark",
        "现有成员{members.total}人{members.total|增减:人}，平均年龄{members.average_age}岁"
        "[，女性{members.women}人，占{members.women|占:members.total}]"
        "[，少数民族{members.minorities}人]。",
    ),
    (
        "basic",
        "成员队伍",
        "members_education",
        "成员学历结构",
        "omit",
        "从学历看，[研究生学历{members.education.研究生}人，占{members.education.研究生|占:members.total}，]"
        "大学本科学历{members.education.大学本科}人，占{members.education.大学本科|占:members.total}"
        "[；具有博士学位的{members.degree.博士}人][，硕士学位的{members.degree.硕士}人]。",
    ),
    (
        "basic",
        "成员队伍",
        "members_titles",
        "成员职称结构",
        "omit",
        "[具有正高级职称的{members.title_level.正高级}人，]具有副高级职称的{members.title_level.副高级}人"
        "[，中级职称的{members.title_level.中级}人]。",
    ),
    (
        "basic",
        "成员队伍",
        "members_upper_middle",
        "中上层人士",
        "omit",
        "中上层人士{members.upper_middle}人，占{members.upper_middle|占:members.total}"
        "[；离退休成员{members.retired}人]。",
    ),
    (
        "basic",
        "成员队伍",
        "members_ranks",
        "担任实职的成员",
        "omit",
        "现任[厅级干部{members.rank_group.厅局级}人、][处级干部{members.rank_group.县处级}人、]"
        "科级干部{members.rank_group.乡科级}人。",
    ),
    (
        "basic",
        "成员队伍",
        "political",
        "政治安排",
        "omit",
        "成员中[担任市级人大代表{political_arrangements.市级.人大代表}人，]"
        "担任市级政协委员{political_arrangements.市级.政协委员}人"
        "[，其中政协常委{political_arrangements.市级.政协常委}人]。",
    ),
    # 二、组织发展
    (
        "development",
        "",
        "new_members",
        "本年度新发展成员",
        "mark",
        "{year}年新发展成员{new_members.total}人{new_members.total|增减:人}，"
        "平均年龄为{new_members.average_age}岁[，其中博士{new_members.degree.博士}人]"
        "[，硕士{new_members.degree.硕士}人][，具有副高级职称的{new_members.title_level.副高级}人]"
        "[，正高级职称的{new_members.title_level.正高级}人]。",
    ),
    (
        "development",
        "",
        "recruitment_quality",
        "新成员中的中上层人士",
        "omit",
        "新成员中中上层人士{recruitment.upper_middle}人，占{recruitment.upper_middle|占:recruitment.admitted}。",
    ),
    (
        "development",
        "",
        "in_progress",
        "办理中的入会申请",
        "omit",
        "年底尚有{recruitment.in_progress}人的入会申请正在办理。",
    ),
    (
        "development",
        "",
        "flows",
        "成员转入转出",
        "omit",
        "全年转入成员{flows.transferred_in}人[，转出{flows.transferred_out}人][，去世{flows.died}人]。",
    ),
    # 三、干部队伍建设
    (
        "cadres",
        "后备干部",
        "pools",
        "在库后备干部",
        "omit",
        "各类干部人才库在库{cadres.in_pools}人次{cadres.in_pools|增减:人次}"
        "[，其中后备干部{cadres.by_kind.后备干部}人次][，党外后备干部{cadres.by_kind.党外后备干部}人次]"
        "[，优秀青年干部{cadres.by_kind.优秀青年干部}人次]。",
    ),
    (
        "cadres",
        "后备干部",
        "pools_flow",
        "本年入库出库",
        "omit",
        "本年新入库{cadres.entered}人次[，出库{cadres.exited}人次][，提拔使用{cadres.exited_by_reason.提拔使用}人]。",
    ),
    (
        "cadres",
        "党外干部",
        "non_party_files",
        "党外干部档案",
        "omit",
        "建立党外干部档案{non_party_cadres.files}人{non_party_cadres.files|增减:人}"
        "[；现任厅级党外领导干部{non_party_cadres.leaders.厅局级}人]"
        "[；现任处级党外领导干部{non_party_cadres.leaders.县处级}人]"
        "[；现任科级党外领导干部{non_party_cadres.leaders.乡科级}人]。",
    ),
    (
        "cadres",
        "党外干部",
        "non_party_reserves",
        "党外后备干部",
        "omit",
        "党外后备干部中[厅级{non_party_cadres.reserves.厅局级}人、]处级{non_party_cadres.reserves.县处级}人"
        "[、科级{non_party_cadres.reserves.乡科级}人][；优秀青年干部{non_party_cadres.young}人]。",
    ),
    (
        "cadres",
        "党外干部",
        "non_party_entered",
        "本年推荐入库",
        "omit",
        "本年新推荐入库{non_party_cadres.entered}人"
        "[，涉及推荐单位{non_party_cadres.recommending_units}个]"
        "[；新任处级干部{non_party_cadres.appointed.县处级}人]。",
    ),
    # 四、教育培训
    (
        "training",
        "",
        "classes",
        "本年度培训班",
        "omit",
        "全年举办各类培训班{training.classes.total}个{training.classes.total|增减:个}，"
        "参训{training.participants.total}人次[，结业{training.completion.completed}人次，"
        "结业率{training.completion.rate}%]。",
    ),
    (
        "training",
        "",
        "hours",
        "培训学时",
        "omit",
        "成员累计参加培训{training.hours.total}学时，人均{training.hours.per_person}学时。",
    ),
    # 五、基层组织建设
    (
        "grassroots",
        "换届",
        "terms",
        "本年度换届",
        "omit",
        "全年完成{terms.renewed}个组织的换届，新一届班子{terms.seats}人"
        "[，连任{terms.re_elected}人][，新进{terms.newcomers}人]，"
        "平均年龄{terms.average_age}岁[（上届{terms.previous_average_age}岁）]。",
    ),
    (
        "grassroots",
        "联系基层",
        "liaison",
        "走访基层",
        "omit",
        "领导班子成员走访基层组织{branchwork.liaison.visits}次{branchwork.liaison.visits|增减:次}。",
    ),
    (
        "grassroots",
        "活动",
        "activities",
        "支部活动",
        "mark",
        "各基层组织开展活动{branchwork.activities.total}次{branchwork.activities.total|增减:次}"
        "[，其中学习{branchwork.activities.by_kind.学习}次][，社会服务{branchwork.activities.by_kind.社会服务}次]"
        "[，主题活动{branchwork.activities.by_kind.主题活动}次]。",
    ),
    # 六、参政议政
    (
        "participation",
        "",
        "contributions",
        "参政议政成果",
        "mark",
        "全年报送参政议政成果{branchwork.contributions.total}篇{branchwork.contributions.total|增减:篇}"
        "[，其中提案{branchwork.contributions.by_kind.提案}件][，社情民意信息{branchwork.contributions.by_kind.社情民意信息}篇]"
        "[，调研课题{branchwork.contributions.by_kind.调研课题}项]。",
    ),
    (
        "participation",
        "",
        "adoption",
        "成果采用",
        "omit",
        "[{branchwork.contributions.by_rung.市级领导批示}篇获市级领导批示，]"
        "[{branchwork.contributions.by_rung.省部级领导批示}篇获省部级领导批示，]"
        "[{branchwork.contributions.by_rung.市委会采用}篇被市委会采用，]"
        "累计获得奖励积分{branchwork.points.total}分。",
    ),
    # 七、考评表彰
    (
        "evaluation",
        "",
        "scored",
        "支部考评",
        "omit",
        "全年参加考评的支部{evaluation.branches_scored}个次，平均总分{evaluation.average_total}分"
        "[，获第一名{evaluation.first_places}次][，进入前三名{evaluation.top_three}次]。",
    ),
    (
        "evaluation",
        "",
        "awards",
        "先进评选",
        "omit",
        "[评选先进支部{evaluation.awards.先进支部}个，][先进集体{evaluation.awards.先进集体}个，]"
        "评选优秀会员{evaluation.awards.优秀会员}人。",
    ),
    (
        "evaluation",
        "",
        "honours",
        "成员获表彰",
        "omit",
        "成员获省级以上表彰{evaluation.honours.省级以上}人[，获市级表彰{evaluation.honours.市级}人]。",
    ),
    # 八、党群共建
    (
        "coverage",
        "",
        "registered",
        "两新组织名册",
        "omit",
        "全区登记两新组织{coverage.registered}家[，其中企业{coverage.enterprises}家]"
        "[、社会组织{coverage.social_organizations}家][，规模以上{coverage.above_size}家]。",
    ),
    (
        "coverage",
        "",
        "party_covered",
        "党组织覆盖",
        "omit",
        "建立党组织的{coverage.party_covered}家{coverage.party_covered|增减:家}，覆盖率{coverage.party_rate}%"
        "[，规模以上两新组织党组织覆盖率{coverage.above_size_party_rate}%]"
        "[；选派党建工作指导员{coverage.party.党建工作指导员}家]。",
    ),
    (
        "coverage",
        "",
        "mass",
        "群团组织",
        "omit",
        "[本年新建立团组织{coverage.founded.youth_league}个、][妇女组织{coverage.founded.women}家、]"
        "[工会{coverage.founded.union}家，]目前共建立团组织{coverage.youth_league}个"
        "[、妇女组织{coverage.women}家][、工会{coverage.union}家]"
        "[，党群组织全覆盖的{coverage.all_four}家]。",
    ),
]
