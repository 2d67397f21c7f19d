from django.apps import AppConfig


class BranchworkConfig(AppConfig):
    name = "tongxin.branchwork"
    label = "branchwork"
    verbose_name = "基层建设与参政议政"
