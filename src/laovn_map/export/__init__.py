"""Take the map away: what the map shows, in the reader's state, as files (GeoPackage, KML, CSV,
offline HTML, PNG and PDF). Reads a built ``geo/`` like the page does, and draws with its styles."""
