"""Store: put the graph where users query it.

* :mod:`.embedded` — an on-disk Oxigraph store that grows document by document;
* :mod:`.endpoint` — a SPARQL 1.1 Protocol endpoint over such a store (``policykg serve``),
  with :mod:`.query_guard` (limits checked before the engine parses), :mod:`.pool` and
  :mod:`.query_worker` (queries in killable worker processes) and :mod:`.negotiation`
  (result formats);
* :mod:`.gsp` — push named graphs to any SPARQL 1.1 Graph Store HTTP Protocol service
  (``policykg load``).
"""
