"""A form page reads its assignment, units and role holders in one statement (portal.reads.
page_rows): who may open the page, who is named as responsible and what the page shows must be
what the separate queries give (assignment_context, directory_and_people), on both stores,
including a unit and a board that share an id, an inactive unit, an inactive person, a unit with
its own channel and roles held in other units."""

from __future__ import annotations

from datetime import UTC, date, datetime

from models import db, roles
from models.cycle.tables import Assignment, Cycle, StepInstance
from models.org import Board, Organisation, Person, PersonRole, Unit
from portal import reads
from portal.context import access_roles

NOW = datetime(2027, 10, 1, 8, 0, tzinfo=UTC)
ESCALATE = [{"to": "chef", "after_days": 3}, {"to": "dataskyddskontakt", "after_days": 5}]


def _seed() -> list[int]:
    with db.session() as s:
        s.add(Organisation(name="Provkommun"))
        s.add_all([Board(id="ks", name="Kommunstyrelsen"), Board(id="sn", name="Socialnämnden")])
        s.flush()
        s.add_all([
            Unit(id="ks", name="Kommunstyrelsens kansli", board_id="sn"),  # same id as a board
            Unit(id="klk", name="Kommunledningskontoret", board_id="ks", notify=["mailto://x@y"]),
            Unit(id="gammal", name="Nedlagd", board_id="ks", active=False),
        ])
        people = ["anna", "bo", "cia", "dan", "eva", "fia", "gun"]
        s.add_all([Person(id=p, name=p.title(), email=f"{p}@x.se", active=p != "gun")
                   for p in people])
        s.add(Cycle(year=2027, wheel_file="wheel/default.yaml", planned_at=NOW))
        s.flush()
        s.add_all([
            PersonRole(person_id="anna", role="kontaktperson", scope_id="ks"),
            PersonRole(person_id="bo", role="kontaktperson", scope_id="klk"),
            PersonRole(person_id="cia", role="chef", scope_id="klk"),
            PersonRole(person_id="dan", role="dataskyddskontakt", scope_id="ks"),
            PersonRole(person_id="eva", role="informationssakerhetssamordnare", scope_id=""),
            PersonRole(person_id="fia", role="dataskyddsombud", scope_id=""),
            PersonRole(person_id="gun", role="kontaktperson", scope_id="klk"),
            PersonRole(person_id="gun", role="kontaktperson", scope_id="gammal"),
        ])
        ids = []
        for n, (role, per) in enumerate([("kontaktperson", "unit"), ("dataskyddskontakt", "board"),
                                         ("kontaktperson, chef", "unit")]):
            step = StepInstance(year=2027, step_id=f"s{n}", key=f"s{n}", title_sv="S",
                                title_en="S", phase="identifiera", kind="questionnaire",
                                form="riskanalys", audience_role=role, audience_per=per,
                                opens=date(2027, 9, 1), due=date(2027, 11, 15), escalate=ESCALATE)
            s.add(step)
            s.flush()
            for scope in (["ks", "klk", "gammal"] if per == "unit" else ["ks", "sn"]):
                a = Assignment(step_instance_id=step.id, scope_kind=per, scope_id=scope)
                s.add(a)
                s.flush()
                ids.append(a.id)
        return ids


def test_one_statement_gives_what_the_separate_queries_give(store):
    ids = _seed()
    with db.read_session() as s:
        for assignment_id in ids:
            got = reads.page_rows(assignment_id, s)
            ctx = reads.assignment_context(assignment_id, s)
            work = roles.Work.of(ctx.step, ctx.assignment)
            directory, names = reads.directory_and_people(
                access_roles(work), s, scope_kind=work.scope_kind, scope_id=work.scope_id)
            assert vars(got.assignment) == vars(ctx.assignment)
            assert vars(got.step) == vars(ctx.step) and got.scope_name == ctx.scope_name
            for role in access_roles(work):
                for scope in {scope for _, scope in directory.holders} | {"", work.scope_id}:
                    assert got.directory.held(role, [scope]) == directory.held(role, [scope])
            assert got.directory.unit_board == directory.unit_board
            assert dict(got.directory.board_units) == dict(directory.board_units)
            assert got.directory.unit_channels == directory.unit_channels
            assert {p: got.people[p] for p in names} == names
            for person in ["anna", "bo", "cia", "dan", "eva", "fia", "gun"]:
                assert roles.may_open(person, work, got.directory) == roles.may_open(
                    person, work, directory)
