"""Which history of changes this server holds, so that laptops notice a restore.

A server restored from an older backup has lost changes it acknowledged, and its change
numbers start again from the backup's: a laptop would neither send those changes again (they
are acknowledged) nor pull what others send next (its cursor is past those numbers). Two
signals tell a laptop so; on either it sends every acknowledged change again (the server
answers "duplicate" for those it kept) and takes a new snapshot:

- the **epoch**, a random name for this history, on every pull page. ``fieldapp-server
  restored`` gives the database a new one: run it after restoring a backup.
- **known**: the laptop names the newest change the server acknowledged to it; a server
  that lacks it has lost changes, even if the administrator forgot ``restored``.

A laptop's cursor past the last change number this server handed out is no evidence the
server can check (any logged-in laptop can send any number): it renames nothing. That laptop
alone is answered from the start of this history (``read``), so it skips nothing the server
hands out anew; every other laptop carries on. Only ``fieldapp-server restored`` renames the
history, and so makes every laptop start over; the office's own writes never do.
"""

from __future__ import annotations

import logging
import secrets

from fieldapp.server.storage import Conn, Database

log = logging.getLogger(__name__)

EPOCH = "epoch"


def head(c: Conn) -> int:
    """The last change number this server handed out."""
    return int(c.value("SELECT value FROM counters WHERE name = 'change_seq'"))


def read(c: Conn, known: str | None, cursor: int, theirs: str | None = None,
         meta: dict[str, str] | None = None) -> tuple[dict, int]:
    """Within the caller's read transaction (one pull page): ``{"epoch": ...}`` (None for
    a database that has none yet) and, with ``known`` (an operation id), whether this
    server answered that operation (any user's: a laptop whose inspector logged in anew
    must not resend another's work; op ids are random, that one exists says nothing of
    its content). Also the cursor to read from: ``cursor``, or 0 when it is past the last
    change number handed out (a restore without ``restored``, or a number made up), so
    that this laptop reads this history from its start and skips nothing. ``meta``: the
    ``server_meta`` values the caller read already in this transaction (``Conn.meta``)."""
    epoch = c.meta_value(EPOCH, meta)
    answer: dict = {"epoch": epoch}
    if known is not None:
        answer["known"] = bool(c.value("SELECT count(*) FROM ops WHERE op_id = ?", (known,)))
    last = head(c)
    if cursor > last:
        if theirs is None or theirs == epoch:
            # A cursor of another history (``theirs``, the epoch the laptop names) is one
            # from before `restored` was run: the laptop sends again and starts anew, and
            # the advice to run it would be wrong.
            log.warning("a laptop's cursor %s is past this server's last change %s: it is "
                        "answered from the start; if this database was restored from a "
                        "backup, run `fieldapp-server restored`", cursor, last)
        return answer, 0
    return answer, cursor


def settle(db: Database, answer: dict) -> dict:
    """After ``read``: name the history if it has no name yet; ``answer`` with the epoch."""
    if answer["epoch"] is None:
        answer["epoch"] = _first_epoch(db)
    return answer


def new_epoch(db: Database) -> str:
    """Name this database's history anew (after a restore); returns the new name."""
    epoch = secrets.token_hex(16)
    with db.write() as c:
        _set_epoch(c, epoch)
    return epoch


def _set_epoch(c: Conn, epoch: str) -> None:
    c.run("DELETE FROM server_meta WHERE key = ?", (EPOCH,))
    c.run("INSERT INTO server_meta (key, value) VALUES (?, ?)", (EPOCH, epoch))


def _first_epoch(db: Database) -> str:
    """A database from before epochs, or new: name its history once (two servers racing
    here keep the first name)."""
    with db.write() as c:
        c.run("INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
              (EPOCH, secrets.token_hex(16)))
        return c.value("SELECT value FROM server_meta WHERE key = ?", (EPOCH,))
