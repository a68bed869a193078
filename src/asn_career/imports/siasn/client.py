"""An async client for BKN's SIASN REST API, with an office's own credentials.

SIASN sits behind BKN's API gateway and wants two tokens on every request:

- ``Authorization: Bearer <gateway token>`` — OAuth2 client credentials (the office's
  consumer key and secret) from the gateway's token URL;
- ``Auth: bearer <user token>`` — the office operator's SSO token, either given as is or
  obtained with the SSO's password grant (client id, username, password).

Both are cached until shortly before they expire and fetched again once when SIASN answers
401. Answers come in SIASN's envelope ``{"code": 1, "data": …}``; ``code`` 0 is an error
(or, for histories, "no data"). The base URL and every path are configurable, because BKN
moves them between API versions. Tests drive the client with ``httpx.MockTransport``; it
never makes a call the caller did not ask for.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from asn_career.config import SiasnCredentials, SiasnPaths, SiasnSettings, get_siasn_settings

_NIP = re.compile(r"^[0-9]{18}$")
_EXPIRY_MARGIN_SECONDS = 30.0


class SiasnError(Exception):
    """SIASN refused or failed; ``status`` is the HTTP status when there was one."""

    def __init__(self, message: str, *, status: int | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.path = path


class SiasnNotFound(SiasnError):
    pass


@dataclass
class _Token:
    value: str
    expires_at: float


@dataclass
class SiasnClient:
    base_url: str
    credentials: SiasnCredentials
    paths: SiasnPaths = field(default_factory=SiasnPaths)
    http: httpx.AsyncClient | None = None
    timeout_seconds: float = 20.0
    clock: Callable[[], float] = time.monotonic
    _gateway: _Token | None = field(default=None, init=False, repr=False)
    _user: _Token | None = field(default=None, init=False, repr=False)
    _own_http: bool = field(default=False, init=False, repr=False)

    @classmethod
    def from_settings(
        cls, settings: SiasnSettings | None = None, http: httpx.AsyncClient | None = None
    ) -> "SiasnClient":
        settings = settings or get_siasn_settings()
        return cls(
            base_url=settings.base_url,
            credentials=settings.credentials(),
            paths=settings.paths(),
            http=http,
            timeout_seconds=settings.timeout_seconds,
        )

    def with_paths(self, **paths: str) -> "SiasnClient":
        return replace(self, paths=replace(self.paths, **paths))

    async def __aenter__(self) -> "SiasnClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._own_http and self.http is not None:
            await self.http.aclose()
            self.http = None
            self._own_http = False

    def _client(self) -> httpx.AsyncClient:
        if self.http is None:
            self.http = httpx.AsyncClient(timeout=self.timeout_seconds, trust_env=False)
            self._own_http = True
        return self.http

    # --- tokens --------------------------------------------------------------------------

    async def _token_request(self, url: str, form: dict[str, str], what: str) -> _Token:
        try:
            response = await self._client().post(
                url, data=form, headers={"Accept": "application/json"}
            )
        except httpx.HTTPError as exc:
            raise SiasnError(f"{what} token request failed: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise SiasnError(f"{what} token refused", status=response.status_code)
        try:
            body = response.json()
            token = str(body["access_token"])
            lifetime = float(body.get("expires_in", 300))
        except (ValueError, KeyError, TypeError) as exc:
            raise SiasnError(f"{what} token answer is not a token") from exc
        return _Token(token, self.clock() + max(0.0, lifetime - _EXPIRY_MARGIN_SECONDS))

    def _fresh(self, token: _Token | None) -> bool:
        return token is not None and token.expires_at > self.clock()

    async def gateway_token(self) -> str:
        """OAuth2 client credentials at the gateway (the office's consumer key/secret)."""
        if not self._fresh(self._gateway):
            self._gateway = await self._token_request(
                self.credentials.token_url,
                {
                    "grant_type": "client_credentials",
                    "client_id": self.credentials.client_id,
                    "client_secret": self.credentials.client_secret.get_secret_value(),
                },
                "gateway",
            )
        assert self._gateway is not None
        return self._gateway.value

    async def user_token(self) -> str:
        """The operator's SSO token: given, or from the SSO's password grant."""
        given = self.credentials.user_token
        if given is not None:
            return given.get_secret_value()
        if not self._fresh(self._user):
            creds = self.credentials
            if not (creds.sso_url and creds.username and creds.password):
                raise SiasnError("no SIASN user token and no SSO username/password configured")
            self._user = await self._token_request(
                creds.sso_url,
                {
                    "grant_type": "password",
                    "client_id": creds.sso_client_id or creds.client_id,
                    "username": creds.username,
                    "password": creds.password.get_secret_value(),
                },
                "SSO",
            )
        assert self._user is not None
        return self._user.value

    def _forget_tokens(self) -> None:
        self._gateway = None
        self._user = None

    # --- requests ------------------------------------------------------------------------

    def url(self, path_template: str, nip: str) -> str:
        if not _NIP.match(nip):
            raise ValueError("a NIP is 18 digits")
        return self.base_url.rstrip("/") + path_template.replace("{nip}", nip)

    async def _get(self, path_template: str, nip: str, *, history: bool) -> Any:
        url = self.url(path_template, nip)
        for attempt in (1, 2):
            headers = {
                "Authorization": f"Bearer {await self.gateway_token()}",
                "Auth": f"bearer {await self.user_token()}",
                "Accept": "application/json",
            }
            try:
                response = await self._client().get(url, headers=headers)
            except httpx.HTTPError as exc:
                raise SiasnError(f"SIASN unreachable: {type(exc).__name__}", path=url) from exc
            if response.status_code == 401 and attempt == 1:
                self._forget_tokens()
                continue
            break
        if response.status_code == 404:
            if history:
                return []
            raise SiasnNotFound("not found in SIASN", status=404, path=url)
        if response.status_code != 200:
            raise SiasnError("SIASN answered an error", status=response.status_code, path=url)
        try:
            body = response.json()
        except ValueError as exc:
            raise SiasnError("SIASN answered something that is not JSON", path=url) from exc
        if not isinstance(body, dict) or "data" not in body:
            raise SiasnError("SIASN answer has no data envelope", path=url)
        if str(body.get("code", "1")) != "1":
            if history:
                return []
            message = body["data"] if isinstance(body["data"], str) else "SIASN refused"
            raise SiasnNotFound(str(message)[:200], status=response.status_code, path=url)
        data = body["data"]
        if history:
            if data is None or isinstance(data, str):
                return []
            return data if isinstance(data, list) else [data]
        if not isinstance(data, dict):
            raise SiasnNotFound("SIASN has no data for this NIP", path=url)
        return data

    async def data_utama(self, nip: str) -> dict[str, Any]:
        data: dict[str, Any] = await self._get(self.paths.data_utama, nip, history=False)
        return data

    async def _history(self, template: str, nip: str) -> list[dict[str, Any]]:
        rows: list[Any] = await self._get(template, nip, history=True)
        return [row for row in rows if isinstance(row, dict)]

    async def rw_jabatan(self, nip: str) -> list[dict[str, Any]]:
        return await self._history(self.paths.rw_jabatan, nip)

    async def rw_diklat(self, nip: str) -> list[dict[str, Any]]:
        return await self._history(self.paths.rw_diklat, nip)

    async def rw_kursus(self, nip: str) -> list[dict[str, Any]]:
        return await self._history(self.paths.rw_kursus, nip)

    async def rw_skp(self, nip: str) -> list[dict[str, Any]]:
        return await self._history(self.paths.rw_skp, nip)

    async def rw_pendidikan(self, nip: str) -> list[dict[str, Any]]:
        return await self._history(self.paths.rw_pendidikan, nip)
