"""The CSV directory reader."""

from __future__ import annotations

import pytest

from models.errors import InputError
from tasks.connectors.csvdir import read_users


def test_reads_semicolon_file_with_bom_in_pages(tmp_path):
    path = tmp_path / "personal.csv"
    rows = ["id;name;email;department;enabled;elected;last_password_change"]
    rows += [f"e{i};Person {i};p{i}@example.se;Socialförvaltningen;ja;nej;2026-03-01T10:00:00"
             for i in range(5)]
    rows.append("pol1;Politiker;pol@example.se;Förtroendevalda;ja;ja;")
    path.write_text("\ufeff" + "\n".join(rows), encoding="utf-8")
    pages = list(read_users(path, page_size=4))
    assert [len(p) for p in pages] == [4, 2]
    last = pages[1][-1]
    assert last.elected and last.last_password_change is None
    assert pages[0][0].last_password_change.isoformat() == "2026-03-01T10:00:00+00:00"


def test_problems_name_file_line_and_column(tmp_path):
    path = tmp_path / "personal.csv"
    path.write_text("id,name,email,department,enabled\n"
                    "a,A,a@example.se,X,kanske\n,B,b@example.se,X,ja\na,C,c@example.se,X,ja\n")
    with pytest.raises(InputError) as err:
        list(read_users(path))
    assert err.value.problems == ["personal.csv:2: enabled: 'kanske' ska vara ja eller nej",
                                  "personal.csv:3: id: måste anges",
                                  "personal.csv:4: id: 'a' förekommer två gånger"]


def test_missing_columns(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,name\n1,A\n")
    with pytest.raises(InputError) as err:
        list(read_users(path))
    assert err.value.problems == ["p.csv:1: kolumnerna email, department saknas"]
    path.write_text("id,name,email\n1,A,a@example.se\n")
    with pytest.raises(InputError) as err:
        list(read_users(path))
    assert err.value.problems == ["p.csv:1: kolumnen department saknas"]
