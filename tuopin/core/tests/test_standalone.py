"""The product stands alone: no tracked file of the product (code, templates, data, docs) sends a reader to a
file outside the repository — the working notes beside it (the shared folder next to the checkout, research notes, the outside style
guide) or a path on one machine. What the code relies on is written in the project's own words under
``docs/`` (``docs/style.md``, ``docs/policy-facts.md``, ``docs/mpi.md``)."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PRODUCT = ["tuopin", "docs", "config", "ARCHITECTURE.md", "CONTEXT.md", "README.md"]

# Each pattern is written so that this file does not match itself.
OUTSIDE = {
    "the notes beside the project": r"\.\./shar" + r"ed\b|\bshar" + r"ed/seed\b",
    "research notes": r"\bresear" + r"ch/|\bdomai" + r"n\.md\b|\banchor" + r"s-",
    "the outside style guide": r"\bSTY" + r"LE\.md\b",
    "a machine path": r"(?<![\w./~:-])/(?:wo" + r"rk|ro" + r"ot|tm" + r"p)(?:/|\b)",
}

# Files allowed to name the outside, each with its reason.
EXCLUDED = {
    # reads the county plan beside the project (its seed folder next to the checkout) to check every quote of the plan's data;
    # it fails in CI when the plan is missing
    "tuopin/projects/tests/test_seed_plan.py",
}


def _tracked() -> list[str]:
    try:
        listed = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "ls-files", "-z", *PRODUCT],  # noqa: S607 - git from PATH
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: every file under the product paths
        return sorted(
            str(path.relative_to(ROOT))
            for name in PRODUCT
            for path in ([ROOT / name] if (ROOT / name).is_file() else (ROOT / name).rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        )
    return [name for name in listed.split("\0") if name]


def _text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None  # binary: fonts, compiled messages, images
    return data.decode("utf-8", errors="replace")


def test_the_product_files_are_found():
    files = _tracked()
    assert "ARCHITECTURE.md" in files
    assert "tuopin/core/inputs.py" in files
    assert len(files) > 100


@pytest.mark.parametrize("what", sorted(OUTSIDE))
def test_no_product_file_refers_outside_the_repository(what):
    pattern = re.compile(OUTSIDE[what])
    hits = []
    for name in _tracked():
        if name in EXCLUDED or not (ROOT / name).is_file():
            continue
        text = _text(ROOT / name)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                hits.append(f"{name}:{number}: {line.strip()[:120]}")
    assert hits == [], f"{what} named in product files (write it under docs/ instead):\n" + "\n".join(hits)


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("见 ../" + "shared/STY" + "LE.md", "the notes beside the project"),
        ("(anchor" + "s-dq-mpi §3)", "research notes"),
        ("see domai" + "n.md §7", "research notes"),
        ('Path("/wo' + 'rk/main/var")', "a machine path"),
        ("written to /tm" + "p/x.csv", "a machine path"),
    ],
)
def test_the_patterns_catch_what_they_are_for(line, what):
    assert re.search(OUTSIDE[what], line)


@pytest.mark.parametrize(
    "line",
    [
        "postgresql://root@/tuopin?host=/var/run/postgresql",
        "docs/style.md and docs/policy-facts.md §4",
        "shared by every export",
        'href="/registry/"',
    ],
)
def test_the_patterns_leave_ordinary_text_alone(line):
    assert not any(re.search(pattern, line) for pattern in OUTSIDE.values())
