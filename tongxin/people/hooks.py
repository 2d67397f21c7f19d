"""The people app's own additions through the extension points (tongxin.core.extensions)."""

from tongxin.core import extensions

# Person, MembershipSpell, Post and Affiliation are registered in tongxin.audit.registration.
extensions.register("audited_models", ["people.Suspension"], order=20)
