import logging
import traceback
from contextlib import contextmanager

from odoo import http
from odoo.tools import mute_logger

# odoo.http logs it when a read-only request wrote: the transaction is rolled
# back and the whole request replayed on the primary (twice the work, and on a
# server with a replica a write that was never meant to happen)
RETRY_MESSAGE = "retrying with a read/write cursor"


class ReadWriteRetryCollector(logging.Handler):
    """Collects odoo.http's read/write retries, with the request and the
    addon's frame that wrote."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.retries = []

    def emit(self, record):
        message = record.getMessage()
        if RETRY_MESSAGE not in message:
            return
        where = ""
        if record.exc_info and record.exc_info[2]:
            frames = [
                frame
                for frame in traceback.extract_tb(record.exc_info[2])
                if "/logistics_crm" in frame.filename
            ]
            if frames:
                frame = frames[-1]
                where = f" (at {frame.filename}:{frame.lineno} in {frame.name})"
        url = "?"
        if http.request:
            url = f"{http.request.httprequest.method} {http.request.httprequest.url}"
        self.retries.append(f"{url}: {message}{where}")


class NoReadWriteRetryMixin:
    """For the addon's HttpCase tests (tours, portal pages, JSON-RPC).

    Their requests run on Odoo's read-only test cursors: a ``readonly=True``
    route or an ``@api.readonly`` method gets a cursor that refuses to write, as
    a replica does. A request that writes anyway is replayed by odoo.http on a
    read/write cursor and still succeeds; here it fails the test, naming the
    request.
    """

    readonly_enabled = True

    def setUp(self):
        super().setUp()
        collector = ReadWriteRetryCollector()
        logger = logging.getLogger("odoo.http")
        logger.addHandler(collector)

        def check():
            logger.removeHandler(collector)
            if collector.retries:
                self.fail(
                    "a read-only request wrote and was replayed on a read/write "
                    "cursor:\n" + "\n".join(collector.retries)
                )

        self.addCleanup(check)

    @contextmanager
    def assertReadWriteRetry(self):
        """The requests inside must write on a read-only cursor (a test of the
        check itself): their retries are collected here, kept out of the log and
        out of the test's failure."""
        caught = ReadWriteRetryCollector()

        def swallow(record):
            if RETRY_MESSAGE in record.getMessage():
                caught.emit(record)
                return False
            return True

        logger = logging.getLogger("odoo.http")
        logger.addFilter(swallow)
        try:
            # odoo.sql_db logs the refused statement as an error
            with mute_logger("odoo.sql_db"):
                yield caught
        finally:
            logger.removeFilter(swallow)
        self.assertTrue(caught.retries, "no request wrote on a read-only cursor")
