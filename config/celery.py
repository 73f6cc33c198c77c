"""The Celery application: background jobs (suggestions) run on workers when
`CELERY_BROKER_URL` names a broker (Redis `redis://…` or RabbitMQ `amqp://…`); without
one, `suggestions.jobs` runs them in the process that asks, and no worker is needed.

Start a worker on any machine with the app's environment:
`celery -A config worker --loglevel=info`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("claimdesk")
# Every `CELERY_*` setting configures the app (`CELERY_BROKER_URL` → `broker_url`).
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
