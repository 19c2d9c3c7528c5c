"""Issue #15 items 8, 10, 11 and 14 (wheel dates): coordinator files that used to be read wrong.

Each file is given to the real command (`org import`, `wheel validate`, `form validate`); the
hostile ones run as a child process under a memory and CPU limit (resource limits, not timers), so
a loader that grows without end or recurses fails the test instead of the machine.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from models.settings import ROOT

EXAMPLE = ROOT / "examples" / "alingsas.yaml"
WHEEL = ROOT / "wheel" / "default.yaml"
ARSHJUL = str(Path(sys.executable).parent / "arshjul")
runner = CliRunner()

#: The child's limits: address space and CPU seconds. Reading the 2 MB limit's worth of YAML
#: takes about 250 MB and 15 s; a loader that expands aliases or recurses runs into these.
MEMORY = 1024 * 1024 * 1024
CPU_SECONDS = 60


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def arshjul_limited(*args: str) -> subprocess.CompletedProcess:
    """The installed command in a child process under the memory and CPU limits."""
    return subprocess.run([ARSHJUL, *args], capture_output=True, text=True, preexec_fn=_limits)


def one_fel_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fel: "), result.stderr[-2000:]
    return lines[0]


# --- item 8: duplicate keys -------------------------------------------------------------------


def test_a_duplicate_key_in_the_organisation_file_is_refused_at_its_line(sqlite_store, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    first = text.index("    email: ")
    line = text.count("\n", 0, first) + 1
    end = text.index("\n", first) + 1
    path = tmp_path / "org.yaml"
    path.write_text(text[:end] + "    email: someone.else@example.se\n" + text[end:])
    result = runner.invoke(app, ["org", "import", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"fel: org.yaml:{line + 1}: people[0].email: ")
    assert f"nyckeln finns redan på rad {line}" in result.output
    check = runner.invoke(app, ["status", "--format", "json"])
    assert "anna" not in check.output  # nothing imported


def test_a_duplicate_roles_key_in_the_wheel_is_refused(tmp_path):
    text = WHEEL.read_text(encoding="utf-8").replace(
        "    remind: [-14, -3, 0]\n", "    remind: [-14, -3, 0]\n    remind: [0]\n", 1
    )
    path = tmp_path / "wheel.yaml"
    path.write_text(text)
    result = runner.invoke(app, ["wheel", "validate", str(path)])
    assert result.exit_code == 2
    assert "steps[0].remind: nyckeln finns redan på rad 17" in result.output


# --- item 11: a billion laughs, deep nesting, a huge file ---------------------------------------

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)


def test_a_billion_laughs_ends_at_once_with_the_line_of_the_first_anchor(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text(LAUGHS)
    assert len(LAUGHS) < 500  # the was 377 bytes
    line = one_fel_line(arshjul_limited("org", "import", "--dry-run", str(path)))
    assert line.startswith("fel: org.yaml:1: ") and "ankare och alias" in line


def test_nesting_twenty_thousand_deep_is_one_line_not_a_recursion_error(tmp_path):
    path = tmp_path / "wheel.yaml"
    path.write_text("steps: " + "[" * 20000 + "]" * 20000 + "\n")
    line = one_fel_line(arshjul_limited("wheel", "validate", str(path)))
    assert "nästlad djupare än 32 nivåer" in line


def test_a_file_past_the_size_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "org.yaml"
    person = "  - id: p{i}\n    name: Person {i}\n    email: p{i}@example.se\n"
    with path.open("w") as file:
        file.write("people:\n")
        for i in range(500_000):  # about 28 MB
            file.write(person.format(i=i))
    line = one_fel_line(arshjul_limited("org", "import", "--dry-run", str(path)))
    assert line == "fel: org.yaml:1: (fil): större än 2 MB; dela upp den eller korta den"


# --- item 10: offsets, delays and form names ---------------------------------------------------


@pytest.mark.parametrize(
    "old, new, problem",
    [
        ("remind: [-14, -3, 0]", "remind: [-1000000]", "steps[0].remind[0]: ska vara minst -366"),
        ("{after: 5, to: it-sakerhetsansvarig}", "{after: 100000000, to: it-sakerhetsansvarig}",
         "steps[0].escalate[0].after: ska vara högst 260"),
        ("form: kvittens", "form: ../default", "steps[0].form: får bara innehålla a–z"),
    ],
)
def test_wheel_validate_bounds_offsets_delays_and_form_names(tmp_path, old, new, problem):
    path = tmp_path / "wheel.yaml"
    path.write_text(WHEEL.read_text(encoding="utf-8").replace(old, new, 1))
    result = runner.invoke(app, ["wheel", "validate", str(path)])
    assert result.exit_code == 2, result.output
    assert problem in result.output


def test_a_form_cannot_ask_for_an_endless_scale(tmp_path):
    path = tmp_path / "skala.yaml"
    path.write_text(
        "id: skala\ntitle: {sv: S, en: S}\nsections:\n  - id: a\n    title: {sv: A, en: A}\n"
        "    questions:\n      - {id: q, text: {sv: Q, en: Q}, type: scale, min: 0, max: 1e9}\n"
    )
    result = runner.invoke(app, ["form", "validate", str(path)])
    assert result.exit_code == 2
    assert "en scale får ha högst 101 nivåer" in result.output


# --- item 14: a 29 February in the wheel says why -----------------------------------------------


def test_a_leap_day_in_the_wheel_says_not_every_year_has_it(tmp_path):
    path = tmp_path / "wheel.yaml"
    path.write_text(WHEEL.read_text(encoding="utf-8").replace('due: "02-28"', 'due: "02-29"', 1))
    result = runner.invoke(app, ["wheel", "validate", str(path)])
    assert result.exit_code == 2
    assert "steps[0].due: '02-29': 29 februari finns bara vissa år; välj 02-28 eller 03-01" in (
        result.output
    )
