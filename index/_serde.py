"""JSON round-trips for the ingest dataclasses stored in the catalog.

Unknown keys are ignored and missing keys take the dataclass defaults, so a
catalog written by an older/newer version of the types still loads.
"""
from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any, TypeVar

from ingest.types import DocumentMeta, ResponsibilityRecord

T = TypeVar("T")

_TUPLE_FIELDS = {
    ResponsibilityRecord: {"lead", "coordinators"},
    DocumentMeta: {"replaces", "repeals"},
}
_PAIR_TUPLE_FIELDS = {
    ResponsibilityRecord: {"extra"},
}


def to_json(obj: Any) -> str:
    return json.dumps(asdict(obj), ensure_ascii=False, sort_keys=True)


def from_json(cls: type[T], text: str) -> T:
    data = json.loads(text)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kwargs = {k: v for k, v in data.items() if k in known}
    for name in _TUPLE_FIELDS.get(cls, ()):
        if name in kwargs and kwargs[name] is not None:
            kwargs[name] = tuple(kwargs[name])
    for name in _PAIR_TUPLE_FIELDS.get(cls, ()):
        if name in kwargs and kwargs[name] is not None:
            kwargs[name] = tuple(tuple(pair) for pair in kwargs[name])
    return cls(**kwargs)  # type: ignore[call-arg]


def meta_to_json(meta: DocumentMeta) -> str:
    return to_json(meta)


def meta_from_json(text: str) -> DocumentMeta:
    return from_json(DocumentMeta, text)


def record_to_json(record: ResponsibilityRecord) -> str:
    return to_json(record)


def record_from_json(text: str) -> ResponsibilityRecord:
    return from_json(ResponsibilityRecord, text)
