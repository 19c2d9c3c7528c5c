"""The default questionnaires and the pure answer rules."""

from __future__ import annotations

import pytest

from models.cycle.answers import add_row, check, raw_from_values, remove_row
from models.cycle.forms import FORMS_DIR, QUESTION_TYPES, get_form, load_form
from models.errors import InputError
from tests.language import use_language

DEFAULTS = (
    "dpo-efterlevnadskontroll",
    "riskanalys",
    "incidentstatistik",
    "infosakkollen",
    "handlingsplan-status",
    "kvittens",
    # the registers' yearly reviews (docs/registers.md) and the DPO's feedback with the board's
    # decision on it
    "register-informationstillgangar",
    "register-molntjanster",
    "register-nis2",
    "register-nis2-organisation",
    "register-behandlingar",
    "dpo-aterkoppling",
    "namndbeslut-dataskydd",
)


def test_the_default_forms_load_and_cover_every_type():
    forms = [load_form(FORMS_DIR / f"{name}.yaml") for name in DEFAULTS]
    assert sorted(p.stem for p in FORMS_DIR.glob("*.yaml")) == sorted(DEFAULTS)
    types = {q.type for f in forms for q in f.questions}
    assert types == set(QUESTION_TYPES)
    for form in forms:
        for q in form.questions:
            assert q.text.sv and q.text.en


def test_default_forms_follow_the_reference_report():
    dpo = get_form("dpo-efterlevnadskontroll")
    assert [s.id for s in dpo.sections] == [
        "organisation",
        "behandlingsregister",
        "incidenter",
        "rattigheter",
        "konsekvensbedomning",
    ]
    risk = get_form("riskanalys").question("risker")
    assert risk.min_rows == 3
    assert [c.id for c in risk.columns] == [
        "tillgang",
        "hot",
        "sannolikhet",
        "konsekvens",
        "atgard",
        "ansvarig",
        "handlingsplan",  # the unit takes the measure into next year's action plan
    ]
    assert [c.value for c in risk.columns[1].choices] == [
        "driftstopp",
        "dataintrang",
        "informationsforlust",
        "annat",
    ]
    stats = get_form("incidentstatistik")
    counts = [q for q in stats.questions if q.type == "number"]
    assert len(counts) == 18 and all(q.not_collected for q in counts)
    maturity = [q for q in get_form("infosakkollen").questions if q.type == "scale"]
    assert all((q.min, q.max, q.target) == (0, 5, 4) for q in maturity)


def test_bad_form_names_file_line_and_field(tmp_path):
    path = tmp_path / "trasig.yaml"
    path.write_text(
        "id: trasig\ntitle: {sv: T, en: T}\nsections:\n  - id: s\n    title: {sv: S, en: S}\n"
        "    questions:\n      - id: q\n        text: {sv: Q, en: Q}\n        type: scale\n"
        "      - id: t\n        text: {sv: T, en: T}\n        type: table\n"
        "      - id: q\n        text: {sv: Q}\n        type: choice\n        choices: []\n"
        "      - id: s\n        text: {sv: S, en: S}\n        type: scale\n        min: 0\n"
        "        max: 5\n        target: 6\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_form(path)
    assert err.value.problems == [
        "trasig.yaml:7: sections[0].questions[0]: en fråga av typen scale behöver 'min' och 'max'",
        "trasig.yaml:10: sections[0].questions[1]: en fråga av typen table behöver 'columns'",
        "trasig.yaml:14: sections[0].questions[2].text.en: måste anges",
        "trasig.yaml:17: sections[0].questions[3]: 'target' ska vara en nivå mellan frågans 'min' "
        "och 'max'",
    ]


def test_bad_form_in_english(tmp_path, monkeypatch):
    use_language(monkeypatch, "en")
    path = tmp_path / "trasig.yaml"
    path.write_text(
        "id: trasig\ntitle: {sv: T, en: T}\nsections:\n  - id: s\n    title: {sv: S, en: S}\n"
        "    questions:\n      - id: q\n        text: {sv: Q, en: Q}\n        type: scale\n"
        "      - id: t\n        text: {sv: T}\n        type: text\n        min: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_form(path)
    assert err.value.problems == [
        "trasig.yaml:7: sections[0].questions[0]: a scale question needs 'min' and 'max'",
        "trasig.yaml:11: sections[0].questions[1].text.en: is required",
    ]


@pytest.mark.parametrize(
    "question, problem",
    [
        ("type: choice\n        choices: [{value: a, text: {sv: A, en: A}}]",
         "en fråga av typen choice behöver minst två 'choices'"),
        ("type: multi\n        choices: [{value: a, text: {sv: A, en: A}}, "
         "{value: a, text: {sv: B, en: B}}]", "två 'choices' har samma 'value'"),
        ("type: yesno\n        choices: [{value: a, text: {sv: A, en: A}}, "
         "{value: b, text: {sv: B, en: B}}]",
         "'choices' hör bara till frågor av typen choice och multi, inte yesno"),
        ("type: scale\n        min: 0.5\n        max: 5",
         "'min' och 'max' för en scale ska vara heltal"),
        ("type: text\n        max: 5", "'min'/'max' hör bara till frågor av typen scale och "
         "number, inte text"),
        ("type: number\n        min: 5\n        max: 1", "min 5 är större än max 1"),
        ("type: text\n        not_collected: true",
         "'not_collected' hör bara till frågor av typen number"),
        ("type: date\n        multiline: true", "'multiline' hör bara till frågor av typen text"),
        ("type: table\n        columns: [{id: a, text: {sv: A, en: A}, type: text}, "
         "{id: a, text: {sv: B, en: B}, type: text}]", "två kolumner har samma id"),
        ("type: table\n        min_rows: 9\n        max_rows: 3\n"
         "        columns: [{id: a, text: {sv: A, en: A}, type: text}]",
         "min_rows 9 är större än max_rows 3"),
        ("type: text\n        columns: []", "'columns' hör bara till frågor av typen table, "
         "inte text"),
    ],
)
def test_each_question_rule_speaks_swedish(tmp_path, question, problem):
    path = tmp_path / "f.yaml"
    path.write_text(
        "id: f\ntitle: {sv: F, en: F}\nsections:\n  - id: s\n    title: {sv: S, en: S}\n"
        f"    questions:\n      - id: q\n        text: {{sv: Q, en: Q}}\n        {question}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_form(path)
    assert err.value.problems == [f"f.yaml:7: sections[0].questions[0]: {problem}"]


def test_duplicate_question_id(tmp_path):
    path = tmp_path / "f.yaml"
    question = "      - id: q\n        text: {sv: Q, en: Q}\n        type: text\n"
    path.write_text(
        "id: f\ntitle: {sv: F, en: F}\nsections:\n  - id: s\n    title: {sv: S, en: S}\n"
        f"    questions:\n{question}{question}",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_form(path)
    assert err.value.problems == ["f.yaml:1: (top): fråge-id 'q' finns redan"]


def test_form_id_must_match_file_name(tmp_path):
    path = tmp_path / "annat.yaml"
    path.write_text((FORMS_DIR / "kvittens.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(
        InputError, match=r"annat.yaml:\d+: id: ska vara samma som filnamnet 'annat'"
    ):
        load_form(path)


def test_unknown_form_id():
    with pytest.raises(InputError, match=r"^'Fel!' är inget formulär-id$"):
        get_form("Fel!")
    with pytest.raises(InputError, match=r"^okänt formulär 'saknas' \(.*saknas.yaml finns inte\)$"):
        get_form("saknas")


def test_draft_check_skips_required_but_not_formats():
    form = get_form("kvittens")
    draft = check(form, {"datum": "2027-02-30"}, final=False)
    assert draft.errors == {"datum": "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-03-31."}
    final = check(form, {"datum": "2027-02-28"}, lang="en", final=True)
    assert final.errors == {"genomfort": "Answer this question."}


def test_values_round_trip_to_raw():
    form = get_form("riskanalys")
    raw = {
        "risker__rows": "3",
        "risker__0__tillgang": "A",
        "risker__0__hot": "annat",
        "risker__0__sannolikhet": "1",
        "risker__0__konsekvens": "4",
        "risker__0__atgard": "M",
        "risker__0__ansvarig": "O",
    }
    first = check(form, raw, final=False)
    assert first.ok and len(first.values["risker"]) == 1  # blank rows are dropped
    again = check(form, raw_from_values(form, first.values), final=False)
    assert again.values == first.values


def test_add_and_remove_rows_renumber():
    q = get_form("riskanalys").question("risker")
    raw = {"risker__rows": "3", **{f"risker__{i}__tillgang": f"T{i}" for i in range(3)}}
    raw = add_row(q, raw)
    assert raw["risker__rows"] == "4"
    raw = remove_row(q, raw, 1)
    assert [raw[f"risker__{i}__tillgang"] for i in range(3)] == ["T0", "T2", ""]
    assert raw["risker__rows"] == "3"
