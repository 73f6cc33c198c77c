"""Template filters for projects."""

from django import template
from django.utils.safestring import SafeString

from projects.guidelines import render_markdown

register = template.Library()


@register.filter
def guidelines_html(project) -> SafeString:
    """The project's guidelines as sanitised HTML (see `projects.guidelines`)."""
    return render_markdown(project.guidelines)
