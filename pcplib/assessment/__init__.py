"""The assessment floor: pure functions from a ``Dataset`` to tidy frames of judgements.

What a reader is told (a change, a RAG rating, an SPC signal, a roll-up, the annual
evaluation) is decided here, once, and only formatted by :mod:`pcplib.report`.
Nothing in this package writes HTML or reads files other than the data set it is
given.

Modules, in the order a report uses them:

- :mod:`~pcplib.assessment.scope`: parameter checks, the audience's measures, the
  data period;
- :mod:`~pcplib.assessment.thresholds`: the numbers that decide ratings;
- :mod:`~pcplib.assessment.measures`: each measure's figures and judgement;
- :mod:`~pcplib.assessment.strategy`: a strategy's roll-up and delivery confidence;
- :mod:`~pcplib.assessment.quality`: the caveats a reader needs;
- :mod:`~pcplib.assessment.overview`, :mod:`~pcplib.assessment.public`,
  :mod:`~pcplib.assessment.annual`: the plan overview, the public report's lists and
  the annual evaluation.
"""
