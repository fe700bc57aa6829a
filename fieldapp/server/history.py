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

And the server renames its history itself when a laptop's cursor (sent with every pull and
push) is past the last change number it handed out: it can only have gone back. Laptops
that lost nothing of their own then start their pull over too, instead of skipping the
numbers handed out anew. Only a laptop that names the current epoch (or none) renames it:
the others are starting over anyway, and a rename per laptop would send everyone's work
again once per laptop.
"""

from __future__ import annotations

import logging
import secrets

from fieldapp.server.storage import Conn, Database

log = logging.getLogger(__name__)

EPOCH = "epoch"


def read(c: Conn, known: str | None, cursor: int,
         theirs: str | None = None) -> tuple[dict, bool]:
    """Within the caller's read transaction (one pull page): ``{"epoch": ...}`` (None for
    a database that has none yet) and, with ``known`` (an operation id), whether this
    server answered that operation (any user's: a laptop whose inspector logged in anew
    must not resend another's work; op ids are random, that one exists says nothing of
    its content). Also whether ``cursor`` (of a laptop on epoch ``theirs``) is past the
    last change number handed out, so the caller must call ``settle`` with it after the
    transaction."""
    row = c.one("SELECT (SELECT value FROM server_meta WHERE key = ?) AS epoch, "
                "(SELECT value FROM counters WHERE name = 'change_seq') AS head", (EPOCH,))
    answer: dict = {"epoch": row["epoch"]}
    if known is not None:
        answer["known"] = bool(c.value("SELECT count(*) FROM ops WHERE op_id = ?", (known,)))
    return answer, cursor > int(row["head"]) and theirs in (None, row["epoch"])


def settle(db: Database, answer: dict, behind: int | None, theirs: str | None = None) -> dict:
    """After ``read``: name the history if it has no name yet, or anew if a laptop on
    epoch ``theirs`` was ``behind`` (its cursor past the last change number); ``answer``
    with the epoch."""
    if behind is not None:
        with db.write() as c:
            renew_epoch(c, behind, int(c.value("SELECT value FROM counters "
                                               "WHERE name = 'change_seq'")), theirs)
            answer["epoch"] = c.value("SELECT value FROM server_meta WHERE key = ?", (EPOCH,))
    if answer["epoch"] is None:
        answer["epoch"] = _first_epoch(db)
    return answer


def renew_epoch(c: Conn, cursor: int, head: int, theirs: str | None = None) -> None:
    """Inside a write transaction: a new epoch if ``cursor``, of a laptop on the current
    epoch ``theirs`` (or None: it names none), is past ``head``, the last change number
    this server handed out (it was restored from a backup)."""
    if cursor > head and theirs in (None, c.value("SELECT value FROM server_meta "
                                                  "WHERE key = ?", (EPOCH,))):
        log.warning("a laptop has seen change %s, past this server's last (%s): restored "
                    "from a backup? laptops will send again what it lost", cursor, head)
        _set_epoch(c, secrets.token_hex(16))


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
