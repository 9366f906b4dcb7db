"""Ingest errors: each names the file and a reason a person can act on."""
from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file could not be ingested. ``str(err)`` is a one-line message for users."""

    reason = "could not be ingested"

    def __init__(self, path: str | Path, detail: str = ""):
        self.path = str(path)
        self.detail = detail
        super().__init__(f"{Path(self.path).name}: {detail or self.reason}")


class UnsupportedFileType(IngestError):
    reason = "unsupported file type (supported: .txt, .md, .pdf, .docx, .doc, .html, .htm)"


class FileTooLarge(IngestError):
    reason = "file is larger than the configured size limit"


class EmptyDocument(IngestError):
    reason = "file contains no text"


class NoTextLayer(IngestError):
    reason = "PDF has no text layer (scanned image?); OCR it first"


class OcrFailed(IngestError):
    reason = "scanned PDF could not be read by OCR"


class EncryptedDocument(IngestError):
    reason = "PDF is encrypted and cannot be opened without a password"


class CorruptFile(IngestError):
    reason = "file is corrupt or not of the type its extension claims"


class EncodingProblem(IngestError):
    reason = "text encoding could not be determined"


class LegacyVietnameseEncoding(IngestError):
    reason = "text uses a legacy Vietnamese font encoding (TCVN3/VNI); convert it to Unicode first"


class UnreadableFile(IngestError):
    reason = "file cannot be read (missing or no permission)"
