"""The closed lists of the cadres app (TextChoices with Chinese labels) and the constants built
on them."""

from django.db import models

from tongxin.core.codes import (
    CIVIL_SERVICE_GRADES,
    PUBLIC_INSTITUTION_GRADES,
    AffiliationKind,
    AssessmentGrade,
)

# ---------------------------------------------------------------------------------------------
# Closed lists
# ---------------------------------------------------------------------------------------------


class PoolKind(models.TextChoices):
    RESERVE = "reserve", "后备干部"
    NON_PARTY = "non_party", "党外干部"
    NON_PARTY_RESERVE = "non_party_reserve", "党外后备干部"
    YOUNG = "young", "优秀青年干部"
    TALENT = "talent", "专业人才库"
    OTHER = "other", "其他"


# The link that puts a non-member of the pool's subtree in its scope (people.Affiliation).
AFFILIATION_FOR_POOL = {
    PoolKind.TALENT: AffiliationKind.TALENT,
}
DEFAULT_AFFILIATION = AffiliationKind.NON_PARTY_CADRE


class EducationFloor(models.TextChoices):
    """The lowest education group a pool accepts: the first digit of GB/T 4658 codes."""

    POSTGRADUATE = "1", "研究生"
    BACHELOR = "2", "大学本科"
    JUNIOR_COLLEGE = "3", "大学专科"


class RankGroup(models.TextChoices):
    """The rank a pool level prepares for (GB/T 12407 groups, as reports count them)."""

    BUREAU = "bureau", "厅局级"
    DIVISION = "division", "县处级"
    SECTION = "section", "乡科级"


class Position(models.TextChoices):
    PRINCIPAL = "principal", "正职"
    DEPUTY = "deputy", "副职"


class Horizon(models.TextChoices):
    NEAR = "near", "近期"
    LONG = "long", "中长期"


class EntrySource(models.TextChoices):
    UNIT = "unit", "单位推荐"
    ORGANIZATION = "organization", "组织推荐"
    SURVEY = "survey", "调查发现"
    DOUBLE_HUNDRED = "double_hundred", "双百调查"
    SELF = "self", "个人自荐"
    OTHER = "other", "其他"


class ExitReason(models.TextChoices):
    PROMOTED = "promoted", "提拔使用"
    OVER_AGE = "over_age", "超龄"
    FAILED_ASSESSMENT = "failed_assessment", "考核不合格"
    TRANSFERRED = "transferred", "调离"
    PERSONAL = "personal", "本人原因"
    OTHER = "other", "其他"


class GradeSet(models.TextChoices):
    """Which grade set an assessment uses (CODES.md: 年度考核)."""

    CIVIL_SERVICE = "civil_service", "公务员（参公）"
    PUBLIC_INSTITUTION = "public_institution", "事业单位"


GRADES_OF_SET = {
    GradeSet.CIVIL_SERVICE: CIVIL_SERVICE_GRADES,
    GradeSet.PUBLIC_INSTITUTION: PUBLIC_INSTITUTION_GRADES,
}
# Grades below standard: the year-end review lists who received one.
BELOW_STANDARD = (
    AssessmentGrade.BASICALLY_COMPETENT.value,
    AssessmentGrade.INCOMPETENT.value,
    AssessmentGrade.BASICALLY_QUALIFIED.value,
    AssessmentGrade.UNQUALIFIED.value,
)


class PracticeKind(models.TextChoices):
    SECONDMENT = "secondment", "挂职"
    EXCHANGE = "exchange", "交流"
    ROTATION = "rotation", "轮岗"
    DISPATCH = "dispatch", "下派"
    RESEARCH = "research", "主持调研"
    SEMINAR = "seminar", "专题研讨"


class PracticeResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Direction(models.TextChoices):
    INTERNAL = "internal", "内用"
    EXTERNAL = "external", "外举"


class RecommendationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "进行中"
    APPOINTED = "appointed", "已任用"
    STOPPED = "stopped", "已终止"


class StepRole(models.TextChoices):
    """What completing a step does besides moving on."""

    PLAIN = "plain", "一般步骤"
    VOTE = "vote", "民主推荐（记录票数）"
    APPOINT = "appoint", "任用（建立任职记录）"


class OpinionConclusion(models.TextChoices):
    AGREE = "agree", "同意"
    AGREE_BASICALLY = "agree_basically", "基本同意"
    DISAGREE = "disagree", "不同意"
    OTHER = "other", "其他"


class CandidateStatus(models.TextChoices):
    SURVEYING = "surveying", "考察中"
    LISTED = "listed", "初步人选"
    ENTERED = "entered", "已入库"
    DROPPED = "dropped", "未入选"


class ContactKind(models.TextChoices):
    PAIRING = "pairing", "结对子"
    SYMPOSIUM = "symposium", "座谈会"
    VISIT = "visit", "走访谈心"


class ReviewDecision(models.TextChoices):
    KEEP = "keep", "保留"
    EXIT = "exit", "出库"
