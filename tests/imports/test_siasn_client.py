"""The SIASN client against ``httpx.MockTransport``: tokens, headers, paths, envelopes.
No live calls: every request lands in ``FakeSiasn``."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from pydantic import SecretStr

from asn_career.config import SiasnCredentials, SiasnPaths, SiasnSettings
from asn_career.imports.siasn.client import SiasnClient, SiasnError, SiasnNotFound

FIXTURES = Path(__file__).parent / "fixtures" / "siasn"
NIP = "199001152019032002"
BASE = "https://siasn.test/apisiasn/1.0"
TOKEN_URL = "https://gateway.test/oauth2/token"
SSO_URL = "https://sso.test/token"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class FakeSiasn:
    """SIASN and its gateway/SSO, as recorded: checks both tokens on every data call."""

    def __init__(self, known: dict[str, str] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.gateway_tokens = 0
        self.sso_tokens = 0
        self.expire_next = False
        self.known = known or {
            f"/pns/data-utama/{NIP}": "data-utama",
            f"/pns/rw-jabatan/{NIP}": "rw-jabatan",
            f"/pns/rw-kursus/{NIP}": "rw-kursus",
            f"/pns/rw-diklat/{NIP}": "rw-diklat",
            f"/pns/rw-skp/{NIP}": "rw-skp",
            f"/pns/rw-pendidikan/{NIP}": "rw-pendidikan",
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        url = str(request.url)
        if url == TOKEN_URL:
            form = parse_qs(request.content.decode())
            if form != {
                "grant_type": ["client_credentials"],
                "client_id": ["kota-kupang"],
                "client_secret": ["consumer-secret"],
            }:
                return httpx.Response(401, json={"error": "invalid_client"})
            self.gateway_tokens += 1
            return httpx.Response(
                200, json={"access_token": f"gw-{self.gateway_tokens}", "expires_in": 3600}
            )
        if url == SSO_URL:
            form = parse_qs(request.content.decode())
            assert form["grant_type"] == ["password"]
            assert form["username"] == ["199001152019032002"]
            assert form["password"] == ["operator-password"]
            assert form["client_id"] == ["kupang-sso"]
            self.sso_tokens += 1
            return httpx.Response(
                200, json={"access_token": f"sso-{self.sso_tokens}", "expires_in": 1800}
            )
        if not url.startswith(BASE):
            return httpx.Response(502)
        if self.expire_next:
            self.expire_next = False
            return httpx.Response(401, json={"message": "token expired"})
        authorization = request.headers.get("authorization", "")
        user = request.headers.get("auth", "")
        if not authorization.startswith("Bearer gw-") or not user.startswith("bearer "):
            return httpx.Response(401)
        path = url[len(BASE) :]
        if path in self.known:
            return httpx.Response(200, json=fixture(self.known[path]))
        if "/rw-" in path:
            return httpx.Response(200, json={"code": 0, "data": "Data tidak ditemukan"})
        return httpx.Response(200, json=fixture("not-found"))


def credentials(**overrides: Any) -> SiasnCredentials:
    values: dict[str, Any] = {
        "client_id": "kota-kupang",
        "client_secret": SecretStr("consumer-secret"),
        "token_url": TOKEN_URL,
        "user_token": SecretStr("operator-sso-token"),
    }
    values.update(overrides)
    return SiasnCredentials(**values)


def make_client(fake: FakeSiasn, **overrides: Any) -> SiasnClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    return SiasnClient(base_url=BASE, credentials=credentials(**overrides), http=http)


async def test_data_utama_sends_both_tokens_and_unwraps_the_envelope() -> None:
    fake = FakeSiasn()
    async with make_client(fake) as client:
        data = await client.data_utama(NIP)
    assert data["nipBaru"] == NIP
    assert data["nama"] == "DEWI LESTARI NDOEN"
    call = fake.requests[-1]
    assert str(call.url) == f"{BASE}/pns/data-utama/{NIP}"
    assert call.method == "GET"
    assert call.headers["authorization"] == "Bearer gw-1"
    assert call.headers["auth"] == "bearer operator-sso-token"


async def test_the_gateway_token_is_cached_and_renewed_once_on_401() -> None:
    fake = FakeSiasn()
    async with make_client(fake) as client:
        await client.data_utama(NIP)
        await client.rw_skp(NIP)
        assert fake.gateway_tokens == 1
        fake.expire_next = True
        rows = await client.rw_jabatan(NIP)
    assert len(rows) == 3
    assert fake.gateway_tokens == 2


async def test_the_token_expires_by_the_clock() -> None:
    fake = FakeSiasn()
    now = [0.0]
    http = httpx.AsyncClient(transport=httpx.MockTransport(fake))
    client = SiasnClient(base_url=BASE, credentials=credentials(), http=http, clock=lambda: now[0])
    await client.data_utama(NIP)
    now[0] = 3500.0  # expires_in 3600 less a 30 s margin
    await client.data_utama(NIP)
    assert fake.gateway_tokens == 1
    now[0] = 3571.0
    await client.data_utama(NIP)
    assert fake.gateway_tokens == 2
    await http.aclose()


async def test_the_user_token_comes_from_the_sso_password_grant() -> None:
    fake = FakeSiasn()
    client = make_client(
        fake,
        user_token=None,
        sso_url=SSO_URL,
        sso_client_id="kupang-sso",
        username="199001152019032002",
        password=SecretStr("operator-password"),
    )
    await client.rw_pendidikan(NIP)
    await client.rw_kursus(NIP)
    assert fake.sso_tokens == 1
    assert fake.requests[-1].headers["auth"] == "bearer sso-1"


async def test_paths_are_configurable() -> None:
    fake = FakeSiasn(known={f"/v2/skp22/{NIP}": "rw-skp"})
    client = make_client(fake).with_paths(rw_skp="/v2/skp22/{nip}")
    rows = await client.rw_skp(NIP)
    assert [r["tahun"] for r in rows] == [2023, 2022, 2024]
    assert str(fake.requests[-1].url) == f"{BASE}/v2/skp22/{NIP}"
    settings = SiasnSettings(base_url=BASE, path_rw_skp="/v2/skp22/{nip}")
    assert settings.paths() == SiasnPaths(rw_skp="/v2/skp22/{nip}")


async def test_unknown_nip_and_empty_histories() -> None:
    fake = FakeSiasn()
    client = make_client(fake)
    other = "198609262015051001"
    with pytest.raises(SiasnNotFound, match="Data tidak ditemukan"):
        await client.data_utama(other)
    assert await client.rw_jabatan(other) == []


async def test_bad_credentials_and_bad_nips_fail_clearly() -> None:
    fake = FakeSiasn()
    client = make_client(fake, client_secret=SecretStr("wrong"))
    with pytest.raises(SiasnError) as refused:
        await client.data_utama(NIP)
    assert refused.value.status == 401
    assert "wrong" not in str(refused.value)
    with pytest.raises(ValueError, match="18 digits"):
        await make_client(FakeSiasn()).data_utama("../../admin")
    no_user = make_client(FakeSiasn(), user_token=None)
    with pytest.raises(SiasnError, match="no SIASN user token"):
        await no_user.data_utama(NIP)


async def test_server_errors_and_non_json_are_siasn_errors() -> None:
    def broken(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return httpx.Response(200, json={"access_token": "gw", "expires_in": 60})
        if request.url.path.endswith("data-utama/" + NIP):
            return httpx.Response(200, text="<html>maintenance</html>")
        return httpx.Response(503)

    client = SiasnClient(
        base_url=BASE,
        credentials=credentials(),
        http=httpx.AsyncClient(transport=httpx.MockTransport(broken)),
    )
    with pytest.raises(SiasnError, match="not JSON"):
        await client.data_utama(NIP)
    with pytest.raises(SiasnError) as failed:
        await client.rw_skp(NIP)
    assert failed.value.status == 503


def test_credentials_never_show_their_secrets() -> None:
    shown = repr(credentials(password=SecretStr("operator-password")))
    assert "consumer-secret" not in shown
    assert "operator-sso-token" not in shown
    assert "operator-password" not in shown
