"""Sources that bring data in.

Each module here turns one outside source into the tables of the data set
(``data/``, see ``data/README.md``) so that :func:`pcplib.data.load_dataset` can
read them:

- :mod:`~pcplib.data.sources.police_uk`: data.police.uk street-level crime,
  read with DuckDB into tidy monthly counts (zip members handed over by
  :mod:`~pcplib.data.sources.archives`);
- :mod:`~pcplib.data.sources.update`: those counts merged into a data set's
  observations, validated and written atomically;
- :mod:`~pcplib.data.sources.published`: how rows from a real published source
  are named, so reports can attribute them;
- :mod:`~pcplib.data.sources.command`: the ``pcp source police-uk`` command.
"""
