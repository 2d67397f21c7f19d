"""The statistics in the scope walk (tests/test_scope_walk.py).

The stats pages take their node from the query string (``?org=``), which the walk sets to
branch B: each must answer 404 to the chair of branch A, and no page may show B's records. The
organization list, whose figures the stats pages open, is walked the same way.
"""

EXPECTED = [
    "stats:report",
    "stats:dashboard",
    "stats:export_xlsx",
    "stats:export_json",
    "stats:work_report",
    "stats:work_report_docx",
    "stats:work_report_xlsx",
    "orgs:list",
]
