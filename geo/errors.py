"""One exception tree for Marsad. Geocoding raises geopy's own exceptions."""


class GeoError(Exception):
    """Base of every error Marsad raises on purpose."""


class InputError(GeoError, ValueError):
    """Bad input at a public entry point; the message quotes the value."""


class StorageError(GeoError):
    """The store could not read or write."""


class BusyError(GeoError):
    """A shared resource (the PNG renderer) has no room for more work now; try again shortly."""
