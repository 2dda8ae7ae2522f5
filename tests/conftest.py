import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """Return the shared/ folder beside the repo (or $STORYLINE_SHARED)."""
    env = os.environ.get("STORYLINE_SHARED")
    if env:
        return Path(env)
    for candidate in (REPO.parent / "shared", Path("/work/shared")):
        if candidate.exists():
            return candidate
    return REPO.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from storyline.nlp import load

    return load()


@pytest.fixture(scope="session")
def shared():
    path = shared_dir()
    if not path.exists():
        pytest.skip(f"shared data folder not found at {path} (set STORYLINE_SHARED)")
    return path
