from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Machine-found attributions stored per revision, what researchers did with them, and
    the jobs that compute them (on Celery workers or in-process)."""

    name = "suggestions"

    def ready(self) -> None:
        # A new article text (an import, a revision) queues its suggestions after commit.
        from articles import text_listeners
        from suggestions.jobs import article_text_changed

        text_listeners.listen(article_text_changed)
