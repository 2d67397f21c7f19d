"""Default data of the cadres app, kept apart from the models so that a migration can read it."""

# The default recommendation flow: (name, order, role). An administrator may change these rows
# or give a committee its own; a flow must end with the 任用 step (role "appoint").
DEFAULT_STEPS = (
    ("民主推荐", 10, "vote"),
    ("组织考察", 20, "plain"),
    ("讨论决定", 30, "plain"),
    ("公示", 40, "plain"),
    ("任用", 50, "appoint"),
)
