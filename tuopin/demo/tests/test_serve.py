from io import StringIO

from tuopin.accounts.models import User
from tuopin.demo.management.commands.serve import Command


def test_serve_prepares_no_demo_by_default_and_tells_how_to_create_an_administrator(db):
    out = StringIO()
    Command(stdout=out).prepare(demo=False)
    assert not User.objects.exists()
    assert "tuopin user add" in out.getvalue()
    assert "--role admin" in out.getvalue()
