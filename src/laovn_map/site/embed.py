"""The embed: what an `<iframe>` snippet of the map is made from (`embed_spec`), the same for
the Streamlit page and the static site, and each language's folder in the site. The snippet
itself is made in the browser (`page/elements/embed.js`), from the address at that moment."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from laovn_map.errors import SiteError, shown
from laovn_map.i18n import DEFAULT_LANG, LANGUAGES, t
from laovn_map.page.mapview import MAP_HEIGHT_PX

#: The static site's address (its root), for the snippets that point at it.
SITE_URL_ENV = "LAOVN_SITE_URL"
#: Each language's embed page in its folder: the map alone.
EMBED_PAGE = "embed.html"
#: The parameters of an address an embed keeps: the map's own (js/urlstate.js `OWN_PARAMS`).
#: The page's others (lang, since2025, tiles, years) are the page's: the site is in one period
#: with a language per folder, and its map is of the whole timeline.
EMBED_PARAMS = ("view", "sel", "off", "event")
_URL = re.compile(r"https?://[^\s\"'<>\\]+", re.ASCII)


def lang_folder(code: str) -> str:
    """A language's folder in the site, relative to its root: the default language at the
    root (''), each other in its code's folder ('vi/')."""
    return "" if code == DEFAULT_LANG else f"{code}/"


def site_url(value: str | None) -> str | None:
    """The site's address as given (`--base-url`, else `$LAOVN_SITE_URL`), ending in a slash;
    None when neither is set. A value that is no http(s) address is a `SiteError`."""
    text = (value if value is not None else os.environ.get(SITE_URL_ENV, "")).strip()
    if not text:
        return None
    if not _URL.fullmatch(text):
        where = "--base-url" if value is not None else f"${SITE_URL_ENV}"
        raise SiteError(f"{where} {shown(text)}: give the site's address as http(s)://host/path/")
    return text.rstrip("/") + "/"


def embed_spec(lang: str | None, base: str | None, *, home: str = "",
               streamlit: bool = False) -> dict[str, Any]:
    """What `embed.js` makes a snippet from: the site's address (or None), the root relative
    to the page it runs in, the page's language (None: the address's `lang`), the folders,
    the kept parameters, and the iframe's title (the map's accessible name)."""
    shown_lang = lang or DEFAULT_LANG
    return {"base": base, "home": home, "lang": lang, "defaultLang": DEFAULT_LANG,
            "paths": {code: lang_folder(code) for code in LANGUAGES},
            "params": list(EMBED_PARAMS), "page": EMBED_PAGE, "streamlit": streamlit,
            "title": t("title", shown_lang), "height": MAP_HEIGHT_PX}


def embed_words(lang: str) -> Mapping[str, str]:
    """The box's texts in `lang`."""
    return {"label": t("embed.label", lang), "copy": t("embed.copy", lang),
            "copied": t("embed.copied", lang)}


def embed_script() -> str:
    """`page/elements/embed.js` as it is: the site inlines it into a module script."""
    return (resources.files("laovn_map.page") / "elements" / "embed.js").read_text(encoding="utf-8")
