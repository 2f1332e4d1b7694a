"""Grow the dataset: ingest articles into reviewable candidates, review, merge.

``ingest`` (:func:`~graph.ingest.candidates.ingest`) reads articles and writes a candidates
folder; ``review`` (:mod:`graph.ingest.review`) walks through it in the terminal; ``merge``
(:mod:`graph.ingest.merge`) applies the accepted candidates through the canonical writer.
"""

from __future__ import annotations

from .candidates import (Candidates, candidates_graph, ingest, read_candidates,
                         write_candidates)

__all__ = ["Candidates", "ingest", "read_candidates", "write_candidates", "candidates_graph"]
