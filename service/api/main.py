from __future__ import annotations

from fastapi import APIRouter

from service.api.routes import actuals, audit, health, plans, preview, rosters, tokens
from service.web import routes as web_routes
from service.web import session as web_session

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(rosters.router)
api_router.include_router(preview.router)
api_router.include_router(plans.router)
api_router.include_router(actuals.router)
api_router.include_router(tokens.router)
api_router.include_router(audit.router)
api_router.include_router(web_session.router)
api_router.include_router(web_routes.router)
