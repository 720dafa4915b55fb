"""``python -m geo.export``: the filtered events of a store, written in one format."""

import sys

from geo.export.cli import main

if __name__ == "__main__":
    sys.exit(main())
