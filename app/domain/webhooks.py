"""Webhooks without I/O: which URLs and addresses we may post to, signing secrets and
signatures, and the retry schedule.

A webhook URL must be https on the default port, name a host (no user info, no
fragment), and every address the host resolves to must be public: private, loopback,
link-local, multicast, reserved, unspecified, CGNAT (100.64.0.0/10) and the IPv4
addresses hidden inside IPv6 ones (mapped, 6to4, NAT64, Teredo) are refused, both
when the admin registers it and before every delivery. `allow_private` (tests, a
closed network) lets private and loopback addresses through, never multicast or
unspecified ones.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import StrEnum
from urllib.parse import urlsplit

from app.errors import BadRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SECRET_PREFIX = "whsec_"
SIGNATURE_HEADER = "X-YLYX-Signature"
MAX_URL_CHARS = 2000

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL_NAMES = ("localhost", "localhost.localdomain")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


class Event(StrEnum):
    """What a webhook can subscribe to: the two kinds of entry in the changes feed."""

    upserted = "facility.upserted"
    deleted = "facility.deleted"


@dataclass(frozen=True, slots=True)
class Target:
    """A checked webhook URL: the host to resolve and the request target to send."""

    host: str  # lower-case ASCII (IDNA), no trailing dot; an IP literal without brackets
    port: int
    target: str  # path and query, as sent
    literal: IPAddress | None  # the address when the URL names one


def parse_url(url: str) -> Target:
    """The URL's parts, or BadRequest('url', why) when it may not be a webhook."""
    if len(url) > MAX_URL_CHARS or any(c.isspace() or ord(c) < 32 for c in url):
        raise BadRequest("url", f"must be at most {MAX_URL_CHARS} characters, without spaces")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadRequest("url", "is not a valid URL") from exc
    if parts.scheme.lower() != "https":
        raise BadRequest("url", "must use https")
    if "@" in parts.netloc:
        raise BadRequest("url", "must not carry a user name or password")
    if parts.fragment or url.endswith("#"):
        raise BadRequest("url", "must not have a #fragment")
    if port not in (None, 443):
        raise BadRequest("url", "must use the default https port (443)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadRequest("url", "must name a host")
    literal = _literal(host)
    if literal is None:
        host = _dns_name(host)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(host=host, port=443, target=target, literal=literal)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _dns_name(host: str) -> str:
    try:
        name = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise BadRequest("url", "the host is not a valid domain name") from exc
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise BadRequest("url", "the host is not a valid domain name")
    if not re.search(r"[a-z]", labels[-1]):
        # 2130706433, 0x7f.1, 127.1: numbers a resolver would read as an address
        raise BadRequest("url", "the host must be a domain name or a plain IP address")
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        raise BadRequest("url", "must not name a local host")
    return name


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: IPAddress, *, allow_private: bool = False) -> str | None:
    """Why a webhook may not be sent to `address`, or None when it may."""
    if address.is_multicast or address.is_unspecified:
        return "a multicast or unspecified address"
    if isinstance(address, ipaddress.IPv6Address):
        if address.teredo is not None:
            return "a Teredo tunnel address"
        inner = _embedded_v4(address)
        if inner is not None:
            return address_refusal(inner, allow_private=allow_private)
    if allow_private:
        return None
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address in _CGNAT:
        return "a shared (CGNAT) address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a reserved address"
    return None


def check_addresses(
    host: str, addresses: Iterable[IPAddress], *, allow_private: bool = False
) -> list[IPAddress]:
    """The addresses, when every one is allowed (else BadRequest naming the first refused)."""
    found = list(dict.fromkeys(addresses))
    if not found:
        raise BadRequest("url", f"the host {host} has no address")
    for address in found:
        why = address_refusal(address, allow_private=allow_private)
        if why is not None:
            raise BadRequest("url", f"the host {host} resolves to {why} ({address})")
    return found


def secret_for(master_key: str, salt: bytes) -> str:
    """A webhook's signing secret, derived from the server's key and the webhook's salt
    (the database keeps only the salt)."""
    digest = hmac.new(master_key.encode(), b"ylyx-webhook-secret\x00" + salt, hashlib.sha256)
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of `<timestamp>.<body>` under the secret."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes, *older: str) -> str:
    """The X-YLYX-Signature value: `t=<unix seconds>,v1=<hex>`, plus a `v1` under each
    `older` secret still valid after a rotation (a receiver accepts any one)."""
    signatures = ",".join(f"v1={signature(s, timestamp, body)}" for s in (secret, *older))
    return f"t={timestamp},{signatures}"


class Outcome(StrEnum):
    delivered = "delivered"
    retry = "retry"
    give_up = "give_up"


def outcome(status: int | None) -> Outcome:
    """What an answer means: 2xx delivered; 410 Gone stops the webhook; anything else
    (no answer, a redirect, 4xx, 429, 5xx) is tried again later."""
    if status is not None and 200 <= status < 300:
        return Outcome.delivered
    if status == 410:
        return Outcome.give_up
    return Outcome.retry


def backoff_s(attempt: int, *, base_s: float, max_s: float, jitter: float) -> float:
    """Seconds before the next try after `attempt` failed tries: exponential, capped,
    scaled by `jitter` in [0, 1] into its upper half (so tries never bunch)."""
    delay = min(max_s, base_s * float(2 ** min(max(attempt - 1, 0), 40)))
    return delay * (0.5 + 0.5 * min(max(jitter, 0.0), 1.0))


def retry_after_s(value: str | None, now_unix: float) -> float | None:
    """A Retry-After header (seconds or an HTTP date) in seconds from now, if valid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value[:9])
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, float(when.timestamp()) - now_unix)
