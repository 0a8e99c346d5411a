from django.core.management.base import BaseCommand, CommandError

from tuopin.demo.build import build_demo


class Command(BaseCommand):
    help = "生成演示县（嵩明县）的区划、用户和建档立卡数据（固定随机种子，只能在空库中运行）"

    def handle(self, *args, **options):
        try:
            counts = build_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"演示数据已生成：{counts['households']} 户，{counts['people']} 人。")
