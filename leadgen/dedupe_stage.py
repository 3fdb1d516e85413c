"""The dedupe stage: load records (``storage.dedupe``), match them (``enrichment.dedupe``),
merge (``storage.dedupe``), all recorded in one ``runs`` row of kind ``dedupe``."""

from __future__ import annotations

import sys

from sqlalchemy import Engine

from enrichment.dedupe import (
    DEFAULT_THRESHOLD,
    CompanyEntry,
    DedupePlan,
    PersonEntry,
    find_company_duplicates,
    find_person_duplicates,
)
from storage.dedupe import (
    DedupeReport,
    Progress,
    Why,
    apply_merges,
    load_companies,
    load_people,
    plan_merges,
)
from storage.runs import finish_run, start_run


def _company_entry(r: dict) -> CompanyEntry:
    return CompanyEntry(
        id=r["id"],
        name=r["name"] or "",
        city=sys.intern(r["city"]) if r["city"] else "",  # a few thousand cities, 1M rows
        domain=r["domain"],
        inn=r["inn"],
        ogrn=r["ogrn"],
        vat=r["vat"],
        phones=tuple(r["phones"] or ()),
        emails=tuple(r["emails"]),
        address=r["address"] or "",
    )


def _person_entry(r: dict, company_of: dict[int, int]) -> PersonEntry:
    return PersonEntry(
        id=r["id"],
        group=company_of.get(r["company_id"], r["company_id"]),
        full_name=r["full_name"] or "",
        first_name=r["first_name"],
        middle_name=r["middle_name"],
        last_name=r["last_name"],
        emails=tuple(r["emails"]),
    )


def _why(plan: DedupePlan) -> dict[int, Why]:
    """For each record, the first match (strongest first) that joined it to its cluster."""
    out: dict[int, Why] = {}
    for m in plan.matches:
        w = Why(m.rule, m.score, m.reason)
        out.setdefault(m.a, w)
        out.setdefault(m.b, w)
    return out


def _note(plan: DedupePlan, entity_type: str, report: DedupeReport) -> None:
    for rule, n in plan.refused_counts.items():
        key = f"{entity_type}:{rule}"
        report.refused[key] = report.refused.get(key, 0) + n
    for r in plan.refused[: max(0, 50 - len(report.refused_examples))]:
        report.refused_examples.append(f"{entity_type} #{r.a} / #{r.b} ({r.rule}): {r.reason}")
    report.pairs_compared += plan.compared
    report.skipped_blocks += plan.skipped_blocks


def dedupe(
    engine: Engine,
    *,
    dry_run: bool = False,
    companies: bool = True,
    people: bool = True,
    threshold: float = DEFAULT_THRESHOLD,
    progress: Progress | None = None,
) -> DedupeReport:
    """Find duplicate companies (then people within each company) and, unless ``dry_run``,
    merge them; returns what was (or would be) merged and why."""
    report = DedupeReport(dry_run=dry_run)
    params = {"dry_run": dry_run, "companies": companies, "people": people, "threshold": threshold}
    if not dry_run:
        report.run_id = start_run(engine, "dedupe", params)
    try:
        company_of: dict[int, int] = {}
        if companies:
            with engine.connect() as conn:
                entries = [_company_entry(r) for r in load_companies(conn)]
                report.companies_scanned = len(entries)
                plan = find_company_duplicates(
                    entries,
                    threshold=threshold,
                    progress=progress and (lambda d, t: progress("comparing companies", d, t)),
                )
                del entries
                clusters = plan_merges(conn, "company", plan.clusters, _why(plan), report)
                _note(plan, "company", report)
            for keep, drops in clusters:
                for d in drops:
                    company_of[d["id"]] = keep["id"]
            if not dry_run:
                apply_merges(engine, "company", clusters, report.merges, report.run_id, progress)
        if people:
            with engine.connect() as conn:
                entries_p = [_person_entry(r, company_of) for r in load_people(conn)]
                report.people_scanned = len(entries_p)
                plan = find_person_duplicates(entries_p)
                del entries_p
                clusters = plan_merges(conn, "person", plan.clusters, _why(plan), report)
                _note(plan, "person", report)
            if not dry_run:
                apply_merges(engine, "person", clusters, report.merges, report.run_id, progress)
    except BaseException as exc:
        if report.run_id is not None:
            status = "partial" if isinstance(exc, KeyboardInterrupt) else "failed"
            finish_run(
                engine,
                report.run_id,
                status=status,
                counts=report.counts(),
                problems=[],
                error=f"{type(exc).__name__}: {exc}",
            )
        raise
    if report.run_id is not None:
        problems = [{"where": "dedupe", "reason": s} for s in report.skipped_blocks]
        finish_run(engine, report.run_id, status="ok", counts=report.counts(), problems=problems)
    return report
