"""The ``tuopin`` console script: Django's management commands with the project's settings.

``tuopin serve`` prepares the database (migrations; with ``--demo`` the demo county in an empty database) and serves
http://127.0.0.1:8000; every other subcommand is a management command (``tuopin stats --json``,
``tuopin demo``, ``tuopin assess``...).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if sys.argv[1:2] == ["serve"] and "--demo" in sys.argv:
        os.environ.setdefault("TUOPIN_LOCAL_TRIAL", "1")  # a generated key under var/ (config.env)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tuopin", *sys.argv[1:]])


if __name__ == "__main__":
    main()
