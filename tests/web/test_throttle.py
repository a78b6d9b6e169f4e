"""The rate limits' counting (channels/web/throttle.py); the channels' 429s are in
tests/security/test_rate_limits.py."""

import gc
import time

from limits.storage import MemoryStorage

from channels.web.throttle import PER_CLIENT, Throttle, rates


def test_rates_are_read_from_their_setting_and_a_bad_one_falls_back_to_the_default(monkeypatch, caplog):
    monkeypatch.setenv(PER_CLIENT[0], "5/second;100/hour")
    assert [(r.amount, r.GRANULARITY.name) for r in rates(PER_CLIENT)] == [(5, "second"), (100, "hour")]
    monkeypatch.setenv(PER_CLIENT[0], "lots")
    assert list(map(str, rates(PER_CLIENT))) == list(map(str, rates(("UNSET_RATE", PER_CLIENT[1]))))
    assert "is not a rate" in caplog.text


def test_every_rate_holds(monkeypatch):
    monkeypatch.setenv("ASSISTANT_RATE_PER_CLIENT", "2/second;3/minute")
    throttle = Throttle(MemoryStorage())
    assert [throttle.retry_after("client", "a") for _ in range(2)] == [0, 0]
    assert throttle.retry_after("client", "a") == 1  # the second's window
    time.sleep(1.1)
    assert throttle.retry_after("client", "a") == 0
    assert 50 <= throttle.retry_after("client", "a") <= 60  # the minute's


def test_each_key_of_each_scope_is_counted_alone_and_over_the_limit_says_when_to_retry(monkeypatch):
    monkeypatch.setenv("ASSISTANT_RATE_PER_CONVERSATION", "2/minute")
    throttle = Throttle(MemoryStorage())
    assert [throttle.retry_after("conversation", "a") for _ in range(2)] == [0, 0]
    time.sleep(0.05)  # the memory storage's expiry timer, which holds it, has run
    gc.collect()  # the limiter holds its storage weakly: the throttle must keep it
    assert 1 <= throttle.retry_after("conversation", "a") <= 60
    assert throttle.retry_after("conversation", "b") == 0
    assert throttle.retry_after("client", "a") == 0
