import sys

from fieldapp.cli import main

sys.exit(main())
