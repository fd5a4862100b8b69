"""``python -m tpmkit`` runs the command line."""

import sys

from tpmkit.cli import main

sys.exit(main())
