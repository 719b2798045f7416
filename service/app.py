"""The ASGI app: `uvicorn service.app:app`. Start-up applies migrations, loads the bundled roster
on first start, creates (and prints) the first admin token, and picks up plans left queued."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from service.api.main import api_router
from service.bootstrap import announce_admin, bootstrap
from service.core import problems
from service.core.config import Settings
from service.core.db import make_engine, session_factory
from service.crud import plans as plan_crud
from service.roster_cache import RosterCache
from service.solving import RESTART_MESSAGE, PlanRunner
from service.web import pages as web_pages
from solver import load_rules

log = logging.getLogger("service")


def create_app(settings: Settings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        config = settings or Settings()
        engine = make_engine(config)
        factory = session_factory(engine)
        started = await run_in_threadpool(bootstrap, config, engine, factory)
        if started.admin_secret:
            announce_admin(started.admin_secret)
        cache = RosterCache(config.ROSTER_CACHE_SIZE)
        runner = PlanRunner(config, factory, cache)
        app.state.settings = config
        app.state.engine = engine
        app.state.sessions = factory
        app.state.rosters = cache
        app.state.rules = load_rules(config.ROSTER_DIR)
        app.state.runner = runner
        failed, queued = await run_in_threadpool(plan_crud.recover, factory, RESTART_MESSAGE)
        if failed:
            log.warning("plans %s were running when the service stopped; marked failed", failed)
        for plan_id in queued:
            runner.submit(plan_id)
        try:
            yield
        finally:
            await run_in_threadpool(runner.shutdown)
            engine.dispose()

    app = FastAPI(
        title="Guangdong basic-education pairing service",
        summary="粤东粤西粤北基础教育全口径结对帮扶: rosters, plans and their tables",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by service.web.pages from vendored files, so it works offline
        redoc_url=None,
    )
    problems.install(app)
    app.include_router(api_router)
    web_pages.install(app)
    return app


app = create_app()
