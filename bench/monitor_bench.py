"""Benchmark of the monitoring triggers on a synthetic registry with two data years.

    uv run python bench/monitor_bench.py --db sqlite --size 100000
    uv run python bench/monitor_bench.py --db postgresql --size 1000000 [--keep]

Reuses the generator of ``assess_bench.py`` (households and members in SQL, identical on both databases), adds
the yearly figures of 2025 and 2026 in SQL (2026 = 2025 with deterministic falls, illnesses, disasters and
departures from 低保), then times ``monitoring_run(year=2026, raise_clues=False)``: every trigger evaluated
in one SELECT and the households that fired stored with one INSERT … SELECT. Prints JSON lines and appends them
to bench/out/results.jsonl.
"""

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import assess_bench as base

MONEY = ("wage_income", "business_income", "property_income", "transfer_income", "business_expense")


def add_years() -> dict:
    from django.db import connection

    from tuopin.registry.models import Household, HouseholdYear, Person, PersonYear

    true, false = ("TRUE", "FALSE") if connection.vendor == "postgresql" else ("1", "0")
    hy, py = HouseholdYear._meta.db_table, PersonYear._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {py}")
        cursor.execute(f"DELETE FROM {hy}")
        for year, salt in ((2025, 1), (2026, 2)):
            fall = f"(CASE WHEN {base.h('hh.id', 40 + salt, 100)} < 3 THEN 0.5 ELSE 1.0 END)"
            money = ", ".join(
                f"COALESCE(hh.{name}, 0) * {fall if name == 'wage_income' and year == 2026 else '1.0'}"
                for name in MONEY
            )
            cursor.execute(
                f"INSERT INTO {hy} (household_id, year, {', '.join(MONEY)}, schooling_expense, medical_self_paid, "
                "has_food_security, has_clothing_security, has_safe_drinking_water, house_grade, had_disaster, "
                "disaster_note, is_demo, recorded_at) "
                f"SELECT hh.id, {year}, {money}, 0, {base.h('hh.id', 50 + salt, 9000)}, {true}, {true}, "
                f"hh.has_safe_drinking_water, hh.house_grade, "
                f"(CASE WHEN {base.h('hh.id', 60 + salt, 100)} < 2 THEN {true} ELSE {false} END), '', {false}, "
                f"CURRENT_TIMESTAMP FROM {Household._meta.db_table} hh"
            )
            ill = f"(CASE WHEN {base.h('p.id', 70 + salt, 1000)} < {5 * salt} THEN {true} ELSE {false} END)"
            cursor.execute(
                f"INSERT INTO {py} (person_id, household_id, year, schooling, has_serious_disease, is_disabled, "
                "is_deceased, labor_skill, work_status, unemployed_months, is_dibao, is_tekun) "
                f"SELECT p.id, p.household_id, {year}, p.schooling, {ill}, p.is_disabled, {false}, p.labor_skill, "
                f"p.work_status, {base.h('p.id', 80 + salt, 13)}, "
                f"(CASE WHEN p.is_dibao = {true} AND {base.h('p.id', 90, 100)} < {10 * (salt - 1)} "
                f"THEN {false} ELSE p.is_dibao END), p.is_tekun FROM {Person._meta.db_table} p"
            )
        cursor.execute("ANALYZE")
    return {
        "years_s": round(time.perf_counter() - started, 1),
        "household_years": HouseholdYear.objects.count(),
    }


def measure(size: int, db: str) -> list[dict]:
    from tuopin.accounts.permissions import console_actor
    from tuopin.monitoring.runs import monitoring_run

    results = []
    for attempt in range(2):
        started = time.perf_counter()
        run = monitoring_run(year=2026, by=console_actor(), raise_clues=False)
        row = {
            "db": db,
            "size": size,
            "step": "monitor triggers+store",
            "seconds": round(time.perf_counter() - started, 3),
            "attempt": attempt,
            "households": run.households,
            "fired": run.fired,
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            **run.summary["timings"],
        }
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return results


def setup(db: str, size: int, *, fresh: bool) -> None:
    """``assess_bench.setup``, but on PostgreSQL in a database of its own (``tuopin_bench_monitor_<size>``)."""
    if db == "sqlite":
        base.setup(db, size, fresh=fresh)
        return
    import os
    import subprocess

    name = f"tuopin_bench_monitor_{size}"
    if fresh:
        subprocess.run(["dropdb", "--if-exists", name], check=True)  # noqa: S603, S607
        subprocess.run(["createdb", name], check=True)  # noqa: S603, S607
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["TUOPIN_DATABASE_URL"] = f"postgresql://root@/{name}?host=/var/run/postgresql"
    sys.path.insert(0, str(base.ROOT))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    args = parser.parse_args()
    setup(args.db, args.size, fresh=not args.keep)
    if not args.keep:
        print(json.dumps({"generated": base.generate(args.size)}), flush=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps({"years": add_years()}), flush=True)
    results = measure(args.size, args.db)
    base.OUT.mkdir(parents=True, exist_ok=True)
    with (base.OUT / "results.jsonl").open("a", encoding="utf-8") as out:
        for row in results:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
