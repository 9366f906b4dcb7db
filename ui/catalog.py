"""A snapshot of what is in the index, shaped for the pickers and the library table."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from index.types import DocumentInfo
from ui.render import document_label


@dataclass(frozen=True)
class Catalog:
    infos: tuple[DocumentInfo, ...] = ()
    provinces: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)

    def plan_choices(self, provinces: Sequence[str] = ()) -> list[tuple[str, str]]:
        """(label, doc_id) pairs, limited to ``provinces`` when any are selected."""
        from assistant.scope import expand_provinces

        # a unit of today ("Thái Nguyên") also lists its predecessors' plans ("Bắc Kạn"), issue 12
        wanted = set(expand_provinces(tuple(provinces or ())))
        infos = [i for i in self.infos if not wanted or i.meta.province in wanted]
        return [(self.labels[i.meta.doc_id], i.meta.doc_id) for i in sorted(infos, key=lambda i: self.labels[i.meta.doc_id])]

    def doc_ids(self) -> set[str]:
        return {i.meta.doc_id for i in self.infos}


def read_catalog(index) -> Catalog:
    infos = tuple(index.documents())
    try:
        provinces = tuple(p for p in index.provinces() if p)
    except (AttributeError, NotImplementedError):
        provinces = ()
    if not provinces:
        provinces = tuple(sorted({i.meta.province for i in infos if i.meta.province}))
    labels = {i.meta.doc_id: document_label(i.meta) for i in infos}
    from assistant.scope import province_choices

    # the picker offers former and current names: "Bắc Kạn" and "Thái Nguyên" (issue 12)
    return Catalog(infos=infos, provinces=province_choices(provinces), labels=labels)
