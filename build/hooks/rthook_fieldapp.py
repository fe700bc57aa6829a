"""Runtime hook of the frozen app: runs before fieldapp is imported.

PyThaiNLP would otherwise create ``~/pythainlp-data`` and may try to download corpora it does
not find; the app bundles the one word list it uses (build/bundle_policy.py), works offline
and may run from a USB stick on someone else's laptop, so it must not write into their home
folder or reach for the network.
"""

import os

os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
