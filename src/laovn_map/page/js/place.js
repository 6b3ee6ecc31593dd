// @ts-check
// Where the map's names go on screen: the rule alone, in screen pixels, with no map or DOM
// (texts.js measures and moves the labels; tests/js/place.test.js holds the rule).

/**
 * A box on screen (px, the map's container).
 * @typedef {{left: number, top: number, right: number, bottom: number}} Box
 */
/**
 * A label's box at one of its sizes, relative to the point it is anchored at.
 * @typedef {{dx: number, dy: number, w: number, h: number}} Extent
 */
/**
 * One name to place, in the order names are placed (their rank).
 * @typedef {object} Wanted
 * @property {{x: number, y: number}[]} points  where it may go, best first
 * @property {Extent[]} sizes   its box at each size it may take, largest first
 * @property {{w: number, h: number} | null} fit  a province's box on screen: the name is
 *   no wider than `overflow` times it and no taller than it (null: no such rule)
 * @property {boolean} framed   it must lie whole inside the view and clear of the controls
 *   (a city's name stays beside its dot whatever is there: false)
 */
/**
 * Something a name may not cover: a dot, or a control of the map.
 * @typedef {object} Obstacle
 * @property {Box} box
 * @property {boolean} control  a control (a city's name may lie under one)
 * @property {{x: number, y: number}} [centre]  a dot's: a city's name ignores its own dot
 */
/**
 * @typedef {object} Rule
 * @property {Box} view      the map's container
 * @property {number} gap    px kept between a name and anything else
 * @property {number} overflow  how much wider than its province a province's name may be
 */

/**
 * @param {Box} a
 * @param {Box} b
 * @param {number} gap
 * @returns {boolean} whether the boxes come closer than `gap`
 */
export function near(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap &&
        a.top < b.bottom + gap && b.top < a.bottom + gap;
}

/**
 * @param {{x: number, y: number}} point
 * @param {Extent} size
 * @returns {Box}
 */
export function boxAt(point, size) {
    var left = point.x + size.dx, top = point.y + size.dy;
    return {left: left, top: top, right: left + size.w, bottom: top + size.h};
}

/**
 * @param {Box} inner
 * @param {Box} outer
 * @returns {boolean}
 */
function inside(inner, outer) {
    return inner.left >= outer.left && inner.top >= outer.top &&
        inner.right <= outer.right && inner.bottom <= outer.bottom;
}

/**
 * Places each name in turn: at its first point and size that lies in the view (when
 * framed), fits its province, and keeps `gap` from every name placed before it and from
 * every dot and control; each size is tried at every point before a smaller one. A name
 * with no such place is hidden (null).
 * @param {Wanted[]} wanted
 * @param {Obstacle[]} obstacles
 * @param {Rule} rule
 * @returns {({point: number, size: number, box: Box} | null)[]}
 */
export function placeNames(wanted, obstacles, rule) {
    /** @type {Box[]} */
    var placed = [];
    return wanted.map(function (name) {
        for (var s = 0; s < name.sizes.length; s++) {
            var size = name.sizes[s];
            if (name.fit && (size.w > rule.overflow * name.fit.w || size.h > name.fit.h)) {
                continue;
            }
            for (var p = 0; p < name.points.length; p++) {
                var point = name.points[p], box = boxAt(point, size);
                if (name.framed && !inside(box, rule.view)) { continue; }
                var blocked = placed.some(function (other) { return near(box, other, rule.gap); }) ||
                    obstacles.some(function (o) {
                        if (!name.framed && (o.control || (o.centre &&
                            Math.abs(o.centre.x - point.x) < 1 && Math.abs(o.centre.y - point.y) < 1))) {
                            return false;
                        }
                        return near(box, o.box, rule.gap);
                    });
                if (!blocked) {
                    placed.push(box);
                    return {point: p, size: s, box: box};
                }
            }
        }
        return null;
    });
}
