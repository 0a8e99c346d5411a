"""``tuopin import FILE``: validate a registry file (.xlsx/.csv), print the report, commit it.

Exit status: 0 when every row is valid and (unless ``--dry-run``) committed; 1 when rows have errors
(nothing is committed, or with ``--commit-valid`` only the valid households); 2 when the file cannot be read
or the user may not import.
"""

# ruff: noqa: N999 - the module name is the console command ``tuopin import``

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts.models import User
from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import ApplicationError
from tuopin.imports.services import registry_import, report_workbook


class ProgressBar:
    def __init__(self, stream, enabled: bool):
        self.stream = stream
        self.enabled = enabled
        self.last = -1

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        percent = int(100 * done / total)
        if percent == self.last and done != total:
            return
        self.last = percent
        label = "校验" if stage == "validate" else "写入"
        bar = "#" * (percent // 4)
        self.stream.write(f"\r{label} [{bar:<25}] {percent:3d}% {done}/{total}")
        if done >= total:
            self.stream.write("\n")
            self.last = -1
        self.stream.flush()


class Command(BaseCommand):
    help = "导入登记数据文件（.xlsx 或 .csv）：逐行校验，打印错误报告，无误时写入登记库"

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument(
            "--commit-valid", action="store_true", help="有错误时仍写入无误的户（有错的户整户不导入）"
        )
        parser.add_argument("--user", help="以该用户的身份和辖区导入（默认：系统操作员，全县）")
        parser.add_argument("--report", help="把校验报告（原始行加错误说明列）写到此 .xlsx 文件")
        parser.add_argument("--max-errors", type=int, default=200, help="最多打印多少条错误（默认 200）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            self.stderr.write(f"找不到文件：{path}")
            sys.exit(2)
        user = User.objects.filter(username=options["user"]).first() if options["user"] else console_actor()
        if user is None:
            raise CommandError(f"没有用户“{options['user']}”")
        progress = ProgressBar(sys.stderr, not options["no_progress"])
        try:
            outcome = registry_import(
                user=user,
                file_name=path.name,
                content=path.read_bytes(),
                dry_run=options["dry_run"],
                commit_valid=options["commit_valid"],
                on_progress=progress,
            )
        except ApplicationError as refused:
            self.stderr.write(refused.message)
            sys.exit(2)
        batch, result = outcome.batch, outcome.result
        if result is None:
            self.stderr.write(f"文件无法导入：{batch.file_error}")
            sys.exit(2)
        out = self.stdout
        out.write(f"文件：{path.name}（批次 {batch.pk}）")
        out.write(
            f"数据行 {result.rows_total}，无误行 {result.valid_rows}；可导入 {len(result.households)} 户，"
            f"因有错误暂缓 {len(result.held_back)} 户；错误 {len(result.errors)} 处"
        )
        if result.header.unknown:
            out.write("未识别的列（已忽略）：" + "、".join(result.header.unknown))
        limit = options["max_errors"]
        for row_error in result.errors[:limit]:
            value = f"“{row_error.value}”" if row_error.value else ""
            out.write(f"第 {row_error.row} 行 [{row_error.column}] {value} {row_error.message}")
        if len(result.errors) > limit:
            out.write(f"……另有 {len(result.errors) - limit} 处错误未列出（用 --report 导出完整报告）")
        if options["report"]:
            Path(options["report"]).write_bytes(report_workbook(batch))
            out.write(f"校验报告已写入 {options['report']}")
        if outcome.committed and outcome.summary is not None:
            s = outcome.summary
            out.write(
                f"已写入：新增 {s.households_created} 户、修改 {s.households_updated} 户；"
                f"新增 {s.persons_created} 人、修改 {s.persons_updated} 人、移出 {s.persons_removed} 人"
                + ("（与登记库完全一致，未做任何修改）" if not s.changed else "")
            )
        elif options["dry_run"]:
            out.write("只校验（--dry-run），未写入任何数据")
        elif result.errors:
            out.write("有错误，未写入任何数据（改正后重新导入，或加 --commit-valid 只导入无误的户）")
        if result.errors:
            sys.exit(1)
