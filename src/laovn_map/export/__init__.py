"""Take the map away: what the map shows, in the reader's state, as files (GeoPackage, KML, CSV,
offline HTML, PNG and PDF). Reads a built ``geo/`` like the page does, and draws with its styles.

The one entry point is `dispatch.export(layers, fmt, state)`; `formats` holds what an export is
made of (`ExportState`, the formats, the paper, file names). docs/architecture.md lists every
module."""
