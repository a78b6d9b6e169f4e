"""Forgets the conversations older than the retention period (`make purge`).

    .venv/bin/python -m scripts.purge [--days N]

N is ASSISTANT_RETENTION_DAYS (180) unless given. The conversations and their records are
in the database of the profile's endpoints file (ASSISTANT_PROFILE=production: PostgreSQL);
the Rasa server also purges at start and then daily.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from channels.incoming import limit
from channels.web.retention import RETENTION_DAYS
from scripts.agent import endpoint_config, profile_from_environment
from stores.records import engine_for
from stores.records.tables import create_tables
from stores.retention import Stores, purge


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=limit(RETENTION_DAYS), help="keep conversations this many days")
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be at least 1")
    profile = profile_from_environment(parser)
    stores = Stores(engine_for(endpoint_config(profile, "tracker_store")), engine_for(endpoint_config(profile)))
    create_tables(stores.records)
    forgotten = purge(stores, args.days)
    print(f"已删除 {forgotten} 个超过 {args.days} 天的对话及其记录。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
