"""The project page's suggestions section (counts, latest job, the button that starts
one), as a tag: the project page asks for it by name, so `projects` imports nothing of
the suggestions."""

from django import template

from suggestions.jobs import can_start_project_job, on_workers
from suggestions.selectors import latest_project_job, project_counts
from suggestions.views import may_follow_jobs

register = template.Library()


@register.inclusion_tag("suggestions/_project_section.html", takes_context=True)
def project_suggestions(context, project):
    user = context["request"].user
    if not may_follow_jobs(user, project.pk):
        return {"shown": False}
    return {
        "shown": True,
        "project": project,
        "counts": project_counts(project.pk),
        "job": latest_project_job(project.pk),
        "may_start": can_start_project_job(user, project),
        "on_workers": on_workers(),
        "csrf_token": context.get("csrf_token"),
    }
