"""Cadres and talent (干部人才): pools and their entries, the selection that fills them, annual
assessments, practice postings, recommendations for posts, and contacts with non-party cadres.

Pools, candidates, recommendations and contacts belong to the organization that runs them
(``owner``) and are in a user's scope through it. Assessments and practice postings are facts
about a person and are in scope wherever the person is (people.selectors.people_in_scope).
"""

from .base import (
    Recorded,
)
from .choices import (
    AFFILIATION_FOR_POOL,
    BELOW_STANDARD,
    DEFAULT_AFFILIATION,
    GRADES_OF_SET,
    CandidateStatus,
    ContactKind,
    Direction,
    EducationFloor,
    EntrySource,
    ExitReason,
    GradeSet,
    Horizon,
    OpinionConclusion,
    PoolKind,
    Position,
    PracticeKind,
    PracticeResult,
    RankGroup,
    RecommendationStatus,
    ReviewDecision,
    StepRole,
)
from .plans import TARGET_FIGURES, NonPartyPlan, NonPartyTarget
from .pools import (
    Opinion,
    PoolCandidate,
    PoolEntry,
    PoolLevel,
    PoolReview,
    TalentPool,
    Talk,
    Vote,
)
from .records import (
    AnnualAssessment,
    PracticeAssignment,
    grade_set_of,
)
from .use import (
    Contact,
    Recommendation,
    RecommendationEvent,
    RecommendationStep,
)

__all__ = [
    "AFFILIATION_FOR_POOL",
    "AnnualAssessment",
    "BELOW_STANDARD",
    "CandidateStatus",
    "Contact",
    "ContactKind",
    "DEFAULT_AFFILIATION",
    "Direction",
    "EducationFloor",
    "EntrySource",
    "ExitReason",
    "GRADES_OF_SET",
    "GradeSet",
    "NonPartyPlan",
    "NonPartyTarget",
    "TARGET_FIGURES",
    "Horizon",
    "Opinion",
    "OpinionConclusion",
    "PoolCandidate",
    "PoolEntry",
    "PoolKind",
    "PoolLevel",
    "PoolReview",
    "Position",
    "PracticeAssignment",
    "PracticeKind",
    "PracticeResult",
    "RankGroup",
    "Recommendation",
    "RecommendationEvent",
    "RecommendationStatus",
    "RecommendationStep",
    "Recorded",
    "ReviewDecision",
    "StepRole",
    "TalentPool",
    "Talk",
    "Vote",
    "grade_set_of",
]
