"""Child process for the crash-safety test: writes through the store and reports each change
that has returned (so is committed) on stdout, until it is killed."""

import sys

from fieldapp.core.ids import name_id
from fieldapp.store.blobs import put_blob
from fieldapp.store.changes import save_row
from fieldapp.store.db import open_store


def main(path: str, start: int) -> None:
    store = open_store(path)
    i = start
    while True:
        fid = f"{i:014d}"
        with store.transaction():
            row = save_row(store, "factories", {"id": name_id("factory", fid), "fid": fid,
                                                "name": f"โรงงานทดสอบ {i}", "phone": str(i)})
            # A second change in the same transaction: both or neither must survive.
            save_row(store, "factories", {"id": row["id"], "contact_person": f"คุณ {i}"})
        digest = put_blob(store.blob_dir, f"photo {i}".encode() * 100)
        print(f"{fid} {digest}", flush=True)
        i += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
