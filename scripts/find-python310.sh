#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or exit 1.
# Tries python3.10 on PATH, then pyenv's installed 3.10 versions (pyenv's shim on PATH
# fails when 3.10 is installed but not selected).
set -u
candidates=(python3.10)
if command -v pyenv >/dev/null 2>&1; then
  candidates+=("$(pyenv root)"/versions/3.10*/bin/python3.10)
fi
candidates+=("$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
for candidate in "${candidates[@]}"; do
  if path=$(command -v "$candidate" 2>/dev/null) && "$path" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
exit 1
