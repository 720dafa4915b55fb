"""bench/load.py's protocol client: the messages it sends and what it reads from the server's."""

from __future__ import annotations

import asyncio
import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

_spec = importlib.util.spec_from_file_location(
    "bench_load", Path(__file__).resolve().parents[2] / "bench" / "load.py")
load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(load)


def _run(coro):
    """asyncio.run in a thread of its own: the e2e session's Playwright keeps a loop running here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class FakeSocket:
    """A websocket that hands out serialized ForwardMsgs, then None (closed)."""

    def __init__(self, messages: list[ForwardMsg]):
        self.frames = [m.SerializeToString() for m in messages]

    async def read_message(self):
        return self.frames.pop(0) if self.frames else None


def _element(kind: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.SetInParent()
    getattr(msg.delta.new_element, kind).SetInParent()
    return msg


def _run_messages(count: str, *, early: bool = False) -> list[ForwardMsg]:
    info = ForwardMsg()
    info.page_info_changed.query_string = "types=attack"
    metric = _element("metric")
    metric.delta.new_element.metric.body = count
    slider = _element("slider")
    slider.delta.new_element.slider.label = "Dates"
    slider.delta.new_element.slider.id = "$$ID-abc-_w_f_dates"
    slider.delta.new_element.slider.max = 1744848000000000.0
    other = _element("component_instance")
    other.delta.new_element.component_instance.component_name = "some.other"
    the_map = _element("component_instance")
    the_map.delta.new_element.component_instance.component_name = load.MAP_COMPONENT
    messages = [info, metric, slider, other, the_map]
    if early:   # a run cut short by a rerun ends with this status; the client keeps reading
        cut = ForwardMsg()
        cut.script_finished = ForwardMsg.FINISHED_EARLY_FOR_RERUN
        messages.insert(2, cut)
    done = ForwardMsg()
    done.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    return messages + [done]


def test_read_run_times_the_map_and_keeps_what_the_next_run_needs():
    seen: dict = {"query": ""}
    maps = []
    out = _run(load._read_run(FakeSocket(_run_messages("156", early=True)), 0.0, seen,
                                     on_map=lambda: maps.append(1)))
    assert out["count"] == "156"
    assert out["status"] == ForwardMsg.FINISHED_SUCCESSFULLY
    assert 0 < out["map_s"] <= out["finished_s"]
    assert maps == [1]   # only the st_folium element counts as the map
    assert seen["query"] == "types=attack"
    assert seen["dates"].id == "$$ID-abc-_w_f_dates"


def test_read_run_without_an_end_is_an_error():
    messages = _run_messages("156")[:-1]
    try:
        _run(load._read_run(FakeSocket(messages), 0.0, {}))
    except ConnectionError:
        return
    raise AssertionError("a closed socket before script_finished must raise")


def test_rerun_carries_the_url_and_the_slider_as_the_frontend_sends_them():
    back = BackMsg()
    back.ParseFromString(load._rerun("types=attack", {"$$ID-abc-_w_f_dates": [5.0, 5.0]},
                                     "http://127.0.0.1:1"))
    state = back.rerun_script
    assert back.WhichOneof("type") == "rerun_script"
    assert state.query_string == "types=attack"
    assert state.context_info.url == "http://127.0.0.1:1/"
    [widget] = state.widget_states.widgets
    assert widget.id == "$$ID-abc-_w_f_dates"
    assert list(widget.double_array_value.data) == [5.0, 5.0]
    first = BackMsg()
    first.ParseFromString(load._rerun(""))
    assert not first.rerun_script.widget_states.widgets   # the page's first run: no widget yet
