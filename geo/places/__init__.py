"""Places: the gazetteer (and its geopy geocoder), the matcher, the geoparser, spatial helpers.

``find_places`` is the entry point; ``python -m geo.places`` the command line.
"""
