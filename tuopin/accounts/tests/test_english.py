"""The English interface of the account pages and the reports' chrome: with the language cookie set to
English their own text is English (region names and code-list labels are data and stay Chinese), and without
it the same pages are Chinese."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tuopin.accounts.models import AccessKind
from tuopin.accounts.services import access_record
from tuopin.accounts.tests.factories import admin
from tuopin.regions.models import Region

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff]")
MAIN = re.compile(r"<main>(.*)</main>", re.S)

ACCOUNT_PAGES = {
    "accounts:user_list": ["Users", "New user", "Page 1 of 1", "accounts"],
    "accounts:user_create": ["New user", "Initial password", "Save"],
    "accounts:access_log": ["Personal data access log", "Export to Excel", "1 records", "Masked"],
    "accounts:login_failures": ["Failed logins", "No failed logins", "Page 1 of 1"],
    "accounts:password_change": ["Change password"],
}


def _main(response) -> str:
    assert response.status_code == 200
    found = MAIN.search(response.content.decode())
    assert found, "the page has a <main> element"
    return found.group(1)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _without_data(text: str) -> str:
    for name in Region.objects.values_list("name", flat=True):
        text = text.replace(name, "")
    return re.sub(r"<(input|select|option)[^>]*>", "", text)


@pytest.mark.parametrize("page", sorted(ACCOUNT_PAGES))
def test_account_pages_are_english_when_english_is_chosen(client, tree, users, page):
    boss = admin(tree["county"])
    access_record(user=boss, kind=AccessKind.VIEW, what="户档案")
    client.force_login(boss)
    english = _main(_english(client).get(reverse(page)))
    for text in ACCOUNT_PAGES[page]:
        assert text in english
    leftover = CJK.findall(_without_data(english).replace("户档案", ""))  # the logged item is data
    assert leftover == [], f"untranslated text on {page}: {''.join(leftover)}"


def test_the_login_page_is_english_and_chinese_by_default(client):
    chinese = _main(client.get(reverse("accounts:login")))
    assert "同一账号在同一地址连续输错 5 次密码后" in chinese
    english = _main(_english(client).get(reverse("accounts:login")))
    assert "After 5 wrong passwords in a row" in english
    assert not CJK.search(english)


def test_the_reports_chrome_is_english(client, users, households):
    client.force_login(users["county"])
    _english(client)
    overview = _main(client.get(reverse("reports:overview")))
    for text in (
        "registry overview",
        "By township",
        "By main cause of poverty",
        "households",
        "Planned to exit",
    ):
        assert text in overview
    for chinese in ("建档立卡概况", "按乡镇（街道）", "其中未脱贫", "年计划脱贫"):
        assert chinese not in overview
    standard = _main(client.get(reverse("reports:standard")))
    assert "Standard reports" in standard
    assert "标准报表" not in standard
