import io
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.accounts.models import ChangeKind, Role, User, UserChange


def run(*args, stdin: str | None = None) -> str:
    out = StringIO()
    if stdin is not None:
        saved, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            call_command("user", *args, stdout=out)
        finally:
            sys.stdin = saved
    else:
        call_command("user", *args, stdout=out)
    return out.getvalue()


def test_add_generates_and_prints_a_password_that_must_be_changed(tree):
    out = run("add", "boss", "--role", "admin", "--full-name", "县管理员")
    password = out.split("初始密码（只显示这一次）：")[1].split()[0]
    user = User.objects.get(username="boss")
    assert user.role == Role.ADMIN
    assert user.check_password(password)
    assert user.must_change_password
    assert UserChange.objects.get(user=user).by.role == Role.CONSOLE


def test_add_reads_the_password_from_stdin_and_no_change(tree):
    run(
        "add", "jiazhen", "--role", "township", "--region", tree["town_a"].code,
        "--password-stdin", "--no-change", stdin="Jia-zhen-2018x\n",
    )  # fmt: skip
    user = User.objects.get(username="jiazhen")
    assert user.region == tree["town_a"]
    assert user.check_password("Jia-zhen-2018x")
    assert not user.must_change_password


def test_add_reads_the_password_from_a_file(tree, tmp_path):
    secret = tmp_path / "pw.txt"
    secret.write_text("Cun-yi-2018-x\n", encoding="utf-8")
    run(
        "add", "cun", "--role", "village", "--region", tree["village_a1"].code, "--password-file", str(secret)
    )
    assert User.objects.get(username="cun").check_password("Cun-yi-2018-x")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "x", "--role", "village", "--region", "530199001000"], "辖区应为行政村"),
        (["add", "x", "--role", "mayor"], "不能分配"),
        (["add", "x", "--role", "village", "--region", "999"], "没有区划代码"),
        (["set", "nobody", "--phone", "1"], "没有用户"),
        (["deactivate", "nobody"], "没有用户"),
    ],
)
def test_bad_input_gives_a_chinese_message(tree, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not User.objects.filter(username="x").exists()


def test_weak_password_from_stdin_is_refused(tree):
    with pytest.raises(CommandError, match="太短"):
        run("add", "x", "--role", "admin", "--password-stdin", stdin="abc\n")
    assert not User.objects.filter(username="x").exists()


def test_set_deactivate_reactivate_and_list(users, tree):
    run("set", "village_b1_user", "--region", tree["village_a1"].code, "--phone", "13800001111")
    user = User.objects.get(username="village_b1_user")
    assert user.region == tree["village_a1"]
    assert user.phone == "13800001111"
    run("set", "village_b1_user", "--password-stdin", stdin="New-pass-2018x\n")
    user.refresh_from_db()
    assert user.check_password("New-pass-2018x")
    assert user.must_change_password
    run("deactivate", "village_b1_user")
    assert not User.objects.get(username="village_b1_user").is_active
    assert "village_b1_user" in run("list", "--inactive")
    assert "county_user" not in run("list", "--inactive")
    run("reactivate", "village_b1_user")
    assert User.objects.get(username="village_b1_user").is_active
    kinds = set(UserChange.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {ChangeKind.UPDATE, ChangeKind.SET_PASSWORD, ChangeKind.DEACTIVATE, ChangeKind.REACTIVATE}


def test_set_without_changes_is_refused(users):
    with pytest.raises(CommandError, match="至少指定一项"):
        run("set", "county_user")
