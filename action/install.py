"""The action's install step: gatekeeper in an isolated environment with pinned dependencies.

Run by the runner's own ``python3``, the one thing the action may assume. Makes a fresh
environment under $RUNNER_TEMP with gatekeeper's dependencies, pinned and hashed in
``requirements.lock``, puts the action's own source (the folder above this one) on that
environment's path with a ``.pth`` file, and writes the environment's interpreter to
$GITHUB_OUTPUT as ``python``. The source is not built into a wheel: building it took a
third of the install (a build backend run in a child interpreter) for a package that the
action uses only from this folder, through ``action/launch.py``.

The installer is uv, pinned and hashed in ``bootstrap.lock``: installed with the runner's
pip into the tool cache (once per machine), it makes the environment in well under a second,
where ``python -m venv`` + ``pip install`` of the same lock takes several
(benchmarks/action_install.py). Where uv cannot be had, the same lock is installed with venv
and pip. uv and pip read their usual environment variables, so an index mirror
(UV_DEFAULT_INDEX, PIP_INDEX_URL) or an offline cache works; uv's config files in the
checked-out repository are ignored (``--no-config``), so the code under test cannot change
how its gate is installed.

    python3 action/install.py [--venv DIR] [--installer auto|pip]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent
LOCK = HERE / "requirements.lock"
BOOTSTRAP_LOCK = HERE / "bootstrap.lock"
WINDOWS = os.name == "nt"
OLDEST_PYTHON = (3, 10)
"""gatekeeper's requires-python."""
EXIT_NOT_INSTALLED = 4
"""gatekeeper's 'internal error: the gate is not decided', never the gate's 1."""


class InstallError(Exception):
    """A command of the install failed; the message says which."""


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise InstallError(f"`{Path(argv[0]).name} {argv[1]}` exited {done.returncode}")


def _command_text(text: str) -> str:
    """``text`` made safe as the message of a workflow command (one line, no stray %)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def uv_version() -> str:
    for line in BOOTSTRAP_LOCK.read_text(encoding="utf-8").splitlines():
        if line.startswith("uv=="):
            return line.split("==", 1)[1].split()[0]
    raise InstallError(f"{BOOTSTRAP_LOCK} pins no uv version")


def bootstrap_uv(env: dict[str, str]) -> Path:
    """The pinned uv from the tool cache, installed there with pip if it is not yet."""
    # The tool cache outlives the job on a self-hosted runner: uv is installed once there.
    base = env.get("RUNNER_TOOL_CACHE") or env.get("RUNNER_TEMP") or tempfile.gettempdir()
    tool = Path(base) / "gatekeeper-action" / f"uv-{uv_version()}"
    exe = tool / "bin" / ("uv.exe" if WINDOWS else "uv")
    if exe.is_file():
        return exe
    tool.parent.mkdir(parents=True, exist_ok=True)
    # Into a staging folder, then renamed: two jobs on one runner may bootstrap at once.
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=tool.parent))
    try:
        _run(
            [
                sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                "--no-input", "--root-user-action=ignore", "--no-deps", "--only-binary=:all:",
                "--require-hashes", "--target", str(staging), "-r", str(BOOTSTRAP_LOCK),
            ],
            env,
        )  # fmt: skip
        try:
            staging.rename(tool)
        except OSError:
            if not exe.is_file():  # not a race lost to another job: a real failure
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return exe


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if WINDOWS else "bin/python")


def _stamp() -> str:
    """What an environment is made from: the same stamp means it can be used again."""
    digest = hashlib.sha256(LOCK.read_bytes())
    digest.update(f"{sys.executable}\0{sys.version}\0".encode())
    sources = [SOURCE / "pyproject.toml", *sorted((SOURCE / "gatekeeper").rglob("*"))]
    for path in sources:  # stat, not read: a few milliseconds for the whole tree
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def site_packages(venv: Path) -> Path:
    """Where the environment's interpreter imports installed packages from."""
    if WINDOWS:
        return venv / "Lib" / "site-packages"
    found = sorted((venv / "lib").glob("*/site-packages"))
    if len(found) != 1:
        raise InstallError(f"{venv}: expected one lib/*/site-packages, found {len(found)}")
    return found[0]


def add_source(venv: Path) -> None:
    """Put gatekeeper's source on the environment's path, after its installed packages."""
    (site_packages(venv) / "gatekeeper-action.pth").write_text(f"{SOURCE}\n", encoding="utf-8")


def install_with_uv(uv: Path, venv: Path, env: dict[str, str]) -> None:
    env = {**env, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_PROGRESS": "1"}
    common = ["--quiet", "--no-config"]
    _run([str(uv), "venv", *common, "--clear", "--python", sys.executable, str(venv)], env)
    target = ["--python", str(venv_python(venv))]
    pinned = ["--no-deps", "--require-hashes", "-r", str(LOCK)]
    _run([str(uv), "pip", "install", *common, *target, *pinned], env)


def install_with_pip(venv: Path, env: dict[str, str]) -> None:
    _run([sys.executable, "-m", "venv", "--clear", str(venv)], env)
    pip = [str(venv_python(venv)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "--no-deps", "--require-hashes", "-r", str(LOCK)], env)


def install(venv: Path, env: dict[str, str], installer: str = "auto") -> str:
    """Make ``venv`` hold gatekeeper and its pinned dependencies; say how it was done."""
    stamp_file = venv / "gatekeeper-action.stamp"
    stamp = _stamp()
    if stamp_file.is_file() and stamp_file.read_text(encoding="utf-8") == stamp:
        return "already installed"  # the action used twice in one job
    uv = None
    if installer == "auto":
        try:
            uv = bootstrap_uv(env)
        except (InstallError, OSError) as exc:
            message = f"gatekeeper: uv could not be installed ({exc}); installing with pip"
            print(f"::notice::{_command_text(message)}", flush=True)
    if uv is None:
        install_with_pip(venv, env)
        how = "venv + pip"
    else:
        install_with_uv(uv, venv, env)
        how = f"uv {uv_version()}"
    add_source(venv)
    stamp_file.write_text(stamp, encoding="utf-8")
    return how


def _set_output(env: dict[str, str], name: str, value: str) -> None:
    path = env.get("GITHUB_OUTPUT")
    if path:  # a path has no newline, so the one-line form is safe
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(f"{name}={value}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--venv", type=Path, help="where (default: $RUNNER_TEMP/gatekeeper-venv)")
    parser.add_argument(
        "--installer", choices=("auto", "pip"), default="auto",
        help="auto: uv, else venv and pip; pip: venv and pip only (to compare, in benchmarks/)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if sys.version_info < OLDEST_PYTHON:
        found = ".".join(map(str, sys.version_info[:3]))
        wanted = ".".join(map(str, OLDEST_PYTHON))
        message = f"gatekeeper needs Python {wanted} or newer; python3 here is {found}"
        print(f"::error::{message} (run actions/setup-python before this action)", flush=True)
        return EXIT_NOT_INSTALLED
    env = dict(os.environ)
    venv = args.venv or Path(env.get("RUNNER_TEMP") or tempfile.gettempdir()) / "gatekeeper-venv"
    start = time.perf_counter()
    try:
        how = install(venv, env, args.installer)
    except (InstallError, OSError) as exc:
        print(f"::error::{_command_text(f'gatekeeper could not be installed: {exc}')}", flush=True)
        return EXIT_NOT_INSTALLED
    seconds = time.perf_counter() - start
    print(f"gatekeeper installed in {venv} ({how}, {seconds:.1f} s)", flush=True)
    _set_output(env, "python", str(venv_python(venv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
