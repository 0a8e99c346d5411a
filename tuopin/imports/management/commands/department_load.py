"""``tuopin department_load DEPARTMENT FILE --as-of DATE``: keep a department's list and match it."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import ApplicationError
from tuopin.imports.departments import department_list_import
from tuopin.imports.models import Department, MatchStatus


class Command(BaseCommand):
    help = "导入其他部门的名单（民政低保/特困、残联、住建、医保、教育），按证件号码与登记库比对"

    def add_arguments(self, parser):
        parser.add_argument(
            "department", choices=Department.values, help="dibao tekun disability housing medical education"
        )
        parser.add_argument("file")
        parser.add_argument("--as-of", required=True, help="名单的数据日期，如 2018-04-30")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            as_of = datetime.date.fromisoformat(options["as_of"])
            source = department_list_import(
                user=console_actor(),
                department=options["department"],
                as_of=as_of,
                file_name=path.name,
                content=path.read_bytes(),
            )
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        except ApplicationError as error:
            raise CommandError(error.message) from error
        counts = dict(source.records.values_list("status").annotate(n=Count("id")))
        parts = "，".join(f"{MatchStatus(status).label} {n}" for status, n in sorted(counts.items()))
        self.stdout.write(f"已导入 {source}：{source.record_count} 条（{parts}）")
