"""``tuopin user add|set|deactivate|reactivate|list``: accounts from the console (acts as ``console_actor()``).

A password comes from ``--password-file FILE``, from standard input (``--password-stdin``), or is generated
and printed once; the user must change it at the first login unless ``--no-change``.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tuopin.accounts import selectors, services
from tuopin.accounts.models import Role, User
from tuopin.accounts.permissions import console_actor
from tuopin.core.errors import ApplicationError
from tuopin.regions.models import Region

ROLES = services.ASSIGNABLE_ROLES


def _profile_arguments(parser, *, required_role: bool) -> None:
    parser.add_argument("--role", required=required_role, help=f"角色：{'、'.join(ROLES)}")
    parser.add_argument("--region", help="辖区的区划代码（县级用户和管理员可不填）")
    parser.add_argument("--full-name", help="姓名")
    parser.add_argument("--work-unit", help="工作单位")
    parser.add_argument("--phone", help="联系电话")


def _password_arguments(parser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（第一行）")
    source.add_argument("--password-file", help="从文件读取密码（第一行）")
    parser.add_argument("--no-change", action="store_true", help="不要求用户首次登录时修改密码")


class Command(BaseCommand):
    help = "管理用户账号：add 新建、set 修改、deactivate 停用、reactivate 恢复、list 列出"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="add|set|deactivate|reactivate|list"
        )
        add = sub.add_parser("add", help="新建用户")
        add.add_argument("username")
        _profile_arguments(add, required_role=True)
        _password_arguments(add)
        change = sub.add_parser("set", help="修改用户的角色、辖区、姓名、单位、电话或密码")
        change.add_argument("username")
        _profile_arguments(change, required_role=False)
        _password_arguments(change)
        for name, text in (("deactivate", "停用用户"), ("reactivate", "恢复已停用的用户")):
            sub.add_parser(name, help=text).add_argument("username")
        listing = sub.add_parser("list", help="列出用户")
        listing.add_argument("--role", help=f"角色：{'、'.join(ROLES)}")
        listing.add_argument("--inactive", action="store_true", help="只列出已停用的用户")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(options)
        except ApplicationError as error:
            raise CommandError(error.message) from error

    # --- subcommands ------------------------------------------------------------------------------

    def _add(self, options):
        region = _region(options["region"])
        password, generated = self._password(options, allow_generate=True)
        user = services.user_create(
            by=console_actor(),
            username=options["username"],
            role=options["role"],
            region=region,
            password=password or "",
            full_name=options["full_name"] or "",
            work_unit=options["work_unit"] or "",
            phone=options["phone"] or "",
            must_change_password=not options["no_change"],
        )
        self.stdout.write(f"已新建用户 {user.username}（{user.get_role_display()}，{_area(user)}）")
        if generated:
            self.stdout.write(f"初始密码（只显示这一次）：{password}")
        if user.must_change_password:
            self.stdout.write("该用户首次登录时须修改密码。")

    def _set(self, options):
        user = _user(options["username"])
        data = {}
        if options["role"] is not None:
            data["role"] = options["role"]
        if options["region"] is not None:
            data["region"] = _region(options["region"])
        for option, field in (("full_name", "full_name"), ("work_unit", "work_unit"), ("phone", "phone")):
            if options[option] is not None:
                data[field] = options[option]
        password, _generated = self._password(options, allow_generate=False)
        if not data and password is None:
            raise CommandError("请至少指定一项要修改的内容（--role、--region、--phone、--password-stdin……）")
        actor = console_actor()
        if data:
            user = services.user_update(user=user, by=actor, data=data)
        if password is not None:
            user = services.user_set_password(
                user=user, by=actor, password=password, must_change=not options["no_change"]
            )
        self.stdout.write(f"已修改用户 {user.username}（{user.get_role_display()}，{_area(user)}）")

    def _deactivate(self, options):
        user = services.user_deactivate(user=_user(options["username"]), by=console_actor(), active=False)
        self.stdout.write(f"已停用用户 {user.username}")

    def _reactivate(self, options):
        user = services.user_deactivate(user=_user(options["username"]), by=console_actor(), active=True)
        self.stdout.write(f"已恢复用户 {user.username}")

    def _list(self, options):
        filters = selectors.UserFilters(role=options["role"] or "", active="0" if options["inactive"] else "")
        users = list(selectors.user_list(filters=filters))
        for user in users:
            state = "在用" if user.is_active else "已停用"
            self.stdout.write(
                f"{user.username}\t{user.get_role_display()}\t{_area(user)}\t{user.full_name}\t{state}"
            )
        self.stdout.write(f"共 {len(users)} 个账号")

    def _password(self, options, *, allow_generate: bool) -> tuple[str | None, bool]:
        if options["password_file"]:
            path = Path(options["password_file"])
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"无法读取密码文件 {path}：{exc}") from exc
            return _first_line(text), False
        if options["password_stdin"]:
            return _first_line(sys.stdin.read()), False
        if allow_generate:
            return services.generate_password(), True
        return None, False


def _first_line(text: str) -> str:
    line = text.splitlines()[0] if text else ""
    if not line:
        raise CommandError("没有读到密码：密码应在第一行")
    return line


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise CommandError(f"没有区划代码“{code}”")
    return region


def _user(username: str) -> User:
    user = User.objects.exclude(role=Role.CONSOLE).filter(username=username).first()
    if user is None:
        raise CommandError(f"没有用户“{username}”")
    return user


def _area(user: User) -> str:
    return user.region.name if user.region else "全县"
