"""DOCX → PDF by LibreOffice (`soffice --headless`), for `arshjul report --format pdf`.

Each conversion runs in a private LibreOffice profile in a temporary directory, so two
conversions (or a desktop LibreOffice of the same user) never block each other.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from models.errors import ArshjulError
from models.i18n import _

#: a long report with images converts in a few seconds; a hung soffice must not hang the CLI
TIMEOUT_SECONDS = 240


def soffice() -> str:
    """The LibreOffice executable, or an error saying what to install."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ArshjulError(
            "--format pdf: " + _("LibreOffice (soffice) behövs för PDF; installera det eller "
                                 "välj --format docx")
        )
    return found


def docx_to_pdf(document: bytes) -> bytes:
    """The PDF of a .docx, converted by LibreOffice."""
    with tempfile.TemporaryDirectory(prefix="arshjul-pdf-") as folder:
        work = Path(folder)
        source = work / "rapport.docx"
        source.write_bytes(document)
        command = [soffice(), f"-env:UserInstallation={(work / 'profile').as_uri()}",
                   "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(work),
                   str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS,
                                  check=False)
        except subprocess.TimeoutExpired as exc:
            raise ArshjulError("--format pdf: " + _("LibreOffice svarade inte")) from exc
        target = work / "rapport.pdf"
        if done.returncode != 0 or not target.exists():
            detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
            raise ArshjulError("--format pdf: " + _("LibreOffice kunde inte skapa PDF: {detail}",
                                                    detail=detail))
        return target.read_bytes()
