from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from tuopin.demo.build import build_demo


def pending_migrations() -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = (
        "生成演示县（嵩明县）的区划、用户和建档立卡数据（固定随机种子，只能在空库中运行）；"
        "数据库尚未迁移时先执行迁移"
    )

    def handle(self, *args, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            pending = pending_migrations()
        except Exception as exc:  # the database cannot be opened at all
            raise CommandError(f"无法打开数据库：{exc}；请检查 TUOPIN_DATABASE_URL / TUOPIN_VAR_DIR") from exc
        if pending:
            self.stdout.write(f"数据库尚未迁移（{pending} 项），正在执行迁移……")
            call_command("migrate", interactive=False, verbosity=0)
        try:
            counts = build_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"演示数据已生成：{counts['households']} 户，{counts['people']} 人，规划项目 {counts['projects']} 个。"
        )
