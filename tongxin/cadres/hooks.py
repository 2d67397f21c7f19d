"""What 干部人才 adds to the shared pages (tongxin.core.extensions)."""

AUDITED_MODELS = [
    "cadres.TalentPool",
    "cadres.PoolLevel",
    "cadres.PoolEntry",
    "cadres.PoolReview",
    "cadres.PoolCandidate",
    "cadres.Talk",
    "cadres.Opinion",
    "cadres.Vote",
    "cadres.AnnualAssessment",
    "cadres.PracticeAssignment",
    "cadres.RecommendationStep",
    "cadres.Recommendation",
    "cadres.RecommendationEvent",
    ("cadres.Contact", {"m2m_fields": {"people"}}),
]
