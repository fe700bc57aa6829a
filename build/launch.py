"""Entry point of the frozen app: the same ``fieldapp`` command as ``python -m fieldapp``."""

import sys

from fieldapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
