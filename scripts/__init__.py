"""Command-line tools of the project (run with python scripts/<name>.py)."""
