import sys

from django.core.management.base import BaseCommand

from tuopin.core.data_check import data_check, data_repair


class Command(BaseCommand):
    help = (
        "检查已存储的数据中超出字段范围的值（位数、NaN/Infinity、整数范围、文字长度）；"
        "--repair 把可清空的值清空并记录修改原因。发现问题且未修复时退出码为 1"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="清空（NULL/空白）超出范围的值，留下历史记录"
        )

    def handle(self, *args, repair, **options):
        findings = data_check()
        if not findings:
            self.stdout.write("未发现超出字段范围的数据")
            return
        for finding in findings:
            shown = ", ".join(str(pk) for pk in finding.pks[:20])
            more = f" 等 {len(finding.pks)} 行" if len(finding.pks) > 20 else f"，共 {len(finding.pks)} 行"
            note = "" if finding.repairable else "（该项不能为空，需人工修改）"
            self.stdout.write(f"{finding.label}：id {shown}{more}{note}")
        if not repair:
            self.stderr.write("发现超出范围的数据；运行 tuopin check_data --repair 清空可清空的值")
            sys.exit(1)
        repaired = data_repair(findings)
        left = [finding for finding in findings if not finding.repairable]
        self.stdout.write(f"已清空 {repaired} 个值")
        if left:
            self.stderr.write(f"仍有 {sum(len(f.pks) for f in left)} 个值需人工修改")
            sys.exit(1)
