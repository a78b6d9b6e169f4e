"""The merchant chat widget's and the agent console's routes, served by the Rasa server.

Enabled by the line `channels.web.WebInput:` in credentials.yml. The routes sit at the
server's root:

- `GET /web/`, `/web/demo`, `/web/console`: the pages; `GET /web/static/<file>`: the
  bundles built from web/ into build/web/ (`make web`) (pages.py).
- `POST /web/session`: the demo issuer of merchant session tokens, when
  ASSISTANT_SESSION_ISSUER=demo (sessions.py).
- `GET /web/welcome`, `POST /web/feedback`: for the widget (merchants) (feedback.py).
- `GET /assist/vocabulary`, `POST /assist/suggest` (agent.py), `GET /assist/unanswered`
  (maintainer.py), `PUT`/`DELETE /assist/unanswered/<key>/label` (teaching.py),
  `GET /assist/stats` (stats.py), the inbox and its conversations (inbox.py), an agent's replies and the
  hand-back (replies.py): for support agents and maintainers; they need the shared token
  in ASSISTANT_TOKEN or an agent's own (`make agent`).
- `GET /web/agent-replies`: for the widget, the agents' replies it has not shown (replies.py).
- `DELETE /assist/conversations/<sender>`: forgets a conversation, for its merchant or a
  trusted backend; old conversations are purged at start and daily (retention.py).

The merchant's routes (and the REST and socket.io channels) need the merchant's session
token, whose subject is the conversation, or the API token (sessions.py).

Merchants do not talk through this channel: the widget uses the socket.io channel, and
the REST channel when socket.io cannot connect. Every answer here is JSON (or a file);
bad input gets a 400 with {"error": "..."}. The guards every route shares (token, agent
still loading, bad input) are written once, in guards.py.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint

from channels.web.agent import suggest, vocabulary
from channels.web.feedback import feedback, welcome
from channels.web.guards import hide_tokens_in_access_log
from channels.web.inbox import conversation, conversation_suggestion, inbox, inbox_events
from channels.web.maintainer import unanswered
from channels.web.pages import index, page, static
from channels.web.retention import delete_conversation, start_retention, stop_retention
from channels.web.sessions import new_session
from channels.web.stats import stats
from channels.web.teaching import label_choices, label_group, unlabel_group, wrong_answer
from channels.web.replies import agent_replies, hand_back, reply, start_delivery, stop_delivery


class WebInput(InputChannel):
    """Serves the chat widget, the agent console and their JSON routes."""

    @classmethod
    def name(cls) -> Text:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def url_prefix(self) -> Text:
        """Routes sit at the server's root: /web/..., /assist/..."""
        return "/"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The routes; merchants' messages come through the socket.io and REST channels."""
        hide_tokens_in_access_log()
        web = Blueprint("web_assistant", __name__)
        web.add_route(index, "/web", methods=["GET"], strict_slashes=False)
        web.add_route(page("demo.html"), "/web/demo", methods=["GET"])
        web.add_route(page("console.html"), "/web/console", methods=["GET"])
        web.add_route(static, "/web/static/<name>", methods=["GET"])
        web.add_route(new_session, "/web/session", methods=["POST"])
        web.add_route(welcome, "/web/welcome", methods=["GET"])
        web.add_route(feedback, "/web/feedback", methods=["POST"])
        web.add_route(vocabulary, "/assist/vocabulary", methods=["GET"])
        web.add_route(suggest, "/assist/suggest", methods=["POST"])
        web.add_route(unanswered, "/assist/unanswered", methods=["GET"])
        web.add_route(stats, "/assist/stats", methods=["GET"])
        web.add_route(label_group, "/assist/unanswered/<key>/label", methods=["PUT"])
        web.add_route(unlabel_group, "/assist/unanswered/<key>/label", methods=["DELETE"])
        web.add_route(label_choices, "/assist/unanswered/<key>/choices", methods=["GET"])
        web.add_route(inbox, "/assist/inbox", methods=["GET"])
        web.add_route(inbox_events, "/assist/inbox/events", methods=["GET"], stream=True)
        conversations = "/assist/conversations/<sender>"
        web.add_route(conversation, conversations, methods=["GET"])
        web.add_route(delete_conversation, conversations, methods=["DELETE"])
        web.add_route(conversation_suggestion, f"{conversations}/suggestion", methods=["GET"])
        web.add_route(reply, f"{conversations}/reply", methods=["POST"])
        web.add_route(hand_back, f"{conversations}/hand-back", methods=["POST"])
        web.add_route(wrong_answer, f"{conversations}/wrong", methods=["POST"])
        web.add_route(agent_replies, "/web/agent-replies", methods=["GET"])
        web.after_server_start(start_delivery)
        web.after_server_start(start_retention)
        web.before_server_stop(stop_delivery)
        web.before_server_stop(stop_retention)
        return web
