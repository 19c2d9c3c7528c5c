"""The form page's views built from cached parts (portal.form_cache) equal the views built from
scratch (portal.views.form_view) for every default form, both languages, empty and filled input,
with and without errors, on the first page and on every later one (the cache is warm then)."""

from __future__ import annotations

import os

import pytest

from models.cycle.answers import cell_name, not_collected_name, rows_name
from models.cycle.forms import FORMS_DIR, get_form
from portal import form_cache, views

FORM_IDS = sorted(p.stem for p in FORMS_DIR.glob("*.yaml"))


def _input(form, rows: int, with_errors: bool) -> tuple[dict, dict]:
    raw: dict = {}
    errors: dict = {}
    for n, q in enumerate(form.questions):
        if q.type == "table":
            raw[rows_name(q.id)] = str(rows)
            names = [(cell_name(q.id, r, c.id), c) for r in range(rows) for c in q.columns or []]
        else:
            names = [(q.id, q)]
            if q.not_collected and n % 2:
                raw[not_collected_name(q.id)] = "1"
        for i, (name, item) in enumerate(names):
            if item.type == "multi":
                raw[name] = [c.value for c in item.choices or []][:2]
            elif item.choices:
                raw[name] = item.choices[-1].value
            elif item.type == "yesno":
                raw[name] = "no"
            elif item.type == "scale":
                raw[name] = str(int(item.max))
            elif (n + i) % 3:
                raw[name] = f'<b>"{name}" & {i}</b>'
            if with_errors and (n + i) % 2:
                errors[name] = f"fel i <i>{name}</i>"
    return raw, errors


@pytest.mark.parametrize("form_id", FORM_IDS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_cached_views_equal_views_built_from_scratch(form_id, lang):
    form = get_form(form_id)
    cases = [({}, {})] + [_input(form, rows, e) for rows in (0, 1, 3, 6, 2) for e in (False, True)]
    for raw, errors in cases + cases:
        assert form_cache.form_view(form, raw, errors, lang) == views.form_view(
            form, raw, errors, lang)


def test_a_changed_form_file_gets_new_views(tmp_path):
    source = FORMS_DIR / "riskanalys.yaml"
    (tmp_path / "riskanalys.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    before = form_cache.form_view(get_form("riskanalys", tmp_path), {}, {}, "sv")
    path = tmp_path / "riskanalys.yaml"
    path.write_text(source.read_text(encoding="utf-8").replace("sv: Risker,", "sv: Hot,"),
                    encoding="utf-8")
    os.utime(path, (1, 2_000_000_000))
    form = get_form("riskanalys", tmp_path)
    after = form_cache.form_view(form, {}, {}, "sv")
    assert after == views.form_view(form, {}, {}, "sv")
    assert [s.title for s in before] == ["Risker"] and [s.title for s in after] == ["Hot"]
