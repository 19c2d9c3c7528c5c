"""The registers in the report: classification under Informationsklassningar, NIS2 under the
legal compliance's Informationssäkerhet, cloud services and the records of processing under its
Dataskydd. Each lists what the register holds and the findings a reader acts on."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import select

from models.cycle.submitted import assignments
from models.i18n import N_, format_date, gettext
from models.organisation import scope_names
from models.records.registers import REGISTERS, entries, show
from models.report.content import Bullets, Paragraph, Table


def _names(ctx) -> dict:
    return scope_names(session=ctx.session)


def _cells(ctx, name: str, entry, columns: list[str]) -> list[str]:
    by_id = {c.id: c for c in REGISTERS[name].columns()}
    return [show(by_id[c], entry.data.get(c), ctx.lang) for c in columns]


def _head(ctx, name: str, columns: list[str]) -> list[str]:
    by_id = {c.id: c for c in REGISTERS[name].columns()}
    return [by_id[c].text.get(ctx.lang) for c in columns]


def classification_items(ctx) -> list:
    """Information assets per unit: how many, with personal data, the highest confidentiality."""
    rows = entries("informationstillgangar", session=ctx.session)
    if not rows:
        return []
    names, per_unit = _names(ctx), defaultdict(list)
    for entry in rows:
        per_unit[entry.scope_id].append(entry.data)
    head = [gettext(h, ctx.lang) for h in (N_("Förvaltning"), N_("Informationstillgångar"),
                                            N_("Med personuppgifter"),
                                            N_("Högsta konfidentialitet"))]
    table = [[names.get(("unit", u), u), str(len(d)),
              str(sum(1 for r in d if r.get("personuppgifter"))),
              str(max(int(r.get("konfidentialitet") or 0) for r in d))]
             for u, d in sorted(per_unit.items())]
    return [Table(gettext("Registret över informationstillgångar", ctx.lang), head, table,
                  numeric=(1, 2, 3))]


def nis2_items(ctx) -> list:
    """Units' activities in NIS2 scope with evidence; the registration and management training."""
    items = []
    scope = entries("nis2", session=ctx.session)
    if scope:
        names, columns = _names(ctx), ["verksamhet", "sektor", "omfattas", "bevis"]
        items.append(Table(gettext("Verksamheter och cybersäkerhetslagen (NIS2)", ctx.lang),
                           [gettext("Förvaltning", ctx.lang)] + _head(ctx, "nis2", columns),
                           [[names.get(("unit", e.scope_id), e.scope_id)]
                            + _cells(ctx, "nis2", e, columns) for e in scope]))
    org = entries("nis2-organisation", session=ctx.session)
    kinds = {e.data.get("typ") for e in org}
    if org:
        columns = ["typ", "beskrivning", "datum", "bevis"]
        items.append(Table(gettext("Registrering och ledningens utbildning", ctx.lang),
                           _head(ctx, "nis2-organisation", columns),
                           [_cells(ctx, "nis2-organisation", e, columns) for e in org]))
    if scope or org:
        missing = [gettext(text, ctx.lang) for kind, text in (
            ("registrering", N_("registrering hos tillsynsmyndigheten")),
            ("ledningsutbildning", N_("ledningens utbildning"))) if kind not in kinds]
        if missing:
            items.append(Paragraph(gettext("Saknas i registret: {what}.", ctx.lang,
                                           what=", ".join(missing))))
    return items


def cloud_items(ctx) -> list:
    """Cloud services with transfers, legal basis and agreements; what needs acting on."""
    rows = entries("molntjanster", session=ctx.session)
    if not rows:
        return []
    names = _names(ctx)
    columns = ["tjanst", "leverantor", "tredjeland", "rattslig_grund", "tia", "pub_avtal",
               "granskas"]
    table = Table(gettext("Molntjänster och tredjelandsöverföringar", ctx.lang),
                  [gettext("Förvaltning", ctx.lang)] + _head(ctx, "molntjanster", columns),
                  [[names.get(("unit", e.scope_id), e.scope_id)]
                   + _cells(ctx, "molntjanster", e, columns) for e in rows])
    findings = _cloud_findings(ctx, [e.data for e in rows])
    return [table] + ([Paragraph(gettext("Att åtgärda:", ctx.lang)), Bullets(findings)]
                      if findings else [])


def _cloud_findings(ctx, rows: list[dict]) -> list[str]:
    end = f"{ctx.year}-12-31"
    checks = (
        (lambda r: r.get("tredjeland") and r.get("rattslig_grund") in (None, "saknas"),
         N_("tredjelandsöverföringar utan rättslig grund")),
        (lambda r: r.get("tredjeland") and r.get("rattslig_grund") == "scc" and not r.get("tia"),
         N_("överföringar på standardavtalsklausuler utan överföringsbedömning (TIA)")),
        (lambda r: r.get("personuppgifter") and not r.get("pub_avtal"),
         N_("tjänster med personuppgifter utan personuppgiftsbiträdesavtal")),
        (lambda r: r.get("granskas") and r["granskas"] <= end,
         N_("avtal med granskningsdatum under året")),
    )
    return [gettext("{n} {what}", ctx.lang, n=n, what=gettext(what, ctx.lang))
            for test, what in checks if (n := sum(1 for r in rows if test(r)))]


def processing_items(ctx) -> list:
    """Per board: processing activities, DPIAs needed and done, and when the record was reviewed."""
    rows = entries("behandlingar", session=ctx.session)
    if not rows:
        return []
    reviewed = {a.scope_id: a.submitted_at for _s, a in
                assignments(ctx.session, ctx.year, "registerforteckning")}
    names, per_board = _names(ctx), defaultdict(list)
    for entry in rows:
        per_board[entry.scope_id].append(entry.data)
    head = [gettext(h, ctx.lang) for h in (
        N_("Nämnd"), N_("Behandlingar"), N_("Konsekvensbedömning behövs"),
        N_("Konsekvensbedömning gjord"), N_("Granskad"))]
    table = [[names.get(("board", b), b), str(len(d)),
              str(sum(1 for r in d if r.get("dpia_behovs"))),
              str(sum(1 for r in d if r.get("dpia_behovs") and r.get("dpia_gjord"))),
              f"{reviewed[b]:%Y-%m-%d}" if reviewed.get(b) else gettext("Nej", ctx.lang)]
             for b, d in sorted(per_board.items())]
    return [Table(gettext("Registerförteckningar", ctx.lang), head, table, numeric=(1, 2, 3))]


def dpo_feedback_items(ctx) -> list:
    """The DPO's feedback to each board after the compliance check, and the board's decision."""
    from models.org import Board
    from models.records.feedback import decisions, feedback

    given = feedback(ctx.year, session=ctx.session)
    decided = decisions(ctx.year, session=ctx.session)
    if not given and not decided:
        return []
    boards = {b.id: b.name for b in ctx.session.exec(select(Board))}
    head = [gettext(h, ctx.lang) for h in (N_("Nämnd"), N_("Återkoppling från dataskyddsombudet"),
                                           N_("Åtgärder"), N_("Nämndens beslut"))]
    rows = []
    for board in sorted(set(given) | set(decided), key=lambda b: boards.get(b, b)):
        row, decision = given.get(board, {}), decided.get(board)
        said = gettext("Ej behandlat ännu", ctx.lang)
        if decision:
            said = f"{format_date(decision[0], ctx.lang)}, § {decision[1]}" + (
                f": {decision[2]}" if decision[2] else "")
        rows.append([boards.get(board, board), str(row.get("aterkoppling") or ""),
                     str(row.get("atgarder") or ""), said])
    return [Table(gettext("Återkoppling och nämndernas beslut", ctx.lang), head, rows)]
