"""Values every page's navigation needs."""

from annotations.roles import can_annotate, can_manage_registry, can_review
from annotations.selectors.claims import queue_count_label
from articles.services import can_import_article


def _queue_count(request, user) -> int:
    counted = getattr(request, "review_queue_count", None)
    if counted is not None:
        return counted
    from annotations.selectors import review_queue_count

    return review_queue_count(user)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "can_annotate": can_annotate(user),
            "can_review": can_review(user),
            "can_manage_registry": can_manage_registry(user),
            "can_import": can_import_article(user),
            "queue_count": (
                queue_count_label(_queue_count(request, user)) if can_review(user) else None
            ),
        }
    }
