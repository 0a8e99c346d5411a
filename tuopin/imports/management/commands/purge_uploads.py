from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tuopin.imports.files import batches_fail_orphaned, uploads_purge


class Command(BaseCommand):
    help = (
        "删除超过保留期限（TUOPIN_IMPORT_KEEP_DAYS，默认30天）的导入文件，并把中断的导入批次标记为“处理中断”"
        "（tuopin serve 启动时也会执行）"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="保留天数（默认取 TUOPIN_IMPORT_KEEP_DAYS）"
        )

    def handle(self, *args, days, **options):
        if days is not None and days < 0:
            raise CommandError("保留天数不能为负数")
        purged = uploads_purge(keep_days=days)
        failed = batches_fail_orphaned()
        keep = settings.IMPORT_KEEP_DAYS if days is None else days
        self.stdout.write(
            f"已删除 {purged} 个超过 {keep} 天的导入文件；{failed} 个中断的批次已标记为“处理中断”"
        )
