"""`rasa run` with the API token read from the environment, never from the command line.

    python -m scripts.rasa_server --model M --port P --enable-api ...   (rasa run's arguments)

`rasa run --auth-token=VALUE` puts the token in the process list, where any local user
reads it (`ps -eo args`, /proc/<pid>/cmdline) and gets every agent power. This entry
point takes the token from ASSISTANT_TOKEN (a process's environment is readable by its
own user only) and hands it to Rasa's own command line inside the process: what the
operating system shows is the command it was started with.
"""

from __future__ import annotations

import os
import sys
from typing import List, Optional

TOKEN_VARIABLE = "ASSISTANT_TOKEN"


def rasa_argv(arguments: List[str], token: str) -> List[str]:
    """The argv Rasa's `main` reads: `rasa run`, the arguments, then the token."""
    if any(a == "--auth-token" or a.startswith("--auth-token=") for a in arguments):
        raise SystemExit(f"the API token is read from {TOKEN_VARIABLE}, never from the command line")
    if not token:
        raise SystemExit(f"{TOKEN_VARIABLE} is not set: the HTTP API needs a token")
    return ["rasa", "run", *arguments, f"--auth-token={token}"]  # `=`: a token may start with "-"


def main(arguments: Optional[List[str]] = None) -> None:
    from rasa.__main__ import main as rasa_main

    sys.argv = rasa_argv(sys.argv[1:] if arguments is None else arguments, os.environ.get(TOKEN_VARIABLE, ""))
    rasa_main()


if __name__ == "__main__":
    main()
