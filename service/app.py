"""The ASGI app: `uvicorn service.app:app`. Start-up applies migrations, loads the bundled roster
on first start and creates (and prints) the first admin token. Plans are solved by worker
processes (service.worker), never here: start-up leaves every plan, running or not, to them."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from service.api import openapi
from service.api.main import api_router
from service.bootstrap import announce_admin, bootstrap
from service.core import problems
from service.core.config import Settings
from service.core.db import make_engine, session_factory
from service.core.guards import BodyLimit, PlainTextGuard
from service.core.logs import install_redaction
from service.roster_cache import RosterCache
from service.uploads import UploadGate
from service.web import pages as web_pages
from solver import load_rules

log = logging.getLogger("service")


def create_app(settings: Settings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        config = settings or Settings()
        install_redaction()  # again, after the server configured its logging
        engine = make_engine(config)
        factory = session_factory(engine)
        started = await run_in_threadpool(bootstrap, config, engine, factory)
        if started.admin_secret:
            announce_admin(started.admin_secret)
        app.state.settings = config
        app.state.engine = engine
        app.state.sessions = factory
        app.state.rosters = RosterCache(config.ROSTER_CACHE_SIZE)
        app.state.rules = load_rules(config.ROSTER_DIR)
        app.state.uploads = UploadGate(config.MAX_CONCURRENT_UPLOADS)
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="Guangdong basic-education pairing service",
        summary="粤东粤西粤北基础教育全口径结对帮扶: rosters, plans and their tables",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by service.web.pages from vendored files, so it works offline
        redoc_url=None,
    )
    install_redaction()
    problems.install(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(PlainTextGuard)
    app.include_router(api_router)
    web_pages.install(app)
    openapi.install(app)
    return app


app = create_app()
