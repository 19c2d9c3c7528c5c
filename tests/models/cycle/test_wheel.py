from datetime import date

import pytest

from models.cycle.wheel import DEFAULT_WHEEL, PHASES, instances, load_wheel, parse_day
from models.errors import InputError
from tests.language import use_language

DESIGN_STEPS = {
    "omvarldsanalys", "infosakkollen", "riskanalys", "kontinuitetsplanering", "handlingsplan",
    "informationsklassning", "kontinuitetsovning", "informationssakerhetsutbildning",
    "incidentstatistik", "efterlevnadskontroll", "uppfoljning-handlingsplan", "arsrapport",
    # the registers' yearly reviews (docs/registers.md)
    "nis2-omfattning", "nis2-organisation", "molntjanster", "registerforteckning",
    # the DPO's feedback per board and the board's decision on it
    "dpo-aterkoppling", "namndbeslut-dataskydd",
}


def test_default_wheel_has_every_step_of_the_design_in_both_languages():
    wheel = load_wheel(DEFAULT_WHEEL)
    assert {s.id for s in wheel.steps} == DESIGN_STEPS
    assert {s.phase for s in wheel.steps} == set(PHASES)
    for step in wheel.steps:
        assert step.title.sv and step.title.en and step.purpose


def test_parse_day_reads_next_year_prefix():
    assert parse_day("10-01", 2027) == date(2027, 10, 1)
    assert parse_day("+1:01-31", 2027) == date(2028, 1, 31)
    with pytest.raises(ValueError, match="ska vara MM-DD eller"):
        parse_day("2027-10-01", 2027)
    with pytest.raises(ValueError, match="inget giltigt datum"):
        parse_day("02-30", 2027)


def test_quarterly_step_yields_four_dated_instances_adjusted_to_business_days():
    step = next(s for s in load_wheel().steps if s.id == "incidentstatistik")
    dated = instances(step, 2027)
    assert [d.key for d in dated] == [f"incidentstatistik-q{i}" for i in range(1, 5)]
    assert [(d.opens, d.due) for d in dated] == [
        (date(2027, 4, 1), date(2027, 4, 15)),
        (date(2027, 7, 1), date(2027, 7, 15)),
        (date(2027, 10, 1), date(2027, 10, 15)),
        (date(2028, 1, 3), date(2028, 1, 17)),  # Jan 1 is a holiday, Jan 15 a saturday
    ]


BAD_WHEEL = """\
steps:
  - id: riskanalys
    title: {sv: Riskanalys, en: Risk analysis}
    phase: identifiera
    kind: questionnaire
    form: no-such-form
    audience: {role: kontaktperson, per: unit}
    opens: "09-01"
    due: "13-15"
  - id: other
    title: {sv: X, en: X}
    phase: planera
    kind: deadline
    audience: {role: boss, per: unit}
    opens: "09-01"
    due: "10-01"
"""


def test_bad_wheel_reports_each_problem_with_file_line_and_field(tmp_path):
    path = tmp_path / "wheel.yaml"
    path.write_text(BAD_WHEEL)
    with pytest.raises(InputError) as err:
        load_wheel(path)
    problems = err.value.problems
    assert "wheel.yaml:9: steps[0].due: '13-15' är inget giltigt datum" in problems
    assert any(p.startswith("wheel.yaml:12: steps[1].phase:") for p in problems)
    assert any(p.startswith("wheel.yaml:14: steps[1].audience:") and "okänd roll 'boss'" in p
               for p in problems)



INCONSISTENT_WHEEL = """\
steps:
  - id: riskanalys
    title: {sv: Riskanalys, en: Risk analysis}
    phase: identifiera
    kind: questionnaire
    audience: {role: kontaktperson, per: unit}
    opens: "10-01"
    due: "09-01"
  - id: riskanalys
    title: {sv: X, en: X}
    phase: utforma
    kind: deadline
    form: no-such-form
    audience: {role: kontaktperson, per: unit}
    opens: "09-01"
    due: "10-01"
"""
#: after each check, the edits that fix what it found (and add the next problem)
FIXES = [
    [
        ("    kind: questionnaire\n", "    kind: deadline\n"),
        ("    form: no-such-form\n", "    escalate: [{after: 5, to: boss}]\n"),
    ],
    [('    opens: "10-01"\n    due: "09-01"', '    opens: "09-01"\n    due: "10-01"')],
    [("boss", "chef")],
    [],
]
EXPECTED = {
    "sv": [
        [
            "wheel.yaml:2: steps[0]: ett steg av typen questionnaire behöver 'form'",
            "wheel.yaml:9: steps[1]: okänt formulär 'no-such-form' "
            "(wheel/forms/no-such-form.yaml finns inte)",
        ],
        ["wheel.yaml:2: steps[0]: due 09-01 ligger före opens 10-01",
         "wheel.yaml:13: steps[1].escalate[0].to: okänd roll 'boss'"],
        ["wheel.yaml:13: steps[1].escalate[0].to: okänd roll 'boss'"],
        ["wheel.yaml:1: (top): steg-id 'riskanalys' finns redan"],
    ],
    "en": [
        [
            "wheel.yaml:2: steps[0]: a questionnaire step needs 'form'",
            "wheel.yaml:9: steps[1]: unknown form 'no-such-form' "
            "(no wheel/forms/no-such-form.yaml)",
        ],
        ["wheel.yaml:2: steps[0]: due 09-01 is before opens 10-01",
         "wheel.yaml:13: steps[1].escalate[0].to: unknown role 'boss'"],
        ["wheel.yaml:13: steps[1].escalate[0].to: unknown role 'boss'"],
        ["wheel.yaml:1: (top): step id 'riskanalys' appears twice"],
    ],
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_inconsistent_steps_in_both_languages(tmp_path, monkeypatch, language):
    use_language(monkeypatch, language)
    path = tmp_path / "wheel.yaml"
    text = INCONSISTENT_WHEEL
    for edits, expected in zip(FIXES, EXPECTED[language], strict=True):
        path.write_text(text)
        with pytest.raises(InputError) as err:
            load_wheel(path)
        assert err.value.problems == expected
        for old, new in edits:
            text = text.replace(old, new)
