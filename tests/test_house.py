"""The house's own rules (docs/architecture.md): layering, single homes, sizes.

A newcomer who adds a second reader of the organisation, a second spelling of the coordinator role
or an upward import fails here, with the place named.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("models", "tasks", "flows", "portal", "cli")


def _sources() -> dict[str, str]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                out[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    return out


def _places(pattern: str) -> list[str]:
    regex = re.compile(pattern)
    return sorted(name for name, text in _sources().items() if regex.search(text))


def test_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Contracts: 6 kept, 0 broken." in result.stdout


def test_one_reader_of_the_organisation_row():
    assert _places(r"get\(Organisation, 1\)|select\(Organisation\)") == ["models/organisation.py"]


def test_one_place_names_the_coordinator_role():
    assert _places(r"[\"']informationssakerhetssamordnare[\"']") == ["models/roles.py"]


def test_no_hard_coded_timezone_outside_the_settings_default():
    assert _places(r"Europe/Stockholm") == ["models/settings.py"]


def test_link_kinds_and_paths_live_in_links():
    # Every portal URL is built by models.links.portal_url from the kind's path in PATHS.
    assert _places(r"portal_url\([^)]*path=") == []


def test_message_kinds_live_in_kinds():
    literals = r"kind\s*=\s*[\"'](invitation|reminder|escalation|receipt|incident-alert)[\"']"
    assert _places(literals) == []


def test_no_product_file_over_300_lines():
    long = {name: text.count("\n") for name, text in _sources().items() if text.count("\n") > 300}
    assert long == {}


def test_functions_stay_short():
    lengths = sorted(
        node.end_lineno - node.lineno + 1
        for text in _sources().values()
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    )
    assert lengths[int(len(lengths) * 0.9)] <= 25  # the 90th percentile, as STYLE.md asks


def test_text_in_two_languages_has_one_way():
    # Swedish in the code, English in the catalog (models/i18n.py): no hand-made pairs.
    assert _places(r"\ndef tr\(|lang == \"sv\" else|\.lang == \"sv\"") == []
