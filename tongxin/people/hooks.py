"""The people app's own additions through the extension points (tongxin.core.extensions)."""

# Person, MembershipSpell, Post and Affiliation are registered in tongxin.audit.registration.
AUDITED_MODELS = ["people.Suspension"]
