"""The whole demo year, read as the board and the coordinator would: every section of the report
has something in it, the plausibility check finds nothing, and the year had what a real one
has (incidents reported within their legal clocks, a password drive, the training campaign)."""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

from cli.prefect_server import free_port

ARSHJUL = str(Path(sys.executable).parent / "arshjul")
pytestmark = pytest.mark.slow


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("ARSHJUL_", "PREFECT_"))}


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """The demo of 2027 on ports of its own; (output, directory, ports)."""
    out = tmp_path_factory.mktemp("demo-report") / "arshjul-demo"
    ports = free_port(), free_port()
    command = [ARSHJUL, "demo", "--out", str(out), "--year", "2027", "--seed", "2027",
               "--portal-port", str(ports[0]), "--prefect-port", str(ports[1])]
    result = subprocess.run(command, cwd=out.parent, env=_env(), capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout, out, ports


def sections(markdown: str) -> list[tuple[str, list[str]]]:
    """(heading, the lines under it up to the next heading of any level), in order."""
    out: list[tuple[str, list[str]]] = []
    for line in markdown.splitlines():
        if line.startswith("#"):
            out.append((line.lstrip("# ").strip(), []))
        elif out and line.strip():
            out[-1][1].append(line)
    return out


def test_every_section_of_the_report_says_something(year):
    _, out, _ = year
    text = (out / "rapport" / "arsrapport-2027.md").read_text(encoding="utf-8")
    parts = sections(text)
    assert len(parts) > 30
    for index, (heading, lines) in enumerate(parts):
        has_sub = index + 1 < len(parts) and not lines  # a parent heading opens its subsections
        notes = [ln for ln in lines if ln.startswith("*")]  # italic "not collected" notes
        assert not notes, f"'{heading}' says something was not collected: {notes}"
        assert lines or has_sub, f"'{heading}' says nothing"
        for table in re.findall(r"((?:^\|.*\n)+)", "\n".join(lines) + "\n", re.M):
            assert len(table.strip().splitlines()) > 2, f"an empty table under '{heading}'"
    assert "Ingen text om" not in text
    assert "Någon insamling av incidenter" not in text
    assert "genomförd utbildning per förvaltning" not in text
    assert "Någon insamling av Infosäkkollen-resultat" not in text  # 2026 imported and charted
    carried = [ln for ln in dict(parts)["Uppföljning av tidigare beslut"] if ln.startswith("- ")]
    assert carried and len(set(carried)) == len(carried)  # each names its unit: no twin lines
    assert all(": " in ln for ln in carried)
    training = " ".join(dict(parts)["Utbildning"])
    assert re.search(r"räknas en förvaltning som klar med utbildningen när samtliga dess "
                     r"medarbetare har genomfört utbildningen; \d+ av 10 nådde dit", training)


def test_the_plausibility_check_finds_nothing(year):
    _, out, _ = year
    result = subprocess.run([ARSHJUL, "report", "--year", "2027", "--to-check", "--format",
                             "md"], cwd=out, env=_env(), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    part = dict(sections(result.stdout))
    assert part["Att kontrollera före styrelsen (samordnarens exemplar)"] == [
        "Inget att kontrollera."]
    assert "att kontrollera före styrelsen" not in result.stderr


def test_the_year_had_incidents_a_drive_and_training_like_a_real_one(year):
    output, out, _ = year
    text = (out / "rapport" / "arsrapport-2027.md").read_text(encoding="utf-8")
    part = dict(sections(text))
    clocks = "\n".join(part["Utvärdering av lagefterlevnad"])
    # both incidents' clocks, each reported in time (IMY within 72 hours)
    for label in ("Anmälan till IMY (GDPR art. 33)", "Tidig varning (NIS2)",
                  "Incidentanmälan (NIS2)", "Slutrapport (NIS2)"):
        assert f"| {label} | 1 | 1 | 0 | 0 | 0 |" in clocks
    assert "anmäld till IMY inom 72 timmar" in output
    drive = "\n".join(part["Status när det gäller förebyggande och korrigerande åtgärder"])
    done, people = map(int, re.search(r"\| Byt ditt lösenord \| 2027-12-06 \| (\d+) \| (\d+) \|",
                                      drive).groups())
    assert 0.8 * people < done < people  # most reset, a few never did: the IT list
    training = "\n".join(part["Utbildning"])
    assert re.search(r"\| Totalt \| \d+ \| \d+ \| (8\d|9\d) % \|", training)
    # numbers of a real municipality: no intrusions by the dozen, breaches in the register
    # counted in the statistics
    # last year's figures to compare with, the board's decision on the plan followed up
    assert "KS fastställde den 13 december 2026, § 220" in text
    assert "| Område | 2026 | 2027 | Mål |" in text
    it = "\n".join(part["IT-säkerhet"])
    assert "| Fullbordade kända intrång | 0 |" in it
    breaches = int(re.search(r"uppgår till (\d+) stycken", text).group(1))
    assert 1 <= breaches < 60


def test_the_demo_runs_on_the_ports_it_was_given(year):
    output, out, (portal, prefect) = year
    assert f"Prefect-server: http://127.0.0.1:{prefect}" in output
    # Outbox files are named at random, and a few messages (register reviews, incident
    # alerts) carry no portal link: every link there is must use the given port.
    ports = []
    for path in (out / ".arshjul" / "outbox").glob("*.eml"):
        mail = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        body = mail.get_body(("plain",)).get_content()
        ports += re.findall(r"http://127\.0\.0\.1:(\d+)/", body)
    assert len(ports) > 500
    assert set(ports) == {str(portal)}


def test_the_same_seed_gives_the_same_answers(year, tmp_path):
    """Another demo with the seed, only to the end of January: the same first answers."""
    output, out, _ = year
    first = re.search(r"  2027-02: .*inlämnat +(\d+)/147", output).group(1)
    again = tmp_path / "again"
    result = subprocess.run(
        [ARSHJUL, "demo", "--out", str(again), "--year", "2027", "--seed", "2027",
         "--until", "2027-02-28", "--portal-port", str(free_port()), "--prefect-port",
         str(free_port())], cwd=tmp_path, env=_env(), capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"  2027-02: .*inlämnat +(\d+)/147", result.stdout).group(1) == first
