from django.apps import AppConfig


class BranchworkConfig(AppConfig):
    name = "tongxin.branchwork"
    label = "branchwork"
    verbose_name = "基层建设与参政议政"

    def ready(self):
        from tongxin.audit.registration import _register

        # Liaison, activities, contributions and the reward rules are records of people and of
        # decisions: every change is logged like the roster's. An activity's attendance is
        # written in bulk and logged on the activity (services.activity_save).
        for name in (
            "LiaisonAssignment",
            "LiaisonVisit",
            "Activity",
            "ActivityPhoto",
            "Contribution",
            "ContributionAuthor",
            "Adoption",
            "RewardRule",
        ):
            _register(self.get_model(name))
