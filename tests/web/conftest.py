"""Fixtures of the web app's tests: a real uvicorn server (SQLite, the bundled roster) and Debian's
Chromium driven by Playwright, headless, with every request to a host other than 127.0.0.1
aborted and recorded, so a test fails if the app tries to reach anything off the machine.

Chromium is /usr/bin/chromium (`apt-get install chromium`). Without it the browser tests are
skipped, unless CI is set, where they fail. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from service.core.security import Role
from tests.service.conftest import (  # noqa: F401  (fixtures shared with the API tests)
    FINISHED,
    ROOT,
    Backend,
    ServerThread,
    add_tokens,
    backend,
    make_settings,
    pg_schemas,
    roster_dir,
    service,
)
from tests.service.processes import worker

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
VIEWPORT = {"width": 1366, "height": 768}


@dataclass
class WebService:
    url: str
    tokens: dict[str, str]
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def client(self, role: str) -> httpx.Client:
        if role not in self.clients:
            self.clients[role] = httpx.Client(
                base_url=self.url, timeout=120, headers={"Authorization": f"Bearer {self.tokens[role]}"}
            )
        return self.clients[role]

    def wait_plan(self, plan_id: int, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            plan = self.client("viewer").get(f"/plans/{plan_id}").json()
            if plan["status"] in FINISHED:
                return plan
            assert time.monotonic() < deadline, plan
            time.sleep(0.1)

    def solve(self, **body: object) -> dict:
        response = self.client("coordinator").post("/plans", json={"round": "2021-2025", **body})
        assert response.status_code == 202, response.text
        plan = self.wait_plan(response.json()["id"])
        assert plan["status"] == "done", plan
        return plan


@pytest.fixture(scope="session")
def web(roster_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebService]:  # noqa: F811
    sqlite = Backend("sqlite", lambda data_dir: f"sqlite:///{data_dir / 'web.sqlite3'}")
    data_dir = tmp_path_factory.mktemp("web")
    settings = make_settings(sqlite, data_dir, roster_dir, PROGRESS_INTERVAL_S=0.0)
    server = ServerThread(settings)
    server.start()
    solver_process = worker(settings, data_dir)
    roles = {r.value: r for r in Role}
    svc = WebService(server.url, add_tokens(settings, roles))
    # A coordinator of 梅州 only (a city-scoped token): edits 梅州's rows, starts no plans.
    scoped = svc.client("admin").post(
        "/tokens", json={"name": "梅州市教育局", "role": "coordinator", "city_id": "441400"}
    )
    assert scoped.status_code == 201, scoped.text
    svc.tokens["meizhou"] = scoped.json()["token"]
    yield svc
    for client in svc.clients.values():
        client.close()
    solver_process.stop()
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI requires the browser tests)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Offline:
    """Requests the page tried to send off the machine (all aborted)."""

    blocked: list[str] = field(default_factory=list)


def _keep_local(offline: Offline):  # type: ignore[no-untyped-def]
    def handle(route, request) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            offline.blocked.append(request.url)
            route.abort()

    return handle


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
def page(browser, offline: Offline, web: WebService) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="zh-CN")
    context.route("**/*", _keep_local(offline))
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert offline.blocked == [], f"the page tried to leave the machine: {offline.blocked}"
    assert errors == [], f"JavaScript errors: {errors}"


def sign_in(page, web: WebService, role: str = "coordinator") -> None:  # type: ignore[no-untyped-def]
    page.goto(web.url + "/")
    page.get_by_label("访问令牌").fill(web.tokens[role])
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("nav")
    wait_ready(page)


def wait_ready(page, timeout: float = 30_000) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_selector("main[data-ready=true]", timeout=timeout)


def goto(page, web: WebService, hash_path: str) -> None:  # type: ignore[no-untyped-def]
    """A fresh load of a page (the session cookie keeps the sign-in), ready when it has rendered."""
    page.goto("about:blank")
    page.goto(f"{web.url}/#/{hash_path}")
    wait_ready(page)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
