"""My work: where a researcher and a reviewer start the day; and their notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from annotations.roles import can_review
from worklist import selectors, services


@login_required
@require_GET
def my_work(request):
    user = request.user
    return render(
        request,
        "worklist/my_work.html",
        {
            "sections": selectors.my_work(user),
            "decisions": selectors.my_decisions(user) if can_review(user) else None,
            "notifications": selectors.recent_notifications(user),
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("my_work")


@login_required
@require_POST
def mark_read(request, notification_id: int):
    services.notification_mark_read(user=request.user, notification_id=notification_id)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    services.notifications_mark_all_read(user=request.user)
    return _back(request)


urlpatterns = [
    path("my-work/", my_work, name="my_work"),
    path("notifications/<int:notification_id>/read/", mark_read, name="notification_read"),
    path("notifications/read/", mark_all_read, name="notifications_read_all"),
]
