"""The page's map as streamlit-folium's component, with what depends on the map alone worked
out once.

`st_folium` renders its folium map on every run: templates compiled, the whole map script
through regular expressions and `textwrap.dedent`, a large share of each run before the
map's message can leave the server (bench/README.md). Yet the map script is the same for every
state (`mapview`): only the state script in the feature group changes. So `MapComponent.of`
calls `st_folium` once, on a map whose state script is a mark, and keeps the arguments it
gives the component; `MapComponent.show` gives the same arguments with a run's state script
in place of the mark. tests/test_component.py holds them equal to `st_folium`'s for each
kind of state. One difference, on purpose: `st_folium` passes the whole feature group through
its rewriting of folium's names and `{{'...'}}` references, texts included; the state script
put in place of the mark is left as it is (it is data, `mapview.state_script`).

Relies on streamlit-folium's private `_component_func` (CHECK AT EVERY streamlit-folium
UPGRADE; the test fails when it changes). With the start command (`page/serve.py`), this is
the only module of the package that imports streamlit.

`export_buttons` draws the exports' buttons, a components-v2 element (`elements/exports.js`,
inline from the package: no network): a press sends the format with the page's address as it
is then, since the map keeps its state there without telling the server; the run the press
starts gives the file back in the element's data, and the element saves it.

`kept` holds what a page process serves once per build (the layers, their browser data, this
component's arguments): not in `st.cache_resource`, which any visitor can empty for every
session (Streamlit's `clear_cache` message, its "Clear cache" menu item), making each reader
after it load the build again.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import CodeType, MappingProxyType
from typing import Any, Generic, ParamSpec, TypeVar

import folium
import streamlit as st
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
_log = logging.getLogger("laovn_map.page.component")


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


#: The exports element's name among the page's components-v2 elements.
EXPORTS_ELEMENT = "laovn_exports"
#: The trigger a press of an export button sends: {format, query, id} (`pressed.read_press`).
PRESS = "press"


#: The stylesheet of the look every element's buttons share, before each element's own.
BUTTON_CSS = "button.css"


def _element(name: str, stem: str) -> Callable[..., Any]:
    """The components-v2 element `name` of ``elements/<stem>.js`` and its CSS (after
    `BUTTON_CSS`). Registered on first use (each caller is cached), not on import: the bench
    and the tests import this module without a Streamlit runtime."""
    folder = resources.files("laovn_map.page") / "elements"
    css = "\n".join((folder / file).read_text(encoding="utf-8")
                    for file in (BUTTON_CSS, f"{stem}.css"))
    return st.components.v2.component(
        name, js=(folder / f"{stem}.js").read_text(encoding="utf-8"), css=css)


@functools.cache
def _exports_element() -> Callable[..., Any]:
    return _element(EXPORTS_ELEMENT, "exports")


def export_buttons(key: str, data: Mapping[str, Any],
                   on_press: Callable[[], None]) -> None:
    """Draw the export buttons (`elements/exports.js`) with `data`: their group's name, the
    buttons (format, label), the line shown while a file is made, and this run's answer to a
    press (a file or a note), if any. `on_press` runs before the run a press starts;
    `press_value(key)` is then what the press sent."""
    _exports_element()(key=key, data=dict(data), width="stretch", height="content",
                       **{f"on_{PRESS}_change": on_press})


#: The vertical timeline's element name, and the trigger a button of it sends: a statement's id.
TIMELINE_ELEMENT = "laovn_timeline"
OPEN = "open"


@functools.cache
def _timeline_element() -> Callable[..., Any]:
    return _element(TIMELINE_ELEMENT, "timeline")


def timeline_list(key: str, data: Mapping[str, Any], on_open: Callable[[], None]) -> None:
    """Draw the vertical timeline (`elements/timeline.js`) with `data`
    (`pagetext.timeline_list`); `on_open` runs when a statement's button is pressed, before
    the run it starts; `opened_value(key)` is then the statement's id."""
    _timeline_element()(key=key, data=dict(data), width="stretch", height="content",
                        **{f"on_{OPEN}_change": on_open})


def opened_value(key: str) -> object:
    """The statement whose button of the timeline drawn under `key` was last pressed."""
    state = st.session_state.get(key)
    return state.get(OPEN) if state is not None else None


def press_value(key: str) -> object:
    """What the last press of the export buttons drawn under `key` sent (in `on_press`)."""
    state = st.session_state.get(key)
    return state.get(PRESS) if state is not None else None


#: The embed box's name among the page's components-v2 elements.
EMBED_ELEMENT = "laovn_embed"


@functools.cache
def _embed_element() -> Callable[..., Any]:
    return _element(EMBED_ELEMENT, "embed")


def embed_box(key: str, data: Mapping[str, Any]) -> None:
    """Draw "Embed this map" (`elements/embed.js`): the snippet of the map as it is at each copy,
    made in the browser from the page's address then (`site.embed.embed_spec` in `data`)."""
    _embed_element()(key=key, data=dict(data), width="stretch", height="content")


_P = ParamSpec("_P")
_R = TypeVar("_R")


#: What the log says when a kept value has been worked out, before the function's name.
WORKED_OUT = "kept: worked out"


class _Kept(Generic[_P, _R]):
    """A function's values by its arguments (hashable), the last `max_entries` used, each
    worked out once though several sessions ask at once (as `st.cache_resource` does); an
    error is not kept."""

    def __init__(self, func: Callable[_P, _R], max_entries: int) -> None:
        self._func = func
        self._max_entries = max_entries
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, _R] = OrderedDict()
        self._working: dict[Hashable, threading.Lock] = {}

    def _get(self, key: Hashable) -> tuple[bool, _R | None]:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return True, self._values[key]
        return False, None

    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        key = (args, tuple(sorted(kwargs.items())))
        found, value = self._get(key)
        if found:
            return value  # type: ignore[return-value]  # _R itself may be None
        with self._lock:
            working = self._working.setdefault(key, threading.Lock())
        with working:
            found, value = self._get(key)
            if found:
                return value  # type: ignore[return-value]
            started = time.monotonic()
            try:
                made = self._func(*args, **kwargs)
            except BaseException:
                with self._lock:
                    self._working.pop(key, None)
                raise
            # kept and the work lock dropped in one step: a caller between the two would find
            # neither and work the value out again
            with self._lock:
                self._values[key] = made
                self._working.pop(key, None)
                while len(self._values) > self._max_entries:
                    self._values.popitem(last=False)
            # the server's log says when a value is worked out (a visitor waits meanwhile):
            # the start command's warm-up does the first visit's (page/serve.py)
            _log.info("%s %s in %.2f s", WORKED_OUT, self._func.__qualname__,
                      time.monotonic() - started)
            return made

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


#: Every kept function, by module, name and code object (equal for the same source): a page
#: script runs afresh on every rerun (its functions are new objects each time), so a
#: function's values are found by what it is; an edited function starts afresh.
_KEPT: dict[tuple[str, str, CodeType], _Kept[Any, Any]] = {}
_KEPT_LOCK = threading.Lock()


def kept(max_entries: int) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Keep `func`'s values for the process's lifetime (its last `max_entries` argument
    tuples), out of reach of Streamlit's cache clearing; `clear_kept` empties them (tests)."""
    def decorate(func: Callable[_P, _R]) -> Callable[_P, _R]:
        code: CodeType = func.__code__
        name = (func.__module__, func.__qualname__, code)
        with _KEPT_LOCK:
            found: _Kept[_P, _R] = _KEPT.setdefault(name, _Kept(func, max_entries))
        return found
    return decorate


def clear_kept() -> None:
    """Empty every `kept` function's values: for tests and the bench, never for a visitor."""
    with _KEPT_LOCK:
        for values in _KEPT.values():
            values.clear()
