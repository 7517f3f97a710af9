"""The lock files in requirements/ pin what pyproject.toml asks for, so `make` installs it.

`make lock` writes them; these tests fail when pyproject.toml changed and the locks did not.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PRODUCTION = [Requirement(line) for line in PROJECT["dependencies"]]
DEV = PRODUCTION + [Requirement(line) for line in PROJECT["optional-dependencies"]["dev"]]
# How uv marks a pin that pyproject.toml asks for itself (the others come with those).
DECLARED = "newsroom (pyproject.toml)"


@dataclass
class Pin:
    requirement: Requirement
    wanted_by: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)

    @property
    def version(self) -> str:
        [specifier] = self.requirement.specifier
        assert specifier.operator == "==", f"{self.requirement} is not an exact pin"
        return specifier.version


def pins(lock_file: str) -> list[Pin]:
    """The packages `lock_file` pins, each with what asks for it (the lock's "via" notes)."""
    found = []
    for line in (ROOT / "requirements" / lock_file).read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if line and not line[0].isspace() and not line.startswith("#"):
            found.append(Pin(Requirement(line.removesuffix("\\").strip())))
        elif found and text.startswith("#"):
            note = text.lstrip("#").strip().removeprefix("via").strip()
            if note:
                found[-1].wanted_by.add(note)
    return found


LOCKS = [("production.txt", PRODUCTION), ("dev.txt", DEV)]


@pytest.mark.parametrize(("lock_file", "declared"), LOCKS)
def test_lock_pins_each_declared_dependency_within_its_range(lock_file, declared):
    locked = {}
    for pin in pins(lock_file):
        locked.setdefault(pin.name, []).append(pin.version)

    for requirement in declared:
        versions = locked.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in requirements/{lock_file}: run make lock"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements/{lock_file} pins {requirement.name}=={version}, outside "
                f"pyproject.toml's {requirement}: run make lock"
            )


@pytest.mark.parametrize(("lock_file", "declared"), LOCKS)
def test_lock_pins_no_dependency_that_pyproject_dropped(lock_file, declared):
    wanted = {pin.name for pin in pins(lock_file) if DECLARED in pin.wanted_by}

    declared_names = {canonicalize_name(requirement.name) for requirement in declared}
    assert wanted == declared_names, f"requirements/{lock_file} is out of date: run make lock"


def test_dev_lock_pins_production_packages_at_their_production_versions():
    production = {(pin.name, pin.version) for pin in pins("production.txt")}
    dev = {(pin.name, pin.version) for pin in pins("dev.txt")}

    assert production <= dev
