"""The office server's HTTP protocol: uvicorn's httptools one, with a cap on a request's head.

httptools parses in C (a sixth of the server's CPU with 300 laptops at once went to h11's
Python), but unlike h11 it sets no limit on the request line and headers: a client could
send one header of hundreds of megabytes, which uvicorn and httptools gather in memory,
before any authentication or body limit has a say. Here a head still unfinished past
``HEAD_LIMIT`` bytes is answered 431 and the connection closed, as h11 closes one past its
16 KiB.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEAD_LIMIT = 64 * 1024   # bytes of request line and headers; a browser sends a few KiB

_TOO_LARGE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; "
              b"charset=utf-8\r\ncontent-length: 32\r\nconnection: close\r\n\r\n"
              b"request line and headers too big")


class HeadCapped(HttpToolsProtocol):
    _in_head = False   # a request's head has begun and is not complete
    _head_bytes = 0    # of it, the bytes counted so far

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._head_bytes = True, 0

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        # A chunk that continues a head begun before it, and leaves it unfinished, is all
        # head. The chunk a head begins in is not counted: at most one read (256 KiB) more.
        inside = self._in_head
        super().data_received(data)
        if inside and self._in_head and not self.transport.is_closing():
            self._head_bytes += len(data)
            if self._head_bytes > HEAD_LIMIT:
                self.transport.write(_TOO_LARGE)
                self.transport.close()
