"""The page: what ``app.py`` and the map script in the browser need, read from a built ``geo/``.

``mapview`` assembles the Leaflet map, ``browserdata`` encodes the layers and their texts for the
map script (``js/``), ``labels`` and ``pagetext`` give every text shown, ``mapstyle`` how it
looks, ``component`` hands the map to Streamlit. Nothing here writes ``geo/``.
"""
