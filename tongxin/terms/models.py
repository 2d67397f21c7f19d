"""Terms (届) and elections (换届): a committee's terms, the elections that start them and the
seats of each term's committee."""

from django.db import models

from tongxin.core.dated import DatedQuerySet
from tongxin.core.numerals import chinese_number
from tongxin.orgs.models import Organization


class SeatTitle(models.TextChoices):
    """Seats on a committee (CODES.md: 会内职务), for committees and branches alike."""

    CHAIR = "主委", "主委"
    VICE_CHAIR = "副主委", "副主委"
    SECRETARY_GENERAL = "秘书长", "秘书长"
    DEPUTY_SECRETARY_GENERAL = "副秘书长", "副秘书长"
    STANDING = "常委", "常委"
    MEMBER = "委员", "委员"
    BRANCH_CHAIR = "支部主委", "支部主委"
    BRANCH_VICE_CHAIR = "支部副主委", "支部副主委"
    BRANCH_MEMBER = "支委", "支委"
    SECRETARY = "书记", "书记"
    DEPUTY_SECRETARY = "副书记", "副书记"


# The seats that chair their committee (STATS.md: chairs are 主委/书记).
CHAIR_TITLES = frozenset({SeatTitle.CHAIR, SeatTitle.BRANCH_CHAIR, SeatTitle.SECRETARY})

# 每届任期五年 unless an election says otherwise.
TERM_YEARS = 5


class Term(models.Model):
    """A committee's term (届): from the election that starts it to the next one."""

    org = models.ForeignKey(
        Organization, verbose_name="组织", on_delete=models.PROTECT, related_name="terms"
    )
    number = models.PositiveSmallIntegerField("届次")
    start = models.DateField("开始日期")
    due_end = models.DateField("应届满日期")
    end = models.DateField("实际结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    # The term this one followed, set when it is recorded (terms are recorded in order): the
    # composition's "连任" and "比上届" compare with it.
    previous = models.OneToOneField(
        "self",
        verbose_name="上一届",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        # The tables kept their names when terms left orgs (migrations orgs 0005, terms 0001),
        # so no row was copied.
        db_table = "orgs_term"
        verbose_name = "届次"
        verbose_name_plural = "届次"
        ordering = ["org", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "number"],
                name="term_unique_number",
                violation_error_message="该组织已有这一届",
            ),
            models.CheckConstraint(
                condition=models.Q(due_end__gt=models.F("start")),
                name="term_due_after_start",
                violation_error_message="应届满日期须晚于开始日期",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="term_end_after_start",
                violation_error_message="实际结束日期不能早于开始日期",
            ),
        ]
        indexes = [models.Index(fields=["org", "start"]), models.Index(fields=["end", "due_end"])]

    def __str__(self):
        return f"{self.org} {self.label}"

    @property
    def label(self) -> str:
        return f"第{chinese_number(self.number)}届"


class Election(models.Model):
    """The election (换届选举) that starts a term: who could vote, who voted."""

    term = models.OneToOneField(
        Term, verbose_name="届次", on_delete=models.CASCADE, related_name="election"
    )
    held_on = models.DateField("选举日期")
    entitled = models.PositiveIntegerField("应参加选举人数")
    voted = models.PositiveIntegerField("实际参加投票人数")
    document_no = models.CharField("文号", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        db_table = "orgs_election"
        verbose_name = "换届选举"
        verbose_name_plural = "换届选举"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voted__lte=models.F("entitled")),
                name="election_voted_within_entitled",
                violation_error_message="参加投票人数不能多于应参加选举人数",
            )
        ]

    def __str__(self):
        return f"{self.term} 选举（{self.held_on:%Y-%m-%d}）"


class ElectionCandidate(models.Model):
    """One candidate's result in an election: votes received and whether elected."""

    election = models.ForeignKey(
        Election, verbose_name="选举", on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name="候选人",
        on_delete=models.PROTECT,
        related_name="election_results",
    )
    votes = models.PositiveIntegerField("得票数")
    elected = models.BooleanField("当选", default=False)

    class Meta:
        db_table = "orgs_electioncandidate"
        verbose_name = "候选人得票"
        verbose_name_plural = "候选人得票"
        ordering = ["election", "-votes", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="candidate_once_per_election",
                violation_error_message="同一候选人在一次选举中只能登记一次",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.votes}票"


class TermSeat(models.Model):
    """A person's seat on the committee of a term (支委班子)."""

    term = models.ForeignKey(
        Term, verbose_name="届次", on_delete=models.CASCADE, related_name="seats"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="term_seats"
    )
    title = models.CharField("职务", max_length=20, choices=SeatTitle.choices)
    is_chair = models.BooleanField("主要负责人", default=False)
    order = models.PositiveSmallIntegerField("排序", default=0)
    # The matching entry of the person's 职务与安排, written with the seat and ended with the
    # term, so that the person file and the committee tell the same story.
    post = models.OneToOneField(
        "people.Post",
        verbose_name="对应职务记录",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="term_seat",
    )

    class Meta:
        db_table = "orgs_termseat"
        verbose_name = "班子成员"
        verbose_name_plural = "班子成员"
        ordering = ["term", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "person"],
                name="seat_once_per_term",
                violation_error_message="同一人在一届班子中只能有一个席位",
            ),
            models.UniqueConstraint(
                fields=["term"],
                condition=models.Q(is_chair=True),
                name="seat_one_chair_per_term",
                violation_error_message="一届班子只能有一名主要负责人（主委或书记）",
            ),
        ]

    def __str__(self):
        return f"{self.term} {self.title} {self.person}"
