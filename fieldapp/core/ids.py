"""Record identifiers: UUIDv7 for records made here, UUIDv5 for records named by the outside world.

UUIDv7 sorts by creation time, which keeps SQLite's b-trees append-mostly. Records that every
device must name the same way without talking to each other (a factory known by its 14-digit
registry id, the answer to one item of one inspection) get a name-based UUIDv5 instead, so two
devices that create "the same" record produce one row, not two.
"""

import os
import threading
import time

# A fixed namespace for FieldApp's name-based ids; never change it, ids on disk depend on it.
NAMESPACE = "6f1c2a9e-3b1d-4f6e-9a57-0c2f4d8e7b11"

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def uuid7() -> str:
    """A new RFC 9562 UUIDv7 as text; strictly increasing within this process."""
    global _last_ms, _last_rand
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            # Same millisecond or the clock went back: keep order by counting up the random bits.
            ms = _last_ms
            rand = _last_rand + 1
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 6  # 74 random bits
        _last_ms, _last_rand = ms, rand
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    # The text of uuid.UUID(int=value), without importing uuid at start-up (it imports
    # platform and hashlib: ~2 ms of the window's start, issue 16).
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def name_id(*parts: str) -> str:
    """A deterministic id for a record named by ``parts`` (e.g. ``("factory", fid)``)."""
    import uuid
    return str(uuid.uuid5(uuid.UUID(NAMESPACE), "\x1f".join(parts)))
