"""The part of `dearjohn import` that runs in worker processes.

Workers are fresh processes (spawn), not forks: a fork of a process with
threads (a web server, a test browser) can inherit a held lock and hang. So
this module imports nothing from Django at the top; `start_worker` sets
Django up in the worker with the parent's settings, and the workers never
use the database: they hash, copy and check files, and the parent records them.
"""

import os

# Hashes already in the store, read once by the parent and handed to each
# worker, so a re-run skips known files after one read of each.
_known = frozenset()


def start_worker(settings_module, evidence_root, program_settings, known):
    global _known
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    from django.conf import settings

    settings.EVIDENCE_ROOT = evidence_root
    settings.DEARJOHN = program_settings
    _known = known


def examine(path):
    """Skip a known file, else hash, copy and check it. Returns (outcome, path, value)."""
    from . import intake, store
    from .errors import EvidenceError

    try:
        sha = store.file_sha256(path)
        if sha in _known:
            return "known", path, sha
        return "prepared", path, intake.prepare(path)
    except EvidenceError as e:
        return "rejected", path, str(e)
    except OSError as e:
        return "rejected", path, f"cannot read the file ({e.strerror})"
