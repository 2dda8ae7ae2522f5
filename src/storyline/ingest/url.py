"""Fetch an article by URL without letting hostile links reach private networks.

A link in a pile of hostile articles can point at ``http://169.254.169.254/``
or ``http://localhost:8080/admin``. The fetcher resolves the host itself,
refuses loopback, private, link-local, multicast and reserved addresses unless
``allow_private`` is set, connects to the address it checked (so a second DNS
answer cannot swap it), and re-checks every redirect hop.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from ..records import Document, Skip

MAX_REDIRECTS = 5
TIMEOUT = 20.0
USER_AGENT = "storyline/0.1 (+offline news analysis)"


class FetchRefused(ValueError):
    """The URL may not be fetched (scheme, or a private/loopback address)."""


def is_public_address(address: str) -> bool:
    """Return True when an IP address is globally routable (not private, loopback, ...)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )


def check_url(url: str, *, allow_private: bool = False) -> tuple[str, str, int, str]:
    """Validate a URL and resolve it to a checked address.

    Returns:
        ``(scheme, host, port, address)``.

    Raises:
        FetchRefused: for a non-HTTP scheme, a missing host, or a host that
            resolves to a non-public address while ``allow_private`` is False.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"refused {url!r}: only http and https URLs can be fetched")
    host = parts.hostname
    if not host:
        raise FetchRefused(f"refused {url!r}: no host name")
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused(f"refused {url!r}: host {host!r} does not resolve ({exc.strerror})") from None
    addresses = [info[4][0] for info in infos]
    if not allow_private:
        bad = [a for a in addresses if not is_public_address(a)]
        if bad:
            raise FetchRefused(
                f"refused {url!r}: {host} resolves to non-public address {bad[0]}; "
                "pass --allow-private to fetch from private or loopback networks"
            )
    return scheme, host, port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def fetch(url: str, *, allow_private: bool = False, max_bytes: int = 20 * 1024 * 1024, timeout: float = TIMEOUT) -> bytes:
    """Fetch the body of ``url``, following up to five checked redirects.

    Raises:
        FetchRefused: when a hop is refused (see :func:`check_url`).
        OSError: on network errors, HTTP errors and oversized bodies.
    """
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, address = check_url(url, allow_private=allow_private)
        cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        conn = cls(host, port, address, timeout)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise OSError(f"HTTP {response.status} from {url} without a Location header")
                url = urljoin(url, location)
                continue
            if response.status >= 400:
                raise OSError(f"HTTP {response.status} {response.reason} from {url}")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise OSError(f"response from {url} is larger than {max_bytes} bytes")
            return body
        finally:
            conn.close()
    raise OSError(f"too many redirects from {url}")


def is_url(value: str) -> bool:
    """Return True when a command-line input looks like an http(s) URL."""
    return value.lower().startswith(("http://", "https://"))


def iter_urls(urls: list[str], *, outlet: str | None = None, allow_private: bool = False, max_bytes: int = 20 * 1024 * 1024) -> Iterator[Document | Skip]:
    """Fetch each URL and yield its Document, or a Skip with the reason."""
    from .files import _from_html

    for url in urls:
        try:
            body = fetch(url, allow_private=allow_private, max_bytes=max_bytes)
        except (FetchRefused, OSError, http.client.HTTPException) as exc:
            yield Skip(url, str(exc))
            continue
        meta = {"outlet": outlet} if outlet else {}
        yield from _from_html(body, source=url, path=None, meta=meta, url=url)
