"""Errors raised by the CLI itself."""


class NothingIngested(Exception):
    def __init__(self):
        super().__init__("no plans are ingested yet: run `planchat ingest data/sample_plans` (or `make run`)")
