"""A local SMTP server for worker tests (aiosmtpd): refuses, stalls, or takes messages."""

import asyncio
import threading

from aiosmtpd.controller import Controller

from tests.production.servers import free_port


class SmtpSink:
    """Keeps the messages it accepted; refuses the next `refusals` with a 451 (try later);
    with `stall_next`, holds the next message until `release()` and then refuses it."""

    def __init__(self):
        self.messages: list[bytes] = []
        self.refusals = 0
        self.stall_next = False
        self.stalled = threading.Event()
        self._released = threading.Event()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._released.set()
        self._controller.stop()

    def release(self) -> None:
        self._released.set()

    async def handle_DATA(self, server, session, envelope):
        if self.stall_next:
            self.stall_next = False
            self.stalled.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Stalled and dropped"
        if self.refusals > 0:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(envelope.content)
        return "250 OK"
