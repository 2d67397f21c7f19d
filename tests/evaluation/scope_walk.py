"""Branch B's evaluation records for the scope walk (tests/test_scope_walk.py): a round of the
city in which B is scored, a round and rubric of the other city, an award to B and an honour
of a member of B."""

from datetime import date
from decimal import Decimal

from tests.evaluation.helpers import rubric_with
from tests.factories import make_member
from tongxin.evaluation import services
from tongxin.evaluation.models import Award, Rubric, RubricItem, Score
from tongxin.people.models import Honor

AWARD_TITLE = "医卫支部特别贡献奖"
HONOUR_TITLE = "河城市劳动模范"


def b_records(world) -> dict:
    city_rubric = rubric_with(world.city, ("计划总结", "", {}, 10))
    city_round = services.round_open(
        org=world.city, year=2024, rubric=city_rubric, today=date(2025, 3, 1)
    )
    for score in city_round.scores.all():
        services.score_review(score=score, points=Decimal(5), by=None)
    services.round_close(round_=city_round, by=None)
    award = services.award_decide(
        award=Award(
            round=city_round,
            kind="advanced_branch",
            title=AWARD_TITLE,
            org=world.branch_b,
            decided_on=date(2025, 1, 10),
        )
    )
    far_rubric = rubric_with(world.other_city, ("河城计划", "", {}, 10))
    far_round = services.round_open(
        org=world.other_city, year=2024, rubric=far_rubric, today=date(2025, 3, 1)
    )
    person = make_member(world.branch_b, name="慕容雪", start=date(2010, 1, 1))
    honour = Honor.objects.create(
        person=person,
        title=HONOUR_TITLE,
        level="city",
        conferred_by="河城市人民政府",
        conferred_on=date(2024, 5, 1),
    )
    return {
        "round": city_round,
        "far_round": far_round,
        "rubric": far_rubric,
        "item": far_rubric.items.get(),
        "score": city_round.scores.get(org=world.branch_b),
        "award": award,
        "honour": honour,
        "person": person,
        "branch_b": world.branch_b,
    }


def argument(name, arg, records):
    if not name.startswith("evaluation:") or not records:
        return None
    if arg == "org_pk":
        return str(records["branch_b"].pk)
    if arg == "item_pk":
        return str(records["item"].pk)
    if arg == "person_pk":
        return str(records["person"].pk)
    if arg != "pk":
        return None
    if name in ("evaluation:round", "evaluation:sheet", "evaluation:award_new"):
        return str(records["round"].pk)
    if name in ("evaluation:close", "evaluation:export"):
        return str(records["far_round"].pk)
    if name.startswith("evaluation:rubric") or name.startswith("evaluation:item"):
        return str(records["rubric"].pk)
    return str(
        {
            "evaluation:score": records["score"].pk,
            "evaluation:award_delete": records["award"].pk,
            "evaluation:honor_edit": records["honour"].pk,
            "evaluation:honor_delete": records["honour"].pk,
        }[name]
    )


def markers(records) -> list[str]:
    return [AWARD_TITLE, HONOUR_TITLE, "慕容雪", "河城计划"]


def snapshot():
    return (
        sorted(Score.objects.values_list("pk", "self_points", "review_points", "evidence")),
        sorted(Award.objects.values_list("pk", "kind", "org_id", "person_id")),
        sorted(Honor.objects.values_list("pk", "title", "level")),
        sorted(Rubric.objects.values_list("pk", "name")),
        sorted(RubricItem.objects.values_list("pk", "title", "max_points")),
    )


EXPECTED = [
    "evaluation:round",
    "evaluation:sheet",
    "evaluation:score",
    "evaluation:close",
    "evaluation:export",
    "evaluation:rubric",
    "evaluation:item_edit",
    "evaluation:award_delete",
    "evaluation:honor_edit",
    "evaluation:honor_new",
]
