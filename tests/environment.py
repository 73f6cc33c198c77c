"""pytest plugin loaded before Django is set up (`-p tests.environment` in pyproject.toml).

The suite runs with production defaults (DEBUG off) and needs a key to start; this one
exists only inside test runs.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-for-the-claimdesk-test-suite")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
