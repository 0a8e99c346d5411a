"""``tuopin renovation [--json] [--list]``: the 4类重点对象 for dangerous-house renovation, counts per township."""

import json

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.models import User
from tuopin.accounts.permissions import console_actor
from tuopin.imports.renovation import CATEGORIES, renovation_objects


class Command(BaseCommand):
    help = "列出农村危房改造 4类重点对象（按证件号码跨来源去重），并按乡镇统计"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--list", action="store_true", help="同时列出每一户")
        parser.add_argument("--user", help="按该用户的辖区（默认：全县）")

    def handle(self, *args, **options):
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"没有用户“{options['user']}”")
        else:
            user = console_actor()
        result = renovation_objects(user=user)
        if options["json"]:
            data = {
                "total": result.total,
                "sources": result.sources,
                "townships": [
                    {"township": t.township, "total": t.total, **t.by_category} for t in result.townships
                ],
                "objects": [vars(o) for o in result.objects] if options["list"] else None,
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        header = f"{'乡镇（街道）':<10}{'对象户数':>8}" + "".join(
            f"{label:>12}" for label in CATEGORIES.values()
        )
        self.stdout.write(header)
        for t in result.townships:
            self.stdout.write(
                f"{t.township:<10}{t.total:>8}" + "".join(f"{t.by_category[k]:>12}" for k in CATEGORIES)
            )
        self.stdout.write(f"{'合计':<10}{result.total:>8}")
        if options["list"]:
            for o in result.objects:
                labels = "、".join(CATEGORIES[c] for c in o.categories)
                self.stdout.write(
                    f"{o.key}\t{o.head_name}\t{o.township}{o.village}\t{o.grade}（{o.grade_source}）\t{labels}"
                )
