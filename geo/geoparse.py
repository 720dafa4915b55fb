"""``python -m geo.geoparse`` is ``python -m geo.places``: the name scorers and scripts know."""

import sys

from geo.places.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
