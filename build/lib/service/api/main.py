from __future__ import annotations

from fastapi import APIRouter

from service.api.routes import health, plans, rosters, tokens

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(rosters.router)
api_router.include_router(plans.router)
api_router.include_router(tokens.router)
