"""Reading coordinator-written YAML with line numbers, so every error names file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from models.errors import InputError
from models.i18n import _, cli_language
from models.input_files import read_input_file

Loc = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


class Located:
    """Parsed YAML data plus the line of every mapping key and sequence item."""

    def __init__(self, path: Path, data: Any, lines: dict[Loc, int]):
        self.path = path
        self.data = data
        self.lines = lines

    def line(self, loc: Loc) -> int:
        """The line of `loc`, or of its nearest located parent."""
        loc = tuple(loc)
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 1)

    def problem(self, loc: Loc, message: str) -> str:
        """Format one problem as `file:line: field: message`."""
        return f"{self.path.name}:{self.line(loc)}: {format_loc(loc)}: {message}"


def format_loc(loc: Loc) -> str:
    """`('people', 2, 'roles', 0)` → `people[2].roles[0]`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


#: The largest coordinator file read: an organisation of 20,000 people is about 2 MB and takes
#: some 15 s and 250 MB to read (PyYAML in pure Python); anything larger is not a hand-kept file.
MAX_BYTES = 2 * 1024 * 1024
#: The deepest nesting of mappings and lists (the files need 6).
MAX_DEPTH = 32


class _Refused(yaml.MarkedYAMLError):
    """A construct the coordinator's files never need (an alias, an anchor, deep nesting)."""


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and anchors (so no billion laughs) or deep nesting
    (so no RecursionError); duplicate keys are found by the walk that records lines."""

    def __init__(self, text: str):
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(problem=_(
                "ankare och alias (&, *) används inte i arshjuls filer: skriv ut värdet"
            ), problem_mark=event.start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(problem=_("nästlad djupare än {n} nivåer", n=MAX_DEPTH),
                           problem_mark=event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load(path: Path | str) -> Located:
    """Parse a YAML file, keeping line numbers; a missing or unreadable file is an InputError.

    Refused, each as `file:line`: files over MAX_BYTES, duplicate keys, anchors and aliases,
    nesting deeper than MAX_DEPTH.
    """
    path = Path(path)
    text = read_input_file(path)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(f"{path.name}:1: " + _(
            "(fil): större än {mb} MB; dela upp den eller korta den", mb=MAX_BYTES // 2**20
        ))
    loader = None
    try:
        loader = _StrictLoader(text)  # its reader refuses control characters at once
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        if node is not None:
            _walk(node, (), lines, path)
        data = loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: e.g. a timestamp 2027-02-30
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else text.count("\n", 0, getattr(exc, "position", 0)) + 1
        reason = getattr(exc, "problem", None) or _unreadable(exc) or _(
            "ett värde som inte finns ({exc})", exc=exc
        )
        raise InputError(
            f"{path.name}:{line}: "
            + _("(syntax): felaktig YAML: {reason}", reason=reason)
        ) from exc
    finally:
        if loader is not None:
            loader.dispose()
    return Located(path, data, lines)


def _unreadable(exc: Exception) -> str | None:
    if not isinstance(exc, yaml.reader.ReaderError):
        return None
    code = f"#x{exc.character:04x}"
    return _("tecknet {code} får inte finnas i filen (ett styrtecken)", code=code)


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: Path) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                where = f"{path.name}:{key.start_mark.line + 1}: {format_loc(loc)}: "
                raise InputError(where + _(
                    "en nyckel ska vara ett ord eller en text, inte en lista eller mappning"
                ))
            child = (*loc, key.value)
            if child in lines:
                _duplicate(path, child, lines[child], key.start_mark.line + 1)
            lines[child] = key.start_mark.line + 1
            _walk(value, child, lines, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            _walk(item, (*loc, index), lines, path)


def _duplicate(path: Path, loc: Loc, first: int, again: int) -> None:
    raise InputError(f"{path.name}:{again}: {format_loc(loc)}: " + _(
        "nyckeln finns redan på rad {first}; ta bort en av dem", first=first
    ))


def validate(located: Located, model: type[M]) -> M:
    """Validate the data against a pydantic model; all problems at once, each with its line."""
    if not isinstance(located.data, dict):
        raise InputError(
            f"{located.path.name}:1: (top): "
            + _("här ska avsnitt med namn stå (en YAML-mappning)")
        )
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
            problems.append(located.problem(loc, error_text(err)))
        raise InputError(problems) from exc


#: Swedish texts of pydantic's error types (English stays pydantic's own message).
_SV = {
    "missing": "måste anges",
    "extra_forbidden": "okänt fält",
    "string_type": "ska vara text",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "date_type": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "datetime_type": "ska vara en tidpunkt (ÅÅÅÅ-MM-DD TT:MM)",
    "datetime_parsing": "ska vara en tidpunkt (ÅÅÅÅ-MM-DD TT:MM)",
    "datetime_from_date_parsing": "ska vara en tidpunkt (ÅÅÅÅ-MM-DD TT:MM)",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara en mappning (nyckel: värde)",
    "model_type": "ska vara en mappning (nyckel: värde)",
    "model_attributes_type": "ska vara en mappning (nyckel: värde)",
    "literal_error": "ska vara en av {expected}",
    "enum": "ska vara en av {expected}",
    "greater_than": "ska vara större än {gt}",
    "greater_than_equal": "ska vara minst {ge}",
    "less_than": "ska vara mindre än {lt}",
    "less_than_equal": "ska vara högst {le}",
    "string_too_short": "får inte vara tom",
    "string_pattern_mismatch": "ska ha formen {pattern}",
    "string_too_long": "får vara högst {max_length} tecken",
    "too_short": "ska ha minst {min_length} element",
    "too_long": "får ha högst {max_length} element",
}


#: The id patterns of the YAML files, said in words (a regex is no help to a coordinator).
_ID_PATTERNS = {
    r"^[a-z0-9-]+$": lambda: _("får bara innehålla a–z, 0–9 och bindestreck (inga versaler, mellanslag eller å/ä/ö)"),
    r"^[a-z](?:_?[a-z0-9])*$": lambda: _("ska börja med a–z och får bara innehålla a–z, 0–9 och enkla understreck"),
}


def error_text(err: dict) -> str:
    """One pydantic error as the message part of a problem line, in the configured language."""
    kind = err["type"]
    if kind == "value_error":  # our own validators' text, already in the configured language
        msg = err["msg"]
        return msg[len("Value error, ") :] if msg.startswith("Value error, ") else msg
    english = {"missing": "is required", "extra_forbidden": "unknown field"}.get(kind, err["msg"])
    pattern = str((err.get("ctx") or {}).get("pattern", ""))
    if kind == "string_pattern_mismatch" and pattern in _ID_PATTERNS:
        return _ID_PATTERNS[pattern]()
    swedish = _SV.get(kind)
    if swedish is None:
        return english
    try:
        ctx = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
        if "expected" in ctx:  # pydantic joins the choices with an English "or"
            ctx["expected"] = ctx["expected"].replace(" or ", " eller ")
        swedish = swedish.format(**ctx)
    except KeyError:
        pass
    return english if cli_language() == "en" else swedish  # pydantic's own English
