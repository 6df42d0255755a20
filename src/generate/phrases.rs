//! The phrase banks of the generator: regions with their cities and programmes, organisations,
//! people's names by country, practice titles and texts, meeting agendas and minutes, action
//! plans, voucher schemes and SMEs — data, kept apart from the code that draws from it.

// Amounts in cents are written `9_999_99` (euros_cents) on purpose.
#![allow(clippy::inconsistent_digit_grouping)]

use crate::model::*;

pub(super) struct Region {
    pub(super) name: &'static str,
    pub(super) nuts2: &'static str,
    pub(super) cc: &'static str,
    pub(super) cities: &'static [&'static str],
    pub(super) instrument: &'static str,
    pub(super) etc: &'static str,
}

pub(super) const COHESION_SI: &str =
    "Operational Programme for the Implementation of the EU Cohesion Policy 2014–2020";
pub(super) const OPIC_BG: &str = "Operational Programme Innovation and Competitiveness 2014–2020";
pub(super) const GINOP: &str = "Economic Development and Innovation Operational Programme (GINOP)";
pub(super) const OP_LT: &str =
    "Operational Programme for EU Funds' Investments in Lithuania 2014–2020";
pub(super) const OPEIC_CZ: &str =
    "Operational Programme Enterprise and Innovation for Competitiveness";
pub(super) const ROP_RO: &str = "Regional Operational Programme 2014–2020";
pub(super) const POCTEP: &str = "Interreg V-A Spain–Portugal (POCTEP)";

pub(super) const REGIONS: &[Region] = &[
    Region {
        name: "Vzhodna Slovenija",
        nuts2: "SI03",
        cc: "SI",
        cities: &["Maribor", "Celje", "Murska Sobota", "Ptuj"],
        instrument: COHESION_SI,
        etc: "Interreg V-A Slovenia–Hungary",
    },
    Region {
        name: "Zahodna Slovenija",
        nuts2: "SI04",
        cc: "SI",
        cities: &["Ljubljana", "Koper", "Kranj", "Nova Gorica"],
        instrument: COHESION_SI,
        etc: "Interreg V-A Slovenia–Austria",
    },
    Region {
        name: "Severoiztochen",
        nuts2: "BG33",
        cc: "BG",
        cities: &["Varna", "Dobrich", "Shumen"],
        instrument: OPIC_BG,
        etc: "Interreg V-A Romania–Bulgaria",
    },
    Region {
        name: "Yuzhen tsentralen",
        nuts2: "BG42",
        cc: "BG",
        cities: &["Plovdiv", "Pazardzhik", "Haskovo"],
        instrument: OPIC_BG,
        etc: "Interreg V-A Greece–Bulgaria",
    },
    Region {
        name: "Extremadura",
        nuts2: "ES43",
        cc: "ES",
        cities: &["Badajoz", "Cáceres", "Mérida", "Plasencia"],
        instrument: "ERDF Operational Programme Extremadura 2014–2020",
        etc: POCTEP,
    },
    Region {
        name: "Castilla y León",
        nuts2: "ES41",
        cc: "ES",
        cities: &["Burgos", "León", "Valladolid", "Salamanca"],
        instrument: "ERDF Operational Programme Castilla y León 2014–2020",
        etc: POCTEP,
    },
    Region {
        name: "Algarve",
        nuts2: "PT15",
        cc: "PT",
        cities: &["Faro", "Portimão", "Loulé", "Tavira"],
        instrument: "Algarve 2020 Regional Operational Programme",
        etc: POCTEP,
    },
    Region {
        name: "Alentejo",
        nuts2: "PT18",
        cc: "PT",
        cities: &["Évora", "Beja", "Portalegre"],
        instrument: "Alentejo 2020 Regional Operational Programme",
        etc: POCTEP,
    },
    Region {
        name: "West Midlands",
        nuts2: "UKG3",
        cc: "UK",
        cities: &["Coventry", "Birmingham", "Wolverhampton"],
        instrument: "England ERDF Operational Programme 2014–2020",
        etc: "Interreg North-West Europe",
    },
    Region {
        name: "Abruzzo",
        nuts2: "ITF1",
        cc: "IT",
        cities: &["Pescara", "L'Aquila", "Chieti", "Teramo"],
        instrument: "POR FESR Abruzzo 2014–2020",
        etc: "Interreg V-A Italy–Croatia",
    },
    Region {
        name: "Lombardy",
        nuts2: "ITC4",
        cc: "IT",
        cities: &["Milano", "Brescia", "Bergamo", "Como"],
        instrument: "POR FESR Lombardia 2014–2020",
        etc: "Interreg V-A Italy–Switzerland",
    },
    Region {
        name: "Dél-Dunántúl",
        nuts2: "HU23",
        cc: "HU",
        cities: &["Pécs", "Kaposvár", "Szekszárd"],
        instrument: GINOP,
        etc: "Interreg V-A Hungary–Croatia",
    },
    Region {
        name: "Nyugat-Dunántúl",
        nuts2: "HU22",
        cc: "HU",
        cities: &["Győr", "Sopron", "Szombathely"],
        instrument: GINOP,
        etc: "Interreg V-A Austria–Hungary",
    },
    Region {
        name: "Podkarpackie",
        nuts2: "PL82",
        cc: "PL",
        cities: &["Rzeszów", "Przemyśl", "Krosno"],
        instrument: "Regional Operational Programme for Podkarpackie Voivodeship 2014–2020",
        etc: "Interreg V-A Poland–Slovakia",
    },
    Region {
        name: "Łódzkie",
        nuts2: "PL71",
        cc: "PL",
        cities: &["Łódź", "Piotrków Trybunalski", "Sieradz"],
        instrument: "Regional Operational Programme for Łódzkie Voivodeship 2014–2020",
        etc: "Interreg Central Europe",
    },
    Region {
        name: "Małopolskie",
        nuts2: "PL21",
        cc: "PL",
        cities: &["Kraków", "Tarnów", "Nowy Sącz"],
        instrument: "Małopolska Regional Operational Programme 2014–2020",
        etc: "Interreg V-A Poland–Slovakia",
    },
    Region {
        name: "Vidurio ir vakarų Lietuvos regionas",
        nuts2: "LT02",
        cc: "LT",
        cities: &["Klaipėda", "Šiauliai", "Kaunas", "Panevėžys"],
        instrument: OP_LT,
        etc: "Interreg V-A Lithuania–Poland",
    },
    Region {
        name: "Sostinės regionas",
        nuts2: "LT01",
        cc: "LT",
        cities: &["Vilnius", "Elektrėnai"],
        instrument: OP_LT,
        etc: "Interreg V-A Latvia–Lithuania",
    },
    Region {
        name: "Jihovýchod",
        nuts2: "CZ06",
        cc: "CZ",
        cities: &["Brno", "Třebíč", "Jihlava", "Znojmo"],
        instrument: OPEIC_CZ,
        etc: "Interreg V-A Austria–Czech Republic",
    },
    Region {
        name: "Jihozápad",
        nuts2: "CZ03",
        cc: "CZ",
        cities: &["Plzeň", "České Budějovice", "Tábor"],
        instrument: OPEIC_CZ,
        etc: "Interreg V-A Czech Republic–Bavaria",
    },
    Region {
        name: "Vest",
        nuts2: "RO42",
        cc: "RO",
        cities: &["Timișoara", "Arad", "Reșița"],
        instrument: ROP_RO,
        etc: "Interreg V-A Romania–Hungary",
    },
    Region {
        name: "Nord-Vest",
        nuts2: "RO11",
        cc: "RO",
        cities: &["Cluj-Napoca", "Oradea", "Baia Mare"],
        instrument: ROP_RO,
        etc: "Interreg V-A Romania–Hungary",
    },
    Region {
        name: "Jadranska Hrvatska",
        nuts2: "HR03",
        cc: "HR",
        cities: &["Split", "Rijeka", "Zadar"],
        instrument: "Operational Programme Competitiveness and Cohesion 2014–2020",
        etc: "Interreg V-A Italy–Croatia",
    },
    Region {
        name: "Východné Slovensko",
        nuts2: "SK04",
        cc: "SK",
        cities: &["Košice", "Prešov", "Poprad"],
        instrument: "Operational Programme Research and Innovation 2014–2020",
        etc: "Interreg V-A Poland–Slovakia",
    },
];

pub(super) fn country_name(cc: &str) -> &'static str {
    match cc {
        "SI" => "Slovenia",
        "BG" => "Bulgaria",
        "ES" => "Spain",
        "PT" => "Portugal",
        "UK" => "the United Kingdom",
        "IT" => "Italy",
        "HU" => "Hungary",
        "PL" => "Poland",
        "LT" => "Lithuania",
        "CZ" => "Czechia",
        "RO" => "Romania",
        "HR" => "Croatia",
        "SK" => "Slovakia",
        "DE" => "Germany",
        "BE" => "Belgium",
        _ => "Europe",
    }
}

/// Partner organisations named in DOMAIN.md, by city: (city, organisation, short name).
pub(super) const KNOWN_ORGS: &[(&str, &str, &str)] = &[
    ("Maribor", "Maribor Development Agency", "MRA"),
    (
        "Varna",
        "Regional Agency for Entrepreneurship and Innovations – Varna",
        "RAPIV",
    ),
    (
        "Badajoz",
        "FUNDECYT Scientific and Technological Park of Extremadura",
        "FUNDECYT-PCTEX",
    ),
    ("Faro", "University of Algarve", "UAlg"),
    ("Coventry", "Coventry University Enterprises Ltd", "CUE"),
    ("Pescara", "CAPITANK scarl", "CAPITANK"),
    ("Pécs", "EGTC Pannon", "Pannon"),
    ("Milano", "Unioncamere Lombardia", "Unioncamere"),
    ("Rzeszów", "Rzeszów Regional Development Agency", "RARR"),
    ("Burgos", "CEEI-Burgos", "CEEI"),
    ("Klaipėda", "Klaipėda ID", "KID"),
];

/// Patterns for other partner organisations; `{city}` and `{region}` are filled in.
pub(super) const ORG_PATTERNS: &[&str] = &[
    "{city} Regional Development Agency",
    "Chamber of Commerce and Industry of {region}",
    "University of {city}",
    "{region} Innovation Agency",
    "{city} Science and Technology Park",
    "Business Support Centre {city}",
    "Municipality of {city}",
    "{city} Enterprise Hub",
];

/// Advisory partners: (organisation, short name, country, region, NUTS 2, city).
pub(super) const ADVISORY: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "Association of European Border Regions",
        "AEBR",
        "DE",
        "Münster",
        "DEA3",
        "Gronau",
    ),
    (
        "European Association of Development Agencies",
        "EURADA",
        "BE",
        "Région de Bruxelles-Capitale",
        "BE10",
        "Bruxelles",
    ),
];

pub(super) const PEOPLE: &[(&str, &[&str])] = &[
    (
        "SI",
        &[
            "Mojca Novak",
            "Janez Horvat",
            "Špela Kranjc",
            "Matej Zupančič",
            "Nina Potočnik",
        ],
    ),
    (
        "BG",
        &[
            "Georgi Petrov",
            "Desislava Ivanova",
            "Nikolay Dimitrov",
            "Mariya Georgieva",
        ],
    ),
    (
        "ES",
        &[
            "María José Sánchez",
            "Javier Gómez",
            "Lucía Fernández",
            "Álvaro Muñoz",
        ],
    ),
    (
        "PT",
        &[
            "João Gonçalves",
            "Inês Carvalho",
            "Tiago Simões",
            "Ana Conceição",
        ],
    ),
    (
        "UK",
        &[
            "Sarah Thompson",
            "James Whitfield",
            "Priya Shah",
            "Owen Davies",
        ],
    ),
    (
        "IT",
        &[
            "Giulia Esposito",
            "Marco Di Nardo",
            "Francesca Colombo",
            "Lorenzo Ricci",
        ],
    ),
    (
        "HU",
        &[
            "Zoltán Kovács",
            "Eszter Szabó",
            "Gábor Tóth",
            "Réka Horváth",
        ],
    ),
    (
        "PL",
        &[
            "Katarzyna Wójcik",
            "Paweł Łukasiewicz",
            "Agnieszka Kowalczyk",
            "Michał Sołtys",
        ],
    ),
    (
        "LT",
        &[
            "Jūratė Petrauskienė",
            "Mindaugas Žukauskas",
            "Rūta Kazlauskaitė",
            "Tomas Jankūnas",
        ],
    ),
    (
        "CZ",
        &[
            "Ivana Dvořáková",
            "Jiří Procházka",
            "Tereza Černá",
            "Ondřej Kučera",
        ],
    ),
    (
        "RO",
        &["Ioana Popescu", "Andrei Ionescu", "Mihaela Stănescu"],
    ),
    ("HR", &["Ivana Horvat", "Marko Babić", "Petra Knežević"]),
    (
        "SK",
        &["Martina Kováčová", "Peter Horváth", "Zuzana Šimková"],
    ),
    ("DE", &["Anna Müller", "Jens Schröder"]),
    ("BE", &["Sophie Dubois", "Pieter Janssens"]),
];

pub(super) fn people(cc: &str) -> &'static [&'static str] {
    PEOPLE
        .iter()
        .find(|(c, _)| *c == cc)
        .map_or(PEOPLE[4].1, |(_, p)| p)
}

/// Stakeholders of a regional stakeholder group, by helix type (in `Helix::ALL` order): the
/// organisations they come from (`{city}` and `{region}` filled in) and the roles they hold.
pub(super) const STAKEHOLDER_ORGS: [&[&str]; 4] = [
    &[
        "Regional Council of {region}",
        "{city} City Administration",
        "Managing Authority of the regional programme",
        "Ministry of Economic Development, regional office {city}",
        "{region} Employment Office",
    ],
    &[
        "Chamber of Commerce of {region}",
        "{city} Export Club",
        "{city} Business Incubator",
        "Regional Crafts Association {region}",
        "{region} Logistics Cluster",
    ],
    &[
        "University of {city}",
        "{city} Technology Park",
        "Faculty of Economics, {city}",
        "{region} Vocational College",
    ],
    &[
        "{city} Association of Women Entrepreneurs",
        "Young Entrepreneurs {region}",
        "{region} Consumers' Association",
        "{city} Diaspora Business Network",
    ],
];

/// Roles stakeholders hold in their organisation or the group.
pub(super) const STAKEHOLDER_ROLES: &[&str] = &[
    "head of the SME unit",
    "programme manager",
    "export adviser",
    "director",
    "researcher in international business",
    "chair of the group",
    "policy officer",
    "board member",
];

/// Why a region dropped the transfer of a practice.
pub(super) const DROP_REASONS: &[&str] = &[
    "the programme's call closed before the practice was adapted",
    "no co-financing in the regional budget",
    "the managing authority chose another instrument",
    "the practice's owner could not support the transfer",
];

/// National bodies that run practices: (country, organisation, web domain).
pub(super) const NATIONAL_OWNERS: &[(&str, &str, &str)] = &[
    ("SI", "Slovene Enterprise Fund", "podjetniskisklad.si"),
    ("SI", "SPIRIT Slovenia", "spiritslovenia.si"),
    (
        "SI",
        "Chamber of Commerce and Industry of Slovenia",
        "gzs.si",
    ),
    (
        "BG",
        "Bulgarian Small and Medium Enterprises Promotion Agency",
        "sme.government.bg",
    ),
    (
        "BG",
        "Bulgarian Chamber of Commerce and Industry",
        "bcci.bg",
    ),
    ("ES", "ICEX España Exportación e Inversiones", "icex.es"),
    ("ES", "Cámara de Comercio de España", "camara.es"),
    ("PT", "AICEP Portugal Global", "portugalglobal.pt"),
    (
        "PT",
        "IAPMEI – Agência para a Competitividade e Inovação",
        "iapmei.pt",
    ),
    ("UK", "Department for International Trade", "gov.uk"),
    (
        "UK",
        "British Chambers of Commerce",
        "britishchambers.org.uk",
    ),
    ("IT", "ICE – Agenzia per la promozione all'estero", "ice.it"),
    ("IT", "SIMEST", "simest.it"),
    ("HU", "Hungarian Export Promotion Agency", "hepa.hu"),
    ("HU", "Magyar Kereskedelmi és Iparkamara", "mkik.hu"),
    ("PL", "Polish Investment and Trade Agency", "paih.gov.pl"),
    (
        "PL",
        "Polska Agencja Rozwoju Przedsiębiorczości",
        "parp.gov.pl",
    ),
    ("LT", "Enterprise Lithuania", "verslilietuva.lt"),
    (
        "LT",
        "Lietuvos prekybos, pramonės ir amatų rūmų asociacija",
        "chambers.lt",
    ),
    ("CZ", "CzechTrade", "czechtrade.cz"),
    ("CZ", "Hospodářská komora České republiky", "komora.cz"),
    ("RO", "Camera de Comerț și Industrie a României", "ccir.ro"),
    ("HR", "Hrvatska gospodarska komora", "hgk.hr"),
    ("HR", "HAMAG-BICRO", "hamagbicro.hr"),
    ("SK", "Slovak Business Agency", "sbagency.sk"),
    ("SK", "SARIO", "sario.sk"),
];

pub(super) const REGIONAL_OWNERS: &[&str] = &[
    "{region} Regional Development Agency",
    "Chamber of Commerce of {region}",
    "{region} Export Consortium",
    "Regional Government of {region} – Directorate for Economy",
    "{region} Agency for Internationalisation",
];

pub(super) const LOCAL_OWNERS: &[&str] = &[
    "{city} Business Incubator",
    "Municipality of {city}",
    "{city} Chamber of Crafts and Small Business",
    "University of {city}",
    "{city} Technology Park",
];

/// Practice heads: (title, in a sentence, sub-theme, two keywords).
pub(super) const HEADS: &[(&str, &str, SubTheme, [&str; 2])] = &[
    (
        "Export voucher",
        "export voucher",
        SubTheme::Finance,
        ["vouchers", "export"],
    ),
    (
        "Internationalisation voucher",
        "internationalisation voucher",
        SubTheme::Finance,
        ["vouchers", "internationalisation"],
    ),
    (
        "Small-scale incentives",
        "small-scale incentive scheme",
        SubTheme::Finance,
        ["incentives", "co-financing"],
    ),
    (
        "Co-financing of trade fair participation",
        "co-financing of trade fair participation",
        SubTheme::Finance,
        ["trade fairs", "co-financing"],
    ),
    (
        "Export credit guarantees",
        "export credit guarantee scheme",
        SubTheme::Finance,
        ["guarantees", "export credit"],
    ),
    (
        "Micro-grants for market research",
        "micro-grant scheme for market research",
        SubTheme::Finance,
        ["grants", "market research"],
    ),
    (
        "Seed fund for born-global start-ups",
        "seed fund for born-global start-ups",
        SubTheme::Finance,
        ["start-ups", "seed capital"],
    ),
    (
        "Collective actions incentive",
        "incentive for collective actions",
        SubTheme::Finance,
        ["collective actions", "joint promotion"],
    ),
    (
        "Digital export academy",
        "digital export academy",
        SubTheme::Training,
        ["training", "digital marketing"],
    ),
    (
        "Internationalisation business bootcamp",
        "internationalisation bootcamp",
        SubTheme::Training,
        ["bootcamp", "training"],
    ),
    (
        "Export manager training programme",
        "export manager training programme",
        SubTheme::Training,
        ["export managers", "training"],
    ),
    (
        "Foreign trade apprenticeships",
        "foreign trade apprenticeship scheme",
        SubTheme::Training,
        ["apprenticeships", "young talent"],
    ),
    (
        "E-commerce export school",
        "e-commerce export school",
        SubTheme::Training,
        ["e-commerce", "training"],
    ),
    (
        "Intercultural competence workshops",
        "series of intercultural competence workshops",
        SubTheme::Training,
        ["intercultural skills", "workshops"],
    ),
    (
        "Junior export managers",
        "junior export manager scheme",
        SubTheme::Training,
        ["graduates", "export managers"],
    ),
    (
        "Cross-border cluster mentoring",
        "cross-border cluster mentoring programme",
        SubTheme::Leadership,
        ["clusters", "mentoring"],
    ),
    (
        "One-stop shop for exporters",
        "one-stop shop for exporters",
        SubTheme::Leadership,
        ["one-stop shop", "advice"],
    ),
    (
        "Regional internationalisation strategy",
        "regional internationalisation strategy",
        SubTheme::Leadership,
        ["strategy", "governance"],
    ),
    (
        "Export readiness self-assessment",
        "export readiness self-assessment tool",
        SubTheme::Leadership,
        ["self-assessment", "export readiness"],
    ),
    (
        "Business clubs abroad",
        "network of business clubs abroad",
        SubTheme::Leadership,
        ["business clubs", "networking"],
    ),
    (
        "Guide to public support institutions",
        "guide to public support institutions",
        SubTheme::Leadership,
        ["guide", "public support"],
    ),
    (
        "Trade mission platform",
        "trade mission coordination platform",
        SubTheme::Leadership,
        ["trade missions", "coordination"],
    ),
    (
        "Joint regional pavilion",
        "joint regional pavilion at fairs",
        SubTheme::Leadership,
        ["trade fairs", "joint promotion"],
    ),
    (
        "Market intelligence service",
        "market intelligence service",
        SubTheme::Leadership,
        ["market intelligence", "information"],
    ),
    (
        "Outsourced export department",
        "outsourced export department service",
        SubTheme::Leadership,
        ["export services", "outsourcing"],
    ),
];

pub(super) const TARGETS: &[&str] = &[
    "for trade fairs",
    "for first-time exporters",
    "for agri-food SMEs",
    "for women-led SMEs",
    "for craft businesses",
    "for ICT start-ups",
    "for wine producers",
    "for the furniture sector",
    "for tourism SMEs",
    "for family businesses",
    "for manufacturing SMEs",
    "for creative industries",
    "for micro-enterprises",
    "for cross-border trade",
    "for Asian markets",
    "for online marketplaces",
];

pub(super) const SECTORS: &[&str] = &[
    "agri-food",
    "wine",
    "furniture",
    "ICT",
    "metalworking",
    "textile",
    "tourism",
    "creative",
    "automotive supply",
    "cosmetics",
    "organic food",
    "machinery",
    "medical devices",
    "software",
    "ceramics",
    "wood processing",
];

pub(super) const MARKETS: &[&str] = &[
    "Germany and Austria",
    "the Nordic countries",
    "the Western Balkans",
    "North America",
    "the Gulf states",
    "China",
    "Japan and South Korea",
    "Latin America",
    "neighbouring regions across the border",
    "the United Kingdom",
    "Central Asia",
    "North Africa",
];

pub(super) const KEYWORDS: &[&str] = &[
    "export",
    "SMEs",
    "digitalisation",
    "networking",
    "cross-border",
    "de minimis",
    "ERDF",
    "women entrepreneurs",
    "start-ups",
    "market access",
    "competitiveness",
    "innovation",
    "skills",
    "public-private partnership",
    "monitoring",
];

pub(super) const CONTEXT: &[&str] = &[
    "{owner} launched the {head} in {year} to help SMEs in {region} take their first steps on foreign markets, after a regional survey showed that only a minority of firms exported regularly.",
    "Before the practice started, companies in {city} and the surrounding area relied on occasional trade missions organised at national level, which rarely matched the needs of small producers.",
    "The practice responds to a gap identified in the regional innovation strategy of {region}: many {sector} companies had competitive products but lacked the skills, contacts and money to sell abroad.",
    "SMEs in {country} export less than the EU average, and in {region} the share of exporting micro-enterprises was below {pct} % when the initiative was designed.",
    "The idea came from a working group of the chamber of commerce, the university and {owner}, which met in {city} to discuss why promising firms stopped exporting after one failed attempt.",
    "The economic crisis hit the domestic market of {region} hard, and public bodies looked for instruments that would help SMEs diversify their sales towards {market}.",
    "Small companies in {city} told the partnership that the hardest part of internationalisation is not the first order but finding reliable information, partners and advice at the right moment.",
    "The {head} was designed together with entrepreneurs: {n} company owners from {region} took part in the workshops where its rules and eligible costs were discussed.",
];

pub(super) const APPROACH: &[&str] = &[
    "Applicants fill in a short online form and receive an answer within {days} days; the procedure was simplified after the first call, when many SMEs found the paperwork too heavy.",
    "Each participating company is assigned an experienced export adviser who visits the firm, reviews its products and helps it choose one or two target markets, such as {market}.",
    "The {head} combines group training sessions in {city} with individual coaching, so that what is learnt in the classroom is applied at once to the company's own export plan.",
    "Support is granted as a lump sum or as a share of eligible costs, typically up to {pct} % of the cost of fairs, market studies, certification and translation of documents.",
    "A selection committee with representatives of {owner}, the chamber of commerce and independent experts evaluates the applications against criteria published with the call.",
    "Companies are grouped by sector, which lets {sector} firms share the cost of a joint stand, travel together to fairs and exchange contacts after each mission.",
    "The programme runs in cycles of {weeks} weeks; every cycle ends with a pitch in front of foreign buyers invited to {city} or met online.",
    "Participants use a self-assessment tool that scores their export readiness in management commitment, product adaptation, pricing, logistics and digital presence.",
    "The service is free of charge for micro-enterprises, while small and medium-sized firms contribute a modest fee that covers part of the consultants' time.",
    "The practice relies on a network of honorary business representatives and diaspora entrepreneurs who open doors for SMEs from {region} in {market}.",
    "Digital tools are central: webinars, an e-learning platform and virtual B2B meetings complement the visits, which kept the activities running during the pandemic.",
    "A dedicated desk at {owner} answers questions on customs, VAT, certification and contracts, and refers companies to specialised consultants when needed.",
    "Funding comes from the regional budget and the European Regional Development Fund; the allocation for the current period is {amount}.",
    "Young graduates are placed in participating SMEs for {months} months as junior export managers, with part of their salary paid by the programme.",
    "Support is granted under the de minimis rules and VAT is not an eligible cost, which keeps the procedure simple for beneficiaries and for the managing authority.",
    "Calls are open all year round, and applications are approved in the order in which complete files arrive until the budget is exhausted.",
    "Companies present their results at an annual event in {city}, which has become a meeting point for exporters, public agencies and banks of {region}.",
];

pub(super) const RESULTS: &[&str] = &[
    "Since {year}, more than {big} companies have taken part, and {pct} % of them reported new foreign sales within two years of their participation.",
    "An independent evaluation found that every euro of public support generated on average {small} euros of additional export turnover among the beneficiaries.",
    "The number of exporting SMEs in {region} grew by {pct} % during the period, and the regional strategy names the practice as one of the reasons.",
    "{n} firms entered a foreign market for the first time, most of them in {market}, and many repeated the experience without further public support.",
    "Beneficiaries rate the service highly: in the last satisfaction survey {pct} % said they would recommend it to other entrepreneurs.",
    "The practice created lasting cooperation between {owner}, the university and the chamber of commerce, which now plan their activities for exporters together.",
    "Several {sector} companies that started with small support now run their own sales offices abroad and have hired dedicated export staff.",
    "Monitoring data are collected for every beneficiary for three years, so the managing authority can follow exports, jobs and turnover over time.",
];

pub(super) const LESSONS: &[&str] = &[
    "The main lesson is that support must be simple and quick: when the approval time fell below {days} days, the number of applications doubled.",
    "The practice can be transferred to regions with a similar economic structure, provided that a body with good links to the business community runs it.",
    "Partners from other regions were particularly interested in the selection criteria and in the way the practice combines money with advice.",
    "At the beginning few companies knew the instrument; a campaign with success stories and local events in {city} changed that within a year.",
    "The practice was adapted several times, for example by opening it to online fairs and by adding support for e-commerce platforms aimed at {market}.",
    "Coordination with the national export agency avoids double funding and lets SMEs move from regional to national instruments as they grow.",
    "Keeping the administrative burden low was possible only because {owner} accepted simplified cost options and standard unit costs.",
    "The task force noted that the practice is easy to understand, well documented and already tested in more than one economic cycle.",
    "Its weakest point is the dependence on yearly budgets; a multi-annual commitment would let companies plan their participation in fairs earlier.",
    "Stakeholders in {region} consider the practice a model for other instruments, and parts of it were taken over in the new operational programme.",
    "Transfer requires a champion inside the managing authority: in {city} the practice survived two changes of government because its results were visible.",
];

pub(super) const SUMMARIES: &[&str] = &[
    "The {head} run by {owner} in {city} ({country}) helps {sector} SMEs prepare, finance and carry out their first steps on foreign markets.",
    "Run by {owner}, the {head} combines money and advice so that small firms from {region} can test new markets such as {market} at low risk.",
    "Since {year} {owner} has offered the {head} to SMEs of {region}, with simple rules and a short procedure designed with entrepreneurs.",
];

pub(super) const SUMMARY_TAILS: &[&str] = &[
    "More than {big} companies have used it, and most of them report new foreign customers within two years.",
    "It is cited in the regional strategy as an example of support that is quick, cheap to run and easy to transfer.",
    "Partners valued its clear selection criteria, its monitoring of results and its links with the national export agency.",
    "The practice is funded by the regional budget and the ERDF and has been renewed in every programming period since it began.",
];

pub(super) const RESOURCES: &[&str] = &[
    "A team of {small} people at {owner} and an annual budget of about {amount}, mostly from the ERDF and the regional budget.",
    "Two coordinators, a pool of {n} accredited consultants and an online application platform; running costs are about {amount} a year.",
    "Staff time of the chamber of commerce and {owner}, external trainers for each cycle and {amount} for grants in the current period.",
];

pub(super) const EVIDENCE: &[&str] = &[
    "{big} SMEs supported since {year}; {pct} % of them increased their export turnover within two years.",
    "An external evaluation in {year2} found {n} new export contracts and {small} euros of exports for each euro of support.",
    "{n} companies entered at least one new market; {pct} % of the participants would take part again.",
];

pub(super) const TRANSFER: &[&str] = &[
    "Easy to transfer to regions with a development agency close to SMEs; the rules and forms are available in English.",
    "Transferable where the managing authority can use simplified cost options; partners in {small} regions showed interest.",
    "The selection criteria and the combination of grants with coaching are the parts most worth transferring.",
];

pub(super) const DIFFICULTIES: &[&str] = &[
    "The first calls were too complex; simplifying the forms took {months} months and the agreement of the managing authority.",
    "Demand exceeded the budget in the first year, so the call had to close early and many SMEs were disappointed.",
    "Finding consultants with real export experience in {market} was harder than expected.",
    "Yearly budgets make planning difficult for companies that book fair stands twelve months in advance.",
];

pub(super) const REJECT_REASONS: &[&str] = &[
    "not transferable: depends on national legislation",
    "insufficient evidence of results",
    "too similar to a practice already validated",
    "ended before its results could be measured",
];

pub(super) const TOPICS: &[&str] = &[
    "financial instruments for exporters",
    "digital export marketing",
    "export skills and human resources",
    "leadership of internationalisation policies",
    "vouchers and small-scale incentives",
    "e-commerce and online marketplaces",
    "monitoring of action plans",
    "clusters and joint promotion",
    "trade fairs after the pandemic",
];

pub(super) const AGENDA: &[&str] = &[
    "Welcome by the host partner",
    "Tour de table of the partners",
    "Presentation of good practices from {region}",
    "Site visit in {city}",
    "Evaluation of the practices presented by the task force",
    "Budget, reporting and project management",
    "Communication and dissemination update",
    "Drafting the regional action plans",
    "Monitoring of the action plans",
    "Wrap-up and next steps",
    "Discussion with regional stakeholders of {region}",
];

pub(super) const MINUTES: &[&str] = &[
    "The host partner welcomed {people} participants in {city} and presented the economic profile of {region}.",
    "Partners agreed that practices should be described with measurable results before they are evaluated.",
    "The discussion focused on {topic}; several partners asked for the rules and forms used in {region}.",
    "The lead partner reminded everyone of the reporting deadline and of the documents still missing.",
    "Stakeholders from {region} explained how the practices presented could fit their policy instrument.",
    "The task force scored the practices seen during the visit and will circulate the results within two weeks.",
    "Participants visited two SMEs in {city} that had used regional support to enter new markets.",
    "The meeting closed with a short evaluation; {pct} % of the participants rated it useful or very useful.",
];

/// The same for meetings held online: nobody visits anything.
pub(super) const AGENDA_ONLINE: &[&str] = &[
    "Welcome by the host partner",
    "Tour de table of the partners",
    "Presentation of good practices from {region}",
    "Questions and answers in the chat",
    "Evaluation of the practices presented by the task force",
    "Budget, reporting and project management",
    "Communication and dissemination update",
    "Monitoring of the action plans",
    "Wrap-up and next steps",
];

pub(super) const MINUTES_ONLINE: &[&str] = &[
    "The host partner opened the online meeting for {people} participants and presented the economic profile of {region}.",
    "Partners agreed that practices should be described with measurable results before they are evaluated.",
    "The discussion focused on {topic}; several partners asked for the rules and forms used in {region}.",
    "The lead partner reminded everyone of the reporting deadline and of the documents still missing.",
    "Stakeholders from {region} explained how the practices presented could fit their policy instrument.",
    "A recording of the session and the slides were shared with all partners after the meeting.",
    "The meeting closed with a short online poll; {pct} % of the participants rated it useful or very useful.",
];

pub(super) const DECISIONS: &[&str] = &[
    "The next meeting will be held in {city}.",
    "The practices presented are passed to the task force for evaluation.",
    "Partners will send their draft action plans four weeks before the next steering committee.",
    "The communication plan is approved with the changes discussed.",
    "The evaluation grid is kept unchanged for the next round of study visits.",
];

pub(super) const FOLLOW_UPS: &[&str] = &[
    "Send the presentations to all partners",
    "Upload the practices to the programme website",
    "Circulate the minutes for comments",
    "Prepare the agenda of the next meeting",
    "Collect the evaluation forms of the task force",
    "Update the stakeholder list of {region}",
];

pub(super) const PROJECTS: &[(&str, &str)] = &[
    ("EXPORTA", "Regional policies for SME export readiness"),
    ("SME-GLOBAL", "Better public support for SMEs going global"),
    (
        "TRADE-UP",
        "Upgrading regional trade-promotion instruments for SMEs",
    ),
    (
        "INTERNA",
        "Interregional learning on internationalisation support for SMEs",
    ),
    (
        "GO-INTER",
        "Growth through internationalisation of regional SMEs",
    ),
    (
        "BORDERLESS",
        "Cross-border ventures for SME internationalisation",
    ),
    (
        "VOUCHER+",
        "Smarter vouchers for SME access to foreign markets",
    ),
    ("DIGEXPORT", "Digital tools for SME export promotion"),
    (
        "CLUSTER-X",
        "Clusters as gateways to foreign markets for SMEs",
    ),
    ("SKILLS4EXPORT", "Export skills for regional SMEs"),
    (
        "OPEN-MARKETS",
        "Opening foreign markets to micro-enterprises",
    ),
    (
        "EU-REACH",
        "Extending the reach of regional SMEs beyond the single market",
    ),
];

pub(super) const PLAN_FOCUS: &[&str] = &[
    "export vouchers and small-scale incentives",
    "export skills for SMEs",
    "a regional one-stop shop for internationalisation",
    "digital export promotion",
    "cluster-based internationalisation",
    "better targeting of ERDF support to exporters",
    "cross-border market access",
    "support for first-time exporters",
];

pub(super) const ACTION_TITLES: &[&str] = &[
    "Introduce an internationalisation voucher for {sector} SMEs",
    "Launch a digital export academy in {city}",
    "Set up a one-stop shop for exporters in {region}",
    "Co-finance joint stands at international trade fairs",
    "Train {n} export managers in regional SMEs",
    "Create a cross-border cluster mentoring scheme",
    "Add e-commerce costs to the eligible costs of the regional call",
    "Pilot an export readiness self-assessment for micro-enterprises",
    "Organise trade missions to {market}",
    "Open a business club for exporters of {region} abroad",
    "Simplify the application procedure of the export voucher",
    "Fund junior export managers in {sector} companies",
    "Publish a guide to public support for internationalisation",
    "Add export potential to the selection criteria of the regional call",
    "Build a market-intelligence service for SMEs of {region}",
    "Support collective actions of {sector} producers abroad",
];

pub(super) const ACTIVITIES: &[&str] = &[
    "Prepare the call with the managing authority, publish it, run information days in {city} and select the first beneficiaries.",
    "Design the curriculum with the university, train {n} SMEs per year and follow their export plans for twelve months.",
    "Agree the rules with the stakeholder group, open the service at the development agency and report on its use every semester.",
];

pub(super) const INDICATORS: &[&str] = &[
    "SMEs supported",
    "vouchers awarded",
    "new export markets entered",
    "participants trained",
    "export contracts signed",
    "companies exporting for the first time",
];

pub(super) const NOT_IMPLEMENTED: &[&str] = &[
    "the managing authority postponed the call to the next programming period",
    "the budget line was cut after the regional elections",
    "a national scheme with the same aim was launched in the meantime",
];

/// A voucher type: code, name, description, minimum and maximum in cents, participants.
type TypeTemplate = (
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    Option<i64>,
    Option<u32>,
);

pub(super) const VOUCHER_TYPES: &[TypeTemplate] = &[
    (
        "CERT",
        "Certification of products and services",
        "Certificates, marks and conformity assessment required on the target market",
        None,
        None,
        None,
    ),
    (
        "LEGAL",
        "Legal consulting and translation of legal documents",
        "Advice on foreign contracts and certified translations",
        None,
        None,
        None,
    ),
    (
        "RESEARCH",
        "Foreign market research",
        "Market studies, databases and partner searches abroad",
        None,
        Some(4_500_00),
        None,
    ),
    (
        "FAIR",
        "Participation in international trade fairs",
        "Stand rental, set-up and transport of exhibits",
        None,
        None,
        None,
    ),
    (
        "DELEG",
        "Outgoing economic delegations",
        "Travel and participation fees for up to two participants",
        Some(300_00),
        Some(3_000_00),
        Some(2),
    ),
    (
        "FORUM",
        "International business forums",
        "Participation fees and travel for up to two participants",
        Some(300_00),
        Some(3_000_00),
        Some(2),
    ),
    (
        "ECOM",
        "E-commerce and digital marketing abroad",
        "Listing on foreign marketplaces and localisation of web shops",
        None,
        Some(6_000_00),
        None,
    ),
    (
        "COACH",
        "Export coaching",
        "Advice from an accredited export consultant",
        None,
        Some(5_000_00),
        None,
    ),
    (
        "IPR",
        "Protection of industrial property abroad",
        "Trademark and patent filings in the target markets",
        None,
        None,
        None,
    ),
];

/// A scheme as issued in one country or region (`key` is a NUTS 2 code or a country code).
pub(super) struct SchemeTemplate {
    pub(super) key: &'static str,
    pub(super) name: &'static str,
    pub(super) issuer: &'static str,
    pub(super) rate: i64,
    pub(super) min: i64,
    pub(super) max: i64,
    pub(super) per_year: u32,
    pub(super) total: i64,
    pub(super) types: &'static [&'static str],
    pub(super) notes: &'static str,
}

pub(super) const SCHEMES: &[SchemeTemplate] = &[
    SchemeTemplate {
        key: "SI",
        name: "Internationalisation vouchers",
        issuer: "Slovene Enterprise Fund",
        rate: 6000,
        min: 300_00,
        max: 9_999_99,
        per_year: 3,
        total: 30_000_00,
        types: &["CERT", "LEGAL", "RESEARCH", "FAIR", "DELEG", "FORUM"],
        notes: "Up to 60% co-financing; forums and delegations EUR 300–3,000 for up to two participants.",
    },
    SchemeTemplate {
        key: "SI",
        name: "SPIRIT tender for foreign market research and fair appearances",
        issuer: "SPIRIT Slovenia",
        rate: 6000,
        min: 500_00,
        max: 8_000_00,
        per_year: 2,
        total: 16_000_00,
        types: &["RESEARCH", "FAIR"],
        notes: "Foreign market research co-financed at 50% up to EUR 4,500, fair appearances at 60% up to EUR 8,000.",
    },
    SchemeTemplate {
        key: "PT",
        name: "Internationalisation voucher (Vale Internacionalização)",
        issuer: "IAPMEI – Agência para a Competitividade e Inovação",
        rate: 7500,
        min: 1_000_00,
        max: 15_000_00,
        per_year: 2,
        total: 30_000_00,
        types: &["RESEARCH", "FAIR", "ECOM", "CERT", "IPR"],
        notes: "Up to EUR 15,000 at 75% for a first step abroad.",
    },
    SchemeTemplate {
        key: "ES43",
        name: "Cheque Exporta",
        issuer: "Extremadura Avante",
        rate: 9000,
        min: 600_00,
        max: 5_400_00,
        per_year: 2,
        total: 10_800_00,
        types: &["FAIR", "RESEARCH", "ECOM", "COACH"],
        notes: "Up to EUR 5,400 at 90% for SMEs of Extremadura.",
    },
    SchemeTemplate {
        key: "ITC4",
        name: "Lombardy fair vouchers",
        issuer: "Unioncamere Lombardia",
        rate: 5000,
        min: 1_000_00,
        max: 10_000_00,
        per_year: 2,
        total: 20_000_00,
        types: &["FAIR", "ECOM", "DELEG"],
        notes: "For SMEs of Lombardy exhibiting at international fairs in Italy and abroad.",
    },
];

pub(super) const LEGAL_FORMS: &[(&str, &str, bool)] = &[
    ("SI", "d.o.o.", false),
    ("BG", "EOOD", false),
    ("ES", "S.L.", false),
    ("PT", "Lda.", false),
    ("UK", "Ltd", false),
    ("IT", "S.r.l.", false),
    ("HU", "Kft.", false),
    ("PL", "sp. z o.o.", false),
    ("LT", "UAB", true),
    ("CZ", "s.r.o.", false),
    ("RO", "S.R.L.", false),
    ("HR", "d.o.o.", false),
    ("SK", "s.r.o.", false),
];

pub(super) const LOCAL_WORDS: &[(&str, &[&str])] = &[
    (
        "SI",
        &["Pohorje", "Štajerc", "Drava", "Kras", "Solčava", "Jelovica"],
    ),
    ("BG", &["Dunav", "Rodopi", "Balkan", "Zlatni", "Tundzha"]),
    (
        "ES",
        &[
            "Guadiana",
            "Jerte",
            "Ibérica",
            "La Vera",
            "Arlanza",
            "Tierra de Barros",
        ],
    ),
    (
        "PT",
        &["Ria Formosa", "Monchique", "Alvor", "Montado", "Sotavento"],
    ),
    (
        "UK",
        &["Midland", "Arden", "Severn", "Black Country", "Avon"],
    ),
    (
        "IT",
        &[
            "Maiella",
            "Gran Sasso",
            "Adriatica",
            "Brianza",
            "Orobica",
            "Lario",
        ],
    ),
    ("HU", &["Mecsek", "Pannon", "Rába", "Balaton", "Zselic"]),
    (
        "PL",
        &["Wisłok", "Bieszczady", "Łańcut", "Tatry", "Warta", "Pilica"],
    ),
    (
        "LT",
        &["Kuršių", "Baltijos", "Nemuno", "Žemaitijos", "Dainavos"],
    ),
    ("CZ", &["Vysočina", "Morava", "Šumava", "Podyjí", "Pálava"]),
    ("RO", &["Banat", "Someș", "Carpați", "Mureș", "Apuseni"]),
    ("HR", &["Jadran", "Velebit", "Kvarner", "Dalmacija"]),
    ("SK", &["Tatry", "Hornád", "Šariš", "Spiš"]),
];

pub(super) const SME_SECTORS: &[&str] = &[
    "Foods",
    "Metalworks",
    "Software",
    "Textiles",
    "Wines",
    "Robotics",
    "Design",
    "Logistics",
    "Organics",
    "Ceramics",
    "Furniture",
    "Optics",
    "Biotech",
    "Tools",
    "Packaging",
    "Cosmetics",
    "Electronics",
    "Agro",
    "Plastics",
    "Print",
];

pub(super) const CERTS: &[&str] = &[
    "CE marking",
    "ISO 9001",
    "ISO 14001",
    "IFS Food",
    "BRCGS",
    "Halal",
    "UL",
    "FSC",
    "EU organic",
];
pub(super) const FAIRS: &[&str] = &[
    "Anuga Cologne",
    "SIAL Paris",
    "Hannover Messe",
    "Vinitaly Verona",
    "Fruit Logistica Berlin",
    "Gulfood Dubai",
    "MWC Barcelona",
    "Salone del Mobile Milano",
    "bauma Munich",
    "ProWein Düsseldorf",
    "BIOFACH Nuremberg",
    "Ambiente Frankfurt",
    "Medica Düsseldorf",
    "FITUR Madrid",
    "EMO Hannover",
];
pub(super) const CITIES_ABROAD: &[&str] = &[
    "Munich",
    "Vienna",
    "Zürich",
    "Stockholm",
    "Toronto",
    "Tokyo",
    "Shanghai",
    "Dubai",
    "Casablanca",
    "São Paulo",
    "Belgrade",
    "Kyiv",
    "Istanbul",
    "Chicago",
];
pub(super) const FORUMS: &[&str] = &[
    "EU–Japan Business Forum",
    "Adriatic–Ionian Business Forum",
    "Danube Business Forum",
    "Three Seas Business Forum",
    "EU–Western Balkans Business Summit",
    "Baltic Sea Business Summit",
];
pub(super) const VOUCHER_MARKETS: &[&str] = &[
    "Germany",
    "Austria",
    "France",
    "the Nordic countries",
    "the United States",
    "Canada",
    "Japan",
    "China",
    "the United Arab Emirates",
    "Serbia",
    "Ukraine",
    "Morocco",
    "Brazil",
    "Switzerland",
];
pub(super) const MARKETPLACES: &[&str] = &[
    "Amazon.de",
    "Allegro",
    "Zalando",
    "Alibaba.com",
    "eMAG",
    "Etsy",
    "Cdiscount",
];
pub(super) const VOUCHER_REJECTED: &[&str] = &[
    "costs incurred before the contract",
    "the SME exceeded the de minimis ceiling",
    "incomplete documentation after two reminders",
    "the event is not an international fair",
];
pub(super) const VOUCHER_WITHDRAWN: &[&str] = &[
    "the fair was cancelled by the organiser",
    "the SME chose another market",
    "the company could not release staff for the trip",
    "applied to a national scheme instead",
];
