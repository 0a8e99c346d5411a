"""Database care for the demo's bulk load."""

from django.db import connection


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL still plans with the statistics of empty tables (no autovacuum has run,
    and inside the build's transaction it cannot): a count over 10^4 people then takes minutes. ANALYZE
    counts the rows this transaction inserted. SQLite needs nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
