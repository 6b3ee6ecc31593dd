"""The static edition: every page, table, layer file and export of a build as files any static
host serves (`laovn-map site`), and the embed snippet the page and the site share."""
