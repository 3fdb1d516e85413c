"""``leadgen score SEGMENT.toml``: score every account of the database against a segment file.

The stage joins the pure scorer (``scoring``: segment file, criteria, 9-box, tiers, DQI,
explanations) and the database (``storage.accounts`` reads the accounts, ``storage.scores``
keeps one scores row per account that passes the segment's ICP filters).  Registered on the
main Typer app by ``leadgen.cli``.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import threading
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from leadgen.cli import _engine, _fail, app, err


def result_row(score: Any) -> dict[str, Any]:
    """What ``storage.scores.save_scores`` keeps of one ``scoring.AccountScore``.

    ``tier`` is the tier the segment file gives (its formula, or an override written in the
    file); a manual override (``override_tier``, set by hand) is kept by the storage side.
    The explanation holds every criterion's value seen, points given and note
    (``scoring.stored_criteria``; ``leadgen explain`` expands them with the segment stored
    beside the scores), and the data-quality details the report reads (``dqi.missing``,
    ``dqi.incomplete``)."""
    from scoring import stored_criteria

    dqi = score.dqi
    todo = list(dqi.missing)
    return {
        "company_id": score.account_id,
        "attractiveness": score.attractiveness,
        "position": score.position,
        "cell": score.cell,
        "tier": score.tier,
        "total": score.total,
        "dqi": dqi.score,
        "explanation": {
            "criteria": stored_criteria(score.explanation),
            "computed_tier": score.computed_tier,
            "file_override": score.override_reason if score.overridden else None,
            "dqi": {
                "score": dqi.score,
                "missing": [m.split(":", 1)[0] for m in todo],
                "todo": todo,
                "contacts": dqi.contacts,
                "decision_makers": dqi.decision_makers,
                "contacts_ok": dqi.contacts_ok,
                "incomplete": not dqi.complete,
            },
            "contacts": list(score.contacts),
        },
    }


def expanded(conn, found: dict[str, Any], segments: dict[str, Any]) -> dict[str, Any]:
    """A stored explanation (``storage.scores.get_explanation``) with its criteria expanded
    by the segment definition stored with the scores (``segments``: parsed ones, by name)."""
    from scoring import SegmentError, expand_criteria, parse_segment
    from storage.scores import segment_definition

    explanation = dict(found.get("explanation") or {})
    name = found["segment"]
    if name not in segments:
        try:
            segments[name] = parse_segment(segment_definition(conn, name), source=name)
        except SegmentError:
            segments[name] = None
    segment = segments[name]
    stored = explanation.get("criteria") or []
    if segment is not None and stored and isinstance(stored[0], list):
        explanation["criteria"] = expand_criteria(segment, stored)
    return {**found, "explanation": explanation}


def segment_decision_makers(segment: Any):
    """A function marking the people the segment's ``[decision_makers]`` rules add (titles,
    departments) as decision makers in an account dict; None when the segment adds none.

    The stored people keep the default rule's flag: a segment's rules apply to its own
    scores, ranking and data-quality index only."""
    dm = segment.decision_makers
    if not dm.titles and not dm.departments:
        return None
    from enrichment import DecisionRules, classify_title

    rules = DecisionRules(extra_titles=dm.titles, departments=dm.departments)

    def apply(account: dict[str, Any]) -> None:
        for p in account.get("people") or ():
            if not p.get("is_decision_maker") and p.get("title"):
                if classify_title(p["title"], rules).is_decision_maker:
                    p["is_decision_maker"] = True

    return apply


#: Below this many accounts scoring stays in this process (starting workers costs more).
PARALLEL_MIN_ACCOUNTS = 20_000
#: Accounts a worker reads and scores per task (one id range).
BLOCK = 5_000


class _Scorer:
    """Scores accounts into prepared rows (``storage.scores.ScoreRow``: checked, explanation
    serialized) and the figures the summary needs.  The same object runs in this process or
    in each worker, so both give the same rows."""

    def __init__(self, path: Path, config_hash: str | None = None) -> None:
        from scoring import load_segment

        self.segment = load_segment(path)
        if config_hash is not None and self.segment.hash != config_hash:
            raise RuntimeError(f"{path} changed while it was being scored: score it again")
        self.add_decision_makers = segment_decision_makers(self.segment)

    def score(self, engine, block: tuple[int, int | None]) -> tuple[list, list, int, int]:
        """(rows, their DQIs, accounts seen, accounts out of the segment) of one id range."""
        from scoring import icp_check, score_account
        from storage.accounts import load_accounts
        from storage.scores import prepare_score

        segment, add = self.segment, self.add_decision_makers
        icp, override_for = segment.icp, segment.override_for
        rows, dqis = [], []
        seen = failed = 0
        checked: dict[int, tuple[bool, list[str]]] = {}

        def keep(account: dict[str, Any]) -> bool:
            # Out of the segment (the ICP's hard filters, no override in the file naming it):
            # no row, so no need for its people or the whole score.
            nonlocal seen, failed
            seen += 1
            result = icp_check(account, icp)
            if result[0] or override_for(account) is not None:
                checked[id(account)] = result  # the account stays alive until it is scored
                return True
            failed += 1
            return False

        for account in load_accounts(engine, id_range=block, keep=keep):
            if add is not None:
                add(account)
            s = score_account(account, segment, checked.pop(id(account)))
            if s.tier is None:
                failed += 1
                continue
            rows.append(prepare_score(result_row(s)))
            dqis.append(s.dqi)
        return rows, dqis, seen, failed


_worker: dict[str, Any] = {}


def _start_worker(url: str, path: Path, config_hash: str) -> None:
    from storage.db import make_engine

    # Accounts and scores are many small acyclic objects: the cyclic collector would walk
    # them again and again for nothing.
    gc.disable()
    _worker["engine"] = make_engine(url, migrate=False)
    _worker["scorer"] = _Scorer(path, config_hash)


def _score_block(block: tuple[int, int | None]) -> tuple[list[Any], list[Any], int, int]:
    return _worker["scorer"].score(_worker["engine"], block)


@contextmanager
def scoring_workers(engine, path: Path, count: int | None = None) -> Iterator[Any]:
    """A pool of scoring processes for ``score_segment``; None when there are too few accounts
    for it to pay (``PARALLEL_MIN_ACCOUNTS``), one core, or an in-memory database.

    Each worker opens its own connection and reads the segment file itself; it is sent an id
    range and returns prepared rows, so little crosses between processes.  Open it before a
    progress bar starts its thread: workers are forked when no other thread runs (cheap),
    else spawned."""
    from scoring import load_segment
    from storage.accounts import count_accounts

    count = count or min(os.cpu_count() or 1, 4)
    database = engine.url.database
    if (
        count < 2
        or count_accounts(engine) < PARALLEL_MIN_ACCOUNTS
        or (engine.url.get_backend_name() == "sqlite" and database in (None, "", ":memory:"))
    ):
        yield None
        return
    config_hash = load_segment(path).hash
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
    url = engine.url.render_as_string(hide_password=False)
    pool = multiprocessing.get_context(method).Pool(count, _start_worker, (url, path, config_hash))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def score_segment(engine, path: Path, progress=None, *, pool=None) -> dict[str, Any]:
    """Score the database's accounts against the segment file at ``path``; returns a summary.

    With many accounts the scoring runs in worker processes (``pool``, from
    ``scoring_workers``, or one opened here), each scoring a range of ids, while this process
    writes; the rows are the same either way (results are taken in id order).
    Raises ``scoring.SegmentError`` for a file that does not validate (nothing is written)."""
    from scoring import segment_quality
    from storage.accounts import account_blocks, count_accounts
    from storage.runs import finish_run, start_run
    from storage.scores import save_scores

    scorer = _Scorer(path)
    segment = scorer.segment
    definition = tomllib.loads(path.read_text(encoding="utf-8"))
    total = count_accounts(engine)
    run_id = start_run(
        engine,
        "score",
        {"segment": segment.name, "file": str(path), "config_hash": segment.hash},
    )
    rows: list[Any] = []
    dqis: list[Any] = []
    seen = failed_icp = 0
    collecting = gc.isenabled()
    gc.disable()
    try:
        with ExitStack() as stack:
            if pool is None and total >= PARALLEL_MIN_ACCOUNTS:
                pool = stack.enter_context(scoring_workers(engine, path))
            blocks = account_blocks(engine, BLOCK)
            if pool is None:
                parts = (scorer.score(engine, b) for b in blocks)
            else:
                parts = pool.imap(_score_block, blocks)
            for part_rows, part_dqis, part_seen, part_failed in parts:
                rows += part_rows
                dqis += part_dqis
                seen += part_seen
                failed_icp += part_failed
                if progress:
                    progress(seen, max(total, seen))
        if progress:
            progress(seen, max(total, seen))
        saved = save_scores(
            engine,
            segment.name,
            description=segment.description,
            definition=definition,
            config_hash=segment.hash,
            results=rows,
            run_id=run_id,
        )
    except BaseException as exc:
        finish_run(engine, run_id, status="failed", counts={}, problems=[], error=repr(exc))
        raise
    finally:
        if collecting:
            gc.enable()
    tiers = Counter(r["tier"] for r in rows)
    cells = Counter(r["cell"] for r in rows)
    quality = segment_quality(dqis, segment.quality)
    summary = {
        "run_id": run_id,
        "segment": segment.name,
        "config_hash": segment.hash,
        "accounts": seen,
        "scored": len(rows),
        "failed_icp": failed_icp,
        "tiers": dict(sorted(tiers.items())),
        "cells": dict(sorted(cells.items())),
        "dqi": round(quality.index, 4),
        "dqi_target": quality.target,
        "dqi_meets_target": quality.meets_target,
        "below_contact_rule": quality.below_contact_rule,
        "saved": saved,
    }
    finish_run(engine, run_id, status="ok", counts=summary, problems=[])
    return summary


@app.command(
    "score",
    epilog="Examples: leadgen score examples/segments/construction-ru-crm.toml  |  "
    "leadgen score my-segment.toml --json",
)
def score_cmd(
    segment_file: Annotated[Path, typer.Argument(help="The segment definition (TOML).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Score every account against a segment: ICP filters, the two axes, the 9-box cell, the
    tier (strategic / scale / programmatic) and the data-quality index, each with its
    explanation.  The same data and the same file give the same scores."""
    from leadgen.progress import progress
    from scoring import SegmentError

    if not segment_file.is_file():
        _fail(f"{segment_file}: no such file", 2)
    engine = _engine()
    try:
        # The workers first: forked before the progress bar's thread starts.
        with (
            scoring_workers(engine, segment_file) as pool,
            progress(err, "scoring", "accounts") as update,
        ):
            summary = score_segment(engine, segment_file, update, pool=pool)
    except SegmentError as exc:
        _fail(str(exc), 2)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    err.print(
        f"segment {summary['segment']}: {summary['scored']} of {summary['accounts']} accounts "
        f"pass the ICP; tiers {summary['tiers']}; DQI {summary['dqi']:.1%} "
        f"(target {summary['dqi_target']:.0%}); {summary['below_contact_rule']} accounts below "
        "the contact rule",
        highlight=False,
    )


def _company_id(engine, company: str) -> int:
    from storage.accounts import AmbiguousCompany, resolve_company

    try:
        cid = resolve_company(engine, company)
    except AmbiguousCompany as exc:
        ids = ", ".join(str(i) for i in exc.ids)
        _fail(f"{company!r} names several companies ({ids}): give the id or the domain", 2)
    if cid is None:
        _fail(f"no company {company!r} (give an id, domain, INN, OGRN, VAT or the exact name)", 2)
    return cid


@app.command(
    "explain",
    epilog="Examples: leadgen explain stroymontazh-kzn.ru  |  "
    "leadgen explain 7707083893 --segment construction-ru-crm --json",
)
def explain_cmd(
    company: Annotated[str, typer.Argument(help="Company id, domain, INN, OGRN, VAT or name.")],
    segment: Annotated[
        str | None, typer.Option(help="Only this segment (default: every segment it is in).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Why an account has its score: each criterion with the value it saw and the points it
    gave, the 9-box cell, the tier (and any override with its reason), and what data is
    missing."""
    from storage.scores import UnknownSegment, company_segments, get_explanation

    engine = _engine()
    cid = _company_id(engine, company)
    with engine.connect() as conn:
        names = [segment] if segment else company_segments(conn, cid)
        try:
            found = [e for n in names if (e := get_explanation(conn, n, cid)) is not None]
        except UnknownSegment:
            _fail(f"no segment named {segment!r}", 2)
        parsed: dict[str, Any] = {}
        found = [expanded(conn, e, parsed) for e in found]
    if not found:
        _fail(f"company {company!r} is not scored in {segment or 'any segment'}", 1)
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2, default=str))
        return
    from leadgen.cli import out

    for e in found:
        tier = e["tier"] + (
            f" (set by hand: {e['override_reason']}; the formula says {e['formula_tier']})"
            if e["overridden"]
            else ""
        )
        out.print(
            f"[bold]{e['company']}[/] ({e['domain'] or 'no domain'}) in segment "
            f"[bold]{e['segment']}[/]: tier {tier}, cell {e['cell']}, "
            f"attractiveness {e['attractiveness']:.1f}, position {e['position']:.1f}, "
            f"DQI {e['dqi']:.0%}",
            highlight=False,
        )
        explanation = e["explanation"] or {}
        for c in explanation.get("criteria", []):
            if "sentence" not in c:  # the segment stored with the scores does not explain it
                out.print(f"  {c['value']!r}: {c['points']} points ({c['note']})", highlight=False)
                continue
            out.print(
                f"  {c['axis']:<15} {c['criterion']:<20} {c['points']:6.1f} / "
                f"{c['max_points']:<6.1f} {c['sentence']}",
                highlight=False,
            )
        todo = (explanation.get("dqi") or {}).get("todo") or []
        if todo:
            out.print("  missing: " + "; ".join(todo), highlight=False)


@app.command(
    "override",
    epilog="Examples: leadgen override stroymontazh-kzn.ru --segment construction-ru-crm "
    "--tier strategic --reason 'CEO met us at the fair'  |  "
    "leadgen override 42 --segment construction-ru-crm --clear",
)
def override_cmd(
    company: Annotated[str, typer.Argument(help="Company id, domain, INN, OGRN, VAT or name.")],
    segment: Annotated[str, typer.Option(help="The segment the override belongs to.")],
    tier: Annotated[str | None, typer.Option(help="strategic, scale or programmatic.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why (required with --tier).")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Back to the formula's tier.")] = False,
) -> None:
    """Set an account's tier by hand, with a reason: market knowledge beats the formula.  The
    override survives re-scoring, and lists show that the tier was set by hand."""
    from storage.scores import NotScored, UnknownSegment, clear_override, set_override

    if clear == (tier is not None):
        _fail("give either --tier TIER --reason TEXT, or --clear", 2)
    engine = _engine()
    cid = _company_id(engine, company)
    try:
        if clear:
            changed = clear_override(engine, segment, cid)
            err.print("override cleared" if changed else "there was no override", highlight=False)
            return
        set_override(engine, segment, cid, tier, reason or "")
    except UnknownSegment:
        _fail(f"no segment named {segment!r}", 2)
    except NotScored:
        _fail(f"company {company!r} is not scored in {segment!r} (run leadgen score first)", 1)
    except ValueError as exc:
        _fail(str(exc), 2)
    err.print(f"{company}: tier {tier} in {segment} (set by hand: {reason})", highlight=False)


def list_segment_accounts(
    segment: str,
    tier: str | None,
    cell: str | None,
    min_score: float | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """``leadgen list SEGMENT``: one page of the segment's accounts, best score first."""
    from leadgen.customer_history import account_colours, segment_window
    from storage.scores import UnknownSegment, list_segment

    engine = _engine()
    try:
        with engine.connect() as conn:
            rows = list_segment(
                conn, segment, tier=tier, cell=cell, min_score=min_score, limit=limit, offset=offset
            )
            colours = account_colours(conn, rows, window_days=segment_window(conn, segment))
        for r in rows:
            r["colour"] = colours[r["id"]]
    except UnknownSegment:
        _fail(f"no segment named {segment!r} (leadgen score SEGMENT.toml creates it)", 2)
    except ValueError as exc:
        _fail(str(exc), 2)
    if as_json:
        print(json.dumps([_segment_json(r) for r in rows], ensure_ascii=False, indent=2))
        return
    _print_segment(rows, offset)


def _contact_json(p: dict[str, Any] | None) -> dict[str, Any] | None:
    if not p:
        return None
    return {
        "id": p["id"],
        "name": p["full_name"],
        "title": p["title"],
        "seniority": p["seniority"],
        "is_decision_maker": bool(p["is_decision_maker"]),
        "emails": [{"address": e["address"], "status": e["status"]} for e in p["emails"]],
        "phones": p["phones"] or [],
    }


def _segment_json(r: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "name", "domain", "country", "city", "industry", "employees", "status")
    return {
        **{k: r.get(k) for k in keys},
        "colour": r.get("colour"),
        "tier": r["tier"],
        "overridden": r["overridden"],
        "formula_tier": r["formula_tier"],
        "override_reason": r["override_reason"],
        "cell": r["cell"],
        "attractiveness": r["attractiveness"],
        "position": r["position"],
        "total": r["total"],
        "dqi": r["dqi"],
        "people_count": r["people_count"],
        "decision_makers": r["decision_makers"],
        "best_contact": _contact_json(r["contact"]),
    }


#: How a contact's email status shows in the segment table.
_STATUS_STYLE = {"valid": "green", "risky": "yellow", "invalid": "red"}


def _print_segment(rows: list[dict[str, Any]], offset: int) -> None:
    from rich.table import Table

    from leadgen.cli import out

    if not rows:
        err.print("no accounts match" if offset == 0 else "no more accounts")
        return
    t = Table(header_style="bold", expand=False, show_lines=True)
    for name, justify in (
        ("#", "right"),
        ("Company", "left"),
        ("Colour", "left"),
        ("Tier", "left"),
        ("Cell", "left"),
        ("Score", "right"),
        ("DQI", "right"),
        ("People", "right"),
        ("Best contact", "left"),
    ):
        t.add_column(name, justify=justify, max_width=40)
    for i, r in enumerate(rows, offset + 1):
        p = r["contact"]
        who = ""
        if p:
            who = ("★ " if p["is_decision_maker"] else "") + p["full_name"]
            if p["emails"]:
                email = p["emails"][0]
                style = _STATUS_STYLE.get(email["status"], "dim")
                who += f"\n[cyan]{email['address']}[/] [{style}]{email['status']}[/]"
        tier = r["tier"] + (" ✎" if r["overridden"] else "")
        t.add_row(
            str(i),
            r["name"] + (f"\n[dim]{r['domain']}[/]" if r.get("domain") else ""),
            r.get("colour") or "",
            tier,
            r["cell"],
            f"{r['total']:.1f}",
            f"{r['dqi']:.0%}",
            f"{r['people_count']} ({r['decision_makers']} DM)",
            who,
        )
    out.print(t)
    err.print("✎ = tier set by hand (leadgen explain COMPANY shows why)")
