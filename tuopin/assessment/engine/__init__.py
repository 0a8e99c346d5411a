"""The rule engine: one definition per rule, evaluated set-based in SQL for a run and in Python for one
household's explanation. Free of Django (import-linter contract); the database is reached only through the
SQL text and parameters this package returns."""
