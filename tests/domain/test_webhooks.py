"""Webhook rules without I/O: URLs, addresses, secrets, signatures, the retry schedule."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

import pytest

from app.domain.webhooks import (
    Outcome,
    address_refusal,
    backoff_s,
    outcome,
    parse_url,
    retry_after_s,
    secret_for,
    signature_header,
)
from app.errors import BadRequest


def test_a_good_url_keeps_its_path_and_query_and_names_an_ascii_host() -> None:
    target = parse_url("https://Hooks.Example.com./in/ylyx?a=1&b=%E5%8A")
    assert (target.host, target.port, target.target) == (
        "hooks.example.com",
        443,
        "/in/ylyx?a=1&b=%E5%8A",
    )
    assert target.literal is None
    assert parse_url("https://钩子.example.com").host == "xn--i8s974k.example.com"
    assert parse_url("https://hooks.example.com:443").target == "/"
    assert parse_url("https://[2606:4700::1111]/x").literal == ipaddress.ip_address(
        "2606:4700::1111"
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/",
        "HTTPS://user@hooks.example.com/",
        "https://hooks.example.com:0/",
        "https://hooks.example.com:99999/",
        "https://hooks.example.com/#",
        "https://-bad-.example.com/",
        "https://a..example.com/",
        "https://127.1/",
        "https://hooks.localhost/",
        "https://metadata.google.internal/",
        "https://hooks.example.com/\x00",
        "https://" + "a" * 2000 + ".com/",
        "javascript:alert(1)",
        "//hooks.example.com/",
    ],
)
def test_urls_that_may_not_be_webhooks_are_refused_naming_url(url: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_url(url)
    assert refused.value.params[0].name == "url"


@pytest.mark.parametrize(
    ("address", "refused_unless_allowed", "always_refused"),
    [
        ("93.184.216.34", False, False),
        ("2606:4700::1111", False, False),
        ("10.1.2.3", True, False),
        ("172.16.0.1", True, False),
        ("192.168.0.1", True, False),
        ("127.0.0.1", True, False),
        ("169.254.169.254", True, False),
        ("100.64.0.1", True, False),
        ("192.0.2.1", True, False),  # documentation
        ("240.0.0.1", True, False),
        ("::1", True, False),
        ("fe80::1", True, False),
        ("fd00::1", True, False),
        ("::ffff:127.0.0.1", True, False),
        ("::ffff:93.184.216.34", False, False),
        ("2002:7f00:1::", True, False),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:1", True, False),  # NAT64 around 10.0.0.1
        ("224.0.0.1", True, True),
        ("ff02::1", True, True),
        ("0.0.0.0", True, True),
        ("::", True, True),
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", True, True),  # Teredo
    ],
)
def test_only_public_addresses_are_allowed(
    address: str, refused_unless_allowed: bool, always_refused: bool
) -> None:
    ip = ipaddress.ip_address(address)
    assert (address_refusal(ip) is not None) == refused_unless_allowed
    assert (address_refusal(ip, allow_private=True) is not None) == always_refused


def test_the_signature_is_an_hmac_of_the_timestamp_and_the_raw_body() -> None:
    body = b'{"events":[]}'
    header = signature_header("whsec_test", 1_790_000_000, body)
    expected = hmac.new(b"whsec_test", b"1790000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1790000000,v1={expected}"
    assert signature_header("whsec_test", 1_790_000_001, body) != header
    older = hmac.new(b"whsec_old", b"1790000000." + body, hashlib.sha256).hexdigest()
    assert signature_header("whsec_test", 1_790_000_000, body, "whsec_old") == (
        f"{header},v1={older}"
    )


def test_secrets_come_from_the_server_key_and_the_salt() -> None:
    secret = secret_for("server-key", b"salt-1")
    assert secret.startswith("whsec_") and len(secret) == 6 + 43
    assert secret == secret_for("server-key", b"salt-1")
    assert secret != secret_for("server-key", b"salt-2")
    assert secret != secret_for("other-key", b"salt-1")


def test_answers_mean_delivered_retry_or_give_up() -> None:
    assert [outcome(s) for s in (200, 204, 299)] == [Outcome.delivered] * 3
    assert [outcome(s) for s in (None, 301, 400, 404, 408, 429, 500, 503)] == [Outcome.retry] * 8
    assert outcome(410) is Outcome.give_up


def test_backoff_doubles_up_to_the_cap_and_jitter_keeps_the_upper_half() -> None:
    full = [backoff_s(n, base_s=30, max_s=3600, jitter=1.0) for n in range(1, 10)]
    assert full == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert backoff_s(3, base_s=30, max_s=3600, jitter=0.0) == 60
    assert 60 <= backoff_s(3, base_s=30, max_s=3600, jitter=0.37) <= 120
    assert backoff_s(10_000, base_s=30, max_s=3600, jitter=1.0) == 3600
    assert backoff_s(1, base_s=0, max_s=3600, jitter=1.0) == 0


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert retry_after_s("120", 0) == 120
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 - 60) == 60
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480 + 60) == 0
    for junk in (None, "", "soon", "-5", "1.5", "Wed, 99 Foo"):
        assert retry_after_s(junk, 0) is None
