"""Every loader works with the network unreachable (models come only from installed packages)."""

import subprocess
import sys
import textwrap

NO_NETWORK = textwrap.dedent(
    """
    import socket

    def _refuse(*args, **kwargs):
        raise OSError("network disabled for this test")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    """
)

PROGRAM = textwrap.dedent(
    """
    from storyline.extract import extract
    from storyline.extract.rhetoric import detectors, get_detector
    from storyline.ingest import document_from_text
    from storyline.nlp import load, model_package

    doc = document_from_text(
        "Harbour strike ends\\n\\nDock workers in Velmora ended their strike on Friday, March 8, 2024. "
        "\\u201cWe have been heard,\\u201d said Mira Kallas, the union leader. Critics called the union a gang of saboteurs.",
        published="2024-03-09",
    )
    assert doc.lang == "en", doc.lang
    nlp = load()
    for name in detectors():
        get_detector(name)
    records = extract(nlp(doc.text), doc)
    assert records.dates and records.quotes and records.mentions, records
    print("ok", model_package(), len(records.rhetoric))
    """
)


def test_loaders_work_without_network(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("ok en_core_web_sm")


def test_socket_is_really_blocked(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(NO_NETWORK, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    probe = "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 9))\nexcept OSError as e:\n    print(e)\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.strip() == "network disabled for this test"
