"""pytest plugin loaded before Django is set up (`-p tests.environment` in pyproject.toml).

The suite runs with production defaults (DEBUG off) and needs a key to start; this one
exists only inside test runs.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-for-the-claimdesk-test-suite")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

# On PostgreSQL the suite runs with a read replica configured, pointing at the same server:
# Django makes the `replica` alias a test mirror of the test database, so the router and
# the lag-tolerant views are exercised against a real second connection.
_database_url = os.environ.get("DATABASE_URL", "")
if _database_url.startswith(("postgres://", "postgresql://")):
    os.environ.setdefault("DATABASE_REPLICA_URL", _database_url)
