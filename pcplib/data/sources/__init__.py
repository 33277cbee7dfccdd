"""Sources that bring data in.

Each module here will turn one outside source into the tables of the data set
(``data/``, see ``data/README.md``) so that :func:`pcplib.data.load_dataset` can
read them; police.uk and the Force's Excel returns come next. Today the data set
is written by hand or by the sample generator (:mod:`pcplib.data.sample`).
"""
