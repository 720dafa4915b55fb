"""The event map: folium build, the event-layer JavaScript, reference layers, offline assets."""
