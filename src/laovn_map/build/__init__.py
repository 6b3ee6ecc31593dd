"""The build: the seed texts and the raw datasets in, the layer folder (``geo/``) out.

Stages, in the order :func:`laovn_map.build.pipeline.build_layers` runs them: reading the texts
(``seeds``, ``extract``, ``dates``, ``events``, ``places``, ``gazetteer``, ``stated_figures``), reading
the datasets (``sources``, ``merger``, ``official``), the geometry (``border``, ``derive``), the
features and their files (``features``, ``geojson``), and the swap into the out folder (``outdir``).
"""
