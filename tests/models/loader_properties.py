"""The properties behind test_loader_properties (run there in a child process under limits).

Any text given to the organisation or the wheel loader ends in success or in `fel: FILE:LINE: …`
lines with exit code 2 — never a traceback. Inputs: arbitrary YAML-ish text, the real files with
random edits (hostile snippets spliced in), and random nested documents over the files' own keys.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

import typer
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli.common import guard
from models.cycle.wheel import load_wheel
from models.org_import import read_org_file
from models.settings import ROOT

EXAMPLE = (ROOT / "examples" / "alingsas.yaml").read_text(encoding="utf-8")
WHEEL = (ROOT / "wheel" / "default.yaml").read_text(encoding="utf-8")
SNIPPETS = [
    "&a ", "*a", "<<: *a\n", ": ", "\n  - ", "[", "]", "{", "}", "!!python/object:os.system ",
    "!!binary ", "? ", "|\n", ">-\n", "\t", "\x00", "\x0b", "'", '"', "#", "%YAML 1.1\n", "---\n",
    "...\n", "2027-02-30", "1e999", "-1000000", "100000000", ".nan", "~", "null", "08", "0x1F",
    "../default", "\u202e", "é", "[" * 40, "{a: 1, a: 2}", "  email: x@example.se\n",
]
KEYS = ["organisation", "boards", "units", "people", "steps", "id", "name", "email", "roles",
        "kind", "board", "title", "phase", "form", "audience", "opens", "due", "remind",
        "escalate", "after", "to", "repeat", "sv", "en", "role", "per", "timezone", "language"]
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
                   st.sampled_from(["02-29", "+9:12-31", "kontaktperson@x", "chef", "unit"]))
DOCUMENTS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(KEYS), inner, max_size=5)),
    max_leaves=30,
)
YAMLISH = st.text(alphabet=st.sampled_from(list("abc-_:[]{}&*!|>'\"#?,.% \n\t0129é")),
                  max_size=300)


@st.composite
def edited(draw, text: str) -> str:
    """`text` with up to five random cuts and splices."""
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 20))
        text = text[:at] + draw(st.sampled_from(SNIPPETS)) + text[at + cut:]
    return text


def _outcome(load, name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err):
                guard(load)(path)
        except typer.Exit as exc:
            lines = err.getvalue().splitlines()
            assert exc.exit_code == 2 and lines, (exc.exit_code, err.getvalue())
            for line in lines:
                assert re.match(rf"fel: {re.escape(name)}:\d+: ", line), line


COMMON = settings(max_examples=500, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@COMMON
@given(st.one_of(YAMLISH, edited(EXAMPLE), DOCUMENTS.map(yaml.safe_dump)))
def organisation_file(text: str) -> None:
    _outcome(read_org_file, "org.yaml", text)


@COMMON
@given(st.one_of(YAMLISH, edited(WHEEL), DOCUMENTS.map(yaml.safe_dump)))
def wheel_file(text: str) -> None:
    _outcome(load_wheel, "wheel.yaml", text)


def main() -> None:
    organisation_file()
    wheel_file()
    print("ok")


if __name__ == "__main__":
    main()
