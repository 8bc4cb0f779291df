"""The version ./dev build stamps on the wheel and sdist comes from git (setuptools-scm with this
project's settings), checked on small throwaway repositories rather than by building."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout.strip()


def version(project: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SETUPTOOLS_SCM")}
    found = subprocess.run([sys.executable, "-m", "setuptools_scm"], cwd=project, env={**clean, **env},
                           capture_output=True, text=True, timeout=60)
    return found.stdout.strip().splitlines()[-1] if found.returncode == 0 else "ERROR"


def project(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")   # this project's settings
    (repo / "pkg" / "__init__.py").write_text("")
    return repo


def test_a_tag_is_the_version_and_commits_after_it_are_a_dev_release(tmp_path):
    repo = project(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    git(repo, "tag", "v1.2.3")
    assert version(repo) == "1.2.3"
    (repo / "pkg" / "more.py").write_text("")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "second")
    dev = version(repo)
    assert dev.startswith("1.2.4.dev1+g") and git(repo, "rev-parse", "HEAD").startswith(dev.split("+g")[1])


def test_without_git_the_version_must_be_given(tmp_path):
    repo = project(tmp_path)   # a copied tree, as in an image build
    assert version(repo) == "ERROR", "no made-up version"
    assert version(repo, SETUPTOOLS_SCM_PRETEND_VERSION="2.0.1") == "2.0.1"


def test_with_no_tag_yet_the_version_counts_the_commits(tmp_path):
    repo = project(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    assert version(repo).startswith("0.1.dev1+g")


def test_this_checkout_is_versioned_from_its_own_history():
    found = version(ROOT)
    if "+g" in found:   # not on a tag: the commit is named (a dirty tree adds a date after a dot)
        assert git(ROOT, "rev-parse", "HEAD").startswith(found.split("+g")[1].split(".")[0]), found
