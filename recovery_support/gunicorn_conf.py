"""Gunicorn settings for production: `gunicorn -c python:recovery_support.gunicorn_conf
recovery_support.wsgi` (docker-compose.yml and the production test use exactly this)."""

import os
import re

from gunicorn.glogging import Logger

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
# The app is loaded once, in the master: a worker replaced after max_requests is a
# fork, ready at once, instead of a second of imports while its share of requests
# waits. Nothing connects at import (PostgreSQL and Redis connect on first use).
# New code needs a restart of gunicorn (a HUP reloads workers, not the master).
preload_app = True
accesslog = "-"
# The access log keeps the path only (query strings may carry tokens), and
# RedactingLogger below blanks tokens inside the path.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class RedactingLogger(Logger):
    """Access log without secrets: email-confirmation, password-reset and other
    one-time links carry their token in the path, so long token-like path
    segments are replaced before the line is written."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_tokens(atoms["U"])
        return atoms


def redact_tokens(path: str) -> str:
    return TOKEN_SEGMENT.sub("/[redacted]", path)


TOKEN_SEGMENT = re.compile(r"/[A-Za-z0-9_\-:.]{20,}")
logger_class = RedactingLogger
