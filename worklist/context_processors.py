"""The unread notification count every page's navigation shows (bounded)."""

from worklist.selectors import count_label, unread_count


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = unread_count(user)
    return {"inbox": {"unread": count, "unread_label": count_label(count)}}
