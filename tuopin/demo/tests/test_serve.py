from io import StringIO

from tuopin.accounts.models import User
from tuopin.demo.management.commands.serve import Command


def test_serve_prepares_no_demo_by_default_and_tells_how_to_create_an_administrator(db):
    out = StringIO()
    Command(stdout=out).prepare(demo=False)
    assert not User.objects.exists()
    assert "tuopin user add" in out.getvalue()
    assert "--role admin" in out.getvalue()


def test_serve_demo_builds_the_demo_with_its_admin_login_into_an_empty_database(db):
    out = StringIO()
    Command(stdout=out).prepare(demo=True)
    assert User.objects.filter(username="admin", role="admin", is_demo=True).exists()
    assert "还没有县级管理员账号" not in out.getvalue()
    Command(stdout=StringIO()).prepare(demo=True)  # not empty any more: nothing is built twice
    assert User.objects.filter(username="admin").count() == 1


def test_serve_note_points_to_the_accounts_that_exist(db):
    assert Command(stdout=StringIO()).prepare(demo=False) == "请用已建立的账号登录"
