"""The client's address, as the audit log and the login lockout record it.

Forwarded headers are written by whoever sends the request: X-Forwarded-For is believed only
when TONGXIN_BEHIND_PROXY is on and the peer is one of TONGXIN_TRUSTED_PROXIES. Then its
entries are read from the right (each proxy appends the address it saw), past the trusted
proxies, and the first other address is the client; entries left of it are the client's own
claims. Otherwise the client is the peer.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TONGXIN_TRUSTED_PROXIES 中的“{entry}”不是 IP 地址或网段（如 10.0.0.0/8）"
            ) from exc
    return tuple(networks)


def _address(text: str | None) -> Address | None:
    """An address from REMOTE_ADDR or one X-Forwarded-For entry (with or without a port)."""
    text = (text or "").strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # 198.51.100.7:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is the IPv4 client.
    return getattr(address, "ipv4_mapped", None) or address


def is_trusted_proxy(address: Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TONGXIN_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The client's IP address, None when the peer's is not one (a test client, a socket)."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None or not settings.TONGXIN_BEHIND_PROXY or not is_trusted_proxy(peer):
        return str(peer) if peer is not None else None
    client = peer
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        hop = _address(entry)
        if hop is None:  # not written by a proxy: the hop before it is the last one known
            break
        client = hop
        if not is_trusted_proxy(hop):
            break
    return str(client)
