"""``tuopin worker``: run background jobs (django-tasks' database worker) after recovering interrupted ones."""

import os
import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tuopin.jobs.services import jobs_recover


class Command(BaseCommand):
    help = "运行后台任务（导入校验与写入、评估、模拟、大批量导出）；启动时先处理上次中断的任务"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时每隔几秒检查一次")
        parser.add_argument("--batch", action="store_true", help="运行完排队的任务后退出")
        parser.add_argument(
            "--no-recover", action="store_true", help="不处理中断的任务（已有其他工作进程时）"
        )

    def handle(self, *args, interval, batch, no_recover, **options):
        if not no_recover:
            requeued, failed = jobs_recover()
            if requeued or failed:
                self.stdout.write(f"上次中断的任务：{requeued} 个重新排队，{failed} 个已标为失败")
        worker_id = f"{socket.gethostname()}-{os.getpid()}"[:64]
        self.stdout.write(f"后台任务进程已启动（{worker_id}）")
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            reload=False,
            startup_delay=False,
            worker_id=worker_id,
            verbosity=options["verbosity"],
        )
