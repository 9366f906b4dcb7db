"""Responsibility records: who leads a plan's task, who coordinates, by when, with what money.

``extract_responsibilities(doc, chunks)`` reads three kinds of source, with general rules
(nothing is specific to one file):

* tables (``table_records``): task tables found by ``ingest.tables.read_tables`` whose
  headers name a task column and a lead ("chủ trì") or coordinator ("phối hợp") column;
* implementation sections (``sections``): under "TỔ CHỨC THỰC HIỆN" (or "Phân công
  trách nhiệm"), numbered headings that name agencies own the items below them;
* articles of decisions and regulations (``articles``): "Điều 2. Giao Giám đốc Sở X" or
  "Điều 4. Sở X có nhiệm vụ" owns the clauses below; a clause "2. Giám đốc Sở Y:" owns its points;
* running text (``prose``): "Phân công thực hiện: X chủ trì …" with "Thời gian thực
  hiện: …", "đề nghị/yêu cầu X …", "X chủ trì, phối hợp với Y …", "do X chủ trì".

The lead/coordinator rules are in ``roles``; deadline ISO rules in ``deadlines``; agency
names are canonicalised by ``ingest.agencies``. Every record's ``quote`` is the exact
source span ``doc.text[a:b]`` so it can be highlighted.
"""
from ingest.responsibilities.deadlines import Deadline, find_deadline, parse_deadline
from ingest.responsibilities.extract import extract_responsibilities

__all__ = ["Deadline", "extract_responsibilities", "find_deadline", "parse_deadline"]
