"""API tokens: only hashes are stored; the secret is returned once, on creation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.core.security import Role, hash_secret, new_secret
from service.models import ApiToken, utcnow


def create_token(
    session: Session, name: str, role: Role, created_by: str | None, city_id: str | None = None
) -> tuple[ApiToken, str]:
    secret = new_secret()
    token = ApiToken(name=name, role=role.value, token_hash=hash_secret(secret), created_by=created_by, city_id=city_id)
    session.add(token)
    session.flush()
    return token, secret


def find_active(session: Session, secret: str) -> ApiToken | None:
    return session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(secret), ApiToken.revoked_at.is_(None))
    ).first()


def list_tokens(session: Session) -> Sequence[ApiToken]:
    return session.scalars(select(ApiToken).order_by(ApiToken.id)).all()


def count_tokens(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ApiToken)) or 0


def active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(ApiToken)
            .where(ApiToken.role == Role.ADMIN.value, ApiToken.revoked_at.is_(None))
        )
        or 0
    )


def revoke(session: Session, token: ApiToken) -> None:
    token.revoked_at = utcnow()
