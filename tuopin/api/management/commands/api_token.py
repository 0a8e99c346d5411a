"""``tuopin api_token USERNAME [--rotate]``: print (or renew) a user's API token."""

from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from tuopin.accounts.models import User


class Command(BaseCommand):
    help = "显示或更换一个用户的接口令牌（用于 Authorization: Token …）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="作废旧令牌并生成新令牌")

    def handle(self, *args, username: str, rotate: bool, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能发放令牌")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
