"""Bad and odd inputs every request must survive: used by the tests and by `make bench`."""

import json

# name -> (request body, expected HTTP status)
BAD_REQUESTS = {
    "empty body": (b"", 400),
    "malformed JSON": (b'{"sender": "a", "message": ', 400),
    "a JSON array": (b'[{"sender": "a", "message": "hi"}]', 400),
    "a JSON number": (b"42", 400),
    "missing sender": (b'{"message": "hi"}', 400),
    "sender is a number": (b'{"sender": 7, "message": "hi"}', 400),
    "missing message": (b'{"sender": "a"}', 400),
    "message is a list": (b'{"sender": "a", "message": ["hi"]}', 400),
    "metadata is text": (b'{"sender": "a", "message": "hi", "metadata": "vip"}', 400),
    "invalid UTF-8": (b'{"sender": "a", "message": "\xff\xfe"}', 400),
    "a 5,000-character sender id": (json.dumps({"sender": "s" * 5000, "message": "hi"}).encode(), 400),
    "a body over 64 KB": (json.dumps({"sender": "a", "message": "啊" * 30000}, ensure_ascii=False).encode(), 400),
    "arrays nested 30,000 deep": (b"[" * 30_000 + b"]" * 30_000, 400),  # within the size limit
    "metadata nested 900 deep": (
        b'{"sender": "a", "message": "hi", "metadata": ' + b'{"a": ' * 900 + b"1" + b"}" * 901,
        400,
    ),
}

# name -> message text
WELL_FORMED = {
    "empty message": "",
    "whitespace only": "   \n\t  ",
    "control characters": "\x00\x07橱窗\x1b加不了\x7f",
    "zero-width characters": "\u200b\u200c\u200d\ufeff",
    "20,000 characters": "直播间为什么加不了联盟商品" + "啊" * 20000,
    "emoji and English": "showcase 加不了 alliance 商品 😭😭",
}
