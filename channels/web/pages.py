"""The pages (web/pages/) and the bundles built into build/web/, with their security headers."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Awaitable, Callable, Optional, Text

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.web.guards import error_response

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "web" / "pages"
STATIC = ROOT / "build" / "web"

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
SOURCE_MAPS = "ASSISTANT_SOURCE_MAPS"
_STATIC_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-cache",
}

INDEX = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>抖音小店规则助手</title><link rel="icon" href="data:,"></head>
<body><h1>抖音小店规则助手</h1><ul>
<li><a href="/web/demo">商家后台演示页（聊天窗口）</a></li>
<li><a href="/web/console">客服答复台</a></li>
</ul></body></html>
"""


async def index(request: Request) -> HTTPResponse:
    """A page linking the demo page and the agent console."""
    return response.html(INDEX, headers=PAGE_HEADERS)


def page(name: Text) -> Callable[[Request], Awaitable[HTTPResponse]]:
    """A handler serving web/pages/<name>."""

    async def serve_page(request: Request) -> HTTPResponse:
        path = PAGES / name
        if not path.is_file():
            return error_response(404, f"page {name} is missing")
        return response.html(path.read_text(encoding="utf-8"), headers=PAGE_HEADERS)

    serve_page.__name__ = f"page_{name.split('.')[0]}"
    return serve_page


async def static(request: Request, name: Text) -> HTTPResponse:
    """A bundle from build/web/, by plain file name only."""
    path = static_file(name)
    if path is None:
        return error_response(404, f"no such file: {name[:100]} (run `make web` to build the bundles)")
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return await response.file(path, mime_type=CONTENT_TYPES[path.suffix], headers=headers)


def static_file(name: Text, folder: Optional[Path] = None) -> Optional[Path]:
    """The file `name` directly inside `folder` (build/web) with a known type, or None.
    Source maps (the whole sources) only where ASSISTANT_SOURCE_MAPS=1, for debugging."""
    folder = folder or STATIC
    if not _STATIC_NAME.match(name) or ".." in name or Path(name).suffix not in CONTENT_TYPES:
        return None
    if Path(name).suffix == ".map" and os.environ.get(SOURCE_MAPS) != "1":
        return None
    path = (folder / name).resolve()
    if path.parent != folder.resolve() or not path.is_file():
        return None
    return path
