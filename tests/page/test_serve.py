"""The start command's pieces that need no server (tests/browser/test_warm.py runs it whole)."""

from __future__ import annotations

import logging
import socket

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from laovn_map.page import serve


@pytest.mark.parametrize(("address", "port", "base", "url"), [
    ("localhost", 8501, "", "http://localhost:8501/"),
    ("127.0.0.1", 8600, "/", "http://127.0.0.1:8600/"),
    ("", 8501, "", "http://127.0.0.1:8501/"),  # every interface: this machine's loopback
    ("0.0.0.0", 8501, "/maps/laos/", "http://127.0.0.1:8501/maps/laos/"),
    ("::1", 8501, "maps", "http://[::1]:8501/maps/"),
])
def test_the_server_is_reached_where_it_listens(address: str, port: int, base: str,
                                                url: str) -> None:
    assert serve.server_url(address, port, base) == url
    assert serve.stream_url(url) == "ws" + url[len("http"):] + "_stcore/stream"


def test_the_warm_up_asks_for_a_first_visits_run() -> None:
    message = BackMsg.FromString(serve.first_visit())
    assert message.WhichOneof("type") == "rerun_script"
    assert message.rerun_script.query_string == ""
    assert not message.rerun_script.widget_states.widgets


def test_without_a_server_the_warm_up_says_so_in_one_line(
        caplog: pytest.LogCaptureFixture) -> None:
    """No Streamlit runtime in this process: the warm-up gives up after its wait, with one
    line in the log and no exception (warming is an extra)."""
    with caplog.at_level(logging.INFO, logger="laovn_map"):
        assert serve.warm(start_wait_s=0.2) is False
    (record,) = caplog.records
    assert record.getMessage() == f"{serve.NOT_WARMED}: the server did not answer within 0.2 s"
    assert record.exc_info is None


def test_a_served_over_tls_page_is_not_warmed_and_says_why() -> None:
    with pytest.raises(ValueError, match="TLS"):
        serve.run_once(serve.server_url("localhost", 8501, "", tls=True))


@pytest.mark.parametrize("failure", ["nothing listens", "an unforeseen error"])
def test_a_failed_run_is_one_line_in_the_log(failure: str, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as closed:  # a port nothing listens on once this block ends
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setattr(serve, "wait_for_server",
                        lambda wait_s: serve.server_url("127.0.0.1", port, ""))
    if failure == "an unforeseen error":
        monkeypatch.setattr(serve, "run_once", lambda url, wait_s: {}["status"])
    with caplog.at_level(logging.INFO, logger="laovn_map"):
        assert serve.warm() is False
    (record,) = caplog.records
    assert record.getMessage().startswith(f"{serve.NOT_WARMED}: "), record.getMessage()
    assert "\n" not in record.getMessage() and record.exc_info is None
