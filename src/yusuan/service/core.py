"""What the web pages and the API share: the store, accounts, upload jobs and
the read models, with a cache that a new document invalidates.

Nothing here knows HTTP: functions take plain values and return plain data
(dicts and lists of strings, numbers and ``Decimal``), or raise
:class:`yusuan.service.envelope.ApiError` for a request that cannot be served.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, or_, select

from yusuan.model import Fact
from yusuan.model.serialize import fact_dict, table_dict
from yusuan.refdata import code_depth, load_codes
from yusuan.service import aggregate as agg
from yusuan.service.auth import RateLimiter
from yusuan.service.docview import document_view, finding_info
from yusuan.service.envelope import ApiError, bad_request, not_found
from yusuan.service.govview import government_view
from yusuan.service.jobs import Job, Jobs
from yusuan.store import REVIEW_STATUSES, Store, StoredDocument
from yusuan.store.accounts import Accounts, User
from yusuan.store.schema import DocumentRow, FindingRow, GovernmentRow, ParagraphRow

T = TypeVar("T")
SESSION_CACHE_SECONDS = 10.0
GENERATION_SECONDS = 1.0
LEDGER_WIDE = ("facts-by-government", "aggregate-index")  # one cached copy is enough
WARM_PAGES = 2000  # government pages built ahead by warm(): well under the cache's size


@dataclass(frozen=True, slots=True)
class Settings:
    max_upload: int = 64 * 1024 * 1024  # bytes
    upload_workers: int = 2
    secure_cookies: bool = False  # set behind HTTPS
    login_limit: int = 5  # failed attempts per user name per window
    login_window: float = 300.0


def document_meta(d: StoredDocument) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "format": d.format,
        "kind": d.kind,
        "government": d.government,
        "division": d.division,
        "year": d.year,
        "date": d.date.isoformat() if d.date else None,
        "title": d.title,
        "ingested_at": d.ingested_at.isoformat(),
        "facts": d.facts,
        "tables": d.tables,
    }


def page_of(items: list[T], page: int, pagesize: int) -> tuple[list[T], dict[str, Any]]:
    start = (page - 1) * pagesize
    return items[start:start + pagesize], {"page": page, "pagesize": pagesize, "total": len(items)}


class Service:
    """One per application: the ledger, the accounts and the caches."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.accounts = Accounts(store.engine)
        self.jobs = Jobs(store, workers=self.settings.upload_workers, on_done=self._job_done)
        self.login_limiter = RateLimiter(self.settings.login_limit, self.settings.login_window)
        self.ip_limiter = RateLimiter(self.settings.login_limit * 4, self.settings.login_window)
        self._cache: OrderedDict[Any, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._build_locks: dict[Any, threading.Lock] = {}
        self._sessions: dict[str, tuple[float, User, str]] = {}
        self._generation: tuple[float, tuple[int, str]] | None = None
        # background warming: the generation last fully warmed, and the thread doing it
        self._warmed: tuple[int, str] | None = None
        self._auto_warm = False  # set by the first warm(): a serving process re-warms after writes
        self._warm_lock = threading.Lock()
        self._warm_thread: threading.Thread | None = None
        self._warm_again = False

    def close(self) -> None:
        self.jobs.shutdown()
        self.store.close()

    # ------------------------------------------------------------ caching

    def generation(self) -> tuple[int, str]:
        """Changes whenever a document is added or removed.  Read from the database
        at most once a second (another process may write to it); a write made
        through this service is seen at once (:meth:`touch`)."""
        now = time.monotonic()
        hit = self._generation
        if hit is not None and hit[0] > now:
            return hit[1]
        with self.store.session() as s:
            n, last = s.execute(select(func.count(), func.max(DocumentRow.ingested_at))).one()
        value = (int(n), str(last))
        self._generation = (now + GENERATION_SECONDS, value)
        return value

    def touch(self) -> None:
        """Forget the cached generation: this process has just changed the ledger."""
        self._generation = None

    def warm(self) -> None:
        """Build the expensive read models ahead of the first request: the shared
        ones (governments, aggregate index, facts by government), then every
        government's default page.  Stops early when the ledger changes under it
        (the next warm-up, started by the change, starts over)."""
        self._auto_warm = True
        gen = self.generation()
        govs = self.governments()
        self.facts_by_government()  # first: a page built with it costs a fifth of one without
        self.aggregate_index()
        for g in govs[:WARM_PAGES]:
            if self.generation() != gen:
                return
            self.cached(*self.government_page_job(g["code"], None))
        if self.generation() == gen:
            self._warmed = gen

    def is_warm(self) -> bool:
        """Whether the read models of the current ledger generation are all built."""
        return self._warmed is not None and self._warmed == self.generation()

    def warm_in_background(self) -> None:
        """Start (or queue another round of) :meth:`warm` in a daemon thread."""
        with self._warm_lock:
            if self._warm_thread is not None and self._warm_thread.is_alive():
                self._warm_again = True
                return
            self._warm_thread = threading.Thread(target=self._warm_loop, name="yusuan-warm", daemon=True)
            self._warm_thread.start()

    def _warm_loop(self) -> None:
        while True:
            try:
                self.warm()
            except Exception:  # warming is an optimisation: requests still build on demand
                logging.getLogger(__name__).exception("cache warm-up failed")
            with self._warm_lock:
                if not self._warm_again:
                    self._warm_thread = None
                    return
                self._warm_again = False

    def peek(self, key: Any) -> Any:
        """The cached value of ``key`` for the current generation, or None (no build)."""
        full = (self.generation(), key)
        with self._cache_lock:
            return self._cache.get(full)

    async def fast(self, key: Any, build: Callable[[], T]) -> T:
        """``cached`` for async routes: a hit is answered on the event loop, a miss
        is built in the thread pool (a build may take tens of milliseconds)."""
        from starlette.concurrency import run_in_threadpool

        hit = self.peek(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        return await run_in_threadpool(self.cached, key, build)

    def cached(self, key: Any, build: Callable[[], T], size: int = 4096) -> T:
        full = (self.generation(), key)
        with self._cache_lock:
            if full in self._cache:
                self._cache.move_to_end(full)
                return self._cache[full]  # type: ignore[no-any-return]
            lock = self._build_locks.setdefault(key, threading.Lock())
        with lock:  # one thread builds, the others wait for it
            with self._cache_lock:
                if full in self._cache:
                    return self._cache[full]  # type: ignore[no-any-return]
            value = build()
            # the read models are large and long-lived: keep them out of the cyclic
            # collector's scans (without this, full collections pause every request)
            gc.freeze()
            with self._cache_lock:
                self._cache[full] = value
                if key in LEDGER_WIDE:  # large and rebuilt per generation: keep only the newest
                    for old in [k for k in self._cache if k[1] == key and k != full]:
                        del self._cache[old]
                while len(self._cache) > size:
                    self._cache.popitem(last=False)
            return value

    # ------------------------------------------------------------ sessions

    def session_user(self, token: str) -> tuple[User, str] | None:
        now = time.monotonic()
        hit = self._sessions.get(token)
        if hit is not None and hit[0] > now:
            return hit[1], hit[2]
        found = self.accounts.session_user(token)
        if found is None:
            self._sessions.pop(token, None)
            return None
        if len(self._sessions) > 10000:
            self._sessions.clear()
        self._sessions[token] = (now + SESSION_CACHE_SECONDS, found[0], found[1])
        return found

    def forget_session(self, token: str) -> None:
        self._sessions.pop(token, None)
        self.accounts.close_session(token)

    def forget_all_sessions(self) -> None:
        self._sessions.clear()

    def _job_done(self, job: Job) -> None:
        self.touch()
        if self._auto_warm:
            self.warm_in_background()
        if job.state == "done" and job.result is not None:
            self.accounts.audit(job.user, "document.ingest", job.sha256, name=job.name,
                                new=job.result.get("new"), findings=job.result.get("findings"))
        else:
            self.accounts.audit(job.user, "document.reject", job.sha256, name=job.name,
                                error=(job.error or {}).get("code"))

    # ------------------------------------------------------------ documents

    def documents(
        self, government: str | None = None, year: int | None = None, kind: str | None = None
    ) -> list[dict[str, Any]]:
        def build() -> list[dict[str, Any]]:
            return [document_meta(d) for d in self.store.documents()]

        docs = self.cached("documents", build)
        return [
            d for d in docs
            if (government is None or government in (d["division"], d["government"]))
            and (year is None or d["year"] == year)
            and (kind is None or d["kind"] == kind)
        ]

    def document(self, doc_id: str) -> dict[str, Any]:
        for d in self.documents():
            if d["id"] == doc_id:
                return d
        raise not_found("文件", "document")

    def resolve_document(self, ref: str) -> str:
        found = self.store.resolve(ref) if len(ref) >= 6 else None
        if found is None:
            raise not_found("文件", "document")
        return found

    def document_page(self, doc_id: str) -> dict[str, Any]:
        """The document page: the layout is cached per ledger generation; the
        findings' judgements are read fresh on every request."""
        meta = self.document(doc_id)

        def build() -> dict[str, Any]:
            extraction = self.store.extraction(doc_id)
            view = document_view(extraction, self.store.reviewed_findings(document=doc_id), meta)
            view["counts"] = {"paragraphs": len(extraction.paragraphs),
                              "tables": len(extraction.tables), "facts": len(extraction.facts)}
            return view

        cached = self.cached(("document", doc_id), build, size=64)
        fresh = {f["id"]: f for f in self.findings(document=doc_id)}

        def refresh(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [fresh[f["id"]] for f in items if f["id"] in fresh]

        view = dict(cached)
        view["blocks"] = [
            {**b, "findings": refresh(b["findings"])} if b["findings"] else b for b in cached["blocks"]
        ]
        view["unplaced_findings"] = refresh(cached["unplaced_findings"])
        view["counts"] = {**cached["counts"], "findings": len(fresh),
                          "open": sum(1 for f in fresh.values() if f["status"] == "open")}
        return view

    def tables(self, doc_id: str) -> list[dict[str, Any]]:
        self.document(doc_id)
        return [table_dict(t) for t in self.store.tables(doc_id)]

    def remove_document(self, doc_id: str, user: User) -> None:
        if not self.store.remove(doc_id):
            raise not_found("文件", "document")
        self.touch()
        if self._auto_warm:
            self.warm_in_background()
        self.accounts.audit(user.username, "document.remove", doc_id)

    # ------------------------------------------------------------ facts & findings

    def facts(self, **filters: Any) -> list[dict[str, Any]]:
        return [fact_dict(f) for f in self.fact_records(**filters)]

    def fact_records(self, **filters: Any) -> list[Fact]:
        clean = {k: v for k, v in filters.items() if v is not None}
        return self.store.facts(**clean)

    def findings(self, **filters: Any) -> list[dict[str, Any]]:
        clean = {k: v for k, v in filters.items() if v is not None}
        return [finding_info(r) for r in self.store.reviewed_findings(**clean)]

    def finding(self, finding_id: str, document: str | None = None) -> dict[str, Any]:
        with self.store.session() as s:
            q = select(FindingRow.document).where(FindingRow.id == finding_id)
            if document:
                q = q.where(FindingRow.document == document)
            docs = s.scalars(q).all()
        if not docs:
            raise not_found("审查发现", "finding")
        for r in self.store.reviewed_findings(document=docs[0]):
            if r.finding.id == finding_id:
                return finding_info(r)
        raise not_found("审查发现", "finding")

    def judge(self, finding_id: str, status: str | None, comment: str, user: User,
              document: str | None = None) -> dict[str, Any]:
        if status is not None and status not in REVIEW_STATUSES:
            raise bad_request("judgement.bad_status", "审核结论须为 confirmed、dismissed 或空（重新打开）。",
                              "status must be confirmed, dismissed or null (reopen).")
        before = self.finding(finding_id, document)
        updated = self.store.review(finding_id, status, comment=comment or None, who=user.username,
                                    document=before["document"])
        if not updated:
            raise not_found("审查发现", "finding")
        self.accounts.audit(user.username, "finding.judge", finding_id, document=before["document"],
                            status=status, comment=comment, before=before["status"])
        return self.finding(finding_id, before["document"])

    # ------------------------------------------------------------ governments

    def governments(self) -> list[dict[str, Any]]:
        def build() -> list[dict[str, Any]]:
            docs: dict[str, int] = {}
            years: dict[str, set[int]] = {}
            for d in self.documents():
                if d["division"]:
                    docs[d["division"]] = docs.get(d["division"], 0) + 1
                    if d["year"]:
                        years.setdefault(d["division"], set()).add(d["year"])
            with self.store.session() as s:
                rows = s.scalars(select(GovernmentRow).order_by(GovernmentRow.code)).all()
                return [
                    {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent,
                     "documents": docs.get(r.code, 0), "years": sorted(years.get(r.code, ()))}
                    for r in rows
                ]

        return self.cached("governments", build)

    def government(self, code: str) -> dict[str, Any]:
        for g in self.governments():
            if g["code"] == code:
                return g
        raise not_found("政府", "government")

    def government_page(self, code: str, year: int | None) -> dict[str, Any]:
        return self.cached(*self.government_page_job(code, year))

    def government_page_job(self, code: str, year: int | None) -> tuple[Any, Callable[[], dict[str, Any]]]:
        """The cache key and the builder of a government's page."""

        def build() -> dict[str, Any]:
            gov = self.government(code)
            view = government_view(gov, self.government_facts(code), year)
            view["documents"] = self.documents(government=code)
            return view

        return ("government", code, year), build

    # ------------------------------------------------------------ analysis

    def aggregate_index(self) -> agg.Index:
        return self.cached("aggregate-index", lambda: agg.Index.from_store(self.store))

    def aggregate(self, **params: Any) -> dict[str, Any]:
        return self.cached(*self.aggregate_job(**params))

    def aggregate_job(self, **params: Any) -> tuple[Any, Callable[[], dict[str, Any]]]:
        key = ("aggregate", tuple(sorted(params.items())))
        return key, lambda: agg.aggregate(self.aggregate_index(), **params)

    def indicators(self, government: str, year: int | None) -> list[dict[str, Any]]:
        page = self.government_page(government, year)
        return page["indicators"]  # type: ignore[no-any-return]

    def comparisons(self, government: str, year: int | None) -> dict[str, Any]:
        """The government's indicators across years and against same-level peers."""
        from yusuan.analyze.compare import across_years, against_peers
        from yusuan.analyze.indicators import compute

        gov = self.government(government)

        def build() -> dict[str, Any]:
            results = compute(self.government_facts(government))
            years = [
                {"indicator": r.indicator, "name": r.name, "scope": r.scope, "stage": r.stage.value,
                 "months": r.months, "unit": r.unit, "years": list(r.years),
                 "values": [v for v in r.values], "changes": list(r.changes)}
                for r in across_years(results) if r.government in (gov["name"], government)
            ]
            levels = {g["name"]: g["level"] for g in self.governments()}
            peers_src = [
                r for r in compute(self._peer_facts(gov), year=year)
            ]
            peers = [
                {"indicator": p.indicator, "name": p.name, "stage": p.stage.value, "period": p.period,
                 "scope": p.scope, "level": p.level, "value": p.value, "peer_mean": p.peer_mean,
                 "peer_count": p.peer_count, "deviation": p.deviation, "rank": p.rank, "unit": p.unit}
                for p in against_peers(peers_src, levels)
                if p.government in (gov["name"], government)
            ]
            return {"government": gov, "years": years, "peers": peers}

        return self.cached(("comparisons", government, year), build)

    def _peer_facts(self, gov: dict[str, Any]) -> list[Fact]:
        peers = [g for g in self.governments() if g["level"] == gov["level"]][:200]
        out: list[Fact] = []
        for g in peers:
            out.extend(self.government_facts(g["code"]))
        return out

    def facts_by_government(self) -> dict[str, list[Fact]]:
        """Every stored fact once, under its printed government name and under its
        division code (ledger order kept): one query per ledger generation."""

        def build() -> dict[str, list[Fact]]:
            index: dict[str, list[Fact]] = {}
            for f in self.store.facts():
                refs = {f.government, f.division} - {None}
                for ref in refs:
                    index.setdefault(ref, []).append(f)  # type: ignore[arg-type]
            return index

        return self.cached("facts-by-government", build)

    def government_facts(self, code: str) -> list[Fact]:
        """Facts about a government: by its division code or by its printed name.
        From the shared index when it is built; else two queries (the index is
        built in the background by :meth:`warm`, never by a request)."""
        gov = self.government(code)
        index = self.peek("facts-by-government")
        seen: set[str] = set()
        out: list[Fact] = []
        for ref in (code, gov["name"]):
            found = index.get(ref, ()) if index is not None else self.store.facts(government=ref)
            for f in found:
                if f.id not in seen:
                    seen.add(f.id)
                    out.append(f)
        return out

    # ------------------------------------------------------------ browse

    def codes(self, year: int, parent: str | None) -> dict[str, Any]:
        codes = load_codes(year)
        if parent:
            entry = codes.get(parent)
            if entry is None:
                raise not_found("科目", "classification code")
            children = codes.children(parent)
            trail = []
            p = entry
            while p is not None:
                trail.append({"code": p.code, "name": p.name})
                p = codes.parent(p.code)
            current = {"code": entry.code, "name": entry.name, "kind": entry.kind,
                       "depth": code_depth(entry.code)}
        else:
            children = tuple(c for c in codes if code_depth(c.code) == 1)
            trail, current = [], None
        return {
            "year": codes.year,
            "requested": year,
            "fallback": codes.fallback,
            "current": current,
            "trail": trail[::-1],
            "children": [
                {"code": c.code, "name": c.name, "kind": c.kind, "depth": code_depth(c.code),
                 "has_children": bool(codes.children(c.code))}
                for c in children
            ],
        }

    def search(self, q: str, limit: int, offset: int) -> dict[str, Any]:
        words = [w for w in q.split() if w][:5]
        if not words:
            raise bad_request("search.bad_query", "请输入 1 至 5 个关键词。", "Give 1 to 5 keywords.")

        def like(word: str) -> str:
            return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

        with self.store.session() as s:
            cond = [ParagraphRow.text.like(like(w), escape="\\") for w in words]
            base = select(ParagraphRow, DocumentRow.name, DocumentRow.government_name).join(
                DocumentRow, DocumentRow.sha256 == ParagraphRow.document).where(*cond)
            total = s.scalar(select(func.count()).select_from(base.subquery())) or 0
            rows = s.execute(
                base.order_by(DocumentRow.ingested_at, ParagraphRow.document, ParagraphRow.index)
                .limit(limit).offset(offset)
            ).all()
            hits = []
            for p, name, gov in rows:
                hits.append({
                    "document": p.document, "name": name, "government": gov, "paragraph": p.index,
                    "line": p.line, "start": p.start, "snippet": _snippet(p.text, words),
                })
        return {"q": q, "words": words, "hits": hits, "total": total}

    def doc_government_filter(self, ref: str) -> Any:
        return or_(DocumentRow.government == ref, DocumentRow.government_name == ref)


def _snippet(text: str, words: list[str], width: int = 60) -> list[dict[str, Any]]:
    """Text around the first keyword, split into marked and plain runs."""
    at = min((text.find(w) for w in words if w in text), default=0)
    start = max(0, at - width)
    piece = text[start:at + width * 2]
    runs: list[dict[str, Any]] = []
    i = 0
    while i < len(piece):
        hit = next((w for w in words if piece.startswith(w, i)), None)
        if hit:
            runs.append({"text": hit, "hit": True})
            i += len(hit)
            continue
        if runs and not runs[-1]["hit"]:
            runs[-1]["text"] += piece[i]
        else:
            runs.append({"text": piece[i], "hit": False})
        i += 1
    if start > 0:
        runs.insert(0, {"text": "…", "hit": False})
    if start + len(piece) < len(text):
        runs.append({"text": "…", "hit": False})
    return runs


def check_year(year: int | None) -> None:
    if year is not None and not 1949 <= year <= 2200:
        raise ApiError(422, "invalid_request", "年度超出范围。", "Year out of range.")
