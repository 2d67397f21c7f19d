from .activities import (  # noqa: F401
    activity_create,
    activity_delete,
    activity_detail,
    activity_edit,
    activity_list,
    activity_roster,
    photo,
    photo_delete,
    photo_thumbnail,
    photo_upload,
)
from .contributions import (  # noqa: F401
    adoption_create,
    adoption_delete,
    contribution_create,
    contribution_delete,
    contribution_detail,
    contribution_edit,
    contribution_export,
    contribution_list,
    points_export,
    points_page,
)
from .index import index  # noqa: F401
from .liaison import (  # noqa: F401
    assign,
    assignment_edit,
    liaison,
    unvisited,
    visit_create,
    visit_delete,
    visit_edit,
)
