import waitress
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application

from config.env import require_secret_key
from tuopin.demo.build import build_demo
from tuopin.regions.models import Region


class Command(BaseCommand):
    help = "准备数据库（迁移；首次启动时生成演示数据）并在 http://127.0.0.1:8000 提供服务（waitress）"

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="本机试用：未设置 TUOPIN_SECRET_KEY 时自动生成密钥并保存在 var/secret_key",
        )

    def handle(self, *args, addrport, **options):
        require_secret_key()
        (settings.VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("purge_uploads", verbosity=0)  # expired upload files; batches orphaned by a crash
        if settings.DEMO_ON_FIRST_START and not Region.objects.exists():
            self.stdout.write("首次启动：正在生成嵩明县演示数据……")
            counts = build_demo()
            self.stdout.write(
                f"演示数据已生成：{counts['households']} 户，{counts['people']} 人，规划项目 {counts['projects']} 个。"
            )
        self.stdout.write(f"tuopin 已启动：http://{addrport}/  （演示账号见 README.md）")
        host, _, port = addrport.rpartition(":")
        waitress.serve(get_wsgi_application(), host=host or "127.0.0.1", port=int(port), threads=8)
