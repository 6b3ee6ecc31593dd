"""laovn_map.page.component: the map's component arguments, worked out once, are exactly those
st_folium gives for each state; `show` sends them, and st_folium's change handler runs."""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
import streamlit_folium

from laovn_map import catalog
from laovn_map.geo.reader import Layers, load_layers
from laovn_map.page import browserdata, component, mapview

from ..layersets import LAYER_SETS, layer_set
from .test_mapview import state_script

STATES = [
    mapview.MapState(),
    mapview.MapState("vi", catalog.PERIOD_2025),
    mapview.MapState("vi", tiles=True, select=("VN-33", 4), timeline=("1945-01-01", "1977-12-31"),
                     off=("countries", "water")),
]


@pytest.fixture(scope="module", params=LAYER_SETS)
def layers(request: pytest.FixtureRequest) -> Layers:
    return load_layers(layer_set(request.param))


@pytest.fixture(scope="module")
def prepared(layers: Layers) -> dict[str, browserdata.PreparedLayer]:
    return browserdata.prepare_layers(layers.collections)


def st_folium_arguments(prepared: dict[str, browserdata.PreparedLayer], script: str,
                        **sizing: Any) -> dict[str, Any]:
    """What st_folium gives the component for the app's map with `script` as its state (as
    wide as the page, unless `sizing` says otherwise)."""
    sent: list[dict[str, Any]] = []
    with mock.patch.object(streamlit_folium, "_component_func",
                           side_effect=lambda **kwargs: sent.append(kwargs)):
        streamlit_folium.st_folium(
            mapview.build_map(prepared), key="laovn_map", height=640, returned_objects=[],
            feature_group_to_add=mapview.state_group(script), render=False,
            **(sizing or {"use_container_width": True}))
    (args,) = sent
    del args["on_change"]
    return args


@pytest.mark.parametrize("state", STATES, ids=["default", "vi-2025", "vi-select-tiles-off"])
def test_the_arguments_are_st_folium_s_for_each_state(
        layers: Layers, prepared: dict[str, browserdata.PreparedLayer],
        state: mapview.MapState) -> None:
    script = state_script(layers, state)
    made = component.MapComponent.of(mapview.build_map(prepared), "laovn_map", 640)
    assert made.arguments(script) == st_folium_arguments(prepared, script)
    assert script in made.arguments(script)["feature_group"]
    assert component.STATE_MARK not in made.arguments(script)["feature_group"]


def test_a_map_of_a_given_width_is_st_folium_s_too(
        layers: Layers, prepared: dict[str, browserdata.PreparedLayer]) -> None:
    script = state_script(layers, STATES[0])
    made = component.MapComponent.of(mapview.build_map(prepared), "laovn_map", 640, width=1076)
    expected = st_folium_arguments(prepared, script, width=1076)
    assert made.arguments(script) == expected and expected["width"] == 1076


def test_of_gives_streamlit_folium_its_component_back(
        prepared: dict[str, browserdata.PreparedLayer]) -> None:
    before = streamlit_folium._component_func
    component.MapComponent.of(mapview.build_map(prepared), "laovn_map", 640)
    assert streamlit_folium._component_func is before is component._COMPONENT


def test_builds_worked_out_at_once_each_get_their_own_arguments(
        prepared: dict[str, browserdata.PreparedLayer]) -> None:
    """Sessions of two builds (a rebuilt geo/) may work out their maps at the same time, each
    with st_folium's component put aside for a moment."""
    keys = [f"map_{i}" for i in range(4)]
    maps = {key: mapview.build_map(prepared) for key in keys}
    made: dict[str, component.MapComponent] = {}
    start = threading.Barrier(len(keys))

    def work(key: str) -> None:
        start.wait()
        made[key] = component.MapComponent.of(maps[key], key, 640)

    threads = [threading.Thread(target=work, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {key: component.MapComponent.of(mapview.build_map(prepared), key, 640).args["key"]
                for key in keys}
    assert {key: m.args["key"] for key, m in made.items()} == expected
    assert len(set(expected.values())) == len(keys)
    assert streamlit_folium._component_func is component._COMPONENT


def test_the_state_script_goes_in_as_it_is(prepared: dict[str, browserdata.PreparedLayer]
                                           ) -> None:
    """st_folium rewrites folium's names and `{{'...'}}` references anywhere in the feature
    group; a state script is data and is left alone."""
    made = component.MapComponent.of(mapview.build_map(prepared), "laovn_map", 640)
    script = 'laovn.apply({"texts": "{{\'x\'}} map_div_1 feature_group_0"});'
    assert script in made.arguments(script)["feature_group"]


def test_show_sends_the_arguments_and_runs_st_folium_s_handler_first(
        layers: Layers, prepared: dict[str, browserdata.PreparedLayer]) -> None:
    made = component.MapComponent.of(mapview.build_map(prepared), "laovn_map", 640)
    script = state_script(layers, STATES[1])
    sent: list[dict[str, Any]] = []
    session: dict[str, Any] = {}
    seen: list[dict[str, Any]] = []
    with mock.patch.object(component, "_COMPONENT", side_effect=lambda **kw: sent.append(kw)):
        made.show(script, on_change=lambda: seen.append(dict(session)))
    (args,) = sent
    handler = args.pop("on_change")
    assert args == made.arguments(script)
    # the component's value (kept by Streamlit under its hash key) goes to the app's key
    session[args["key"]] = {"drawn": True}
    with mock.patch.object(streamlit_folium.st, "session_state", session):
        handler()
    assert session["laovn_map"] == {"drawn": True}
    assert seen == [session]


def test_a_state_mark_streamlit_folium_does_not_keep_once_is_refused(
        prepared: dict[str, browserdata.PreparedLayer]) -> None:
    def doubled(script: str) -> Any:
        return real(script + script)

    real = mapview.state_group
    with mock.patch.object(component.mapview, "state_group", doubled), \
            pytest.raises(ValueError, match="state script"):
        component.MapComponent.of(mapview.build_map(prepared), "laovn_map", 640)


def _square_counted(calls: list[int]) -> Any:
    @component.kept(max_entries=2)
    def square(x: int) -> int:
        calls.append(x)
        if x < 0:
            raise ValueError(x)
        return x * x
    return square


def test_kept_values_outlive_a_rerun_and_are_bounded() -> None:
    component.clear_kept()
    calls: list[int] = []
    assert [_square_counted(calls)(n) for n in (2, 2, 3)] == [4, 4, 9]
    # a rerun of the page makes the function anew: the same code finds the same values
    assert _square_counted(calls)(2) == 4
    assert calls == [2, 3]
    _square_counted(calls)(5)  # a third argument: the least recently used (3) goes
    _square_counted(calls)(3)
    assert calls == [2, 3, 5, 3]
    with pytest.raises(ValueError):
        _square_counted(calls)(-1)
    with pytest.raises(ValueError):
        _square_counted(calls)(-1)  # an error is not kept
    component.clear_kept()
    _square_counted(calls)(2)
    assert calls == [2, 3, 5, 3, -1, -1, 2]


def test_kept_works_a_value_out_once_when_sessions_ask_at_once() -> None:
    component.clear_kept()
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    @component.kept(max_entries=4)
    def slow(x: int) -> list[int]:
        calls.append(x)
        started.set()
        release.wait(10)
        return [x]

    got: list[list[int]] = []
    threads = [threading.Thread(target=lambda: got.append(slow(1))) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.wait(10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert calls == [1]
    assert len(got) == 4 and all(value is got[0] for value in got)


def test_kept_a_caller_just_after_the_work_is_done_finds_the_value() -> None:
    """The value is kept and the work's lock dropped in one step: a caller that comes right
    after the first caller's work ends (the first time the kept function's lock is let go
    after it) finds the value and does not work it out again."""
    component.clear_kept()
    calls: list[int] = []
    returned = threading.Event()

    @component.kept(max_entries=4)
    def work(x: int) -> list[int]:
        calls.append(x)
        returned.set()
        return [x]

    kept_work: Any = work
    inner = kept_work._lock
    second: list[list[int]] = []

    class Hooked:
        """The kept function's lock, which lets a second caller in at its first release after
        the work returned."""

        fired = False

        def __enter__(self) -> None:
            inner.acquire()

        def __exit__(self, *exc: object) -> None:
            inner.release()
            if returned.is_set() and not Hooked.fired:
                Hooked.fired = True
                caller = threading.Thread(target=lambda: second.append(work(1)))
                caller.start()
                caller.join(10)

    kept_work._lock = Hooked()
    first = work(1)
    assert Hooked.fired and second == [first]
    assert calls == [1], "the value was worked out twice"
