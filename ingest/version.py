"""The version of what ingest makes of a file.

Bump ``PIPELINE_VERSION`` when loading, metadata, structure, chunking or record extraction change
in a way that documents already in an index should be read again. Each stored document records
the version that produced it (``DocumentMeta.pipeline``); an ingest re-reads a file whose bytes
are unchanged when its stored version differs, so an upgraded planchat does not keep serving
chunks and metadata made by older code. Re-embedding is cheap: unchanged texts come from the
embedding cache.
"""
PIPELINE_VERSION = "2026.12.07"
