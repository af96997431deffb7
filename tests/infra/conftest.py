"""Lets the infra tests import their helpers (infra_helpers, infra_contract) by name."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
