"""The `dearjohn` console command: Django's manage.py with one-line errors.

Every operation is a subcommand (`dearjohn help` lists them). Problems a
person can fix (configuration, an unreachable database) print one line that
says what to fix and exit non-zero, without a traceback.
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "dearjohn"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearjohn.site.settings")

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    from .config import ConfigError

    try:
        execute_from_command_line(argv)
    except (ConfigError, ImproperlyConfigured) as e:
        sys.stderr.write(f"dearjohn: {e}\n")
        return 2
    except OperationalError as e:
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        sys.stderr.write(f"dearjohn: cannot use the database ({first_line}); check DEARJOHN_DATABASE_URL and that the server is running.\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
