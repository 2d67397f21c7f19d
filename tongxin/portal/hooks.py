"""The members' portal's additions through the extension points (tongxin.core.extensions)."""

from tongxin.core import extensions

extensions.register(
    "audited_models",
    [
        ("portal.MemberAccount", {"exclude_fields": ["code_hash"]}),
        "portal.Notice",
        # The person's change is logged on the person (phones masked); here the steps.
        ("portal.CorrectionRequest", {"exclude_fields": ["changes"]}),
        "portal.IdentityCorrection",
        "portal.Draft",
    ],
    order=90,
)


@extensions.register("seed_demo", order=90)
def seed_demo(*, root, today, rng) -> list[str]:
    from . import demo

    return demo.seed(root=root, today=today, rng=rng)


@extensions.register("reset_demo", order=90)
def reset_demo(*, root) -> None:
    from . import demo

    demo.reset(root=root)
