"""The page's own labels in English and Vietnamese (the data keeps its own languages).

Country names, adjectives and feature kinds are not repeated here: labels that name a country
take them from `catalog` through placeholders (see `labels`).
"""

from __future__ import annotations

LANGS: dict[str, str] = {"en": "English", "vi": "Tiếng Việt"}
DEFAULT_LANG = "en"

_STRINGS: dict[str, tuple[str, str]] = {
    # key: (English, Vietnamese)
    "title": ("Laos–Vietnam relations on a map", "Quan hệ Lào – Việt Nam trên bản đồ"),
    "page_title": ("Laos–Vietnam relations map", "Bản đồ quan hệ Lào – Việt Nam"),
    "subtitle": (
        "Border, border provinces and diplomatic missions, built from two Wikipedia articles "
        "and open geodata. Click a shape or a dot for its details and the sentence it comes "
        "from.",
        "Đường biên giới, các tỉnh biên giới và cơ quan đại diện ngoại giao, dựng từ hai bài "
        "Wikipedia và dữ liệu địa lý mở. Bấm vào một vùng hoặc một chấm để xem chi tiết và "
        "câu văn nguồn.",
    ),
    "skip.map": ("Skip to the map", "Bỏ qua, đến bản đồ"),
    "layers": ("Layers", "Lớp bản đồ"),
    "layer.countries": ("Countries (base map)", "Các nước (nền)"),
    "layer.water": ("Inland water", "Mặt nước nội địa"),
    "timeline": ("Timeline: the years of the events shown",
                 "Dòng thời gian: những năm có sự kiện được hiện"),
    "timeline.help": (
        "The dated events of both texts: the map shows those at a place, the table below all.",
        "Các sự kiện có ngày tháng trong hai văn bản: bản đồ hiện những sự kiện có địa điểm, "
        "bảng bên dưới hiện tất cả.",
    ),
    "table.events": ("Events of the texts", "Các sự kiện trong văn bản"),
    "exports": ("Take the map away (GeoPackage, KML, CSV, offline map, print)",
                "Mang bản đồ đi (GeoPackage, KML, CSV, bản đồ ngoại tuyến, bản in)"),
    "exports.note": (
        "What the map shows when this section is opened: its layers, the period, the language, "
        "the timeline's years, and for a print its view. Each file carries every feature's "
        "quote with file and line, the datasets' credits and the build's checksum; it is made "
        "when you click.",
        "Những gì bản đồ hiện khi mở mục này: các lớp, thời kỳ, ngôn ngữ, các năm của dòng thời "
        "gian, và với bản in là khung nhìn. Mỗi tệp kèm câu trích dẫn (tệp và dòng) của từng "
        "đối tượng, ghi công các bộ dữ liệu và mã kiểm tra của bản dựng; tệp được tạo khi bạn "
        "bấm.",
    ),
    "a11y.event": ("Event:", "Sự kiện:"),
    "events.note": (
        "Every sentence of the two texts that gives a date or a period, earliest first, within "
        "the timeline's years. Choose a row to show its place on the map.",
        "Mọi câu trong hai văn bản có ghi ngày tháng hoặc thời kỳ, theo thứ tự thời gian, trong "
        "khoảng năm của dòng thời gian. Chọn một dòng để xem địa điểm trên bản đồ.",
    ),
    # the map's own controls (runtime.js), plain text
    "map.title": ("Map of Laos–Vietnam relations", "Bản đồ quan hệ Lào – Việt Nam"),
    "map.label": ("Map: arrow keys pan, + and − zoom",
                  "Bản đồ: phím mũi tên để di chuyển, + và − để phóng to, thu nhỏ"),
    "map.role": ("interactive map", "bản đồ tương tác"),
    "zoom.in": ("Zoom in", "Phóng to"),
    "zoom.out": ("Zoom out", "Thu nhỏ"),
    "search": ("Search the map", "Tìm trên bản đồ"),
    "search.placeholder": ("Search: Pakse, Hủa-phăn, ປາກເຊ…", "Tìm: Pắc-xế, Hủa-phăn, ປາກເຊ…"),
    "search.count": ("{n} found; arrow keys choose, Enter shows",
                     "Tìm thấy {n}; phím mũi tên để chọn, Enter để hiện"),
    "search.none": ("Nothing on the map has that name", "Không có đối tượng nào mang tên này"),
    "search.chosen": ("Shown on the map: {name}", "Đã hiện trên bản đồ: {name}"),
    "view.reset": ("Reset the view (the whole border)",
                   "Về khung nhìn ban đầu (toàn tuyến biên giới)"),
    "link": ("Link to this view", "Liên kết tới khung nhìn này"),
    "link.copy": ("Copy a link to this view", "Sao chép liên kết tới khung nhìn này"),
    "link.copied": ("Link copied", "Đã sao chép liên kết"),
    "link.manual": ("Copy this link:", "Hãy sao chép liên kết này:"),
    "selection.clear": ("Clear the selection", "Bỏ chọn"),
    "touch.hint": ("Use two fingers to move the map", "Dùng hai ngón tay để di chuyển bản đồ"),
    "official": ("Official and measured lengths", "Chiều dài chính thức và đo được"),
    "official.note": (
        "Published lengths of the border (with their year and confidence) beside the lengths this "
        "map measures on the OpenStreetMap line. The measured line is shorter: it is generalised "
        "to about 10 m and cuts the small bends a demarcated border follows, above all along "
        "rivers (310.8 km of the official total); most provincial figures are older than the "
        "2016 re-measurement. A difference is a property of the sources, not an error.",
        "Các chiều dài biên giới đã công bố (kèm năm và độ tin cậy) bên cạnh chiều dài bản đồ "
        "này đo trên đường OpenStreetMap. Đường đo được ngắn hơn: nó được khái quát hóa ở mức "
        "khoảng 10 m nên cắt bớt các khúc quanh nhỏ mà đường biên giới đã phân giới đi theo, "
        "nhất là dọc theo sông (310,8 km trong tổng chiều dài chính thức); phần lớn số liệu cấp "
        "tỉnh có trước đợt đo lại năm 2016. Chênh lệch là đặc điểm của nguồn, không phải lỗi.",
    ),
    "official.whole": ("whole border", "toàn tuyến"),
    "official.stretch": ("Stretch", "Đoạn"),
    "official.part": ("Part", "Phần"),
    "official.part.all": ("all", "toàn bộ"),
    "official.part.land": ("land", "đất liền"),
    "official.part.river": ("river", "sông suối"),
    "official.official": ("Official", "Chính thức"),
    "official.measured": ("Measured", "Đo được"),
    "official.difference": ("Difference", "Chênh lệch"),
    "official.year": ("Year", "Năm"),
    "official.undated": ("undated", "không rõ năm"),
    "official.confidence": ("Confidence", "Độ tin cậy"),
    "official.confidence.high": ("high", "cao"),
    "official.confidence.medium": ("medium", "trung bình"),
    "official.confidence.low": ("low", "thấp"),
    "official.basis": ("Basis", "Cơ sở"),
    # figures the texts state, dates and events (pagetext.text_figure_rows, event_rows)
    "textfigures": ("Figures from the texts", "Số liệu trong văn bản"),
    "textfigures.note": (
        "Figures the two texts state about the relationship, each with its period and the "
        "sentence it comes from, as the texts give them (not checked against other sources).",
        "Các số liệu mà hai văn bản nêu về quan hệ hai nước, kèm thời gian và câu văn nguồn, "
        "đúng như văn bản ghi (chưa đối chiếu với nguồn khác).",
    ),
    "tf.measure": ("Measure", "Nội dung"),
    "tf.measure.investment": ("Investment", "Đầu tư"),
    "tf.measure.trade": ("Trade", "Thương mại"),
    "tf.measure.aid": ("Aid", "Viện trợ"),
    "tf.value": ("Value", "Giá trị"),
    "tf.period": ("Period", "Thời gian"),
    "tf.written": ("As written", "Nguyên văn"),
    "tf.unit.usd.billion": ("US${n} billion", "{n} tỷ USD"),
    "tf.unit.usd.million": ("US${n} million", "{n} triệu USD"),
    "tf.unit.usd": ("US${n}", "{n} USD"),
    "tf.unit.projects": ("{n} projects", "{n} dự án"),
    "tf.unit.rank": ("No. {n} among foreign investors", "thứ {n} trong các nhà đầu tư nước ngoài"),
    "tf.unit.countries": ("{n} countries and territories", "{n} quốc gia và vùng lãnh thổ"),
    "tf.q.about": ("about {v}", "khoảng {v}"),
    "tf.q.nearly": ("nearly {v}", "gần {v}"),
    "tf.q.over": ("over {v}", "hơn {v}"),
    "period.decade": ("the {y}s", "thập niên {y}"),
    "period.century": ("the {n} century", "thế kỷ {roman}"),
    "period.range": ("{a} – {b}", "{a} – {b}"),
    "ev.date": ("Date", "Thời gian"),
    "ev.language": ("Text", "Văn bản"),
    "ev.language.en": ("English", "Tiếng Anh"),
    "ev.language.vi": ("Vietnamese", "Tiếng Việt"),
    "ev.places": ("Places", "Địa điểm"),
    "ev.linked": ("Same event in the other text", "Cùng sự kiện ở văn bản kia"),
    "period.2025": ("Vietnam's provinces since 1 July 2025 (the text lists those before)",
                    "Các tỉnh của Việt Nam từ ngày 1/7/2025 (văn bản liệt kê các tỉnh trước đó)"),
    "prop.national_code": ("National code", "Mã hành chính"),
    "prop.merged_from": ("Made of", "Hợp thành từ"),
    "prop.resolution": ("Resolution", "Nghị quyết"),
    "unit.resolution": ("{resolution}, in force {in_force}, applied from {operating}",
                        "{resolution}, có hiệu lực {in_force}, áp dụng từ {operating}"),
    "unit.unchanged": ("unchanged by the 2025 merger", "không thay đổi khi sáp nhập năm 2025"),
    "unit.no_iso": ("ISO 3166-2 has no codes for the new units yet: the code is the national one.",
                    "ISO 3166-2 chưa có mã cho các đơn vị mới: mã ở đây là mã hành chính quốc gia."),
    "layer.provinces_vn_2025": ("Vietnamese border provinces since the 2025 merger",
                                "Tỉnh biên giới của Việt Nam sau sáp nhập 2025"),
    "layer.segments_2025": ("Border segments by province pair, since the 2025 merger",
                            "Đoạn biên giới theo cặp tỉnh, sau sáp nhập 2025"),
    # {adjective} and {country} come from catalog.COUNTRIES
    "layer.provinces": ("{adjective} border provinces", "Tỉnh biên giới của {country}"),
    "layer.segments": ("Border segments by province pair", "Đoạn biên giới theo cặp tỉnh"),
    "layer.border": ("Laos–Vietnam border", "Biên giới Việt Nam – Lào"),
    "layer.embassies": ("Embassies", "Đại sứ quán"),
    "layer.consulates": ("Consulates", "Lãnh sự quán"),
    "layer.missions": ("Embassies and consulates", "Đại sứ quán và lãnh sự quán"),
    "layer.events": ("Dated events of the texts, at their places",
                     "Sự kiện có ngày tháng trong văn bản, tại địa điểm"),
    "tiles": ("OpenStreetMap tiles (needs internet)", "Nền OpenStreetMap (cần internet)"),
    "selected": ("Selected on the map", "Đối tượng đã chọn"),
    "selected.none": ("Nothing selected yet: click a feature on the map.",
                      "Chưa chọn gì: hãy bấm vào một đối tượng trên bản đồ."),
    "figures": ("Figures from the layers", "Số liệu từ các lớp"),
    "fig.osm": ("OpenStreetMap line", "Theo OpenStreetMap"),
    "fig.ne": ("Natural Earth 1:10m", "Theo Natural Earth 1:10m"),
    "fig.stated": ("Stated in the text", "Theo văn bản"),
    "fig.segments": ("Sum of the {n} segments", "Tổng {n} đoạn"),
    "count.provinces": ("{adjective} border provinces", "Tỉnh biên giới {country}"),
    "table.provinces": ("Border provinces", "Các tỉnh biên giới"),
    "table.missions": ("Diplomatic missions", "Cơ quan đại diện ngoại giao"),
    "col.country": ("Country", "Nước"),
    "col.name": ("Name", "Tên"),
    "col.quote": ("Quoted source", "Trích dẫn nguồn"),
    "col.city_lo": ("City (Lao)", "Thành phố (tiếng Lào)"),
    "downloads": ("Downloads", "Tải xuống"),
    "downloads.note": (
        "GeoJSON files exactly as built (RFC 7946, WGS84). The zip adds the manifest with "
        "checksums and the licences.",
        "Các tệp GeoJSON đúng như khi dựng (RFC 7946, WGS84). Tệp zip kèm manifest có mã "
        "kiểm tra và giấy phép.",
    ),
    "download.zip": ("All layers (zip)", "Tất cả các lớp (zip)"),
    "sources": ("Sources", "Nguồn"),
    "sources.note": (
        "The two seed texts; highlighted passages are the ones quoted in the layers.",
        "Hai văn bản gốc; các đoạn được tô sáng là những đoạn được trích trong các lớp.",
    ),
    "error.network": (
        "This page was started without an address, so it would be open to the whole network. "
        "Start it from its folder (python3 dev.py app), or choose on purpose with "
        "--server.address.",
        "Trang này được khởi động mà không có địa chỉ nên sẽ mở cho toàn mạng. Hãy khởi động "
        "từ thư mục của nó (python3 dev.py app), hoặc chủ động chọn bằng --server.address.",
    ),
    "error.layers": ("The map layers cannot be shown.", "Không hiển thị được các lớp bản đồ."),
    # map legend and popups
    "legend": ("Legend", "Chú giải"),
    "embassy": ("Embassy", "Đại sứ quán"),
    "consulate": ("Consulate", "Lãnh sự quán"),
    "mission.of": ("{kind} of {country}, {city}", "{kind} {country} tại {city}"),
    "legend.embassy": ("Embassy of {country}", "Đại sứ quán {country}"),
    "legend.consulate": ("Consulates of {country}", "Lãnh sự quán {country}"),
    "prop.code": ("Code", "Mã"),
    "prop.name_vi": ("Vietnamese name", "Tên tiếng Việt"),
    "prop.name_en": ("English name", "Tên tiếng Anh"),
    "prop.name_local": ("Local form", "Tên địa phương"),
    "prop.name_lo": ("Lao name", "Tên tiếng Lào"),
    "prop.kind": ("Kind", "Loại"),
    "prop.sending": ("Sending country", "Nước cử"),
    "prop.host": ("Host country", "Nước tiếp nhận"),
    "border.why": (
        "The lengths differ with the detail of the line: the OpenStreetMap line keeps the "
        "border's small bends, Natural Earth 1:10m smooths them away, and the stated figure is "
        "the official length of the demarcated border, which follows every bend.",
        "Các chiều dài khác nhau do độ chi tiết của đường: đường OpenStreetMap giữ các khúc "
        "quanh nhỏ của biên giới, Natural Earth 1:10m làm trơn chúng, còn con số trong văn bản "
        "là chiều dài chính thức của đường biên giới đã phân giới, theo sát mọi khúc quanh.",
    ),
    "prop.border_length": ("Border length", "Chiều dài biên giới"),
    "prop.neighbours": ("Across the border", "Bên kia biên giới"),
    "prop.match": ("Name found", "Cách tìm tên"),
    # how the text's name of a province was found in Natural Earth (gazetteer's rules)
    "match.exact": ("the same name in Natural Earth", "trùng tên trong Natural Earth"),
    "match.alias": ("through the project's table of other spellings",
                    "qua bảng cách viết khác của dự án"),
    "match.fuzzy": ("the closest spelling in Natural Earth",
                    "cách viết gần nhất trong Natural Earth"),
    "prop.length": ("Length", "Chiều dài"),
    "prop.city": ("City", "Thành phố"),
    "prop.geonames": ("GeoNames", "GeoNames"),
    "prop.population": ("population", "dân số"),
    "prop.ambassador": ("Ambassador", "Đại sứ"),
    "ambassador.title": ("{sending} Ambassador to {host}", "Đại sứ {sending} tại {host}"),
    "geonames.record": ("{name} ({id})", "mã {id}"),
    "prop.source": ("Source", "Nguồn"),
    "prop.infobox": ("Infobox", "Hộp thông tin"),
    "prop.dataset": ("Geometry", "Hình học"),
    "prop.area": ("Area", "Diện tích"),
    "prop.source_feature": ("Source feature", "Đối tượng nguồn"),
    "tiles.offline": (
        "The OpenStreetMap tiles cannot be loaded (no internet connection?): the map shows its "
        "offline base map.",
        "Không tải được nền OpenStreetMap (không có kết nối internet?): bản đồ hiển thị nền "
        "ngoại tuyến.",
    ),
    "segment": ("Border segment", "Đoạn biên giới"),
    # accessible names of the map's features (kind and name)
    "a11y.province": ("{adjective} border province: {name}", "Tỉnh biên giới {country}: {name}"),
    "a11y.unit_2025": ("{adjective} border province since 2025: {name}",
                       "Tỉnh biên giới {country} từ năm 2025: {name}"),
    "a11y.mission": ("{kind} of {country} in {city}", "{kind} {country} tại {city}"),
    "km": ("km", "km"),
    # exports (export/): the download labels, and the words of the printed map
    "export.format.gpkg": ("GeoPackage (QGIS: one table per layer)",
                           "GeoPackage (QGIS: mỗi lớp một bảng)"),
    "export.format.kml": ("KML (Google Earth)", "KML (Google Earth)"),
    "export.format.csv": ("CSV (spreadsheet, UTF-8)", "CSV (bảng tính, UTF-8)"),
    "export.format.html": ("Offline map (one HTML file)", "Bản đồ ngoại tuyến (một tệp HTML)"),
    "export.format.png": ("Image for print (PNG)", "Ảnh để in (PNG)"),
    "export.format.pdf": ("Map for print (PDF)", "Bản đồ để in (PDF)"),
    "exports.everything": ("Everything: every layer and every event, in this period and "
                           "language.",
                           "Tất cả: mọi lớp và mọi sự kiện, theo thời kỳ và ngôn ngữ này."),
    "export.empty": ("Turn on at least one layer to export the map.",
                     "Hãy bật ít nhất một lớp để xuất bản đồ."),
    "export.subtitle": (
        "The land border, the border provinces and the diplomatic missions, built from two "
        "Wikipedia articles and open geodata.",
        "Đường biên giới trên đất liền, các tỉnh biên giới và các cơ quan đại diện ngoại giao, "
        "dựng từ hai bài Wikipedia và dữ liệu địa lý mở.",
    ),
    "export.period.text": ("Vietnam's provinces as the texts list them (before 1 July 2025).",
                           "Các tỉnh của Việt Nam như văn bản liệt kê (trước ngày 1/7/2025)."),
    "export.period.2025": ("Vietnam's provinces since 1 July 2025 (the texts list those before).",
                           "Các tỉnh của Việt Nam từ ngày 1/7/2025 (văn bản liệt kê các tỉnh "
                           "trước đó)."),
    "export.years": ("Events from {first} to {last} (the timeline's range).",
                     "Các sự kiện từ năm {first} đến năm {last} (khoảng của dòng thời gian)."),
    "export.credits": ("Sources and credits", "Nguồn và ghi công"),
    "export.texts": ("Texts", "Văn bản"),
    "export.quotes.png": (
        "Each feature's quoted sentence, with its file and line, is in this image's metadata "
        "and in the GeoPackage, KML and CSV exports.",
        "Câu trích dẫn của từng đối tượng, kèm tệp và dòng, nằm trong siêu dữ liệu của ảnh này "
        "và trong các tệp xuất GeoPackage, KML và CSV.",
    ),
    "export.quotes.pdf": (
        "Each feature's quoted sentence, with its file and line, is on the following pages.",
        "Câu trích dẫn của từng đối tượng, kèm tệp và dòng, nằm ở các trang sau.",
    ),
    "export.build": ("Layers: build {sha} (SHA-256 of manifest.json), {generator}, written {date}",
                     "Các lớp: bản dựng {sha} (SHA-256 của manifest.json), {generator}, ghi ngày "
                     "{date}"),
    "export.undated": ("on an unknown date", "không rõ"),
    "export.projection": ("Projection: UTM zone 48N (EPSG:32648); distances on this map are true "
                          "to within {error} %.",
                          "Phép chiếu: UTM múi 48N (EPSG:32648); khoảng cách trên bản đồ này "
                          "đúng trong phạm vi {error} %."),
    "export.sources_title": ("Where each feature comes from", "Nguồn gốc của từng đối tượng"),
    "export.features": ("Features", "Đối tượng"),
    "export.made": ("Exported from the map of Laos–Vietnam relations (laovn-map)",
                    "Xuất từ bản đồ quan hệ Lào – Việt Nam (laovn-map)"),
    "north": ("N", "B"),
}


def t(key: str, lang: str = DEFAULT_LANG) -> str:
    """The label `key` in `lang` ("en" or "vi"); English when the language is unknown."""
    en, vi = _STRINGS[key]
    return vi if lang == "vi" else en
