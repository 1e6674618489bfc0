/// Word lists the demo company is named from: a Nordic–Baltic distributor with customers across the region,
/// so names in Latin and Cyrillic script both appear (and exercise UTF-8 end to end).
enum DemoNames {
    static let firstNames = [
        "Anna", "Erik", "Maria", "Johan", "Elin", "Lars", "Karin", "Anders", "Sofia", "Mikael", "Emma", "Per",
        "Olga", "Dmitri", "Irina", "Sergei", "Natalia", "Andrei", "Yulia", "Oleksandr", "Oksana", "Taras",
        "Kateryna", "Bohdan", "James", "Laura", "David", "Sarah", "Thomas", "Helen", "Jonas", "Ingrid",
    ]
    static let lastNames = [
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Lindqvist",
        "Berg", "Ivanov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Shevchenko", "Kovalenko", "Bondarenko",
        "Tkachenko", "Melnyk", "Smith", "Brown", "Taylor", "Wilson", "Evans", "Lund", "Holm", "Strand",
    ]
    static let companyStems = [
        "Nordic", "Baltic", "Aurora", "Polar", "Granit", "Fjord", "Birch", "Amber", "Volga", "Dnipro", "Neva",
        "Северный", "Балтика", "Днепр", "Vasa", "Kronan", "Iris", "Linden", "Atlas", "Boreal", "Sever", "Tallin",
        "Hansa", "Delta", "Orion", "Vega", "Nova", "Stella", "Meridian", "Helios",
    ]
    static let companyTrades = [
        "Steel", "Foods", "Trade", "Build", "Logistics", "Pharma", "Retail", "Agro", "Energy", "Tools", "Textile",
        "Paper", "Auto", "Electro", "Chemicals", "Marine", "Timber", "Plast", "Systems", "Market",
    ]
    static let companyForms = ["AB", "Oy", "AS", "LLC", "Ltd", "ООО", "ТОВ", "SIA", "UAB", "GmbH"]
    static let positions = [
        "Purchasing manager", "CEO", "Procurement lead", "Owner", "Chief buyer", "CFO", "Category manager",
        "Operations director", "Office manager",
    ]
    static let segments = ["enterprise", "mid-market", "small business"]

    static let categories: [(name: String, margin: Double, unit: String, children: [String])] = [
        ("Building materials", 0.18, "pcs", ["Cement & mortar", "Insulation", "Roofing"]),
        ("Tools", 0.32, "pcs", ["Power tools", "Hand tools"]),
        ("Fasteners", 0.45, "box", ["Screws", "Anchors"]),
        ("Paint & coatings", 0.38, "l", ["Interior paint", "Industrial coatings"]),
        ("Electrical", 0.28, "pcs", ["Cables", "Lighting", "Switchgear"]),
        ("Plumbing", 0.30, "pcs", ["Pipes & fittings", "Sanitary"]),
        ("Safety equipment", 0.50, "pcs", ["Workwear", "Protective gear"]),
        ("Services", 0.62, "h", ["Installation", "Delivery"]),
    ]
    static let productAdjectives = [
        "Pro", "Standard", "Eco", "Heavy-duty", "Compact", "Premium", "Basic", "Industrial", "Max", "Lite",
    ]

    static let leadLossReasons = [
        "no budget", "not a target customer", "duplicate", "spam", "unreachable", "bought from a competitor",
    ]
    static let dealLossReasons = [
        "price", "competitor", "no budget", "no decision", "timing", "product fit", "went silent",
    ]
    static let utmSources = ["google", "facebook", "linkedin", "newsletter", "partner", "direct"]
    static let utmCampaigns = ["spring-sale", "autumn-promo", "brand", "retargeting", "webinar", "catalogue"]
    static let leadMessages = [
        "Please send a price list", "Need a quote for 200 units", "Do you deliver to our region?",
        "Interested in a dealer agreement", "Call me back about bulk pricing", "Looking for a new supplier",
    ]
    static let regions: [(code: String, name: String, children: [(String, String)])] = [
        ("SE", "Sweden", [("SE-AB", "Stockholm"), ("SE-O", "Västra Götaland"), ("SE-M", "Skåne")]),
        ("FI", "Finland", [("FI-18", "Uusimaa"), ("FI-11", "Pirkanmaa")]),
        ("BALT", "Baltics", [("EE", "Estonia"), ("LV", "Latvia"), ("LT", "Lithuania")]),
        ("UA", "Ukraine", [("UA-30", "Kyiv"), ("UA-46", "Lviv"), ("UA-63", "Kharkiv")]),
        ("NO", "Norway", [("NO-03", "Oslo"), ("NO-46", "Vestland")]),
    ]
}
