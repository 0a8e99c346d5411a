"""Benchmark of the monitoring triggers on a synthetic registry with two data years.

    uv run python bench/monitor_bench.py --db sqlite --size 100000
    uv run python bench/monitor_bench.py --db postgresql --size 1000000 [--keep]

    uv run python bench/monitor_bench.py --db sqlite --size 1000000 --keep --keep-years   # reuse the database

Reuses the generator of ``assess_bench.py`` (households and members in SQL, identical on both databases) and
adds two data sets of yearly figures in SQL (``DATASETS``): *realistic* (2025 and 2026 at 2025 income levels,
a few per cent of the households with a risk in 2026) and *worst* (2023 and 2024, the registry's 2018 incomes
halved: every household fires). For each it times ``monitoring_run(year=…, raise_clues=False)`` three times:
with no stored hits of the year, again on the same data (nothing changed, nothing written), and from no stored
hits again. Prints JSON lines and appends them to bench/results/monitor.jsonl (committed), with the load
average of the shared machine before and after each run.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import assess_bench as base

COMMIT = subprocess.run(
    ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
    capture_output=True,
    text=True,
    cwd=Path(__file__).resolve().parent,
).stdout.strip()
RUNS = int(os.environ.get("MONITOR_BENCH_RUNS", "3"))
#: committed results (one JSON line per measured run)
RESULTS = Path(__file__).resolve().parent / "results"
MONEY = ("wage_income", "business_income", "property_income", "transfer_income", "business_expense")


#: the two data sets: run year, its previous year, and how the yearly figures are derived from the registry
DATASETS = {
    # incomes of 2025 level (the registry's 2018 incomes × 1.5 plus 6,000 元 a head), a few per cent of the
    # households with a risk in 2026: what a county's yearly run looks like
    "realistic": {"year": 2026},
    # the registry's 2018 incomes halved, against the 2024 line: every household fires (the write-back's worst)
    "worst": {"year": 2024},
}


def _household_year(data: str, year: int, salt: int, true: str, false: str) -> str:
    hy = "hh"
    members = f"(1 + {base.h('CAST(hh.household_no AS INTEGER)', 7, 6)})"
    fall = f"(CASE WHEN {base.h('hh.id', 40 + salt, 100)} < 3 THEN 0.5 ELSE 1.0 END)" if salt == 2 else "1.0"
    if data == "realistic":
        grow = "1.04" if salt == 2 else "1.0"
        extra = {"wage_income": f"4200 * {members}", "business_income": f"1800 * {members}"}
        money = [
            f"ROUND((COALESCE({hy}.{name}, 0) * 1.5 + {extra.get(name, '0')}) * {grow}"
            f"{' * ' + fall if name == 'wage_income' else ''}, 2)"
            for name in MONEY[:4]
        ]
        money.append(f"{hy}.business_expense")
        medical = (
            f"(CASE WHEN {base.h('hh.id', 50 + salt, 100)} < 2 THEN 5000 + {base.h('hh.id', 52 + salt, 5000)} "
            f"ELSE {base.h('hh.id', 54 + salt, 3000)} END)"
        )
        grade = (
            f"(CASE WHEN {hy}.house_grade IN ('C', 'D') AND {base.h('hh.id', 56, 10)} > 0 THEN 'B' "
            f"ELSE {hy}.house_grade END)"
        )
        disaster = f"{base.h('hh.id', 60 + salt, 100)} < 1"
    else:
        money = [
            f"COALESCE({hy}.{name}, 0) * 0.5{' * ' + fall if name == 'wage_income' else ''}" for name in MONEY
        ]
        medical, grade = base.h("hh.id", 50 + salt, 9000), f"{hy}.house_grade"
        disaster = f"{base.h('hh.id', 60 + salt, 100)} < 2"
    return (
        f"SELECT hh.id, {year}, {', '.join(money)}, 0, {medical}, {true}, {true}, hh.has_safe_drinking_water, "
        f"{grade}, (CASE WHEN {disaster} THEN {true} ELSE {false} END), '', {false}, CURRENT_TIMESTAMP"
    )


def _person_year(data: str, year: int, salt: int, vendor: str, true: str, false: str) -> str:
    ill = f"(CASE WHEN {base.h('p.id', 70 + salt, 1000)} < {5 * salt} THEN {true} ELSE {false} END)"
    months = base.h("p.id", 80 + salt, 13)
    dibao = (
        f"(CASE WHEN p.is_dibao = {true} AND {base.h('p.id', 90, 100)} < {10 * (salt - 1)} "
        f"THEN {false} ELSE p.is_dibao END)"
    )
    schooling, skill, deceased = "p.schooling", "p.labor_skill", false
    if data == "realistic":

        def date(text: str) -> str:
            return f"DATE '{text}'" if vendor == "postgresql" else f"'{text}'"

        # the run year's school age (6–15 on 31 August): in school but for ~3 %; labourers are 16–59
        in_window = (
            f"p.birth_date > {date(f'{year - 16}-08-31')} AND p.birth_date <= {date(f'{year - 6}-08-31')}"
        )
        schooling = f"(CASE WHEN {in_window} AND {base.h('p.id', 73, 100)} >= 3 THEN 'primary' ELSE '' END)"
        adult = (
            f"p.birth_date > {date(f'{year - 60}-08-31')} AND p.birth_date <= {date(f'{year - 16}-08-31')}"
        )
        skill = f"(CASE WHEN {adult} THEN 'ordinary' ELSE '' END)"
        months = f"(CASE WHEN {base.h('p.id', 80 + salt, 100)} < 4 THEN 6 + {base.h('p.id', 82, 7)} ELSE {base.h('p.id', 84, 3)} END)"
        on_dibao = f"{base.h('p.id', 88, 100)} < 6"
        dibao = f"(CASE WHEN {on_dibao} AND NOT ({base.h('p.id', 90, 100)} < {5 * (salt - 1)}) THEN {true} ELSE {false} END)"
        deceased = f"(CASE WHEN {base.h('p.id', 92, 1000)} < {3 * (salt - 1)} THEN {true} ELSE {false} END)"
    return (
        f"SELECT p.id, p.household_id, {year}, {schooling}, {ill}, p.is_disabled, {deceased}, {skill}, "
        f"p.work_status, {months}, {dibao}, p.is_tekun, p.birth_date"
    )


def add_years(data: str) -> dict:
    """The data set's two years (the run year and the one before) in SQL, replacing any earlier rows of them."""
    from django.db import connection

    from tuopin.monitoring.models import DepartmentReport
    from tuopin.registry.models import Household, HouseholdYear, Person, PersonYear
    from tuopin.registry.models_years import link_previous_years

    vendor = connection.vendor
    true, false = ("TRUE", "FALSE") if vendor == "postgresql" else ("1", "0")
    hy, py = HouseholdYear._meta.db_table, PersonYear._meta.db_table
    run_year = DATASETS[data]["year"]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for year, salt in ((run_year - 1, 1), (run_year, 2)):
            cursor.execute(f"DELETE FROM {py} WHERE year = %s", [year])
            cursor.execute(f"DELETE FROM {hy} WHERE year = %s", [year])
            cursor.execute(
                f"INSERT INTO {hy} (household_id, year, {', '.join(MONEY)}, schooling_expense, medical_self_paid, "
                "has_food_security, has_clothing_security, has_safe_drinking_water, house_grade, had_disaster, "
                f"disaster_note, is_demo, recorded_at) {_household_year(data, year, salt, true, false)} "
                f"FROM {Household._meta.db_table} hh"
            )
            cursor.execute(
                f"INSERT INTO {py} (person_id, household_id, year, schooling, has_serious_disease, is_disabled, "
                "is_deceased, labor_skill, work_status, unemployed_months, is_dibao, is_tekun, birth_date) "
                f"{_person_year(data, year, salt, vendor, true, false)} FROM {Person._meta.db_table} p"
            )
        # the run year's members carry their previous year's facts (as every writer of yearly rows leaves them)
        link_previous_years(years=[run_year])
        # one department report for 0.5 % of the households (a list of the run year)
        cursor.execute(f"DELETE FROM {DepartmentReport._meta.db_table} WHERE year = %s", [run_year])
        cursor.execute(
            f"INSERT INTO {DepartmentReport._meta.db_table} (household_id, year, department, reason, reported_on, "
            f"created_at) SELECT hh.id, {run_year}, 'emergency', '基准测试', CURRENT_DATE, CURRENT_TIMESTAMP "
            f"FROM {Household._meta.db_table} hh WHERE {base.h('hh.id', 95, 200)} = 0"
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    return {
        "data": data,
        "years_s": round(time.perf_counter() - started, 1),
        "household_years": HouseholdYear.objects.filter(year=run_year).count(),
    }


def measure(size: int, db: str, data: str) -> list[dict]:
    """Three runs of the data set's year: with no stored hits (every firing household written), the same again
    (nothing changed: nothing written), and once more from no stored hits."""
    from django.conf import settings

    from tuopin.accounts.permissions import console_actor
    from tuopin.monitoring.models import TriggerHit
    from tuopin.monitoring.runs import monitoring_run

    year = DATASETS[data]["year"]
    results = []
    for attempt, fresh in enumerate((True, False, True)[:RUNS]):
        if fresh:
            TriggerHit.objects.filter(year=year).delete()
        load_before = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        run = monitoring_run(year=year, by=console_actor(), raise_clues=False)
        row = {
            "db": db,
            "size": size,
            "data": data,
            "year": year,
            "step": "monitor triggers+store",
            "stored_hits_before": "none" if fresh else "same year, same data",
            "seconds": round(time.perf_counter() - started, 3),
            "client_cpu_s": round(time.process_time() - cpu, 3),
            "attempt": attempt,
            "households": run.households,
            "fired": run.fired,
            "written": run.summary["written"],
            "removed": run.summary["removed"],
            "parts": run.summary["parts"],
            "workers": settings.MONITOR_WORKERS,
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "commit": COMMIT,
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
    parser.add_argument("--keep", action="store_true", help="reuse the generated registry")
    parser.add_argument("--keep-years", action="store_true", help="reuse the generated yearly figures too")
    parser.add_argument("--data", choices=[*DATASETS, "both"], default="both")
    args = parser.parse_args()
    setup(args.db, args.size, fresh=not args.keep)
    if not args.keep:
        print(json.dumps({"generated": base.generate(args.size)}), flush=True)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    datasets = list(DATASETS) if args.data == "both" else [args.data]
    RESULTS.mkdir(parents=True, exist_ok=True)
    for data in datasets:
        if not args.keep_years:
            print(json.dumps({"years": add_years(data)}), flush=True)
        rows = measure(args.size, args.db, data)
        with (RESULTS / "monitor.jsonl").open("a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
