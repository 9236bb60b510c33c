"""``python -m doorstep db_worker``: django-tasks' database worker, which also watches over imports.

A worker killed in the middle of a job leaves its task marked running for ever, and nothing in
django-tasks runs it again. An import's run holds a lease it renews as it writes
(``core.imports``), so a lease that has run out means its worker died: each worker looks for such
jobs when it starts and then every half lease (a thread of its own), and queues each once more
(``imports.recover_stalled``, audited as ``import.recovered``)."""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from doorstep.core import imports

logger = logging.getLogger(__name__)


def _recover() -> None:
    try:
        for job_id in imports.recover_stalled():
            logger.warning("Import %s: its worker stopped; queued again.", job_id)
    except DatabaseError:
        # The next pass tries again; a worker must not die because the database was busy once.
        logger.exception("Could not look for stalled imports.")


def _watch() -> None:
    while True:
        time.sleep(max(1.0, settings.IMPORT_LEASE_SECONDS / 2))
        _recover()
        connection.close()  # this thread's own connection; a fresh one for the next pass


class Command(WorkerCommand):
    help = "Run the background jobs queued in the database (and resume imports whose worker died)."

    def handle(self, *args, **options) -> None:
        reloader = (
            options["reload"] and not options["batch"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if not reloader:  # the process that runs the jobs (with --reload, the reloader's child)
            _recover()
            if not options["batch"]:
                threading.Thread(target=_watch, name="import-watch", daemon=True).start()
        super().handle(*args, **options)
