"""The responses of domain.yml as the REST channel sends them, for tests that compare replies."""

from typing import Any, Dict

import yaml

from scripts.stack import ROOT

_RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def response(name: str, sender: str) -> Dict[str, Any]:
    """The first variation of the response `name`, as the REST channel sends it to `sender`."""
    return {"recipient_id": sender, **_RESPONSES[name][0]}
