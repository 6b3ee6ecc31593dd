"""What a build's layer folder (``geo/``) holds, as both sides see it: the build writes it and the
page and the exports read it through :mod:`laovn_map.geo.reader`, and nothing else crosses over."""
