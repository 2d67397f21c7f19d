"""Sentence templates over the statistics' keys, and their wording.

A template is text with figures in braces, named by their key path in ``stats --json``
(STATS.md, COVERAGE.md):

- ``{members.total}`` the figure at the report's date;
- ``{members.total|上年}`` the same figure a year earlier;
- ``{members.total|增减:人}`` the comparison as the reports word it: "，比上年增加2人",
  "，与上年持平", "，比上年减少2人" — nothing where the year before has no records;
- ``{members.upper_middle|占:members.total}`` a share as "91%" (one decimal where not whole);
- ``{year}`` the report's year.

A clause in square brackets ``[，其中硕士{new_members.degree.硕士}人]`` is left out when one of
its figures is 0 or missing. The sentence's first figure outside brackets is its lead: when it
is 0 or its section has no records, the sentence has no figure to tell and is left out, or kept
as a visible 【待补充：…】 marker — never with a made-up number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tongxin.core.figures import Figure, Figures, share

_TOKEN = re.compile(r"\{([^{}]*)\}|\[|\]")
_PLACE = re.compile(r"^(?P<path>[^|:]+?)(?:\|(?P<mod>[^:]+?)(?::(?P<arg>.*))?)?$")
MODIFIERS = ("上年", "增减", "占")
YEAR = "year"


class TemplateError(ValueError):
    """A template that cannot be read, in words that name the place."""


@dataclass(frozen=True)
class Place:
    path: tuple[str, ...]
    modifier: str = ""  # "", "上年", "增减", "占"
    arg: str = ""  # 增减: the unit; 占: the whole's key path

    @property
    def key(self) -> str:
        return ".".join(self.path)

    @property
    def whole(self) -> tuple[str, ...]:
        return tuple(self.arg.split(".")) if self.modifier == "占" else ()


@dataclass
class Group:
    """The template's pieces: text and places; a nested Group is an optional clause."""

    items: list[str | Place | Group] = field(default_factory=list)
    optional: bool = False


def parse(text: str) -> Group:
    root = Group()
    stack = [root]
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            stack[-1].items.append(text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token == "[":
            group = Group(optional=True)
            stack[-1].items.append(group)
            stack.append(group)
        elif token == "]":
            if len(stack) == 1:
                raise TemplateError(f"第{match.start() + 1}个字符处的“]”没有对应的“[”")
            stack.pop()
        else:
            stack[-1].items.append(_place(match.group(1).strip()))
    if len(stack) > 1:
        raise TemplateError("有“[”没有对应的“]”：可选的分句须用“[”和“]”括起")
    if position < len(text):
        stack[-1].items.append(text[position:])
    if re.search(r"[{}]", "".join(i for i in _texts(root))):
        raise TemplateError("“{”和“}”须成对使用，括起一个统计数字的键名")
    return root


def _texts(group: Group):
    for item in group.items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, Group):
            yield from _texts(item)


def _place(inner: str) -> Place:
    match = _PLACE.match(inner)
    if not match or not match.group("path").strip():
        raise TemplateError(f"“{{{inner}}}”不是统计数字的写法：应为 {{键名}} 或 {{键名|增减:单位}}")
    path = tuple(match.group("path").strip().split("."))
    modifier = (match.group("mod") or "").strip()
    arg = (match.group("arg") or "").strip()
    if modifier and modifier not in MODIFIERS:
        raise TemplateError(
            f"“{{{inner}}}”中的“{modifier}”不是可用的写法：只能用 {'、'.join(MODIFIERS)}"
        )
    if modifier == "占" and not arg:
        example = f"{{{path[0]}.women|占:{path[0]}.total}}"
        raise TemplateError(f"“{{{inner}}}”须写明占哪个数字，例如 {example}")
    return Place(path, modifier, arg)


def places(group: Group):
    """Every place of the template, in order, brackets included."""
    for item in group.items:
        if isinstance(item, Place):
            yield item
        elif isinstance(item, Group):
            yield from places(item)


def unknown_keys(text: str, known: set[tuple[str, ...]]) -> list[str]:
    """The key paths ``text`` names that are not figures of the statistics."""
    missing = []
    for place in places(parse(text)):
        for path in (place.path, place.whole):
            if path and path != (YEAR,) and path not in known:
                key = ".".join(path)
                if key not in missing:
                    missing.append(key)
    return missing


# --- wording ---------------------------------------------------------------------------------


def number_text(value: int | float) -> str:
    """35 → "35", 35.0 → "35", 35.24 → "35.2" (the reports write whole numbers bare)."""
    if isinstance(value, float):
        text = f"{round(value, 1):.1f}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def share_text(part: int | float, whole: int | float) -> str:
    return f"{number_text(share(part, whole))}%"


def change_text(now: int | float, before: int | float, unit: str) -> str:
    delta = now - before
    if isinstance(delta, float):
        delta = round(delta, 1)
    if not delta:
        return "，与上年持平"
    word = "增加" if delta > 0 else "减少"
    return f"，比上年{word}{number_text(abs(delta))}{unit}"


# --- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of the sentence: text, or a number with the list it counts (``url``)."""

    text: str
    url: str = ""
    key: str = ""  # the figure's key path, for a number
    modifier: str = ""
    value: int | float | None = None


@dataclass
class Rendered:
    pieces: list[Piece]
    missing: bool  # the lead figure has no records

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def numbers(self) -> list[Piece]:
        return [p for p in self.pieces if p.key]


def figure_at(figures: dict[str, Figures], path: tuple[str, ...]) -> Figure | None:
    item = figures
    for key in path:
        if not isinstance(item, dict) or key not in item:
            return None
        item = item[key]
    return item if isinstance(item, Figure) else None


class _Skip(Exception):
    """A clause's figure is 0 or missing."""


def render(
    text: str, *, now: dict[str, Figures], before: dict[str, Figures], year: int
) -> Rendered:
    root = parse(text)
    lead = next((i for i in root.items if isinstance(i, Place) and i.path != (YEAR,)), None)
    if lead is None:
        lead = next((p for p in places(root) if p.path != (YEAR,)), None)
    lead_figure = figure_at(now, lead.path) if lead else None
    if lead is not None and (lead_figure is None or not lead_figure.value):
        return Rendered([], missing=True)
    try:
        pieces = _render_group(root, now, before, year)
    except _Skip:
        return Rendered([], missing=True)
    return Rendered(pieces, missing=False)


def _render_group(group: Group, now, before, year) -> list[Piece]:
    pieces: list[Piece] = []
    for item in group.items:
        if isinstance(item, str):
            pieces.append(Piece(item))
        elif isinstance(item, Group):
            try:
                pieces.extend(_render_group(item, now, before, year))
            except _Skip:
                continue
        else:
            pieces.extend(_render_place(item, now, before, year, group.optional))
    return pieces


def _render_place(place: Place, now, before, year, optional: bool) -> list[Piece]:
    if place.path == (YEAR,):
        return [Piece(str(year))]
    current = figure_at(now, place.path)
    if current is None or (optional and not current.value):
        raise _Skip
    if place.modifier == "":
        return [Piece(number_text(current.value), current.url, place.key, "", current.value)]
    previous = figure_at(before, place.path)
    if place.modifier == "上年":
        if previous is None or (optional and not previous.value):
            raise _Skip
        return [Piece(number_text(previous.value), previous.url, place.key, "上年", previous.value)]
    if place.modifier == "增减":
        # The year before has no records of the kind: no comparison, rather than "增加" all.
        if previous is None or not previous.value:
            return []
        words = change_text(current.value, previous.value, place.arg)
        delta = current.value - previous.value
        if isinstance(delta, float):
            delta = round(delta, 1)
        number = number_text(abs(delta)) if delta else ""
        if not number:
            return [Piece(words)]
        head, _, tail = words.rpartition(number)
        return [
            Piece(head),
            Piece(number, current.url, place.key, "增减", delta),
            Piece(tail),
        ]
    whole = figure_at(now, place.whole)
    if whole is None or not whole.value:
        raise _Skip
    value = share(current.value, whole.value)
    return [Piece(share_text(current.value, whole.value), current.url, place.key, "占", value)]
