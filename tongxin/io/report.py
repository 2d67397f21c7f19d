"""Problems of an import, as staff read them: sheet, row as Excel shows it, column, value."""


def format_problem(problem: dict) -> str:
    where = []
    if problem.get("sheet"):
        where.append(f"“{problem['sheet']}”工作表")
    if problem.get("row"):
        where.append(f"第{problem['row']}行")
    if problem.get("column"):
        where.append(f"“{problem['column']}”列")
    value = f"（填写的是“{problem['value']}”）" if problem.get("value") not in (None, "") else ""
    place = "".join(where)
    return f"{place}{'：' if place else ''}{problem['reason']}{value}"


def group_by_row(problems: list[dict]) -> list[tuple[str, int | None, list[dict]]]:
    """Problems grouped by (sheet, row), in file order, for the report page."""
    groups: dict[tuple[str, int | None], list[dict]] = {}
    for p in problems:
        groups.setdefault((p.get("sheet") or "", p.get("row")), []).append(p)
    return [
        (sheet, row, items)
        for (sheet, row), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    ]
