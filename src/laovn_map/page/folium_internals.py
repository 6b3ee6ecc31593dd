"""The folium/branca elements of the map that rely on those libraries' private internals.

CHECK THIS FILE AT EVERY folium OR branca UPGRADE (and streamlit-folium, which renders the
elements' `script` macros itself). What it relies on:

- `branca.element.MacroElement.render` wraps a rendered macro in a new `Element`, and
  `Figure.script` is where scripts go (`ScriptElement.render` replaces both);
- `Element._children` (an OrderedDict keyed by `get_name()`), `Element._id` and `_name`, from
  which folium makes JavaScript variable names (`stable_ids`);
- folium's `get_bounds` calling `_get_self_bounds` on each element (`VectorLayer`);
- `folium.template.Template` and the `this._parent.get_name()` of a map's feature group.

`tests/test_folium_internals.py` fails when one of these changes. Nothing here imports the
rest of the package: the layer data and the scripts come in as strings.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from branca.element import Element, MacroElement
from folium.template import Template


class _Verbatim(Element):
    """A piece of page text that is not a template (see `ScriptElement.render`)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class ScriptElement(MacroElement):
    """A MacroElement with only a `script` macro, whose output goes into the page as it is.

    branca's `MacroElement.render` wraps a rendered script in a new `Element`, whose
    constructor compiles it as a Jinja template: for the layers that means lexing the whole
    JSON on every rerun (most of a rerun's server time, bench/README.md), and reading any `{{`, `{%` or `{#`
    in the data as Jinja. streamlit-folium calls the macro directly, so both paths agree.
    """

    def render(self, **kwargs: Any) -> str:
        figure = self.get_root()
        script = self._template.module.script(self, kwargs)
        figure.script.add_child(_Verbatim(script), name=self.get_name())  # type: ignore[attr-defined]
        return ""


class Runtime(ScriptElement):
    """The map's script (`js`), defined once before any layer, and its set-up call
    `laovnInit(map, config)` (`config_json`: script-safe JSON)."""

    _template = Template("""
        {% macro script(this, kwargs) %}{{ this.js }}
        laovnInit({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}
    """)

    def __init__(self, js: str, config_json: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LaovnRuntime"
        self.js = js
        self.config_json = config_json


class VectorLayer(ScriptElement):
    """One map layer: its data (`data_json`, script-safe JSON) drawn by `laovnDraw` into the
    parent feature group. One element per layer, not one per feature, keeps folium's and
    streamlit-folium's per-element template work small (done once per build,
    `component.MapComponent.of`)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        laovnDraw({{ this.data_json }}, {{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data_json: str, bounds: list[list[float]] | None) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LaovnLayer"
        self.data_json = data_json
        self.bounds = bounds

    def _get_self_bounds(self) -> list[list[float | None]]:
        """Used by folium's `get_bounds` (the shapes exist only in the browser)."""
        return [list(corner) for corner in self.bounds] if self.bounds else [[None, None]] * 2


class Overlay(ScriptElement):
    """What the map adds once its layers are drawn (controls, keyboard, the URL's state), by
    calling `laovnMap(map)` of the runtime."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        laovnMap({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LaovnOverlay"


class StateScript(ScriptElement):
    """A call of `laovn.apply(state)` (`js`: the whole call). In a feature group given to
    streamlit-folium as `feature_group_to_add`, it is evaluated again whenever it changes,
    without redrawing the map; added to the map itself, it runs once (a map saved as a file)."""

    _template = Template("""
        {% macro script(this, kwargs) %}{{ this.js }}{% endmacro %}
    """)

    def __init__(self, js: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "LaovnState"
        self.js = js


def stable_ids(element: Element, counter: Iterator[int]) -> None:
    """Replace folium's random element ids with a counter, in insertion order.

    Why: the same map must give the same script on every rerun, otherwise streamlit-folium
    sees new arguments, redraws the component and the open popup, pan and zoom are lost.
    Children are re-keyed too, since templates use the keys as JavaScript variable names.
    """
    children = list(element._children.values())
    element._children = OrderedDict()
    for child in children:
        child._id = f"{next(counter):06d}"
        element._children[child.get_name()] = child
    for child in children:
        stable_ids(child, counter)
