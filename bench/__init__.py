"""Claimdesk's benchmark and load test.

    make bench                  small dataset, SQLite under bench/data/
    make bench SIZE=large       large dataset
    DATABASE_URL=postgres://… make bench     the same figures on PostgreSQL
    make loadtest               locust against gunicorn on PostgreSQL

The benchmark never touches the development database: it works in a database of its
own (see `bench.environment`), generated once by `bench.generate` and reused while the
generator and the size stay the same.
"""
