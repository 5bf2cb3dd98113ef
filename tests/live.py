"""A real uvicorn server on loopback in a background thread, for tests that need HTTP."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: FastAPI, *, access_log: bool = False) -> Iterator[str]:
    """Run `app` (lifespan included) until the block ends; yields its base URL.

    With `access_log`, uvicorn logs every request at DEBUG level into the root logger
    (no logging configuration of its own), where a test can capture it.
    """
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="debug" if access_log else "warning",
        log_config=None if access_log else uvicorn.config.LOGGING_CONFIG,
        access_log=access_log,
        lifespan="on",
    )
    # uvicorn's own logging configuration (another test may have applied it) stops its
    # records at the "uvicorn" loggers; with access_log they must reach the root logger.
    loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.access", "uvicorn.error")]
    propagate = [logger.propagate for logger in loggers]
    if access_log:
        for logger in loggers:
            logger.propagate = True
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        for logger, before in zip(loggers, propagate, strict=True):
            logger.propagate = before
