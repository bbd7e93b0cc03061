"""``python -m verifier`` is the ``derivcheck`` command."""

import sys

from verifier.cli import main

sys.exit(main())
