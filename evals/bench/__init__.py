"""``planchat bench``: ingest, query, answer and scale figures measured on this machine.

Modules: ``measure`` (clocks, percentiles, memory, disk), ``flops`` (the embedder's
FLOP model and the machine's measured GFLOP/s), ``ingest_bench`` (pipeline vs bare
embedder on the same texts), ``query_bench`` (warm retrieval and answer latency over
the gold questions), ``baseline_bench`` (the LangChain tutorial pipeline, same
embedder), ``synthetic`` + ``scale`` (synthetic corpora of 10k-100k chunks through the
real write path, each size in its own process), ``startup`` (a fresh process from
spawn to first answer) and ``run`` (orchestration, the flat JSON report).
"""
