"""gunicorn settings ``masthead serve`` adds (``-c python:masthead.core.gunicorn_config``);
the command line and ``GUNICORN_CMD_ARGS`` still set everything else."""

from __future__ import annotations

import gc

# The request log: time, request line, status, size and duration, but no client address,
# referrer or user agent (the privacy page says the site's log keeps no IP addresses).
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


def when_ready(server) -> None:
    """In the master, once the site is loaded (``--preload``) and before any worker is forked:
    what is loaded by now lives as long as the processes, so it is left out of garbage
    collection. A full collection would otherwise walk those ~150,000 objects (100 ms and
    more, in the middle of some reader's request), and in each forked worker it would write
    to memory pages the workers otherwise share with the master."""
    gc.collect()
    gc.freeze()
