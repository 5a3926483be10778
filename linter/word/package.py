"""A .docx file as a ZIP package, checked before any XML in it is parsed: what it really is
(an encrypted document and an old .doc are OLE files, not ZIP), and how much it unpacks to (a
ZIP bomb is refused from its directory, and zipfile never unpacks more than a member declares)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from linter.parsing.builder import read_input_bytes
from linter.parsing.errors import ReportInputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A real document.xml packs 5-20 times; repeated table rows maybe 50. Far above that is a bomb.
MAX_RATIO = 200
MAX_MEMBERS = 5000
# What the whole package may unpack to, as a multiple of --max-bytes (images are not unpacked,
# but their sizes count).
PACKAGE_FACTOR = 4


class WordUnavailable(Exception):
    """python-docx (the extra rapportlint[word]) is not installed."""


def unavailable_error(shown: str) -> ReportInputError:
    return ReportInputError(
        shown,
        "Word-støtte er ikke installert: installer den med «pip install 'rapportlint[word]'» "
        "(eller lagre dokumentet som PDF og bruk rapportlint import)",
        "Word support is not installed: install it with «pip install 'rapportlint[word]'» "
        "(or save the document as PDF and use rapportlint import)",
    )


def read_package(path: Path, shown: str, max_bytes: int) -> bytes:
    """The file's bytes when it is a .docx package within the limits; else a ReportInputError
    saying what it is and what to do."""
    data = read_input_bytes(path, shown, max_bytes)
    check_package(data, shown, max_bytes)
    return data


def check_package(data: bytes, shown: str, max_bytes: int) -> None:
    if not data:
        raise ReportInputError(shown, "filen er tom, ikke et Word-dokument", "the file is empty, not a Word document")
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise ReportInputError(
                shown,
                "Word-dokumentet er passordbeskyttet (kryptert) og kan ikke leses: fjern passordet i Word "
                "(Fil > Info > Beskytt dokument > Krypter med passord, tøm feltet) og lagre på nytt",
                "the Word document is password-protected (encrypted) and cannot be read: remove the password in Word "
                "(File > Info > Protect Document > Encrypt with Password, clear it) and save again")
        raise ReportInputError(
            shown,
            "dette er et eldre Word-dokument (.doc), ikke .docx: åpne det i Word og lagre det som Word-dokument (.docx)",
            "this is an older Word document (.doc), not .docx: open it in Word and save it as a Word Document (.docx)")
    if not data.startswith(b"PK"):
        raise ReportInputError(
            shown, "filen er ikke et Word-dokument (.docx er en ZIP-pakke; denne er ikke det)",
            "the file is not a Word document (a .docx is a ZIP package; this is not one)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReportInputError(shown, f"Word-dokumentet er skadet (ZIP-pakken kan ikke leses: {exc})",
                               f"the Word document is damaged (its ZIP package cannot be read: {exc})") from None
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise ReportInputError(
            shown, "filen er en ZIP-pakke, men ikke et Word-dokument (den mangler word/document.xml)",
            "the file is a ZIP package but not a Word document (it has no word/document.xml)")
    if len(members) > MAX_MEMBERS:
        raise ReportInputError(shown, f"Word-pakken har {len(members)} deler, over grensen på {MAX_MEMBERS}",
                               f"the Word package has {len(members)} parts, over the limit of {MAX_MEMBERS}")
    total = 0
    for member in members:
        total += member.file_size
        packed = max(member.compress_size, 1)
        if member.file_size > 1_000_000 and member.file_size / packed > MAX_RATIO:
            raise ReportInputError(
                shown,
                f"Word-pakken ser ut som en ZIP-bombe: {member.filename} pakkes ut til {member.file_size} byte fra "
                f"{member.compress_size} (over {MAX_RATIO} ganger); den leses ikke",
                f"the Word package looks like a ZIP bomb: {member.filename} unpacks to {member.file_size} bytes from "
                f"{member.compress_size} (over {MAX_RATIO} times); it is not read")
        if member.filename.startswith("word/") and member.filename.endswith(".xml") and member.file_size > max_bytes:
            raise ReportInputError(
                shown,
                f"dokumentet er for stort: {member.filename} er {member.file_size} byte utpakket, over grensen på "
                f"{max_bytes} byte (endre med --max-bytes)",
                f"the document is too large: {member.filename} is {member.file_size} bytes unpacked, over the limit of "
                f"{max_bytes} bytes (change with --max-bytes)")
    if total > PACKAGE_FACTOR * max_bytes:
        raise ReportInputError(
            shown, f"Word-pakken er {total} byte utpakket, over grensen på {PACKAGE_FACTOR * max_bytes} byte "
                   f"(endre med --max-bytes)",
            f"the Word package is {total} bytes unpacked, over the limit of {PACKAGE_FACTOR * max_bytes} bytes "
            f"(change with --max-bytes)")
