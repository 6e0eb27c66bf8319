"""Dependency hygiene (issue #15, item 15): the build and the virtualenv use a setuptools past its
known CVEs, pinned in one version for both."""

import re
from importlib.metadata import version
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
# CVE-2025-47273 (path traversal in PackageIndex) is fixed in 78.1.1; CVE-2024-6345 in 70.0.0.
FIRST_SAFE = Version("78.1.1")


def test_setuptools_is_pinned_past_its_known_cves_for_the_build_and_the_venv():
    build = re.search(r'^requires = \["setuptools==([\d.]+)"\]', (ROOT / "pyproject.toml").read_text(), re.M)
    venv = re.search(
        r"pip install --quiet --upgrade pip setuptools==([\d.]+)", (ROOT / "Makefile").read_text()
    )
    assert build and venv, "setuptools must be pinned in pyproject.toml [build-system] and in make install"
    assert build.group(1) == venv.group(1)
    assert Version(build.group(1)) >= FIRST_SAFE
    assert Version(version("setuptools")) >= FIRST_SAFE, (
        "run make install again: the venv's setuptools is old"
    )
