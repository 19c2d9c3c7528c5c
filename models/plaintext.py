"""Free text as it is stored: no control characters but newlines and tabs.

A browser posts what a person typed or pasted, NUL and vertical tabs included; XML (xlsx, docx)
cannot hold them, and nobody reading an answer wants them. Answers, incident descriptions and
decisions pass through `printable` before they are stored, and the exports pass what they write
through it again (for text stored before this rule).
"""

from __future__ import annotations

import re

#: C0 controls except tab, newline and carriage return; DEL; C1 controls; the XML non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` with every control character but newline, carriage return and tab replaced by
    a space (so words on either side stay apart)."""
    return _CONTROL.sub(" ", text)
