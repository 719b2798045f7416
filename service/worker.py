"""Solve workers: `python -m service worker`. Any number of them, on any number of machines, share
one database with any number of API processes.

A worker claims queued plans from the database and holds each claim as a lease (the protocol is
in service.crud.plans). It solves each plan in a process of its own, forked from the worker after
the plan's roster is read (so the child starts with it in memory, and the solver libraries
already imported), and meanwhile, at every poll (WORKER_POLL_S):

- renews the lease (its heartbeat), so that a worker that dies (kill -9, a lost machine) leaves
  plans that another worker claims again once their lease (LEASE_S) has expired;
- stops the solve when its plan was cancelled (POST /plans/{id}/cancel), when it runs past its
  wall-clock limit (PLAN_WALL_FACTOR × its time limit per sub-model + PLAN_WALL_MARGIN_S), or
  when the worker is told to stop (SIGTERM, SIGINT). Stopping is cooperative first: the solver
  asks `SolveOptions.stop` between its steps and inside CP-SAT's search, and gives up; a solve
  still running STOP_GRACE_S later is killed (SIGKILL), which no loop can ignore. The plan is
  then `cancelled`, `failed` with the reason, or (shutdown) put back to `queued` for another
  worker.

The worker and its solve processes are niced (SOLVE_NICE), so that API processes on the same
machine keep the CPU they need; a solve process dies with its worker (PR_SET_PDEATHSIG), and writes its
progress and result itself, guarded by the plan's run token, so a solve whose claim was lost can
never overwrite the plan.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for_any
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event
from types import FrameType
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

import solver
from service.core.config import Settings
from service.core.db import bootstrap_lock, make_engine, session_factory, upgrade
from service.crud import plans as crud
from service.roster_cache import RosterCache
from service.schemas import PlanStatus
from service.solving import Prepared, prepare, solve

log = logging.getLogger("service.worker")

_FORK = multiprocessing.get_context("fork")
PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int) -> None:
    """Linux: deliver `signum` to this process when its parent dies (a no-op elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)


@dataclass
class Slot:
    """A plan being solved by this worker, in the process `process`."""

    prepared: Prepared
    attempt: int
    process: BaseProcess
    stop: Event
    memo_in: Connection  # what the solve adds to the worker's memo, sent when it has stored its result
    started: float = field(default_factory=time.monotonic)
    reason: str | None = None  # why it was asked to stop: cancel, overrun, shutdown, lost
    stop_at: float = 0.0
    cancelled_by: str | None = None

    @property
    def plan_id(self) -> int:
        return self.prepared.plan_id

    @property
    def run_token(self) -> str:
        return self.prepared.run_token


class Worker:
    def __init__(self, settings: Settings, parent_pid: int | None = None):
        self.settings = settings
        self.parent_pid = parent_pid
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.capacity = settings.MAX_CONCURRENT_SOLVES
        self.slots: list[Slot] = []
        self.stopping = False
        self.factory: sessionmaker[Session] | None = None
        self.cache = RosterCache(2)
        # Warm re-plans: each solve process starts (forked) with what earlier solves found, and
        # sends back what it adds; a re-plan after one roster change recomputes only what it reaches.
        self.memo = solver.Memo()

    # --- the process ----------------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if not self.stopping:
            log.info(
                "worker %s: %s received; stopping its solves and handing them back",
                self.id,
                signal.Signals(signum).name,
            )
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        if self.parent_pid is not None:
            die_with_parent(signal.SIGTERM)
        settings = self.settings
        # The whole worker yields the CPU to API processes on the same machine: reading a roster
        # before a solve takes seconds too. (Its solve processes inherit this.)
        with contextlib.suppress(OSError):
            os.nice(settings.SOLVE_NICE)
        engine = make_engine(settings)
        self.factory = session_factory(engine)
        with bootstrap_lock(engine, settings):
            upgrade(engine)
        # Import the solver's models now, once: every solve process forked later has them.
        _ = solver.plan_round
        crud.register_worker(self.factory, self.id, socket.gethostname(), os.getpid(), self.capacity)
        log.info(
            "worker %s ready: %d solve(s) at once, lease %g s, poll %g s",
            self.id,
            self.capacity,
            settings.LEASE_S,
            settings.WORKER_POLL_S,
        )
        try:
            while True:
                if self.parent_pid is not None and os.getppid() != self.parent_pid:
                    self.stopping = True
                try:
                    self.tick()
                    crud.touch_worker(self.factory, self.id, settings.LEASE_S)
                except SQLAlchemyError:
                    log.exception("worker %s: the database did not answer; trying again", self.id)
                except Exception:
                    # A fault of this worker (a bug, no process could be forked): keep the plans it
                    # holds alive and try again at the next poll rather than die with them.
                    log.exception("worker %s: unexpected error; trying again", self.id)
                if self.stopping and not self.slots:
                    break
                sentinels: list[Any] = [slot.process.sentinel for slot in self.slots]
                sentinels += [slot.memo_in for slot in self.slots if not slot.memo_in.closed]
                if sentinels:
                    wait_for_any(sentinels, timeout=settings.WORKER_POLL_S)
                else:
                    time.sleep(settings.WORKER_POLL_S)
        finally:
            for slot in self.slots:  # only after an unexpected error: kill, and hand the plans back
                slot.process.kill()
                slot.process.join()
                with contextlib.suppress(SQLAlchemyError):
                    crud.release(self.factory, slot.plan_id, slot.run_token)
            with contextlib.suppress(SQLAlchemyError):
                crud.unregister_worker(self.factory, self.id)
            engine.dispose()
        log.info("worker %s stopped", self.id)
        return 0

    # --- one poll ---------------------------------------------------------------------------

    def tick(self) -> None:
        assert self.factory is not None
        settings = self.settings
        for slot in list(self.slots):
            self._take_memo(slot)
            if not slot.process.is_alive():
                slot.process.join()
                self.slots.remove(slot)
                self._closed(slot)
                continue
            if slot.reason != "lost":
                renewal = crud.renew(self.factory, slot.plan_id, slot.run_token, settings.LEASE_S)
                now = time.monotonic()
                if renewal.finished:
                    pass  # the solve stored its result and is exiting
                elif not renewal.held:
                    log.warning("plan %s: the claim was lost (another worker took it, or it was closed)", slot.plan_id)
                    slot.reason, slot.stop_at = "lost", now
                    slot.process.kill()
                elif slot.reason is None:
                    if self.stopping:
                        self._stop(slot, "shutdown")
                    elif renewal.cancel_requested:
                        slot.cancelled_by = renewal.cancelled_by
                        self._stop(slot, "cancel")
                    elif now - slot.started > slot.prepared.wall_limit_s:
                        self._stop(slot, "overrun")
            if slot.reason is not None and time.monotonic() - slot.stop_at >= settings.STOP_GRACE_S:
                slot.process.kill()
        while not self.stopping and len(self.slots) < self.capacity:
            if not self._claim():
                break

    def _stop(self, slot: Slot, reason: str) -> None:
        log.info("plan %s: stopping its solve (%s)", slot.plan_id, reason)
        slot.reason, slot.stop_at = reason, time.monotonic()
        slot.stop.set()

    def _claim(self) -> bool:
        assert self.factory is not None
        settings = self.settings
        run_token = str(uuid.uuid4())
        claim = crud.claim_next(self.factory, self.id, run_token, settings.LEASE_S, settings.MAX_ATTEMPTS)
        if claim is None:
            return False
        try:
            prepared = prepare(settings, self.factory, self.cache, claim.plan_id, run_token)
        except SQLAlchemyError:
            raise  # the database, not the plan: the lease expires and the plan is claimed again
        except Exception as exc:  # the plan's own input: fail it rather than every worker that takes it
            log.warning("plan %s: its stored input cannot be read: %s", claim.plan_id, exc, exc_info=True)
            detail = "; ".join(str(p) for p in exc.problems) if isinstance(exc, solver.InputError) else str(exc)
            error = f"the plan's stored input cannot be read: {detail}"
            crud.finish(self.factory, claim.plan_id, run_token, {"status": PlanStatus.FAILED.value, "error": error})
            return True
        stop = _FORK.Event()
        memo_in, memo_out = _FORK.Pipe(duplex=False)
        process = _FORK.Process(
            target=_solve_process,
            args=(self.settings, prepared, stop, self.memo, memo_out),
            name=f"solve-plan-{claim.plan_id}",
        )
        process.start()
        memo_out.close()  # the child's end: EOF here once the child has gone
        self.slots.append(Slot(prepared, claim.attempt, process, stop, memo_in))
        log.info(
            "plan %s: claimed (attempt %d) by worker %s, solving in process %s",
            claim.plan_id,
            claim.attempt,
            self.id,
            process.pid,
        )
        return True

    def _take_memo(self, slot: Slot) -> None:
        """What the solve process found, once it has stored its result (ignored if it died half-way)."""
        if slot.memo_in.closed:
            return
        try:
            if slot.memo_in.poll():
                self.memo.merge(slot.memo_in.recv())
            elif slot.process.is_alive():
                return
        except (EOFError, OSError):
            pass
        except Exception:  # a delta that does not unpickle: the worker runs on without it
            log.warning("plan %s: its solve's memo could not be read", slot.plan_id, exc_info=True)
        slot.memo_in.close()

    def _closed(self, slot: Slot) -> None:
        """The solve process has ended: settle the plan as its stop reason says."""
        assert self.factory is not None
        plan_id, token, code = slot.plan_id, slot.run_token, slot.process.exitcode
        if slot.reason == "lost":
            return
        if slot.reason == "shutdown":
            if crud.release(self.factory, plan_id, token):
                log.info("plan %s: handed back to the queue for another worker", plan_id)
            return
        if slot.reason == "cancel":
            values = {"status": PlanStatus.CANCELLED.value, "error": f"cancelled by {slot.cancelled_by}"}
        elif slot.reason == "overrun":
            limit = slot.prepared.wall_limit_s
            values = {
                "status": PlanStatus.FAILED.value,
                "error": (
                    f"the solve ran past its wall-clock limit of {limit:g} s "
                    f"({self.settings.PLAN_WALL_FACTOR:g} × its time limit of {slot.prepared.time_limit_s:g} s "
                    f"per part, plus {self.settings.PLAN_WALL_MARGIN_S:g} s) and was stopped; "
                    "nothing of it was kept"
                ),
            }
        else:
            how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
            values = {
                "status": PlanStatus.FAILED.value,
                "error": (
                    f"the solve process {how} before it stored a result (out of memory?); nothing of it was kept; "
                    "start the plan again (POST /plans)"
                ),
            }
        if crud.finish(self.factory, plan_id, token, values):
            log.info("plan %s: %s (%s)", plan_id, values["status"], values["error"])


def _solve_process(
    settings: Settings, prepared: Prepared, stop: Event, memo: solver.Memo, memo_out: Connection
) -> None:
    """The forked solve process: its own database connections, a low priority, no signals of its
    worker's (SIGINT from a terminal goes to the whole group; the worker decides)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(signal.SIGKILL)
    engine = make_engine(settings)
    memo.mark()
    try:
        outcome = solve(session_factory(engine), settings, prepared, stop.is_set, memo)
        log.info("plan %s: %s", prepared.plan_id, outcome)
        if not stop.is_set():
            memo_out.send(memo.delta())
    except Exception as exc:
        log.exception("plan %s: the solve failed", prepared.plan_id)
        if not stop.is_set():
            with contextlib.suppress(SQLAlchemyError):
                crud.finish(
                    session_factory(engine),
                    prepared.plan_id,
                    prepared.run_token,
                    {"status": PlanStatus.FAILED.value, "error": f"internal error: {type(exc).__name__}: {exc}"},
                )
    finally:
        memo_out.close()
        engine.dispose()


def run_worker(settings: Settings, parent_pid: int | None = None) -> int:
    return Worker(settings, parent_pid).run()
