// @ts-check
// Land without the base map: while the reader has the base map (its countries) off, the land
// is still filled, in one plain colour and without outlines, so that it never looks like sea.
import { laovn } from "./core.js";
import { latLngs } from "./draw.js";

/** @type {L.LayerGroup | null} */
var land = null;

/**
 * The plain land, drawn the first time the base map is off (nothing is drawn for it while
 * the base map is on, as it is at first), shown exactly while the base map is not.
 */
export function showLand() {
    var map = laovn.map, base = laovn.groups.countries, data = laovn.data.countries;
    if (!map || !base || !data) { return; }
    var off = !map.hasLayer(base);
    if (off && !land) {
        var style = Object.assign({}, laovn.config.land, {pane: laovn.config.landPane});
        land = L.layerGroup(data.features.map(function (/** @type {any} */ f) {
            return L.polygon(latLngs(data.kind, f.geom, data.scale), style);
        }));
    }
    if (!land) { return; }
    if (off && !map.hasLayer(land)) { land.addTo(map); }
    if (!off && map.hasLayer(land)) { map.removeLayer(land); }
}
