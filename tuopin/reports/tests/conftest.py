"""Fixtures for reports: two villages in two townships, users of each role, a paired cadre."""

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from tuopin.accounts.models import Role
from tuopin.accounts.tests.factories import UserFactory
from tuopin.assessment.tests import factories
from tuopin.regions.tests.factories import home_county, named_village
from tuopin.registry.identity import make_id_number


@pytest.fixture
def village(db):
    return named_village("匡郎村委会", town="小街镇")


@pytest.fixture
def other_village(db):
    return named_village("荒田村委会", town="牛栏江镇")


@pytest.fixture
def users(village, other_village):
    county = home_county()
    return {
        "county": UserFactory.create(username="county", role=Role.COUNTY, region=county),
        "township": UserFactory.create(username="xiaojie", role=Role.TOWNSHIP, region=village.parent),
        "village": UserFactory.create(username="kuanglang", role=Role.VILLAGE, region=village),
        "other_village": UserFactory.create(username="huangtian", role=Role.VILLAGE, region=other_village),
        "inspector": UserFactory.create(username="inspector", role=Role.INSPECTOR, region=county),
        "cadre": UserFactory.create(username="cadre", role=Role.CADRE, region=village),
    }


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


ID_NUMBER = "530127198003150019"  # make_id_number("530127", 1980-03-15, 1))


@pytest.fixture
def li_household(village, users):
    """李秀英's household in 匡郎, paired with the cadre."""
    assert make_id_number("530127", date(1980, 3, 15), 1) == ID_NUMBER
    return factories.household(
        village,
        members=[
            {"name": "李秀英", "id_number": ID_NUMBER, "sex": "female"},
            {"name": "王小明", "birth_date": date(2008, 5, 1), "schooling": "primary"},
        ],
        responsible_cadre=users["cadre"],
        planned_exit_year=2018,
        address="小街镇匡郎村",
    )


# --- looking at a PDF as a person would -------------------------------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def pdf_fonts(pdf: bytes, tmp_path: Path) -> set[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def first_page_image(pdf: bytes, tmp_path: Path) -> Image.Image:
    """The first page rendered by poppler's pdftoppm (Debian poppler-utils)."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm (Debian poppler-utils) is required in CI")
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - fixed arguments, a file this test wrote
        [  # noqa: S607 - Debian's pdftoppm from PATH
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    return Image.open(tmp_path / "page.png").convert("L")


def assert_not_blank(image: Image.Image) -> None:
    stat = ImageStat.Stat(image)
    assert stat.var[0] > 50, f"the page looks blank (variance {stat.var[0]:.1f})"
    # an A4 portrait page
    assert 1.35 < image.height / image.width < 1.48
