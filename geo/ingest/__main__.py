"""``python -m geo.ingest``: the command line of ``geo.ingest.main``."""

import sys

from geo.ingest import main

if __name__ == "__main__":   # a Dask worker process started by spawn imports this module again
    sys.exit(main())
