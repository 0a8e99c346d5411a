"""Timing of the projects app's reads on a synthetic county: target actuals computed from the registry
(set-based, through the scoped selectors), the budget summary and the plan audit.

Run: ``uv run python bench/projects_bench.py [households ...]`` (default 10000 100000). Uses a throwaway
SQLite database under var/bench/ unless TUOPIN_DATABASE_URL is set. Prints one table.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
if not os.environ.get("TUOPIN_DATABASE_URL"):
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    os.environ["TUOPIN_VAR_DIR"] = str(ROOT / "var" / "bench")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tuopin.accounts.models import Role, User  # noqa: E402
from tuopin.projects.selectors import budget_summary, plan_audit, target_progress  # noqa: E402
from tuopin.projects.services import projects_load_seed_plan  # noqa: E402
from tuopin.regions.models import Region  # noqa: E402
from tuopin.regions.services import region_tree_load  # noqa: E402
from tuopin.registry.models import Household, Person  # noqa: E402

SCHOOLING = ["", "", "", "primary", "grade8", "senior2", "secondary_vocational1", "undergraduate2"]
WORK = ["", "", "in_county", "in_township", "in_province", "out_of_province"]


def build(n: int) -> None:
    call_command("flush", interactive=False, verbosity=0)
    tree = json.loads((ROOT / "tuopin" / "regions" / "data" / "songming.json").read_text(encoding="utf-8"))
    region_tree_load(data=tree)
    villages = list(Region.objects.filter(level=3))
    rng = random.Random(n)
    households = [
        Household(
            household_no=f"B{i:08d}",
            village=villages[i % len(villages)],
            data_year=2018,
            status=(status := rng.choice(["poor", "exited", "exited", "unregistered"])),
            status_by_procedure=status,
            main_cause="illness",
            exit_year=2018,
            house_grade=rng.choice(["A", "B", "C", "D"]),
            is_relocated=rng.random() < 0.02,
            relocation_year=2018,
            returned_farmland=rng.choice([None, 0, 1.5]),
        )
        for i in range(n)
    ]
    Household.objects.bulk_create(households, batch_size=5000)
    people = []
    for h in Household.objects.only("id").iterator():
        for j in range(rng.randint(1, 5)):
            people.append(
                Person(
                    household_id=h.pk,
                    name="x",
                    sex="male",
                    relation="head" if j == 0 else "child",
                    schooling=rng.choice(SCHOOLING),
                    work_status=rng.choice(WORK),
                    is_dibao=rng.random() < 0.1,
                    is_tekun=rng.random() < 0.01,
                    has_medical_insurance=rng.random() < 0.99,
                )
            )
    Person.objects.bulk_create(people, batch_size=5000)
    projects_load_seed_plan()


def timed(fn, *, repeat: int = 3, **kwargs) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(**kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def main(sizes: list[int]) -> None:
    print(f"database: {connection.vendor}")
    print(
        f"{'households':>10} {'people':>8} {'targets (county)':>17} {'targets (township)':>19} "
        f"{'budget':>8} {'audit':>8}"
    )
    for n in sizes:
        build(n)
        people = Person.objects.count()
        plan = projects_load_seed_plan().plan
        county = User.objects.create(
            username=f"bench-county-{n}", role=Role.COUNTY, region=Region.objects.get(level=1)
        )
        township = User.objects.create(
            username=f"bench-town-{n}", role=Role.TOWNSHIP, region=Region.objects.filter(level=2).first()
        )
        t_county = timed(target_progress, user=county, plan=plan, year=2018)
        t_town = timed(target_progress, user=township, plan=plan, year=2018)
        t_budget = timed(budget_summary, user=county, plan=plan)
        t_audit = timed(plan_audit, plan=plan)
        print(f"{n:>10} {people:>8} {t_county:>16.3f}s {t_town:>18.3f}s {t_budget:>7.3f}s {t_audit:>7.3f}s")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
