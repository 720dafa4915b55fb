"""``python -m geo.ingest``: the command line of ``geo.ingest.main``."""

import sys

from geo.ingest import main

sys.exit(main())
