"""Roster import: check a whole workbook, then write it in one transaction, or undo it.

The check reads every row and resolves every organization and person before anything is
written; any error rejects the whole file. The write repeats the check against the database as
it is then, and records each record it creates or changes (``BatchChange``) so that the batch
can be undone while nothing later has touched those records.
"""

from .check import check
from .plan import MemberRow, OrgRow, Plan, Progress
from .undo import UndoRefused, undo, undo_blockers
from .write import apply

__all__ = [
    "MemberRow",
    "OrgRow",
    "Plan",
    "Progress",
    "UndoRefused",
    "apply",
    "check",
    "undo",
    "undo_blockers",
]
