import http.server
import threading

import pytest

from storyline.ingest.url import FetchRefused, check_url, fetch, is_public_address, iter_urls
from storyline.records import Document, Skip

PAGE = b"""<html><head><title>Local page</title><meta property="og:site_name" content="Loopback Herald"></head>
<body><article><p>The harbour of Velmora reopened on Monday after a week of strikes, the port authority said.</p>
<p>Traders said the queue of lorries at the gate would take days to clear, and that prices had risen.</p></article></body></html>"""


@pytest.fixture
def server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - stdlib name
            if self.path == "/redirect-private":
                self.send_response(302)
                self.send_header("Location", "http://127.0.0.1:1/secret")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    "address, public",
    [("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.5", False), ("192.168.1.1", False),
     ("169.254.169.254", False), ("::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
     ("0.0.0.0", False), ("8.8.8.8", True), ("2001:4860:4860::8888", True)],
)
def test_public_address(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    "url, message",
    [
        ("http://127.0.0.1/admin", "refused 'http://127.0.0.1/admin': 127.0.0.1 resolves to non-public address 127.0.0.1; pass --allow-private to fetch from private or loopback networks"),
        ("http://localhost:8080/", "resolves to non-public address"),
        ("http://169.254.169.254/latest/meta-data/", "resolves to non-public address 169.254.169.254"),
        ("http://[::1]/", "resolves to non-public address ::1"),
        ("file:///etc/passwd", "only http and https URLs can be fetched"),
        ("ftp://example.org/x", "only http and https URLs can be fetched"),
    ],
)
def test_refused_urls(url, message):
    with pytest.raises(FetchRefused) as info:
        check_url(url)
    assert message in str(info.value)


def test_loopback_refused_by_default_allowed_on_request(server):
    with pytest.raises(FetchRefused):
        fetch(server + "/article")
    assert b"Velmora" in fetch(server + "/article", allow_private=True)


def test_iter_urls_turns_refusal_into_skip(server):
    (item,) = iter_urls([server + "/article"])
    assert isinstance(item, Skip) and "pass --allow-private" in item.reason
    (doc,) = iter_urls([server + "/article"], allow_private=True)
    assert isinstance(doc, Document) and doc.outlet == "Loopback Herald" and doc.url == server + "/article"


def test_redirect_hops_are_checked(server, monkeypatch):
    import storyline.ingest.url as url_module

    real = url_module.check_url

    def only_first_hop_allowed(url, allow_private=False):
        # The test server is on loopback too, so allow it and check that the
        # redirect target (port 1) is checked again.
        if url.startswith(server):
            return real(url, allow_private=True)
        return real(url, allow_private=False)

    monkeypatch.setattr(url_module, "check_url", only_first_hop_allowed)
    with pytest.raises(FetchRefused) as info:
        fetch(server + "/redirect-private")
    assert "127.0.0.1:1/secret" in str(info.value)
