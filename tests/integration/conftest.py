"""Shared fixtures: where the built binary and the shared data are."""
import os
import pathlib
import socket

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"


def build_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get("HASHLAKE_BUILD_DIR", ROOT / "build"))


@pytest.fixture(scope="session")
def hashlake_bin() -> pathlib.Path:
    binary = build_dir() / "hashlake"
    if not binary.exists():
        pytest.fail(f"{binary} not found: build first (scripts/build.sh) or set HASHLAKE_BUILD_DIR")
    return binary


@pytest.fixture(scope="session")
def shared_data() -> pathlib.Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (a user's clone): real-data tests skipped")
    return SHARED_DATA


@pytest.fixture(scope="session")
def artifacts() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("HASHLAKE_ARTIFACTS", ROOT / "test-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
