import re

import pytest
from django.urls import reverse

from tuopin.projects.models import Project

from .conftest import region

pytestmark = pytest.mark.django_db


def test_dump(client, seed, county_user):
    client.force_login(county_user)
    project = Project.objects.get(seed_key="三(八)18")
    urls = [
        reverse("projects:list"),
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:edit", args=[project.pk]),
        reverse("projects:budget"),
        reverse("projects:audit"),
        reverse("projects:roadmaps"),
        reverse("projects:roadmap", args=[region("牛栏江镇").pk]),
        reverse("projects:construction", args=[region("荒田村委会").pk]),
        reverse("projects:publicity", args=[region("荒田村委会").pk]),
        reverse("projects:targets"),
        reverse("projects:needs"),
        reverse("projects:costs"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        body = html.split("<main", 1)[-1]
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        words = sorted(set(re.findall(r"[A-Za-z_][A-Za-z_0-9.%]{2,}", text)))
        nums = sorted(set(re.findall(r"\d[\d,]*\.\d{3,}|\d{5,}(?![\d,])", text)))
        print("==", url, words[:80], nums[:30])
        if "targets" in url or "detail" in url or url.endswith("/33/") or "budget" in url:
            print(re.sub(r"\s+", " ", text)[:6000])
