"""The enrich job: for every person without a usable work email, guess and verify.

Glue between ``storage.enrich`` (what to do, where results go), ``enrichment.patterns`` (learn a
domain's pattern, guess addresses) and ``enrichment.verify`` (DNS/SMTP checks).  Companies are
taken ``chunk`` at a time; within a chunk every check of a round goes to the verifier as one
concurrent batch (its per-host limits and rate limit hold across the batch, and each domain's
MX lookup and catch-all probe are made once), so one slow server does not hold up the rest.

Per company:

1. Existing addresses that are due (never checked, a scheduled retry of a temporary result, or
   older than the re-check age) are verified.
2. People left without a live address (none, or all verified invalid) get candidates from the
   domain's learned pattern (else the prior), minus addresses already tried; candidates are
   verified in order, one round each, until one is valid.  A guess verified invalid is stored
   (hidden from lists and exports) so it is never tried again.
3. On a catch-all domain every address is "risky": the address kept is chosen by evidence
   (seen on the web > learned pattern > prior) and the reason and confidence say which.
   A temporary result (greylisting, timeout) keeps the candidate as ``unknown`` with a retry
   scheduled (``enrichment.email_job``); the person waits for that retry.
4. Without SMTP only DNS is checked: a domain that cannot receive mail gets no guesses; else
   the best candidate is stored as ``unknown`` with its evidence, due for an SMTP check later.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from enrichment.email_job import RetryPolicy, choose_by_evidence, is_due, schedule_after
from storage.clock import utcnow
from storage.enrich import (
    VERIFY_FIELDS,
    CompanyWork,
    EmailCheck,
    NewEmail,
    PatternFacts,
    PersonWork,
    iter_company_work,
    save_company,
)
from storage.suppression import load_suppressions

#: Confidence of a catch-all address by the evidence it rests on (the server accepts any
#: address, so even the best guess stays below a verified one).
CATCH_ALL_CAP = {"web": 0.9, "learned": 0.8, "prior": 0.5}
VALID_CONFIDENCE = 0.99


@dataclass(frozen=True, slots=True)
class EnrichOptions:
    smtp: bool = False
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    #: Candidates tried per person and run (in the guesser's order).
    max_candidates: int = 5
    #: Companies read and checked together.
    chunk: int = 200


@dataclass(slots=True)
class EnrichCounts:
    companies: int = 0
    people: int = 0
    checked: int = 0
    guessed: int = 0
    valid: int = 0
    invalid: int = 0
    risky: int = 0
    unknown: int = 0
    retries_scheduled: int = 0
    no_candidates: int = 0
    no_mail_domain: int = 0
    suppressed: int = 0
    status_changes: int = 0
    patterns_learned: int = 0

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


#: verify(addresses) -> one result (with ``to_json()``) per address, same order.
Verifier = Callable[[Sequence[str]], Any]


def _fields(result: Any) -> dict[str, Any]:
    data = result.to_json()
    return {k: data[k] for k in VERIFY_FIELDS}


@dataclass(slots=True)
class _Pending:
    """A person being guessed for: the candidates left, in order."""

    person: PersonWork
    work: CompanyWork
    candidates: list[Any]
    tried: list[tuple[Any, Any]] = field(default_factory=list)  # (candidate, result)


class EnrichJob:
    def __init__(
        self,
        engine: Engine,
        options: EnrichOptions,
        verify: Callable[[Sequence[str]], Any],
        *,
        learn: Callable[..., Any],
        guess: Callable[..., list[Any]],
        run_id: int | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine = engine
        self.options = options
        self.verify = verify  # async: list of addresses -> list of results
        self.learn = learn
        self.guess = guess
        self.run_id = run_id
        self.now = now
        self.counts = EnrichCounts()
        self.problems: list[dict[str, Any]] = []

    async def run(
        self, company_ids: Sequence[int], progress: Callable[[int, int], None] | None = None
    ) -> EnrichCounts:
        total = len(company_ids)
        done = 0
        with self.engine.connect() as conn:
            self.suppressions = load_suppressions(conn)
        chunk = max(1, self.options.chunk)
        for start in range(0, total, chunk):
            ids = company_ids[start : start + chunk]
            works = list(iter_company_work(self.engine, ids, chunk=chunk))
            await self._chunk(works)
            done += len(ids)
            if progress:
                progress(done, total)
        return self.counts

    # -- one chunk ----------------------------------------------------------------------------
    async def _chunk(self, works: list[CompanyWork]) -> None:
        now = self.now()
        checks: dict[int, list[EmailCheck]] = {w.company_id: [] for w in works}
        new: dict[int, list[NewEmail]] = {w.company_id: [] for w in works}
        patterns: dict[int, Any] = {}

        # 1. existing addresses that are due
        due: list[tuple[CompanyWork, PersonWork | None, dict[str, Any]]] = []
        for w in works:
            for p in w.people:
                for e in p.emails:
                    if self._due(e, now):
                        due.append((w, p, e))
            for e in w.company_emails:
                if self._due(e, now):
                    due.append((w, None, e))
        results = await self._verify([e["address"] for _, _, e in due])
        for (w, _p, e), r in zip(due, results, strict=True):
            checks[w.company_id].append(self._check(e, r, now))
            e["status"] = r.status  # the person's state for step 2

        # 2. people without a live address: candidates
        pending: list[_Pending] = []
        for w in works:
            self.counts.companies += 1
            learned = self.learn(w.known) if w.known else None
            patterns[w.company_id] = learned
            taken = {e["address"] for p in w.people for e in p.emails}
            taken.update(e["address"] for e in w.company_emails)
            for p in w.people:
                self.counts.people += 1
                if any(e["status"] != "invalid" for e in p.emails):
                    continue
                try:
                    name = (
                        (p.first_name, p.middle_name, p.last_name)
                        if p.first_name and p.last_name
                        else p.full_name
                    )
                    cands = self.guess(name, w.domain, known=learned or ())
                except Exception as exc:  # a name the guesser cannot use: reported, run goes on
                    self._problem(w, p, f"cannot guess: {exc}")
                    continue
                cands = [
                    c
                    for c in cands
                    if c.email not in taken and not self.suppressions.email_suppressed(c.email)
                ][: self.options.max_candidates]
                if not cands:
                    self.counts.no_candidates += 1
                    continue
                pending.append(_Pending(p, w, cands))

        # rounds: the next candidate of every pending person, all at once
        while pending:
            batch = [(item, item.candidates.pop(0)) for item in pending]
            results = await self._verify([c.email for _, c in batch])
            still: list[_Pending] = []
            for (item, cand), r in zip(batch, results, strict=True):
                item.tried.append((cand, r))
                outcome = self._settle(item, cand, r, now, new[item.work.company_id])
                if outcome == "next" and item.candidates:
                    still.append(item)
            pending = still

        for w in works:
            learned = patterns.get(w.company_id)
            facts = None
            if learned is not None:
                self.counts.patterns_learned += 1
                facts = PatternFacts(
                    w.domain,
                    getattr(learned, "pattern", None),
                    getattr(learned, "translit", None),
                    getattr(learned, "confidence", None),
                    int(getattr(learned, "support", 0) or 0),
                )
            saved = save_company(
                self.engine,
                run_id=self.run_id,
                now=now,
                checks=checks[w.company_id],
                new_emails=new[w.company_id],
                pattern=facts,
                suppressions=self.suppressions,
            )
            self.counts.checked += saved.checked
            self.counts.guessed += saved.guessed
            self.counts.suppressed += saved.suppressed
            self.counts.status_changes += saved.status_changes

    def _due(self, e: dict[str, Any], now: datetime) -> bool:
        if self.suppressions.email_suppressed(e["address"]):
            return False
        return is_due(
            e["status"],
            e["checked_at"],
            e["attempts"],
            e["next_check_at"],
            now,
            self.options.policy,
        )

    async def _verify(self, addresses: list[str]) -> list[Any]:
        if not addresses:
            return []
        results = await self.verify(addresses)
        for r in results:
            status = r.status
            if status in ("valid", "invalid", "risky", "unknown"):
                setattr(self.counts, status, getattr(self.counts, status) + 1)
        return list(results)

    def _schedule(self, status: str, attempts: int, now: datetime) -> tuple[int, datetime | None]:
        if self.options.smtp:
            attempts, at = schedule_after(status, attempts, now, self.options.policy)
            if at is not None:
                self.counts.retries_scheduled += 1
            return attempts, at
        # DNS only: "unknown" just means "not asked by SMTP yet": due for the next SMTP run.
        return attempts, (now if status == "unknown" else None)

    def _check(self, e: dict[str, Any], r: Any, now: datetime) -> EmailCheck:
        fields = _fields(r)
        attempts, at = self._schedule(r.status, e["attempts"] or 0, now)
        evidence = confidence = None
        if r.status == "risky" and fields.get("catch_all") and e["origin"] != "guessed":
            where = "seen on the web" if e["origin"] == "found" else "from an imported list"
            fields["reason"] = (
                "catch-all domain: the server accepts any address; kept because the address "
                f"was {where}"
            )
            evidence = "web" if e["origin"] == "found" else None
            confidence = CATCH_ALL_CAP["web"] if evidence else 0.85
        elif r.status == "valid":
            confidence = VALID_CONFIDENCE
        return EmailCheck(
            e["id"],
            e["address"],
            e["company_id"],
            e["status"] if e["checked_at"] is not None else "unverified",
            fields,
            attempts,
            at,
            evidence,
            confidence,
        )

    def _settle(self, item: _Pending, cand: Any, r: Any, now: datetime, out: list[NewEmail]) -> str:
        """Store what this check of a candidate decides; "next" to try the next one."""
        status = r.status
        fields = _fields(r)
        if status == "invalid":
            if not fields.get("mx_hosts"):  # the domain cannot receive mail: no guess will do
                self.counts.no_mail_domain += 1
                return "stop"
            if r.syntax_ok:  # the server refused this mailbox: keep it, never try it again
                out.append(self._new(item, cand, fields, 0, None, cand.confidence))
            return "next"
        if not self.options.smtp:
            # DNS says the domain takes mail; which mailbox exists needs SMTP.
            attempts, at = self._schedule(status, 0, now)
            out.append(self._new(item, cand, fields, attempts, at, cand.confidence))
            return "stop"
        if status == "valid":
            out.append(self._new(item, cand, fields, 0, None, VALID_CONFIDENCE))
            return "stop"
        if status == "risky" and fields.get("catch_all"):
            options = [
                (c.email, c.evidence, c.confidence, getattr(c, "reason", "") or c.pattern)
                for c in [cand, *item.candidates]
            ]
            choice = choose_by_evidence(options, catch_all=True)
            chosen = next(c for c in [cand, *item.candidates] if c.email == choice.address)
            fields["reason"] = choice.reason
            confidence = min(choice.confidence, CATCH_ALL_CAP.get(choice.evidence, 0.5))
            attempts, at = self._schedule(status, 0, now)
            out.append(self._new(item, chosen, fields, attempts, at, confidence))
            return "stop"
        attempts, at = self._schedule(status, 0, now)
        out.append(self._new(item, cand, fields, attempts, at, cand.confidence))
        return "stop"  # risky for another reason (full mailbox, disposable) or temporary: wait

    def _new(
        self,
        item: _Pending,
        cand: Any,
        fields: dict[str, Any],
        attempts: int,
        next_at: datetime | None,
        confidence: float | None,
    ) -> NewEmail:
        detail = f"pattern {cand.pattern}"
        translit = getattr(cand, "translit", None)
        if translit:
            detail += f", transliteration {translit}"
        detail += f", evidence {cand.evidence}"
        return NewEmail(
            address=cand.email,
            domain=cand.email.rpartition("@")[2],
            person_id=item.person.id,
            company_id=item.work.company_id,
            pattern=cand.pattern,
            confidence=None if confidence is None else round(confidence, 3),
            evidence=cand.evidence,
            detail=detail,
            fields=fields,
            attempts=attempts,
            next_check_at=next_at,
        )

    def _problem(self, w: CompanyWork, p: PersonWork | None, reason: str) -> None:
        self.problems.append(
            {"company_id": w.company_id, "person_id": p.id if p else None, "reason": reason}
        )
