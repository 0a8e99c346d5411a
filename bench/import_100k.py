"""Benchmark: validate and commit a registry file of 100,000 people (``tuopin import``), on SQLite and PostgreSQL.

    uv run python bench/import_100k.py                      # 100,000 people, xlsx, SQLite and PostgreSQL
    uv run python bench/import_100k.py --people 20000 --backends sqlite --formats csv

Each measurement runs in a fresh child process against a fresh database (migrated, with a synthetic county of
4 townships × 25 villages × 4 groups), so its peak memory (ru_maxrss) is the import's own. Timed phases:
``validate`` = read + check every row (``--dry-run``: nothing written); ``validate+commit`` = one ``tuopin
import`` (read, check, write households, people and their history rows in one transaction); ``re-import`` = the
same file again (checks, finds nothing changed, writes nothing). PostgreSQL needs a running server that the
current user can create databases on (``TUOPIN_BENCH_PG`` overrides the server URL prefix).
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from stdnum.cn import ric  # noqa: E402

from tuopin.imports.parsing.layout import HEADERS  # noqa: E402

OUT = ROOT / "var" / "bench"
PG_PREFIX = os.environ.get("TUOPIN_BENCH_PG", "postgresql://root@/{db}?host=/var/run/postgresql")
TOWNSHIPS = 4
VILLAGES = 25
GROUPS = 4
TARGET_SECONDS = 30
TARGET_MIB = 1024


def _id(birth: date, seq: int, male: bool) -> str:
    area = "530121"
    order = (seq % 500) * 2 + (1 if male else 0)
    body = f"{area}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_rows(people: int, seed: int = 20180725):
    """Synthetic households of 1-6 people spread over the bench county; every ID number unique and valid."""
    rng = random.Random(seed)
    used: set[str] = set()
    person = 0
    household = 0
    causes = ["因病", "因残", "因学", "缺技术", "缺劳力", "缺资金"]
    while person < people:
        household += 1
        size = min(rng.choice([1, 2, 3, 3, 4, 4, 5, 6]), people - person)
        township = household % TOWNSHIPS
        village = (household // TOWNSHIPS) % VILLAGES
        group = household % GROUPS
        status = rng.choice(["未脱贫", "已脱贫", "已脱贫", "卡外农户", "卡外农户", "卡外农户"])
        registered = status != "卡外农户"
        shared = {
            "县": "嵩明县",
            "乡": f"乡镇{township + 1}",
            "村": f"村{township + 1}-{village + 1}",
            "组": f"组{group + 1}",
            "户编号": f"53012100{household:08d}",
            "年度": 2018,
            "户联系电话": f"139{household:08d}",
            "脱贫状态": status,
            "识别标准": "国家标准" if registered else None,
            "贫困户属性": "一般贫困户" if registered else None,
            "识别年度": 2014 if registered else None,
            "脱贫年度": 2017 if status == "已脱贫" else None,
            "主要致贫原因": rng.choice(causes) if registered else None,
            "是否军烈属": "否",
            "家庭人口数": size,
            "工资性收入": rng.randint(0, 30000),
            "生产经营性收入": round(rng.uniform(0, 20000), 2),
            "财产性收入": rng.randint(0, 500),
            "转移性收入": rng.randint(0, 5000),
            "生产经营性支出": rng.randint(0, 5000),
            "耕地面积（亩）": round(rng.uniform(0, 8), 1),
            "住房面积（平方米）": rng.randint(40, 200),
            "房屋主要结构": "砖混材料",
            "危房等级": rng.choice(["A级", "B级", "B级", "C级"]),
            "饮水情况": "经过净化处理的自来水",
            "入户路类型": "水泥路",
            "是否易地扶贫搬迁户": "否",
        }
        for index in range(size):
            person += 1
            if index == 0:
                relation, male, birth = "户主", True, date(1950, 1, 1) + timedelta(days=rng.randint(0, 15000))
            elif index == 1:
                relation, male, birth = (
                    "配偶",
                    False,
                    date(1952, 1, 1) + timedelta(days=rng.randint(0, 15000)),
                )
            else:
                relation = rng.choice(["之子", "之女"])
                male = relation == "之子"
                birth = date(1990, 1, 1) + timedelta(days=rng.randint(0, 9000))
            seq = person
            number = _id(birth, seq, male)
            while number in used:
                seq += 1
                number = _id(birth, seq, male)
            used.add(number)
            in_school = birth.year >= 2004
            yield {
                **shared,
                "姓名": f"姓名{person}",
                "证件号码": number,
                "与户主关系": relation,
                "证件类型": "居民身份证",
                "性别": "男" if male else "女",
                "出生日期": birth.isoformat(),
                "民族": "汉族",
                "文化程度": None if in_school else "初中",
                "在校生状况": "小学" if in_school else None,
                "健康状况": "健康",
                "劳动技能": "普通劳动力",
                "是否参加城乡居民基本医疗保险": "是",
                "是否享受低保": "否",
                "是否特困供养人员": "否",
            }


def write_file(path: Path, people: int) -> None:
    from tuopin.imports.parsing.write import write_rows

    rows = ([row.get(h) for h in HEADERS] for row in make_rows(people))
    if path.suffix == ".csv":
        with path.open("w", encoding="gb18030", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(HEADERS)
            for row in rows:
                writer.writerow(["" if cell is None else cell for cell in row])
    else:
        with path.open("wb") as stream:
            write_rows(stream, HEADERS, rows)


# --- child: one measurement in a fresh process ------------------------------------------------------------


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()


def child_prepare() -> None:
    _setup_django()
    from django.core.management import call_command

    from tuopin.regions.services import region_create

    call_command("migrate", verbosity=0)
    county = region_create(code="530121", name="嵩明县", kind="county", parent=None)
    for t in range(TOWNSHIPS):
        township = region_create(code=f"530121{t + 1:03d}", name=f"乡镇{t + 1}", kind="town", parent=county)
        for v in range(VILLAGES):
            village = region_create(
                code=f"530121{t + 1:03d}{v + 1:03d}",
                name=f"村{t + 1}-{v + 1}",
                kind="village_committee",
                parent=township,
            )
            for g in range(GROUPS):
                region_create(
                    code=f"G{t + 1:02d}{v + 1:03d}{g + 1:02d}",
                    name=f"组{g + 1}",
                    kind="village_group",
                    parent=village,
                )


def child_run(path: str, mode: str) -> None:
    _setup_django()
    from tuopin.accounts.permissions import console_actor
    from tuopin.imports.services import registry_import

    content = Path(path).read_bytes()
    user = console_actor()  # as ``tuopin import``: the whole county (imports need a named actor)
    started = time.perf_counter()
    outcome = registry_import(
        user=user, file_name=Path(path).name, content=content, dry_run=mode == "validate"
    )
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = outcome.result
    summary = outcome.summary
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_mib": round(peak_mib),
                "rows": result.rows_total if result else 0,
                "errors": len(result.errors) if result else -1,
                "committed": outcome.committed,
                "created": summary.persons_created if summary else 0,
                "changed": summary.changed if summary else False,
            }
        )
    )


# --- parent ---------------------------------------------------------------------------------------------


def _env(backend: str, name: str) -> dict:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    env["TUOPIN_DEMO_ON_FIRST_START"] = "0"
    if backend == "sqlite":
        env["TUOPIN_VAR_DIR"] = str(OUT / name)
        env.pop("TUOPIN_DATABASE_URL", None)
    else:
        env["TUOPIN_DATABASE_URL"] = PG_PREFIX.format(db=name)
    return env


def _fresh_database(backend: str, name: str) -> dict:
    env = _env(backend, name)
    if backend == "sqlite":
        folder = OUT / name
        folder.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (folder / f"tuopin.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        subprocess.run(["dropdb", "--if-exists", name], check=True)  # noqa: S603, S607
        subprocess.run(["createdb", name], check=True)  # noqa: S603, S607
    subprocess.run([sys.executable, __file__, "--child-prepare"], env=env, check=True, cwd=ROOT)  # noqa: S603
    return env


def _measure(env: dict, path: Path, mode: str) -> dict:
    done = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--child-run", str(path), mode],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--child-prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_prepare:
        child_prepare()
        return
    if args.child_run:
        child_run(*args.child_run)
        return

    OUT.mkdir(parents=True, exist_ok=True)
    files = {}
    for fmt in args.formats.split(","):
        path = OUT / f"registry-{args.people}.{fmt}"
        if not path.exists():
            started = time.perf_counter()
            write_file(path, args.people)
            print(
                f"生成 {path.name}: {path.stat().st_size / 2**20:.1f} MiB, {time.perf_counter() - started:.1f} s"
            )
        files[fmt] = path

    lines = []
    header = f"| backend | file | phase | people | seconds | peak MiB | target (≤{TARGET_SECONDS} s, ≤{TARGET_MIB} MiB) |"
    lines.append(header)
    lines.append("|---|---|---|---:|---:|---:|---|")
    for backend in args.backends.split(","):
        for fmt, path in files.items():
            name = f"tuopin_bench_{backend}_{fmt}"
            env = _fresh_database(backend, name)
            for mode in ("validate", "commit", "reimport"):
                figures = _measure(env, path, "validate" if mode == "validate" else "commit")
                assert figures["errors"] == 0, figures
                if mode == "reimport":
                    assert not figures["changed"], figures
                phase = {
                    "validate": "validate",
                    "commit": "validate+commit",
                    "reimport": "re-import (no-op)",
                }[mode]
                ok = figures["seconds"] <= TARGET_SECONDS and figures["peak_mib"] <= TARGET_MIB
                lines.append(
                    f"| {backend} | {fmt} ({path.stat().st_size / 2**20:.1f} MiB) | {phase} | {figures['rows']:,} | "
                    f"{figures['seconds']:.1f} | {figures['peak_mib']:,} | {'met' if ok else 'MISSED'} |"
                )
                print(lines[-1], flush=True)
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
