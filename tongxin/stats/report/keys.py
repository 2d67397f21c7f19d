"""The keys a sentence template may name, the check every way of saving one goes through, and
the stored templates of a party (the defaults kept in line with the code: report.stored)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from tongxin.core.figures import leaves
from tongxin.core.scope import Scope

from .. import sections
from . import templating

_MEASURES = {"省部级": 0, "厅局级": 0, "县处级": 0, "乡科级": 0}
# Sections STATS.md and COVERAGE.md define whose app may not be installed here yet: their keys
# are known all the same, so that their default sentences stand and appear once the app does.
DOCUMENTED: dict[str, dict] = {
    "non_party_cadres": {
        "files": 0,
        "leaders": dict(_MEASURES),
        "principal": dict(_MEASURES),
        "reserves": {"厅局级": 0, "县处级": 0, "乡科级": 0},
        "young": 0,
        "talent": 0,
        "entered": 0,
        "entered_by_unit_kind": {"街道党工委": 0, "行业党委": 0, "部委办局": 0},
        "recommending_units": 0,
        "appointed": dict(_MEASURES),
    },
    "coverage": {
        "registered": 0,
        "enterprises": 0,
        "social_organizations": 0,
        "above_size": 0,
        "party": {"单独组建": 0, "联合组建": 0, "党建工作指导员": 0, "无": 0},
        "party_covered": 0,
        "party_rate": 0,
        "above_size_party_rate": 0,
        "union": 0,
        "youth_league": 0,
        "women": 0,
        "all_four": 0,
        "founded": {"party": 0, "union": 0, "youth_league": 0, "women": 0},
        "party_members": 0,
    },
}


def _paths(data: dict, prefix=()):
    for key, item in data.items():
        if isinstance(item, dict):
            yield from _paths(item, (*prefix, key))
        else:
            yield (*prefix, key)


def known_paths() -> set[tuple[str, ...]]:
    """Every key path of the statistics: the registered sections' figures, as counted for one
    node without children (every node has the same keys: each category of the code tables
    appears, with 0 where nothing is counted — the smallest subtree counts fastest), and the
    documented sections not registered here."""
    from tongxin.orgs.models import Organization

    found: set[tuple[str, ...]] = set()
    top = Organization.objects.filter(numchild=0).order_by("path").first()
    if top is not None:
        everything = Scope(everything=True)
        figures = sections.compute(scope=everything, org=top, as_of=timezone.localdate())
        for key, section in figures.items():
            found |= {(key, *path) for path, _figure in leaves(section)}
    registered = {section.key for section in sections.all_sections()}
    for key, schema in DOCUMENTED.items():
        if key not in registered:
            found |= {(key, *path) for path in _paths(schema)}
    return found


def check_template(text: str) -> None:
    """Refuse a template that cannot be read or that names a key the statistics do not have."""
    try:
        missing = templating.unknown_keys(text, known_paths())
    except templating.TemplateError as exc:
        raise ValidationError({"text": f"句子模板有误：{exc}"}) from None
    if missing:
        raise ValidationError(
            {
                "text": "句子模板中的统计数字键名不存在："
                + "、".join(f"“{key}”" for key in missing)
                + "（键名见 stats --json 的输出，如 members.total）"
            }
        )


def ensure_defaults() -> None:
    """Store the default sentences not stored yet and bring unedited ones to the code's current
    defaults (report.stored; a default is switched off, never deleted)."""
    from .stored import sync_defaults

    sync_defaults()


def sentences_for(party: str) -> list:
    """The templates in force for an organization of ``party``: each slot's party template
    where there is one, else the default; switched-off ones left out; in part order."""
    from ..models import ReportSentence

    ensure_defaults()
    chosen: dict[str, ReportSentence] = {}
    for sentence in ReportSentence.objects.filter(party__in=["", party] if party else [""]):
        if sentence.slot not in chosen or sentence.party:
            chosen[sentence.slot] = sentence
    return sorted((s for s in chosen.values() if s.active), key=lambda s: (s.part, s.order, s.slot))
