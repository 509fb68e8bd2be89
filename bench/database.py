"""The database a benchmark loads: the PostgreSQL database DATABASE_URL names, made anew."""

import os
import sys


def recreate_database(*, example_name: str = "evac_bench") -> None:
    """Drop and create the database DATABASE_URL names; stop with a hint if it isn't on
    PostgreSQL (`example_name` is the database the hint suggests)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit(f"Set DATABASE_URL=postgres://…/{example_name}: the benchmark runs on PostgreSQL.")
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
