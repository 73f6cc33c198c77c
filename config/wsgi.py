"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load every view now rather than on the first request, then move what is loaded out of
# the cycle collector's reach: a worker holds hundreds of thousands of objects that live
# as long as it does (modules, classes, URL patterns), and each full collection, which
# a page of many claims sets off, would walk all of them again.
get_resolver().url_patterns  # noqa: B018  (the attribute loads the URL configuration)
gc.freeze()
