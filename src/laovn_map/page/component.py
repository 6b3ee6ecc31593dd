"""The page's map as streamlit-folium's component, with what depends on the map alone worked
out once.

`st_folium` renders its folium map on every run: templates compiled, ~400 kB of map script
through regular expressions and `textwrap.dedent`, ~16 ms of each run before the map's
message can leave the server (bench/README.md). Yet the map script is the same for every
state (`mapview`): only the state script in the feature group changes. So `MapComponent.of`
calls `st_folium` once, on a map whose state script is a mark, and keeps the arguments it
gives the component; `MapComponent.show` gives the same arguments with a run's state script
in place of the mark. tests/test_component.py holds them equal to `st_folium`'s for each
kind of state. One difference, on purpose: `st_folium` passes the whole feature group through
its rewriting of folium's names and `{{'...'}}` references, texts included; the state script
put in place of the mark is left as it is (it is data, `mapview.state_script`).

Relies on streamlit-folium's private `_component_func` (CHECK AT EVERY streamlit-folium
UPGRADE; the test fails when it changes). This is the only module of the package that
imports streamlit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import folium
import streamlit_folium

from laovn_map.page import mapview

#: Stands for a run's state script in the feature group's text (`mapview.state_script`
#: makes `laovn.apply(...)` calls; this one is never sent).
STATE_MARK = "laovn.apply(LAOVN_STATE_MARK);"
#: The component itself, as streamlit-folium declares it: kept here, so a `show` in one session
#: never meets the stand-in `of` puts in its place for a moment in another.
_COMPONENT: Callable[..., Any] = streamlit_folium._component_func
#: One stand-in at a time: two builds may be worked out at once (a rebuilt `geo/`), each in
#: its own session's thread.
_STAND_IN = threading.Lock()


@dataclass(frozen=True)
class MapComponent:
    """The component arguments `st_folium` gives for one map, but its feature group's state."""

    #: Every argument but `feature_group` and `on_change` (read-only).
    args: Mapping[str, Any]
    #: The feature group's text, with `STATE_MARK` where the state script goes.
    feature_group: str
    #: `st_folium`'s own change handler (it copies the component's value to the key).
    on_change: Callable[[], None]

    @classmethod
    def of(cls, fmap: folium.Map, key: str, height: int, width: int | None = None
           ) -> MapComponent:
        """The arguments of `st_folium(fmap, key=key, height=height, returned_objects=[],
        feature_group_to_add=<a state>, render=False)` with `width=width`, or else
        `use_container_width=True`: the whole map, no value returned from it (nothing on the
        map reruns the page)."""
        sent: dict[str, Any] = {}
        with _STAND_IN:
            component = streamlit_folium._component_func
            streamlit_folium._component_func = lambda **kwargs: sent.update(kwargs)
            try:
                streamlit_folium.st_folium(
                    fmap, key=key, height=height, returned_objects=[],
                    feature_group_to_add=mapview.state_group(STATE_MARK), render=False,
                    **({"width": width} if width is not None else {"use_container_width": True}))
            finally:
                streamlit_folium._component_func = component
        group = sent.pop("feature_group")
        if group.count(STATE_MARK) != 1:
            raise ValueError("streamlit-folium changed the state script in the feature group")
        on_change = sent.pop("on_change")
        return cls(MappingProxyType(sent), group, on_change)

    def arguments(self, state_script: str) -> dict[str, Any]:
        """The component's arguments for `state_script` (`mapview.state_script`), without the
        change handler."""
        return {**self.args, "feature_group": self.feature_group.replace(STATE_MARK,
                                                                          state_script)}

    def show(self, state_script: str, on_change: Callable[[], None] | None = None) -> None:
        """Draw the map with `state_script`; `on_change` runs when the map sends a value (it
        does once, when drawn) after `st_folium`'s own handler."""
        def changed() -> None:
            self.on_change()
            if on_change is not None:
                on_change()

        _COMPONENT(**self.arguments(state_script), on_change=changed)
