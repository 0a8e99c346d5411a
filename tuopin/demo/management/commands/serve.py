import signal
import sys

import waitress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application

from config.env import require_secret_key
from tuopin.accounts.models import Role, User
from tuopin.demo.build import build_demo
from tuopin.jobs.process import worker_start, worker_stop
from tuopin.regions.models import Region


class Command(BaseCommand):
    help = (
        "准备数据库（迁移；加 --demo 时在空库中生成演示县），启动后台任务进程，"
        "并在 http://127.0.0.1:8000 提供服务（waitress）"
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="本机试用：数据库为空时生成嵩明县演示数据和演示账号；未设置 TUOPIN_SECRET_KEY 时自动生成密钥并保存在 var/secret_key（生产环境不要使用）",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动后台任务进程（另行运行 tuopin worker 时）"
        )

    def handle(self, *args, addrport, demo, no_worker, **options):
        require_secret_key()
        (settings.VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("purge_uploads", verbosity=0)  # expired upload files; batches orphaned by a crash
        note = self.prepare(demo=demo or settings.DEMO_ON_FIRST_START)
        host, _, port = addrport.rpartition(":")
        worker = None if no_worker else worker_start()
        # A stop request (SIGTERM) ends the server the way Ctrl-C does, so the worker is stopped with it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.stdout.write(f"tuopin 已启动：http://{addrport}/ （{note}）")
        try:
            waitress.serve(get_wsgi_application(), host=host or "127.0.0.1", port=int(port), threads=8)
        finally:
            if worker is not None:
                worker_stop(worker)

    def prepare(self, *, demo: bool) -> str:
        """Build the demo when asked for and the database is empty; tell how to create the first
        administrator when there is none. Returns a note on how to log in."""
        if demo and not Region.objects.exists():
            self.stdout.write("数据库为空：正在生成嵩明县演示数据……")
            counts = build_demo()
            self.stdout.write(
                f"演示数据已生成：{counts['households']} 户，{counts['people']} 人，规划项目 {counts['projects']} 个。"
            )
        if not User.objects.filter(role=Role.ADMIN, is_active=True).exists():
            self.stdout.write(
                "还没有县级管理员账号。请先建立第一个管理员（首次登录时须修改密码）：\n"
                "  tuopin user add 用户名 --role admin --full-name 姓名\n"
                "（初始密码会显示一次；也可用 --password-stdin 或 --password-file 指定）"
            )
        return (
            "演示账号见 README.md" if User.objects.filter(is_demo=True).exists() else "请用已建立的账号登录"
        )
