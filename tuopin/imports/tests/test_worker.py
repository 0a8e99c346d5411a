"""The real thing: ``tuopin serve`` with its worker child, on a database of its own, driven over HTTP. An
import started from the page is validated and committed by the worker while other pages keep answering; the
server is killed while the worker writes, started again, and the import completes."""

import re
import time

from tuopin.imports.tests.served import Client, Served, bench_generator, run_manage, served_database, wait_for

PEOPLE = 3000
COUNTY = {"townships": 2, "villages": 3, "groups": 2}
SLOWEST_OTHER_PAGE = 10.0  # seconds; an answer at all is what matters, the machine has 2 shared cores


def _timed_get(client: Client, path: str) -> float:
    started = time.monotonic()
    status, _, _ = client.get(path)
    assert status == 200, path
    return time.monotonic() - started


def _job_status(client: Client, pk: int) -> str:
    _, _, html = client.get(f"/data/batches/{pk}/progress/")
    found = re.search(r'data-job-status="(\w*)"', html)
    return found.group(1) if found else ("committed" if 'id="committed"' in html else "finished")


def test_import_from_the_page_runs_in_the_worker_and_survives_a_restart_of_serve(tmp_path):
    generator = bench_generator(**COUNTY)
    upload = tmp_path / "people.csv"
    generator.write_file(upload, PEOPLE)
    with served_database(tmp_path, **COUNTY) as env:
        server = Served(env, tmp_path)
        server.start()
        try:
            client = Client(server.port)
            client.login("county")
            other = Client(server.port)
            other.login("county")
            status, headers, _ = client.post(
                "/data/upload/", files={"file": (upload.name, upload.read_bytes())}
            )
            assert status == 302
            pk = int(re.search(r"/batches/(\d+)/", headers["Location"]).group(1))
            _, _, queued = client.post(f"/data/batches/{pk}/run/")
            assert "排队中" in queued or "正在校验" in queued
            slowest = [0.0]

            def validated():
                slowest[0] = max(slowest[0], _timed_get(other, "/"))
                return 'id="summary"' in client.get(f"/data/batches/{pk}/progress/")[2]

            wait_for(validated, timeout=300, what="validation in the worker")
            _, _, report = client.get(f"/data/batches/{pk}/")
            households = int(re.search(r"全部导入（(\d+) 户）", report).group(1))
            client.post(f"/data/batches/{pk}/commit/")
            wait_for(
                lambda: _job_status(client, pk) == "running", timeout=120, every=0.03, what="commit running"
            )
            server.kill()  # web server and worker die mid-commit, as in a crash or a power cut
            server.start()
            wait_for(lambda: "1 个重新排队" in server.log(), timeout=60, what="the worker's recovery")

            def committed():
                slowest[0] = max(slowest[0], _timed_get(other, "/"))
                return 'id="committed"' in client.get(f"/data/batches/{pk}/progress/")[2]

            wait_for(committed, timeout=300, what="the commit after the restart")
            _, _, page = client.get(f"/data/batches/{pk}/")
            assert f"新增 {households} 户" in page
            assert f"新增 {PEOPLE} 人" in page
            assert slowest[0] < SLOWEST_OTHER_PAGE
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
        assert counted.strip().splitlines()[-1].split() == [str(PEOPLE), "2"]
