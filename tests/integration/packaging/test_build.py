"""`ansible-galaxy collection build` from a working tree where an event was run: the run's files
(codes, cards, URLs, status: secrets) never travel in the tarball."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
RUN_OUTPUTS = ["codes-spring.csv", "cards-spring.html", "urls-spring.csv", "status-spring.csv"]


def test_a_build_leaves_out_what_a_run_wrote(tmp_path):
    tree = tmp_path / "tree"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source, target = ROOT / name, tree / name
        if source.is_file() and not source.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    for name in RUN_OUTPUTS:
        (tree / name).write_text("email,team,code\nada@example.org,1,ABCD-EFGH-JKMN\n")
    galaxy = Path(sys.executable).parent / "ansible-galaxy"
    build = subprocess.run(
        [str(galaxy), "collection", "build", "--output-path", str(tmp_path), str(tree)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (tarball,) = tmp_path.glob("hackathon-studio-*.tar.gz")
    with tarfile.open(tarball) as packed:
        names = packed.getnames()
    assert "plugins/modules/studio_access_codes.py" in names  # the build has the collection
    assert not [name for name in names if Path(name).name in RUN_OUTPUTS]
