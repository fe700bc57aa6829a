"""Benchmark: the printed record of a 100-item inspection with 12 photos and 2 signatures.

Run on demand: ``.venv/bin/python tests/bench/bench_print.py``. Prints a table: render time
(first render in a fresh process, then the median of warm renders), pages and PDF size, for
the real Thai typesetting and for two floors with shaping and Thai word segmentation off:
our paragraph measuring plain advances and breaking only at spaces ("plain"), and ReportLab's
own Paragraph ("reportlab"). Target (issue 4): Thai correctness costs at most 2x, and the
PDF stays under 3 MB.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path[:0] = [str(HERE.parents[2]), str(HERE.parents[1]), str(HERE.parents[2] / "tests/forms")]

from test_forms_builders import build_inspection, synthetic_template  # noqa: E402

from fieldapp.forms.inspection_form import render_inspection_pdf  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402

WARM_RUNS = 5


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "bench.db")
        t0 = time.perf_counter()
        iid = build_inspection(store, template=synthetic_template(100), photos=12)
        built = time.perf_counter() - t0
        print(f"built a 100-item inspection with 12 photos and 2 signatures in {built:.1f} s")
        rows = []
        for engine in ("thai", "plain", "reportlab"):
            t = time.perf_counter()
            pdf = render_inspection_pdf(store, iid, engine=engine)
            first = time.perf_counter() - t
            warm = []
            for _ in range(WARM_RUNS):
                t = time.perf_counter()
                pdf = render_inspection_pdf(store, iid, engine=engine)
                warm.append(time.perf_counter() - t)
            pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
            rows.append((engine, first, statistics.median(warm), pages, len(pdf)))
        store.close()
    base = {r[0]: r[2] for r in rows}
    print(f"\n{'typesetting':<12} {'first s':>8} {'warm s':>8} {'pages':>6} {'PDF MB':>7} "
          f"{'x plain':>8} {'x reportlab':>12}")
    for engine, first, warm, pages, size in rows:
        print(f"{engine:<12} {first:8.2f} {warm:8.2f} {pages:6d} {size / 1e6:7.2f} "
              f"{warm / base['plain']:8.2f} {warm / base['reportlab']:12.2f}")
    thai = rows[0]
    ok = thai[4] < 3_000_000 and thai[2] / base["plain"] <= 2.0
    print("\ntarget (< 3 MB, Thai <= 2x the plain floor):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
