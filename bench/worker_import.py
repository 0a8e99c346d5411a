"""Benchmark: a 100,000-person import started from the page, run by the worker of ``tuopin serve``, while another
user keeps opening the overview; the server is killed during the commit and started again.

    uv run python bench/worker_import.py                       # 100,000 people, SQLite (and PostgreSQL if set)
    uv run python bench/worker_import.py --people 20000 --backends sqlite

Each backend gets a fresh database (``tuopin/imports/tests/served.py``: SQLite file under ``var/bench/worker-*``,
or a new PostgreSQL database on the server of ``TUOPIN_DATABASE_URL`` / ``--pg``). Everything goes over HTTP as a
browser would: log in, upload the csv, the page queues the validation, polls its progress, commit, kill -9 the
server's process group (web server and worker) ``--kill-after`` seconds into the commit, start ``tuopin serve``
again, poll until the batch shows as imported. Meanwhile a second session GETs ``/`` (the county overview) once
per poll and its response times are reported.
"""

import argparse
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tuopin.imports.tests.served import (  # noqa: E402
    Client,
    Served,
    bench_generator,
    run_manage,
    served_database,
    wait_for,
)

PG_DEFAULT = "postgresql://root@/tuopin_bench?host=/var/run/postgresql"


def _overview(client: Client, times: list[float]) -> None:
    started = time.monotonic()
    status = client.get("/")[0]
    if status != 200:
        raise AssertionError(f"overview answered {status}")
    times.append(time.monotonic() - started)


def measure(backend: str, people: int, kill_after: float, pg_url: str) -> dict:
    folder = ROOT / "var" / "bench" / f"worker-{backend}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    upload = folder / "people.csv"
    bench_generator().write_file(upload, people)
    if backend == "postgresql":
        os.environ["TUOPIN_DATABASE_URL"] = pg_url
    else:
        os.environ.pop("TUOPIN_DATABASE_URL", None)
    figures: dict = {"backend": backend, "people": people, "file_mib": upload.stat().st_size / 2**20}
    with served_database(folder) as env:
        server = Served(env, folder)
        server.start()
        try:
            client, other = Client(server.port), Client(server.port)
            client.login("county")
            other.login("county")
            times: list[float] = []
            mark = time.monotonic()
            _, headers, _ = client.post("/data/upload/", files={"file": (upload.name, upload.read_bytes())})
            figures["upload_s"] = time.monotonic() - mark
            pk = int(re.search(r"/batches/(\d+)/", headers["Location"]).group(1))
            mark = time.monotonic()
            client.post(f"/data/batches/{pk}/run/")

            def validated():
                _overview(other, times)
                return 'id="summary"' in client.get(f"/data/batches/{pk}/progress/")[2]

            wait_for(validated, timeout=1800, every=0.5, what="validation")
            figures["validate_s"] = time.monotonic() - mark
            mark = time.monotonic()
            client.post(f"/data/batches/{pk}/commit/")
            wait_for(
                lambda: 'data-job-status="running"' in client.get(f"/data/batches/{pk}/progress/")[2],
                timeout=600,
                every=0.1,
                what="commit running",
            )
            time.sleep(kill_after)
            server.kill()
            figures["killed_after_s"] = time.monotonic() - mark
            mark = time.monotonic()
            server.start()
            figures["restart_s"] = time.monotonic() - mark

            def committed():
                _overview(other, times)
                return 'id="committed"' in client.get(f"/data/batches/{pk}/progress/")[2]

            wait_for(committed, timeout=1800, every=0.5, what="commit after restart")
            figures["commit_after_restart_s"] = time.monotonic() - mark
            figures["overview_n"] = len(times)
            figures["overview_median_s"] = statistics.median(times)
            figures["overview_max_s"] = max(times)
        finally:
            server.stop()
        counted = run_manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from tuopin.registry.models import Person; from tuopin.jobs.models import Job; "
            "print(Person.objects.count(), Job.objects.get(kind='import_commit').attempts)",
        )
        persons, attempts = counted.strip().splitlines()[-1].split()
        figures["persons_stored"], figures["commit_attempts"] = int(persons), int(attempts)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--kill-after", type=float, default=5.0, help="seconds into the commit")
    parser.add_argument("--pg", default=os.environ.get("TUOPIN_DATABASE_URL", PG_DEFAULT))
    args = parser.parse_args()
    rows = [measure(backend, args.people, args.kill_after, args.pg) for backend in args.backends.split(",")]
    print(
        "| backend | people | csv | upload | validate (worker) | killed after | restart | commit after restart "
        "| stored | commit attempts | overview during the run (n / median / max) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['backend']} | {r['people']:,} | {r['file_mib']:.1f} MiB | {r['upload_s']:.1f} s "
            f"| {r['validate_s']:.1f} s | {r['killed_after_s']:.1f} s | {r['restart_s']:.1f} s "
            f"| {r['commit_after_restart_s']:.1f} s | {r['persons_stored']:,} | {r['commit_attempts']} "
            f"| {r['overview_n']} / {r['overview_median_s']:.2f} s / {r['overview_max_s']:.2f} s |"
        )


if __name__ == "__main__":
    main()
