"""What every process pays: the libraries a process loads only when it makes or reads a file
(openpyxl with numpy, scipy) stay out of starting Django and loading the site's routes."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("openpyxl", "numpy", "scipy")


def test_starting_the_site_loads_no_spreadsheet_or_statistics_library(tmp_path):
    probe = (
        "import sys, django\n"
        "django.setup()\n"
        "import config.urls, config.api\n"
        "from cmc.interchange.management.commands import import_framework, export_framework\n"
        f"print(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "CMC_DATA_DIR": str(tmp_path),
           "SECRET_KEY": "test", "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
