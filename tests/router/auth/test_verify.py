"""TokenVerifier with real tokens: HS256 with a secret, RS256 and ES256 from a JWKS file or URL."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from router.auth.errors import AuthenticationError
from router.auth.identity import Identity
from router.auth.keys import RemoteKeySet, StaticKeySet, parse_key_set
from router.auth.settings import AuthSettings
from router.auth.verify import TokenVerifier
from tests.router.auth.jwks_server import JwksServer
from tests.router.auth.tokens import SECRET, KeyPair, claims, ec_pair, hs256, jwks, rsa_pair


@pytest.fixture(scope="module")
def rsa() -> KeyPair:
    return rsa_pair()


@pytest.fixture(scope="module")
def ec() -> KeyPair:
    return ec_pair()


def hs_verifier(**settings: str) -> TokenVerifier:
    return TokenVerifier(AuthSettings(secret=SECRET, **settings))


async def refusal(verifier: TokenVerifier, token: str) -> str:
    """The message of the refusal, checked: 401, UNAUTHENTICATED, the token not repeated."""
    with pytest.raises(AuthenticationError) as caught:
        await verifier.verify(token)
    assert (caught.value.status, caught.value.code) == (401, "UNAUTHENTICATED")
    assert not token or token not in caught.value.message
    for part in token.split("."):
        assert len(part) < 8 or part not in caught.value.message
    return caught.value.message


def unsigned(header: dict[str, object], payload: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part(header)}.{part(payload)}."


# -- HS256 ---------------------------------------------------------------------------------


async def test_a_valid_hs256_token_names_its_subject_and_scopes() -> None:
    identity = await hs_verifier().verify(hs256(subject="u-42", scope="member admin"))
    assert identity == Identity("u-42", frozenset({"member", "admin"}))


async def test_scopes_may_come_as_an_scp_list() -> None:
    identity = await hs_verifier().verify(hs256(scp=["member", "tasks:write"]))
    assert identity.scopes == {"member", "tasks:write"}


async def test_no_scope_claim_means_no_scopes() -> None:
    assert (await hs_verifier().verify(hs256())).scopes == frozenset()


async def test_an_expired_token_is_refused() -> None:
    token = hs256(iat=1_000_000, exp=1_000_060)
    assert "expired" in await refusal(hs_verifier(), token)


async def test_a_token_signed_with_another_secret_is_refused() -> None:
    token = hs256(secret="another-secret-of-at-least-thirty-two-bytes")
    assert "signature" in await refusal(hs_verifier(), token)


async def test_a_tampered_payload_is_refused() -> None:
    header, _, signature = hs256(subject="ann").split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims("admin")).encode()).decode().rstrip("=")
    assert "signature" in await refusal(hs_verifier(), f"{header}.{forged}.{signature}")


async def test_a_token_from_another_issuer_is_refused() -> None:
    assert "issued by 'fedtasks'" in await refusal(hs_verifier(), hs256(iss="someone-else"))


async def test_the_issuer_is_configurable() -> None:
    verifier = hs_verifier(issuer="https://id.example.com")
    assert (await verifier.verify(hs256(iss="https://id.example.com"))).subject == "user-1"
    await refusal(verifier, hs256())


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "iss"])
async def test_required_claims_must_be_there(claim: str) -> None:
    assert f"no '{claim}' claim" in await refusal(hs_verifier(), hs256(**{claim: None}))


async def test_a_token_not_valid_yet_is_refused() -> None:
    token = hs256(nbf=claims()["iat"] + 3600)
    assert "not valid yet" in await refusal(hs_verifier(), token)


async def test_alg_none_is_refused() -> None:
    token = unsigned({"alg": "none", "typ": "JWT"}, claims())
    assert "algorithm is not accepted" in await refusal(hs_verifier(), token)


async def test_an_algorithm_other_than_the_configured_ones_is_refused() -> None:
    token = jwt.encode(claims(), SECRET + "-and-more-for-hs512-length-requirements", "HS512")
    assert "algorithm is not accepted" in await refusal(hs_verifier(), token)


@pytest.mark.parametrize("token", ["abc", "a.b.c", "", "eyJhbGciOiJIUzI1NiJ9.e30"])
async def test_a_malformed_token_is_refused(token: str) -> None:
    assert "JWT" in await refusal(hs_verifier(), token)


async def test_the_audience_is_checked_when_configured() -> None:
    verifier = hs_verifier(audience="fedtasks-api")
    assert (await verifier.verify(hs256(aud="fedtasks-api"))).subject == "user-1"
    assert "aud" in await refusal(verifier, hs256(aud="another-api"))
    assert "aud" in await refusal(verifier, hs256())


async def test_without_a_configured_audience_a_token_audience_is_not_checked() -> None:
    assert (await hs_verifier().verify(hs256(aud="anything"))).subject == "user-1"


@pytest.mark.parametrize(
    ("overrides", "wording"),
    [
        ({"sub": "two words"}, "subject"),
        ({"sub": "line\nbreak"}, "subject"),
        ({"scope": 7}, "scope claim must be"),
        ({"scp": ["ok", 3]}, "scope claim must be"),
        ({"scope": 'bad"scope'}, "invalid scope"),
    ],
)
async def test_claims_that_cannot_travel_in_headers_are_refused(
    overrides: dict[str, object], wording: str
) -> None:
    token = jwt.encode(claims(**overrides), SECRET, algorithm="HS256")
    assert wording in await refusal(hs_verifier(), token)


def test_a_short_secret_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        AuthSettings(secret="short")


def test_no_configuration_accepts_no_algorithm() -> None:
    assert AuthSettings().algorithms == ()


async def test_without_keys_every_token_is_refused() -> None:
    verifier = TokenVerifier(AuthSettings())
    assert "none, no keys are configured" in await refusal(verifier, hs256())


# -- RS256 / ES256 from a JWKS file ---------------------------------------------------------


def file_verifier(tmp_path: Path, *pairs: KeyPair, **settings: str) -> TokenVerifier:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks(*pairs)))
    return TokenVerifier.from_settings(AuthSettings(jwks_file=str(path), **settings))


async def test_rs256_and_es256_tokens_verify_with_a_jwks_file(
    tmp_path: Path, rsa: KeyPair, ec: KeyPair
) -> None:
    verifier = file_verifier(tmp_path, rsa, ec)
    assert (await verifier.verify(rsa.sign(subject="r", scope="member"))).subject == "r"
    assert (await verifier.verify(ec.sign(subject="e"))).subject == "e"


async def test_a_lone_key_needs_no_kid(tmp_path: Path, rsa: KeyPair) -> None:
    assert (await file_verifier(tmp_path, rsa).verify(rsa.sign(kid=None))).subject == "user-1"


async def test_an_unknown_kid_is_refused(tmp_path: Path, rsa: KeyPair) -> None:
    token = rsa_pair("other").sign()
    assert "kid" in await refusal(file_verifier(tmp_path, rsa), token)


async def test_a_key_signing_with_another_algorithm_is_refused(
    tmp_path: Path, rsa: KeyPair, ec: KeyPair
) -> None:
    # Signed by the RSA key but naming the EC key's id: the algorithms differ.
    assert "does not match" in await refusal(file_verifier(tmp_path, rsa, ec), rsa.sign(kid="ec-1"))


async def test_a_forged_rs256_signature_is_refused(tmp_path: Path, rsa: KeyPair) -> None:
    impostor = rsa_pair(rsa.kid)
    assert "signature" in await refusal(file_verifier(tmp_path, rsa), impostor.sign())


def _public_pem(pair: KeyPair) -> bytes:
    return pair.private.public_key().public_bytes(  # type: ignore[no-any-return]
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _hs256_with_public_key(pair: KeyPair) -> str:
    """The classic confusion attack: HS256 "signed" with the RSA public key as the secret."""
    header = {"alg": "HS256", "typ": "JWT", "kid": pair.kid}
    signing_input = unsigned(header, claims("admin", scope="admin")).rstrip(".")
    mac = hmac.new(_public_pem(pair), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


async def test_hs256_signed_with_the_public_key_is_refused_when_only_keys_are_configured(
    tmp_path: Path, rsa: KeyPair
) -> None:
    token = _hs256_with_public_key(rsa)
    assert "algorithm is not accepted" in await refusal(file_verifier(tmp_path, rsa), token)


async def test_hs256_signed_with_the_public_key_is_refused_next_to_a_secret(
    tmp_path: Path, rsa: KeyPair
) -> None:
    verifier = file_verifier(tmp_path, rsa, secret=SECRET)
    assert "signature" in await refusal(verifier, _hs256_with_public_key(rsa))
    assert (await verifier.verify(hs256())).subject == "user-1"
    assert (await verifier.verify(rsa.sign())).subject == "user-1"


async def test_rs256_is_refused_when_only_a_secret_is_configured(rsa: KeyPair) -> None:
    assert "algorithm is not accepted" in await refusal(hs_verifier(), rsa.sign())


@pytest.mark.parametrize(
    ("content", "wording"),
    [("not json", "not JSON"), ('{"keys": []}', "no usable"), ('{"k": 1}', "keys")],
)
def test_a_bad_jwks_file_is_refused_at_start(tmp_path: Path, content: str, wording: str) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=wording):
        StaticKeySet.from_file(str(path))


def test_a_missing_jwks_file_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        StaticKeySet.from_file(str(tmp_path / "nope.json"))


def test_encryption_keys_are_not_used_for_signatures(rsa: KeyPair, ec: KeyPair) -> None:
    parsed = parse_key_set({"keys": [{**rsa.public_jwk, "use": "enc"}, ec.public_jwk]})
    assert [key.key_id for key in parsed] == ["ec-1"]


# -- RS256 / ES256 from a JWKS URL (a real HTTP server) ---------------------------------------


async def test_keys_come_from_the_jwks_url_once(rsa: KeyPair, ec: KeyPair) -> None:
    async with JwksServer(jwks(rsa, ec)) as server:
        keys = RemoteKeySet(server.url)
        verifier = TokenVerifier(AuthSettings(jwks_url=server.url), keys)
        try:
            assert (await verifier.verify(rsa.sign(subject="r"))).subject == "r"
            assert (await verifier.verify(ec.sign(subject="e"))).subject == "e"
            assert (await verifier.verify(rsa.sign(subject="again"))).subject == "again"
        finally:
            await verifier.aclose()
    assert server.requests == 1


async def test_a_rotated_key_is_fetched_when_a_token_names_it(rsa: KeyPair) -> None:
    rotated = rsa_pair("rsa-2")
    async with JwksServer(jwks(rsa)) as server:
        keys = RemoteKeySet(server.url, refresh_cooldown=0)
        verifier = TokenVerifier(AuthSettings(jwks_url=server.url), keys)
        try:
            await verifier.verify(rsa.sign())
            server.document = jwks(rsa, rotated)
            assert (await verifier.verify(rotated.sign(subject="new"))).subject == "new"
        finally:
            await verifier.aclose()
    assert server.requests == 2


async def test_unknown_kids_do_not_hammer_the_jwks_url(rsa: KeyPair) -> None:
    async with JwksServer(jwks(rsa)) as server:
        keys = RemoteKeySet(server.url, refresh_cooldown=3600)
        verifier = TokenVerifier(AuthSettings(jwks_url=server.url), keys)
        try:
            for n in range(5):
                await refusal(verifier, rsa_pair(f"made-up-{n}").sign())
        finally:
            await verifier.aclose()
    assert server.requests == 1


async def test_known_keys_keep_serving_when_a_refresh_fails(rsa: KeyPair) -> None:
    async with JwksServer(jwks(rsa)) as server:
        keys = RemoteKeySet(server.url, refresh_cooldown=0)
        verifier = TokenVerifier(AuthSettings(jwks_url=server.url), keys)
        try:
            await verifier.verify(rsa.sign())
            server.failing = True
            await refusal(verifier, rsa_pair("unknown").sign())
            assert (await verifier.verify(rsa.sign(subject="still"))).subject == "still"
        finally:
            await verifier.aclose()


async def test_an_unreachable_jwks_url_is_a_503_not_a_bad_token(rsa: KeyPair) -> None:
    async with JwksServer(jwks(rsa)) as server:
        server.failing = True
        verifier = TokenVerifier(AuthSettings(jwks_url=server.url), RemoteKeySet(server.url))
        try:
            with pytest.raises(AuthenticationError) as caught:
                await verifier.verify(rsa.sign())
        finally:
            await verifier.aclose()
    assert (caught.value.status, caught.value.code) == (503, "AUTH_KEYS_UNAVAILABLE")
