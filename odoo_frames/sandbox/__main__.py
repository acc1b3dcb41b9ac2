"""``python -m odoo_frames.sandbox [--port 8069] [--odoo-version 18.0] [--scale N | --data FILE]``

Same as ``odoo-frames sandbox``: prints the URL, database, logins and API key, then
serves until Ctrl-C.
"""

from __future__ import annotations

import sys

from odoo_frames.cli import sandbox_main

if __name__ == "__main__":
    sys.exit(sandbox_main(sys.argv[1:], prog="python -m odoo_frames.sandbox"))
