"""Benchmark of the assessment engine on a synthetic registry.

    uv run python bench/assess_bench.py --db sqlite --size 100000
    uv run python bench/assess_bench.py --db postgresql --size 1000000 [--keep]

Builds its own database (SQLite file under bench/out/, or PostgreSQL database ``tuopin_bench_<size>``),
migrates it, generates N households with ~3.5 members each *in SQL* (deterministic multiplicative hashing, so
both databases hold identical data), then times through the real service code:

* ``assessment_run`` — evaluation + INSERT…SELECT write-back of one row per household + run summary;
* ``what_if`` — the same evaluation with another income line, joined to the stored run, nothing written;
* one household's explanation (the Python path).

Prints one JSON line per measurement and appends it to bench/out/results.jsonl.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


# deterministic pseudo-random integers in [0, m) from a row number: same values on SQLite and PostgreSQL
def h(i: str, salt: int, m: int) -> str:
    """Two rounds of multiply-mod with salt-dependent constants (decorrelates the salts)."""
    return (
        f"((((({i}) * 2654435761 + {salt * 7919}) % 1000003) * {40503 + salt * 2} + {salt}) % 999983 % {m})"
    )


def setup(db: str, size: int, *, fresh: bool) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    if db == "sqlite":
        var = OUT / f"sqlite_{size}"
        if fresh and var.exists():
            for path in var.glob("tuopin.sqlite3*"):
                path.unlink()
        var.mkdir(parents=True, exist_ok=True)
        os.environ["TUOPIN_VAR_DIR"] = str(var)
        os.environ.pop("TUOPIN_DATABASE_URL", None)
    else:
        name = f"tuopin_bench_{size}"
        if fresh:
            subprocess.run(["dropdb", "--if-exists", name], check=True)  # noqa: S603, S607
            subprocess.run(["createdb", name], check=True)  # noqa: S603, S607
        os.environ["TUOPIN_DATABASE_URL"] = f"postgresql://root@/{name}?host=/var/run/postgresql"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _defaults(model, given: dict[str, str], vendor: str) -> tuple[list[str], list[str]]:
    from django.db import models

    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        column = field.column
        columns.append(column)
        if field.attname in given or field.name in given:
            values.append(given.get(field.attname, given.get(field.name)))
        elif field.null:
            values.append("NULL")
        elif isinstance(field, models.BooleanField):
            values.append("FALSE" if vendor == "postgresql" else "0")
        elif isinstance(field, models.DateTimeField):
            values.append("CURRENT_TIMESTAMP")
        elif isinstance(field, models.CharField | models.TextField):
            values.append("''")
        elif isinstance(field, models.JSONField):
            values.append("'[]'")
        else:
            values.append("0")
    return columns, values


def generate(size: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from tuopin.regions.models import Region
    from tuopin.registry.models import Household, Person

    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    county = Region.objects.create(code="530127", name="基准县", level=1, kind="county", path="530127/")
    towns = [
        Region(
            code=f"530127{t:03d}",
            name=f"镇{t}",
            level=2,
            kind="town",
            parent=county,
            path=f"530127/530127{t:03d}/",
        )
        for t in range(10)
    ]
    Region.objects.bulk_create(towns)
    towns = list(Region.objects.filter(level=2).order_by("code"))
    villages = [
        Region(
            code=f"{town.code}{v:03d}",
            name=f"村{v}",
            level=3,
            kind="village_committee",
            parent=town,
            path=f"{town.path}{town.code}{v:03d}/",
        )
        for town in towns
        for v in range(100)
    ]
    Region.objects.bulk_create(villages, batch_size=500)
    first_village = Region.objects.filter(level=3).order_by("id").values_list("id", flat=True).first()

    true, false = ("TRUE", "FALSE") if vendor == "postgresql" else ("1", "0")
    i = "s.i"
    members = f"(1 + {h(i, 7, 6)})"  # 1..6, mean 3.5
    per_capita = f"(1500 + {h(i, 11, 9000)})"  # 1500..10499 yuan
    status = f"(CASE WHEN {h(i, 13, 100)} < 25 THEN 'poor' WHEN {h(i, 13, 100)} < 60 THEN 'exited' ELSE 'unregistered' END)"
    nullable_money = lambda expr, salt: f"(CASE WHEN {h(i, salt, 200)} = 0 THEN NULL ELSE {expr} END)"  # noqa: E731
    boolean = lambda salt, per_mille_false: (  # noqa: E731
        f"(CASE WHEN {h(i, salt, 1000)} < 2 THEN NULL WHEN {h(i, salt, 1000)} < {per_mille_false} THEN {false} ELSE {true} END)"
    )
    given = {
        "household_no": f"CAST({i} AS TEXT)" if vendor == "sqlite" else f"CAST({i} AS varchar)",
        "village_id": f"({first_village} + {h(i, 3, 1000)})",
        "data_year": "2018",
        "status": status,
        "exit_year": f"(CASE WHEN {status} = 'exited' THEN 2017 ELSE NULL END)",
        "planned_exit_year": f"(CASE WHEN {status} = 'poor' AND {h(i, 17, 10)} < 8 THEN 2018 ELSE NULL END)",
        "main_cause": f"(CASE WHEN {status} = 'unregistered' THEN '' WHEN {h(i, 19, 10)} = 0 THEN 'schooling' ELSE 'illness' END)",
        "wage_income": nullable_money(f"({per_capita} * {members} * 7 / 10)", 23),
        "business_income": f"({per_capita} * {members} * 3 / 10 + 500)",
        "property_income": "0",
        "transfer_income": f"({per_capita} * {members} - {per_capita} * {members} * 7 / 10 - {per_capita} * {members} * 3 / 10)",
        "business_expense": "500",
        "schooling_expense": f"({h(i, 29, 4)} * 1000)",
        "medical_self_paid": nullable_money(f"({h(i, 31, 20)} * 500)", 37),
        "has_food_security": boolean(41, 5),
        "has_clothing_security": boolean(43, 5),
        "has_safe_drinking_water": boolean(47, 50),
        "house_grade": f"(CASE {h(i, 53, 20)} WHEN 0 THEN 'C' WHEN 1 THEN 'D' WHEN 2 THEN '' WHEN 3 THEN 'A' ELSE 'B' END)",
        "is_relocated": f"(CASE WHEN {h(i, 59, 100)} < 3 THEN {true} ELSE {false} END)",
        "relocation_self_funding": f"({h(i, 61, 12)} * 1000)",
        "relocation_debt": f"(CASE WHEN {h(i, 67, 50)} = 0 THEN 2000 ELSE 0 END)",
    }
    columns, values = _defaults(Household, given, vendor)
    if vendor == "sqlite":
        series = f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {size}) "
        from_ = "FROM s"
    else:
        series = ""
        from_ = f"FROM generate_series(1, {size}) AS s(i)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"{series}INSERT INTO {Household._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} {from_}"
        )
    households_s = time.perf_counter() - started

    # persons: household k gets members n = 1..member_count(k); ages spread over 0..88 years
    j = "hh.id"
    pid = f"({j} * 8 + n.n)"
    birth_days = h(pid, 71, 32000)
    birth = (
        f"date('1930-09-01', '+' || {birth_days} || ' days')"
        if vendor == "sqlite"
        else f"(DATE '1930-09-01' + CAST({birth_days} AS integer))"
    )
    in_school = f"({h(pid, 73, 100)} >= 3)"
    person_given = {
        "household_id": j,
        "name": "'某'",
        "id_type": "'resident_id'",
        "sex": f"(CASE WHEN {h(pid, 79, 2)} = 0 THEN 'male' ELSE 'female' END)",
        "birth_date": f"(CASE WHEN {h(pid, 83, 500)} = 0 THEN NULL ELSE {birth} END)",
        "relation": "(CASE WHEN n.n = 1 THEN 'head' ELSE 'child' END)",
        "schooling": f"(CASE WHEN {in_school} AND {birth} > '2002-08-31' AND {birth} <= '2012-08-31' THEN 'primary' ELSE '' END)",
        "has_medical_insurance": f"(CASE WHEN {h(pid, 89, 1000)} < 3 THEN NULL WHEN {h(pid, 89, 1000)} < 15 THEN {false} ELSE {true} END)",
    }
    if vendor == "postgresql":
        person_given["schooling"] = (
            person_given["schooling"]
            .replace("'2002-08-31'", "DATE '2002-08-31'")
            .replace("'2012-08-31'", "DATE '2012-08-31'")
        )
    columns, values = _defaults(Person, person_given, vendor)
    numbers = "(SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6)"
    hid = "CAST(hh.household_no AS INTEGER)" if vendor == "sqlite" else "CAST(hh.household_no AS integer)"
    member_count = f"(1 + {h(hid, 7, 6)})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Person._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {Household._meta.db_table} hh JOIN {numbers} n ON n.n <= {member_count} "
            "ORDER BY hh.id, n.n"
        )
        cursor.execute("ANALYZE")
    from tuopin.accounts.permissions import console_actor
    from tuopin.policy.services import standard_set

    standard_set(
        key="medical_self_paid_limit",
        year=2018,
        region=None,
        value="8000",
        source_document="基准测试用虚构值",
        by=console_actor(),
    )
    persons = Person.objects.count()
    return {
        "households": Household.objects.count(),
        "persons": persons,
        "generate_s": round(time.perf_counter() - started, 1),
        "households_s": round(households_s, 1),
    }


def measure(size: int, db: str) -> list[dict]:
    from decimal import Decimal

    from django.core.management import call_command

    from tuopin.assessment.models import AssessmentRun, HouseholdResult
    from tuopin.assessment.selectors import household_explanation
    from tuopin.assessment.services import assessment_run, what_if
    from tuopin.policy.models import Standard
    from tuopin.policy.seed import PROVINCE_DEFAULTS, rows
    from tuopin.registry.models import Household

    call_command("migrate", verbosity=0)
    for row in rows(PROVINCE_DEFAULTS):  # databases generated by an older checkout lack newer defaults
        Standard.objects.update_or_create(key=row["key"], year=row["year"], region=None, defaults=row)
    results = []

    def record(name: str, seconds: float, **extra):
        row = {
            "db": db,
            "size": size,
            "step": name,
            "seconds": round(seconds, 3),
            "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            **extra,
        }
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)

    AssessmentRun.objects.all().delete()
    for attempt in range(2):
        started = time.perf_counter()
        run = assessment_run(year=2018)
        record(
            "assess+store",
            time.perf_counter() - started,
            attempt=attempt,
            households=run.households,
            eligible=run.summary["eligible_to_exit"],
            run_ms=run.duration_ms,
            **run.summary["timings"],
        )
    started = time.perf_counter()
    result = what_if(year=2018, overrides={"income_line": Decimal("4000")}, base_run=run)
    record(
        "what-if",
        time.perf_counter() - started,
        changed=result.changed_total,
        eligible_after=result.eligible_after,
    )
    household = Household.objects.order_by("id")[size // 2]
    from tuopin.accounts.models import User

    admin = User(is_superuser=True, is_active=True)
    started = time.perf_counter()
    household_explanation(user=admin, household=household, year=2018)
    record("explain one household", time.perf_counter() - started)
    stored = HouseholdResult.objects.filter(run=run).count()
    record(
        "check",
        0,
        stored=stored,
        rules=run.summary["rules"]["income_per_capita"],
        criteria=run.summary["criteria"],
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    args = parser.parse_args()
    setup(args.db, args.size, fresh=not args.keep)
    if not args.keep:
        info = generate(args.size)
        print(json.dumps({"db": args.db, "size": args.size, "step": "generate", **info}), flush=True)
    rows = measure(args.size, args.db)
    OUT.mkdir(exist_ok=True)
    with (OUT / "results.jsonl").open("a") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
