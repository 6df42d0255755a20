//! A deterministic synthetic corpus for benchmarks and `taskforce generate --records N [--seed S]`.
//!
//! [`generate`] builds a [`Dataset`] of exactly `records` records from phrase banks of the domain:
//! projects with partners from real NUTS 2 regions (names with their diacritics), good practices
//! with INTRA-length descriptions and a status history, meetings that list the practices presented
//! there, action plans and actions inspired by practices, voucher schemes with their types, SMEs and
//! voucher applications that keep every scheme rule (amounts, rates, dates, yearly caps per SME).
//! Every record passes `model::validate`; sessions and scores are not generated.
//!
//! The same `(records, seed)` always gives the same dataset: a small splitmix64 generator is seeded
//! per record from the seed, the kind and the index, and nothing iterates over a hash map.

// Amounts in cents are written `9_999_99` (euros_cents) on purpose.
#![allow(clippy::inconsistent_digit_grouping)]

use std::fmt::Write as _;

use crate::model::*;

mod phrases;
use phrases::*;

/// How many records of each kind [`generate`] makes for a given total; they add up to the total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub projects: usize,
    pub partners: usize,
    pub criteria_sets: usize,
    pub schemes: usize,
    pub practices: usize,
    pub meetings: usize,
    pub action_plans: usize,
    pub actions: usize,
    pub smes: usize,
    pub vouchers: usize,
    pub stakeholders: usize,
    pub transfers: usize,
}

/// The stakeholders in each partner's regional stakeholder group (from 100 records on).
const STAKEHOLDERS_PER_PARTNER: usize = 5;

/// The practices each partner's region takes in (from 100 records on).
const TRANSFERS_PER_PARTNER: usize = 2;

/// Partners of project `p` (7, 8 or 9: about 8 on average).
fn partners_of_project(p: usize) -> usize {
    [8, 9, 7][p % 3]
}

impl Counts {
    /// The mix for `records` records.
    ///
    /// From 100 records on: one project per 20,000 records (at least one), 7–9 partners each
    /// (about 8) with 5 stakeholders and 2 transfers each, 3 voucher schemes per project and 4
    /// criteria sets; the rest is shared out as
    /// practices 35 : meetings 10 : action plans and actions 8 : SMEs 12 : vouchers 25 (so about
    /// 39 %, 11 %, 9 %, 13 % and 28 % of the total), one action plan per 9 of the plans-and-actions
    /// share. Below 100 records the fixed structure shrinks (fewer partners, one scheme, one criteria
    /// set) so that small corpora still hold most kinds; the total is exact for every `records`,
    /// down to a lone project for 1 record and an empty dataset for 0.
    pub fn for_records(records: usize) -> Counts {
        let n = records;
        if n == 0 {
            return Counts::default();
        }
        let projects = if n >= 100 {
            ((n + 10_000) / 20_000).max(1)
        } else {
            1
        };
        let partners = if n >= 100 {
            (0..projects).map(partners_of_project).sum()
        } else {
            ((n - 1) / 8).min(8)
        };
        let criteria_sets = if n >= 12 { (n / 50).clamp(1, 4) } else { 0 };
        let schemes = if n >= 100 {
            3 * projects
        } else {
            usize::from(n >= 6)
        };
        let (stakeholders, transfers) = if n >= 100 {
            (
                partners * STAKEHOLDERS_PER_PARTNER,
                partners * TRANSFERS_PER_PARTNER,
            )
        } else {
            (0, 0)
        };
        let fixed = projects + partners + criteria_sets + schemes + stakeholders + transfers;
        let rest = n - fixed;
        let weights = [35, 10, 8, 12, 25];
        let total_weight: usize = weights.iter().sum();
        let mut share = weights.map(|w| rest * w / total_weight);
        share[0] += rest - share.iter().sum::<usize>();
        let [
            mut practices,
            meetings,
            mut plans_and_actions,
            mut smes,
            mut vouchers,
        ] = share;
        if partners == 0 {
            practices += plans_and_actions;
            plans_and_actions = 0;
        }
        if schemes == 0 {
            practices += smes + vouchers;
            smes = 0;
            vouchers = 0;
        }
        if vouchers > 0 && smes == 0 {
            smes = 1;
            vouchers -= 1;
        }
        // Every SME can take 6 applications (2 a year over at least 3 years); keep well below.
        while vouchers > 3 * smes {
            vouchers -= 1;
            smes += 1;
        }
        let action_plans = plans_and_actions.div_ceil(9);
        let actions = plans_and_actions - action_plans;
        let counts = Counts {
            projects,
            partners,
            criteria_sets,
            schemes,
            practices,
            meetings,
            action_plans,
            actions,
            smes,
            vouchers,
            stakeholders,
            transfers,
        };
        debug_assert_eq!(counts.total(), n);
        counts
    }

    pub fn total(&self) -> usize {
        self.projects
            + self.partners
            + self.criteria_sets
            + self.schemes
            + self.practices
            + self.meetings
            + self.action_plans
            + self.actions
            + self.smes
            + self.vouchers
            + self.stakeholders
            + self.transfers
    }
}

/// Generates exactly `records` records from `seed`; the same arguments give the same dataset.
///
/// The mix is [`Counts::for_records`]: for 100 records and more every kind but sessions and scores
/// is there in the proportions it describes; smaller corpora keep a reduced structure (1 record is a
/// lone project, 20 records hold a project, 2 partners, a criteria set, a scheme, practices, a
/// meeting, an action plan, SMEs and vouchers). Every record passes `model::validate` when the
/// whole dataset is imported into an empty store.
pub fn generate(records: usize, seed: u64) -> Dataset {
    let mut ds = Dataset::new();
    stream(records, seed, &mut |record| ds.push(record));
    debug_assert_eq!(ds.len(), records);
    ds
}

/// [`generate`] one record at a time, in the order of the file's sections (projects, partners,
/// practices, meetings, …), handed to `sink` and not kept: the memory it takes grows with the
/// projects and partners only, and with a few bytes per practice and meeting (a practice's
/// status and meeting, the title and dates of a meeting where practices are presented). Records
/// other kinds refer to are worked out again where they are needed (a meeting's practices, the
/// practice that inspired an action) rather than held.
pub fn stream(records: usize, seed: u64, sink: &mut dyn FnMut(Record)) {
    let counts = Counts::for_records(records);
    let slugs = REGIONS.iter().map(|r| slugify(r.name, 40)).collect();
    let mut g = Generator {
        seed,
        counts,
        projects: Vec::new(),
        partners: Vec::new(),
        slugs,
        project_records: Vec::new(),
        partner_records: Vec::new(),
        criteria_sets: Vec::new(),
        shown: Vec::new(),
        meeting_practices: Vec::new(),
        practice_status: Vec::with_capacity(counts.practices),
        schemes: Vec::new(),
        per_year: Vec::new(),
    };
    g.projects_and_partners();
    g.criteria_sets();
    // The meetings once for what practices need of them, and once more, written, after them.
    g.meetings(&mut |_| {});
    for p in std::mem::take(&mut g.project_records) {
        sink(p.into());
    }
    for p in &g.partner_records {
        sink(p.clone().into());
    }
    g.practices(sink);
    g.meetings(sink);
    for c in std::mem::take(&mut g.criteria_sets) {
        sink(c.into());
    }
    g.plans_and_actions(Emit::Plans, sink);
    g.plans_and_actions(Emit::Actions, sink);
    g.schemes();
    for s in &g.schemes {
        sink(s.clone().into());
    }
    g.smes_and_vouchers(Emit::Smes, sink);
    g.smes_and_vouchers(Emit::Vouchers, sink);
    for i in 0..g.counts.transfers {
        sink(g.transfer(i).into());
    }
    for i in 0..g.counts.stakeholders {
        sink(g.stakeholder(i).into());
    }
}

/// Which of two kinds made in one pass is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Emit {
    Plans,
    Actions,
    Smes,
    Vouchers,
}

/// What a practice's history says of the meeting where it was presented.
struct Shown {
    start: Date,
    last: Date,
    kind: MeetingKind,
    title: Box<str>,
}

impl Shown {
    fn last_day(&self) -> Date {
        self.last
    }
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast, and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    /// An independent stream for one record: the seed, a stream number (the kind) and the index.
    fn for_record(seed: u64, stream: u64, index: usize) -> Rng {
        let mut r = Rng(seed
            ^ stream.wrapping_mul(0xA076_1D64_78BD_642F)
            ^ (index as u64).wrapping_mul(0xE703_7ED1_A0B4_28DB));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + ((self.next() as u128 * (hi - lo + 1) as u128) >> 64) as i64
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One phrase of a bank.
    fn one(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let total: usize = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// `k` distinct indices below `n` (k ≤ n ≤ 64), in random order.
    fn distinct(&mut self, n: usize, k: usize) -> ([u8; 64], usize) {
        let mut idx = [0u8; 64];
        for (i, slot) in idx.iter_mut().enumerate().take(n) {
            *slot = i as u8;
        }
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            idx.swap(i, j);
        }
        (idx, k)
    }
}

mod stream {
    pub const PROJECT: u64 = 1;
    pub const PARTNER: u64 = 2;
    pub const MEETING: u64 = 3;
    pub const PRACTICE: u64 = 4;
    pub const PLAN: u64 = 5;
    pub const ACTION: u64 = 6;
    pub const ACTION_STATUS: u64 = 7;
    pub const SCHEME: u64 = 8;
    pub const SME: u64 = 9;
    pub const VOUCHER: u64 = 10;
    pub const ASSIGN: u64 = 11;
    pub const OFFSET: u64 = 12;
    pub const STAKEHOLDER: u64 = 13;
    pub const TRANSFER: u64 = 14;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/// `prefix-000123` for the record at position 122.
fn id(prefix: &str, n: usize) -> compact_str::CompactString {
    let mut s = String::with_capacity(prefix.len() + 8);
    s.push_str(prefix);
    s.push('-');
    let n = n as u64 + 1;
    let digits = if n == 0 { 1 } else { n.ilog10() as usize + 1 };
    for _ in digits..6 {
        s.push('0');
    }
    push_int(&mut s, n);
    s.into()
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).expect("a valid generated date")
}

fn at(day: Date, rng: &mut Rng) -> Timestamp {
    let minutes = rng.range(8 * 60, 18 * 60);
    Timestamp(day.days() as i64 * 86_400_000 + minutes * 60_000)
}

fn initials(name: &str) -> String {
    let mut s: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    if s.chars().count() < 2 {
        s = name.chars().take(8).collect();
    }
    s
}

/// Places named in a text.
#[derive(Clone, Copy, Default)]
struct Ctx<'a> {
    owner: &'a str,
    city: &'a str,
    region: &'a str,
    country: &'a str,
    head: &'a str,
    sector: &'a str,
    market: &'a str,
    topic: &'a str,
    year: i32,
}

/// A piece of a phrase template: literal text or a placeholder.
#[derive(Clone, Copy)]
enum Seg {
    Text(&'static str),
    Owner,
    City,
    Region,
    Country,
    Head,
    Sector,
    Market,
    Topic,
    Year,
    /// A year 2–6 years after `year`.
    Year2,
    /// A number in the given range.
    Num(i64, i64),
    /// A number with thousands separators.
    Big,
    /// An amount of euros.
    Amount,
}

fn parse_template(template: &'static str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        if i > 0 {
            segs.push(Seg::Text(&rest[..i]));
        }
        let after = &rest[i + 1..];
        let j = after.find('}').expect("a closed placeholder");
        segs.push(match &after[..j] {
            "owner" => Seg::Owner,
            "city" => Seg::City,
            "region" => Seg::Region,
            "country" => Seg::Country,
            "head" => Seg::Head,
            "sector" => Seg::Sector,
            "market" => Seg::Market,
            "topic" => Seg::Topic,
            "year" => Seg::Year,
            "year2" => Seg::Year2,
            "n" => Seg::Num(12, 480),
            "days" => Seg::Num(10, 45),
            "weeks" => Seg::Num(6, 16),
            "months" => Seg::Num(3, 18),
            "people" => Seg::Num(14, 65),
            "small" => Seg::Num(2, 9),
            "pct" => Seg::Num(12, 85),
            "big" => Seg::Big,
            "amount" => Seg::Amount,
            other => panic!("unknown placeholder {{{other}}} in a phrase bank"),
        });
        rest = &after[j + 1..];
    }
    if !rest.is_empty() {
        segs.push(Seg::Text(rest));
    }
    segs
}

/// Hashes the address and length of a static template (there are a few hundred).
#[derive(Default)]
struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type Parsed = std::collections::HashMap<
    (usize, usize),
    std::rc::Rc<[Seg]>,
    std::hash::BuildHasherDefault<AddressHasher>,
>;

thread_local! {
    /// Each template parsed once (the phrase banks are static, so their addresses are stable).
    static PARSED: std::cell::RefCell<Parsed> = std::cell::RefCell::new(Parsed::default());
}

/// Appends `template` with its `{placeholders}` filled in.
fn expand(out: &mut String, template: &'static str, cx: &Ctx, rng: &mut Rng) {
    let segs = PARSED.with_borrow_mut(|parsed| {
        parsed
            .entry((template.as_ptr() as usize, template.len()))
            .or_insert_with(|| parse_template(template).into())
            .clone()
    });
    for seg in segs.iter() {
        match *seg {
            Seg::Text(t) => out.push_str(t),
            Seg::Owner => out.push_str(cx.owner),
            Seg::City => out.push_str(cx.city),
            Seg::Region => out.push_str(cx.region),
            Seg::Country => out.push_str(cx.country),
            Seg::Head => out.push_str(cx.head),
            Seg::Sector => out.push_str(cx.sector),
            Seg::Market => out.push_str(cx.market),
            Seg::Topic => out.push_str(cx.topic),
            Seg::Year => push_int(out, cx.year as u64),
            Seg::Year2 => push_int(out, (cx.year as i64 + rng.range(2, 6)) as u64),
            Seg::Num(lo, hi) => push_int(out, rng.range(lo, hi) as u64),
            Seg::Big => push_grouped(out, rng.range(150, 4800) as u64),
            Seg::Amount => {
                out.push_str("EUR ");
                push_grouped(out, rng.range(150, 12_000) as u64 * 1000);
            }
        }
    }
}

/// Appends a number in decimal.
fn push_int(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("digits"));
}

/// Appends a number with thousands separators (12,000).
fn push_grouped(out: &mut String, n: u64) {
    if n >= 1000 {
        push_grouped(out, n / 1000);
        let r = n % 1000;
        out.push(',');
        out.push((b'0' + (r / 100) as u8) as char);
        out.push((b'0' + (r / 10 % 10) as u8) as char);
        out.push((b'0' + (r % 10) as u8) as char);
    } else {
        push_int(out, n);
    }
}

fn expanded(template: &'static str, cx: &Ctx, rng: &mut Rng) -> String {
    built(|s| expand(s, template, cx, rng))
}

thread_local! {
    /// One buffer to build texts in, so that each stored text is allocated once at its size.
    static SCRATCH: std::cell::RefCell<String> = std::cell::RefCell::new(String::with_capacity(4096));
}

/// The text `build` writes, in a string of exactly its size.
fn built(build: impl FnOnce(&mut String)) -> String {
    SCRATCH.with_borrow_mut(|s| {
        s.clear();
        build(s);
        s.as_str().to_owned()
    })
}

/// Fills in a `{city}`/`{region}` pattern (no randomness).
fn pattern(template: &'static str, city: &str, region: &str) -> String {
    let cx = Ctx {
        city,
        region,
        ..Ctx::default()
    };
    built(|s| expand(s, template, &cx, &mut Rng(0)))
}

// ---------------------------------------------------------------------------------------------
// The generator

struct ProjectInfo {
    id: ProjectId,
    start: Date,
    end: Date,
    phase1_end: Date,
    /// Indices into `partners` (the regional ones: not advisory).
    regional: Vec<usize>,
    lead: Option<usize>,
    meetings: std::ops::Range<usize>,
    /// Meetings where practices are presented.
    presenting: Vec<usize>,
    practices: std::ops::Range<usize>,
}

struct PartnerInfo {
    region: usize,
    city: &'static str,
}

struct Generator {
    seed: u64,
    counts: Counts,
    projects: Vec<ProjectInfo>,
    partners: Vec<PartnerInfo>,
    /// The regions' names as web slugs.
    slugs: Vec<String>,
    /// The projects, partners and criteria sets (a few hundred at a million records).
    project_records: Vec<Project>,
    partner_records: Vec<Partner>,
    criteria_sets: Vec<CriteriaSet>,
    /// By meeting: what a practice presented there says of it (meetings where practices are
    /// presented only).
    shown: Vec<Option<Box<Shown>>>,
    /// By meeting: the practices presented there, by index.
    meeting_practices: Vec<Vec<u32>>,
    /// By practice: its status (actions prefer validated practices).
    practice_status: Vec<PracticeStatus>,
    schemes: Vec<VoucherScheme>,
    /// By scheme: the vouchers an SME may hold a year.
    per_year: Vec<usize>,
}

/// Splits `total` into `parts` nearly equal shares, returned as ranges.
fn ranges(total: usize, parts: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for p in 0..parts {
        let n = total / parts + usize::from(p < total % parts);
        out.push(start..start + n);
        start += n;
    }
    out
}

impl Generator {
    fn rng(&self, stream: u64, index: usize) -> Rng {
        Rng::for_record(self.seed, stream, index)
    }

    fn projects_and_partners(&mut self) {
        let c = self.counts;
        let sizes: Vec<usize> = if c.projects == 0 {
            Vec::new()
        } else if c.partners == (0..c.projects).map(partners_of_project).sum::<usize>() {
            (0..c.projects).map(partners_of_project).collect()
        } else {
            ranges(c.partners, c.projects)
                .into_iter()
                .map(|r| r.len())
                .collect()
        };
        for (p, size) in sizes.into_iter().enumerate() {
            let mut rng = self.rng(stream::PROJECT, p);
            let pid = ProjectId(id("prj", p));
            let (acronym, title) = PROJECTS[p % PROJECTS.len()];
            let acronym = if p < PROJECTS.len() {
                acronym.to_string()
            } else {
                format!("{acronym} {}", p / PROJECTS.len() + 1)
            };
            let months = *rng.pick(&[36, 48, 60]);
            let phase1 = match months {
                36 => 24,
                48 => 30,
                _ => 36,
            };
            let start = date(rng.range(2015, 2021) as i32, rng.range(1, 12) as u32, 1);
            let end = start.add_months(months).add_days(-1);
            let phase1_end = start.add_months(phase1).add_days(-1);
            let total = rng.range(1_000_000_00, 2_600_000_00);
            let rate = Percent(rng.range(8000, 8500));
            // The partners: distinct regions, the first one leads, a ninth one advises.
            let first = self.partner_records.len();
            let (regions, k) = rng.distinct(REGIONS.len(), size);
            let mut regional = Vec::with_capacity(size);
            let mut countries: Vec<&str> = Vec::new();
            for (i, &r) in regions[..k].iter().enumerate() {
                let index = self.partner_records.len();
                let mut prng = self.rng(stream::PARTNER, index);
                let advisory = size >= 9 && i == size - 1;
                let region = &REGIONS[r as usize];
                let city = *prng.pick(region.cities);
                let role = if i == 0 {
                    PartnerRole::Lead
                } else if advisory {
                    PartnerRole::Advisory
                } else {
                    PartnerRole::Partner
                };
                let partner = if advisory {
                    let (org, short, cc, reg, nuts, acity) = *prng.pick(ADVISORY);
                    Partner {
                        source: String::new(),
                        id: PartnerId(id("org", index)),
                        project: pid.clone(),
                        organisation: org.into(),
                        short_name: short.into(),
                        country: cc.into(),
                        region: reg.into(),
                        nuts2: nuts.into(),
                        city: acity.into(),
                        role,
                        policy_instrument: String::new(),
                        website: String::new(),
                    }
                } else {
                    let known = KNOWN_ORGS.iter().find(|(c, _, _)| *c == city);
                    let (organisation, short_name) = match known {
                        Some((_, org, short)) if prng.chance(60) => {
                            (org.to_string(), short.to_string())
                        }
                        _ => {
                            let org = pattern(prng.one(ORG_PATTERNS), city, region.name);
                            let short = initials(&org);
                            (org, short)
                        }
                    };
                    regional.push(index);
                    if !countries.contains(&region.cc) {
                        countries.push(region.cc);
                    }
                    Partner {
                        source: String::new(),
                        id: PartnerId(id("org", index)),
                        project: pid.clone(),
                        organisation,
                        short_name,
                        country: region.cc.into(),
                        region: region.name.into(),
                        nuts2: region.nuts2.into(),
                        city: city.into(),
                        role,
                        policy_instrument: region.instrument.into(),
                        website: String::new(),
                    }
                };
                self.partner_records.push(partner);
                self.partners.push(PartnerInfo {
                    region: r as usize,
                    city,
                });
            }
            let names: Vec<&str> = countries.iter().map(|c| country_name(c)).collect();
            let summary = format!(
                "{} partners from {} exchange experience on public support for the internationalisation of SMEs, \
                 identify good practices and improve {} policy instruments through regional action plans.",
                k,
                join_names(&names),
                regional.len()
            );
            self.project_records.push(Project {
                source: String::new(),
                id: pid.clone(),
                acronym: acronym.clone(),
                title: title.into(),
                programme: "Interreg Europe".into(),
                start: Some(start),
                end: Some(end),
                phases: vec![
                    Phase {
                        name: "Phase 1 – exchange of experience".into(),
                        start,
                        end: phase1_end,
                    },
                    Phase {
                        name: "Phase 2 – monitoring of the action plans".into(),
                        start: phase1_end.add_days(1),
                        end,
                    },
                ],
                total_budget: Some(Money(total)),
                erdf_amount: Some(Money(total).times_percent_floor(rate)),
                erdf_rate: Some(rate),
                lead_partner: (k > 0).then(|| PartnerId(id("org", first))),
                summary,
                website: format!(
                    "https://www.interregeurope.eu/{}",
                    acronym.to_lowercase().replace([' ', '+'], "-")
                ),
            });
            self.projects.push(ProjectInfo {
                id: pid,
                start,
                end,
                phase1_end,
                regional,
                lead: (k > 0).then_some(first),
                meetings: 0..0,
                presenting: Vec::new(),
                practices: 0..0,
            });
        }
    }

    fn criteria_sets(&mut self) {
        let d = |x: i64| Decimal1(x);
        let scale = |min: i64, max: i64, step: i64, points: &[(i64, &str)]| Scale {
            min: d(min),
            max: d(max),
            step: d(step),
            points: points
                .iter()
                .map(|(v, m)| ScalePoint {
                    value: d(*v),
                    meaning: (*m).into(),
                })
                .collect(),
        };
        let five = [
            (10, "poor"),
            (20, "fair"),
            (30, "good"),
            (40, "very good"),
            (50, "excellent"),
        ];
        let criterion = |code: &str,
                         label: &str,
                         description: &str,
                         weight: i64,
                         scale: Scale,
                         pass: Option<i64>,
                         elim: bool| Criterion {
            code: code.into(),
            label: label.into(),
            description: description.into(),
            weight: Percent(weight),
            scale,
            pass_threshold: pass.map(d),
            eliminatory: elim,
        };
        let mut sets = vec![
            CriteriaSet {
                id: CriteriaSetId(id("crit", 0)),
                name: "TRAM (Interreg Europe)".into(),
                description: "The programme's four questions on a good practice, equally weighted, scored 1–5.".into(),
                criteria: vec![
                    criterion("T", "Transferability", "Could other regions take it over?", 100, scale(10, 50, 10, &five), None, false),
                    criterion("R", "Results (effectiveness)", "Tangible and measurable results", 100, scale(10, 50, 10, &five), None, false),
                    criterion("A", "Sustainability", "Will it last beyond its first funding?", 100, scale(10, 50, 10, &five), None, false),
                    criterion("M", "Innovation", "Is it new for the regions of the partnership?", 100, scale(10, 50, 10, &five), None, false),
                ],
                pass_mark: None,
            },
            CriteriaSet {
                id: CriteriaSetId(id("crit", 1)),
                name: "Weighted merit (Portugal 2030 style)".into(),
                description: "Merit = 0.40·A + 0.30·B + 0.30·C on 1–5; eligible at 3.00 or more.".into(),
                criteria: vec![
                    criterion("A", "Quality and relevance", "", 40, scale(10, 50, 10, &five), None, false),
                    criterion("B", "Impact on internationalisation", "", 30, scale(10, 50, 10, &five), None, false),
                    criterion("C", "Transferability to partner regions", "", 30, scale(10, 50, 10, &five), None, false),
                ],
                pass_mark: Some(d(30)),
            },
            CriteriaSet {
                id: CriteriaSetId(id("crit", 2)),
                name: "0–5 descriptive scale".into(),
                description: "Each criterion scored from 0 (fails) to 5 (excellent) with one decimal.".into(),
                criteria: vec![
                    criterion("REL", "Relevance to SME internationalisation", "", 100,
                        scale(0, 50, 1, &[(0, "fails to address the criterion"), (10, "poor"), (20, "fair"), (30, "good"), (40, "very good"), (50, "excellent")]),
                        Some(25), true),
                    criterion("EVI", "Evidence of success", "", 100, scale(0, 50, 1, &[]), None, false),
                    criterion("TRA", "Potential for transfer", "", 100, scale(0, 50, 1, &[]), None, false),
                    criterion("INN", "Innovation", "", 50, scale(0, 50, 1, &[]), None, false),
                ],
                pass_mark: Some(d(30)),
            },
            CriteriaSet {
                id: CriteriaSetId(id("crit", 3)),
                name: "1–9 expert panel".into(),
                description: "RAND/UCLA-style panel: appropriateness and feasibility on 1–9.".into(),
                criteria: vec![
                    criterion("APP", "Appropriateness", "", 100, scale(10, 90, 10, &[]), None, false),
                    criterion("FEA", "Feasibility in the partner regions", "", 100, scale(10, 90, 10, &[]), None, false),
                ],
                pass_mark: Some(d(70)),
            },
        ];
        sets.truncate(self.counts.criteria_sets);
        self.criteria_sets = sets;
    }

    fn meetings(&mut self, sink: &mut dyn FnMut(Record)) {
        use MeetingKind::*;
        const PHASE1: &[(MeetingKind, usize)] = &[
            (StudyVisit, 24),
            (ItfMeeting, 16),
            (ThematicWorkshop, 12),
            (SteeringCommittee, 8),
            (RsgMeeting, 14),
            (InHouseLearning, 8),
            (Webinar, 6),
            (ThematicVisit, 5),
            (InterregionalMeeting, 4),
            (PartnerMeeting, 3),
        ];
        const PHASE2: &[(MeetingKind, usize)] = &[
            (RsgMeeting, 30),
            (SteeringCommittee, 12),
            (PeerReview, 8),
            (Webinar, 12),
            (InHouseLearning, 10),
            (PartnerMeeting, 8),
            (InterregionalMeeting, 8),
            (ThematicVisit, 6),
            (StudyVisit, 6),
        ];
        let w1: Vec<usize> = PHASE1.iter().map(|x| x.1).collect();
        let w2: Vec<usize> = PHASE2.iter().map(|x| x.1).collect();
        let split = ranges(self.counts.meetings, self.projects.len().max(1));
        for (p, range) in split.into_iter().enumerate().take(self.projects.len()) {
            let m = range.len();
            let (start, end, phase1_end) = (
                self.projects[p].start,
                self.projects[p].end,
                self.projects[p].phase1_end,
            );
            let span = (end.days() - start.days()) as usize;
            let mut numbers = [0u32; 16];
            let mut presenting = Vec::new();
            let mut shown = Vec::new();
            for (i, index) in range.clone().enumerate() {
                let mut rng = self.rng(stream::MEETING, index);
                let info = &self.projects[p];
                // Evenly spread over the project, with some jitter; kick-off first, conference last.
                let slot = (span.saturating_sub(60)) / m.max(1);
                let day = start.add_days((30 + i * slot + rng.below(slot.max(1))) as i32);
                let kind = if i == 0 {
                    KickOff
                } else if i == m - 1 && m > 2 {
                    FinalConference
                } else if !day.after(phase1_end) {
                    PHASE1[rng.weighted(&w1)].0
                } else {
                    PHASE2[rng.weighted(&w2)].0
                };
                numbers[kind as usize] += 1;
                let number = numbers[kind as usize];
                let host = if info.regional.is_empty() {
                    None
                } else {
                    Some(info.regional[rng.below(info.regional.len())])
                };
                let (city, region, cc) = match host {
                    Some(h) => (
                        self.partners[h].city,
                        REGIONS[self.partners[h].region].name,
                        REGIONS[self.partners[h].region].cc,
                    ),
                    None => {
                        let r = rng.pick(REGIONS);
                        (r.cities[0], r.name, r.cc)
                    }
                };
                let mode = match kind {
                    Webinar => MeetingMode::Online,
                    StudyVisit | ThematicVisit | KickOff | FinalConference => {
                        [MeetingMode::InPerson, MeetingMode::Hybrid][rng.weighted(&[85, 15])]
                    }
                    _ => [
                        MeetingMode::InPerson,
                        MeetingMode::Hybrid,
                        MeetingMode::Online,
                    ][rng.weighted(&[75, 15, 10])],
                };
                let topic = *rng.pick(TOPICS);
                let host_short = host.map_or("", |h| self.partner_records[h].short_name.as_str());
                let mut title = match kind {
                    KickOff => format!("Kick-off meeting in {city}"),
                    ThematicWorkshop => {
                        format!("Interregional thematic workshop {number}: {topic}")
                    }
                    StudyVisit => format!("Study visit {number} in {city}"),
                    ItfMeeting => format!("ITF meeting {number} in {city}"),
                    SteeringCommittee => format!("Steering committee {number}, {city}"),
                    RsgMeeting => format!("RSG meeting {number} in {region}"),
                    InHouseLearning => format!(
                        "In-house learning meeting at {}",
                        if host_short.is_empty() {
                            city
                        } else {
                            host_short
                        }
                    ),
                    Webinar => format!("Webinar: {topic}"),
                    ThematicVisit => format!("Thematic visit to {city}"),
                    InterregionalMeeting => format!("Interregional meeting in {city}"),
                    PartnerMeeting => format!("Partner meeting in {city}"),
                    PeerReview => format!("Peer review of the {region} action plan"),
                    FinalConference => format!("Final conference in {city}"),
                };
                if mode == MeetingMode::Online && kind != Webinar {
                    title.push_str(" (online)");
                }
                let cx = Ctx {
                    city,
                    region,
                    topic,
                    ..Ctx::default()
                };
                let length = match kind {
                    StudyVisit | KickOff | ThematicWorkshop => rng.range(1, 2),
                    Webinar | RsgMeeting | InHouseLearning | ItfMeeting => 0,
                    _ => rng.range(0, 1),
                } as i32;
                let (online, persons) = (
                    mode == MeetingMode::Online,
                    host.map_or(people(cc), |h| people(&self.partner_records[h].country)),
                );
                let (agenda_bank, minutes_bank) = if online {
                    (AGENDA_ONLINE, MINUTES_ONLINE)
                } else {
                    (AGENDA, MINUTES)
                };
                let n_items = rng.range(3, 5) as usize;
                let (mut items, _) = rng.distinct(agenda_bank.len(), n_items);
                items[..n_items].sort_unstable();
                let times = ["09:00", "09:30", "11:00", "14:00", "16:00"];
                let agenda = items[..n_items]
                    .iter()
                    .enumerate()
                    .map(|(t, &a)| AgendaItem {
                        time: times[t].into(),
                        title: expanded(agenda_bank[a as usize], &cx, &mut rng),
                        presenter: if rng.chance(50) {
                            rng.one(persons).to_string()
                        } else {
                            String::new()
                        },
                    })
                    .collect();
                let attendance = if let (RsgMeeting, Some(h)) = (kind, host)
                    && self.counts.stakeholders > 0
                {
                    // The host's stakeholder group, and a guest now and then.
                    let n = rng.range(2, STAKEHOLDERS_PER_PARTNER as i64) as usize;
                    let (picked, _) = rng.distinct(STAKEHOLDERS_PER_PARTNER, n);
                    let mut people: Vec<Attendee> = picked[..n]
                        .iter()
                        .map(|j| Attendee {
                            stakeholder: Some(StakeholderId(id(
                                "sh",
                                h * STAKEHOLDERS_PER_PARTNER + *j as usize,
                            ))),
                            ..Attendee::guest("", "", None)
                        })
                        .collect();
                    if rng.chance(30) {
                        people.push(Attendee::guest(
                            rng.one(persons),
                            "Managing Authority of the regional programme",
                            None,
                        ));
                    }
                    people
                } else if info.regional.is_empty() {
                    Vec::new()
                } else {
                    let n = rng.range(3, 8) as usize;
                    (0..n)
                        .map(|a| {
                            let pi = info.regional[(a + rng.below(2)) % info.regional.len()];
                            let partner = &self.partner_records[pi];
                            Attendee::guest(
                                rng.one(people(&partner.country)),
                                &partner.organisation,
                                Some(partner.id.clone()),
                            )
                        })
                        .collect()
                };
                let n_sentences = rng.range(2, 4) as usize;
                let (mut picked, _) = rng.distinct(minutes_bank.len(), n_sentences);
                picked[..n_sentences].sort_unstable();
                let minutes = built(|minutes| {
                    for (s, &k) in picked[..n_sentences].iter().enumerate() {
                        if s > 0 {
                            minutes.push(' ');
                        }
                        expand(minutes, minutes_bank[k as usize], &cx, &mut rng);
                    }
                });
                let decisions = (0..rng.below(3))
                    .map(|_| expanded(rng.one(DECISIONS), &cx, &mut rng))
                    .collect();
                let lead_short = info.lead.map_or("Lead partner", |l| {
                    self.partner_records[l].short_name.as_str()
                });
                let follow_ups = (0..rng.below(3))
                    .map(|_| FollowUp {
                        action: expanded(rng.one(FOLLOW_UPS), &cx, &mut rng),
                        owner: if host_short.is_empty() {
                            lead_short.to_string()
                        } else {
                            host_short.to_string()
                        },
                        due: Some(day.add_days(rng.range(14, 60) as i32)),
                        done: rng.chance(60),
                    })
                    .collect();
                if matches!(
                    kind,
                    StudyVisit | ThematicWorkshop | ThematicVisit | InterregionalMeeting
                ) {
                    presenting.push(index);
                }
                let meeting = Meeting {
                    source: String::new(),
                    id: MeetingId(id("mtg", index)),
                    project: info.id.clone(),
                    title,
                    kind,
                    mode,
                    host: host.map(|h| self.partner_records[h].id.clone()),
                    city: if online {
                        String::new()
                    } else {
                        city.to_string()
                    },
                    country: if online {
                        String::new()
                    } else {
                        cc.to_string()
                    },
                    start: day,
                    end: (length > 0).then(|| day.add_days(length)),
                    agenda,
                    attendance,
                    minutes: Prose::new(&minutes),
                    practices: self
                        .meeting_practices
                        .get(index)
                        .map_or_else(Vec::new, |v| {
                            v.iter()
                                .map(|i| PracticeId(id("gp", *i as usize)))
                                .collect()
                        }),
                    decisions,
                    follow_ups,
                };
                if presenting.last() == Some(&index) {
                    shown.push(Shown {
                        start: meeting.start,
                        last: meeting.last_day(),
                        kind: meeting.kind,
                        title: meeting.title.as_str().into(),
                    });
                }
                sink(meeting.into());
            }
            if self.shown.len() < range.end {
                self.shown.resize_with(range.end, || None);
            }
            for (m, s) in presenting.iter().zip(shown) {
                self.shown[*m] = Some(Box::new(s));
            }
            self.projects[p].meetings = range;
            self.projects[p].presenting = presenting;
        }
    }

    /// Stakeholder `i`: of partner `i / STAKEHOLDERS_PER_PARTNER`'s group, a helix type of
    /// each side first, an organisation of its region, a person (or now and then the
    /// organisation alone), and contact details for those who consented (about 60 %).
    fn stakeholder(&self, i: usize) -> Stakeholder {
        let mut rng = self.rng(stream::STAKEHOLDER, i);
        let p = i / STAKEHOLDERS_PER_PARTNER;
        let partner = &self.partner_records[p];
        let info = &self.partners[p];
        let slot = i % STAKEHOLDERS_PER_PARTNER;
        let helix = if slot < Helix::ALL.len() {
            Helix::ALL[slot]
        } else {
            *rng.pick(Helix::ALL)
        };
        let cx = Ctx {
            city: info.city,
            region: REGIONS[info.region].name,
            ..Ctx::default()
        };
        let organisation = expanded(rng.one(STAKEHOLDER_ORGS[helix as usize]), &cx, &mut rng);
        let person = !rng.chance(15);
        let name = if person {
            rng.one(people(&partner.country)).to_string()
        } else {
            String::new()
        };
        let consent = (person && rng.chance(60)).then(|| {
            let project = self
                .projects
                .iter()
                .find(|x| x.id == partner.project)
                .map_or(date(2016, 1, 1), |x| x.start);
            project.add_days(rng.range(10, 400) as i32)
        });
        let (email, phone) = match consent {
            Some(_) => (
                built(|e| {
                    e.push_str(&slugify(&name, 40).replace('-', "."));
                    e.push('@');
                    // The organisation's first two words make the domain.
                    let domain = slugify(&organisation, 40);
                    let mut words = domain.split('-').take(2);
                    e.push_str(words.next().unwrap_or("org"));
                    for w in words {
                        e.push('-');
                        e.push_str(w);
                    }
                    e.push_str(".example.org");
                }),
                if rng.chance(70) {
                    format!("+{} 555 {:04}", 30 + p % 60, rng.below(10_000))
                } else {
                    String::new()
                },
            ),
            None => (String::new(), String::new()),
        };
        Stakeholder {
            id: StakeholderId(id("sh", i)),
            partner: partner.id.clone(),
            organisation,
            name,
            helix,
            role: if person {
                rng.one(STAKEHOLDER_ROLES).to_string()
            } else {
                String::new()
            },
            email,
            phone,
            consent,
            erased: None,
        }
    }

    /// Transfer `i`: partner `i / TRANSFERS_PER_PARTNER`'s region takes in a practice of its
    /// project (worked out again, not held) into its programme, with a stage history that runs
    /// forward from interest and ends before 2025, now and then dropped with the reason.
    fn transfer(&self, i: usize) -> Transfer {
        use TransferStage::*;
        let mut rng = self.rng(stream::TRANSFER, i);
        let pi = i / TRANSFERS_PER_PARTNER;
        let partner = &self.partner_records[pi];
        let region = &REGIONS[self.partners[pi].region];
        let p = self
            .projects
            .iter()
            .position(|x| x.id == partner.project)
            .unwrap_or(0);
        let info = &self.projects[p];
        let index = if info.practices.is_empty() {
            rng.below(self.counts.practices.max(1))
        } else {
            info.practices.start + rng.below(info.practices.len())
        };
        let project = self
            .projects
            .iter()
            .position(|x| x.practices.contains(&index))
            .unwrap_or(p);
        let (practice, _) = self.practice(project, index);
        let mut day = info.start.add_days(rng.range(200, 600) as i32);
        let last = date(2024, 12, 31);
        let steps = rng.range(1, 4) as usize;
        let mut stages = Vec::new();
        for stage in [Interest, Studied, Adapted, Adopted]
            .into_iter()
            .take(steps)
        {
            if day.after(last) {
                break;
            }
            stages.push(StageStep {
                on: day,
                stage,
                note: String::new(),
            });
            day = day.add_days(rng.range(60, 300) as i32);
        }
        if stages.last().is_some_and(|s| s.stage != Adopted) && rng.chance(12) && !day.after(last) {
            stages.push(StageStep {
                on: day,
                stage: Dropped,
                note: rng.one(DROP_REASONS).to_string(),
            });
        }
        let adopted = stages.last().is_some_and(|s| s.stage == Adopted);
        let result = (adopted || rng.chance(40)).then(|| *rng.pick(TransferResult::ALL));
        Transfer {
            id: TransferId(id("tr", i)),
            title: built(|t| {
                t.push_str(&practice.title);
                t.push_str(" in ");
                t.push_str(region.name);
            }),
            practice: practice.id,
            partner: partner.id.clone(),
            instrument: region.instrument.to_string(),
            action: None,
            stages,
            evidence: String::new(),
            links: Vec::new(),
            result,
            source: String::new(),
        }
    }

    fn practices(&mut self, sink: &mut dyn FnMut(Record)) {
        self.meeting_practices = vec![Vec::new(); self.counts.meetings];
        let split = ranges(self.counts.practices, self.projects.len().max(1));
        for (p, range) in split.into_iter().enumerate().take(self.projects.len()) {
            for index in range.clone() {
                let (practice, listed) = self.practice(p, index);
                self.practice_status.push(practice.status);
                if let Some(m) = listed {
                    self.meeting_practices[m].push(index as u32);
                }
                sink(practice.into());
            }
            self.projects[p].practices = range;
        }
    }

    /// Practice `index` of project `p`, and the meeting that lists it among those presented.
    fn practice(&self, p: usize, index: usize) -> (Practice, Option<usize>) {
        use PracticeStatus::*;
        let mut rng = self.rng(stream::PRACTICE, index);
        let info = &self.projects[p];
        let partner =
            (!info.regional.is_empty()).then(|| info.regional[rng.below(info.regional.len())]);
        let region_index =
            partner.map_or_else(|| rng.below(REGIONS.len()), |pi| self.partners[pi].region);
        let region = &REGIONS[region_index];
        let city = match partner {
            Some(pi) if rng.chance(60) => self.partners[pi].city,
            _ => *rng.pick(region.cities),
        };
        let level = [
            ImplementationLevel::National,
            ImplementationLevel::Regional,
            ImplementationLevel::Local,
        ][rng.weighted(&[30, 45, 25])];
        let (owner, domain): (String, Option<&str>) = match level {
            ImplementationLevel::National => {
                let national = || NATIONAL_OWNERS.iter().filter(|o| o.0 == region.cc);
                let &(_, org, dom) = national()
                    .nth(rng.below(national().count()))
                    .expect("a national body");
                (org.to_string(), Some(dom))
            }
            ImplementationLevel::Regional => {
                (pattern(rng.one(REGIONAL_OWNERS), city, region.name), None)
            }
            ImplementationLevel::Local => (pattern(rng.one(LOCAL_OWNERS), city, region.name), None),
        };
        let (head, head_lc, sub_theme, head_keywords) = HEADS[rng.below(HEADS.len())];
        let place = if rng.chance(70) { city } else { region.name };
        let target = (!head.contains(" for ") && rng.chance(70)).then(|| rng.one(TARGETS));
        let mut title = built(|title| {
            title.push_str(head);
            if let Some(target) = target {
                title.push(' ');
                title.push_str(target);
            }
            title.push_str(" in ");
            title.push_str(place);
        });
        if title.chars().count() > crate::model::validate::MAX_PRACTICE_TITLE {
            title = format!("{head} in {city}");
        }
        let sector = *rng.pick(SECTORS);
        let market = *rng.pick(MARKETS);
        let year = (info.start.year() - rng.range(1, 10) as i32).max(2004);
        let cx = Ctx {
            owner: &owner,
            city,
            region: region.name,
            country: country_name(region.cc),
            head: head_lc,
            sector,
            market,
            topic: "",
            year,
        };
        // The summary: two sentences, about 300 characters.
        let mut summary = built(|summary| {
            expand(summary, rng.one(SUMMARIES), &cx, &mut rng);
            summary.push(' ');
            expand(summary, rng.one(SUMMARY_TAILS), &cx, &mut rng);
        });
        uppercase_first(&mut summary);
        let description = description(&cx, &mut rng);
        let mut keywords: Vec<String> = Vec::with_capacity(5);
        let add_kw = |k: &str, keywords: &mut Vec<String>| {
            if !keywords.iter().any(|x| x == k) {
                keywords.push(k.to_string());
            }
        };
        add_kw(head_keywords[0], &mut keywords);
        add_kw(head_keywords[1], &mut keywords);
        add_kw(sector, &mut keywords);
        for _ in 0..rng.below(3) {
            add_kw(rng.one(KEYWORDS), &mut keywords);
        }
        // The status and the history that led to it.
        let meeting = if info.presenting.is_empty() {
            None
        } else {
            Some(info.presenting[rng.below(info.presenting.len())])
        };
        let status = match meeting {
            None => Identified,
            Some(_) => [
                Identified, Presented, Evaluated, Validated, InHandbook, Rejected,
            ][rng.weighted(&[12, 13, 15, 25, 22, 13])],
        };
        let country_people = people(region.cc);
        let by = *rng.pick(country_people);
        let partner_short = partner.map_or(owner.as_str(), |pi| {
            self.partner_records[pi].short_name.as_str()
        });
        let lead_person = info
            .lead
            .map_or(by, |l| *rng.pick(people(&self.partner_records[l].country)));
        let mut history = Vec::with_capacity(5);
        let step = |history: &mut Vec<StatusChange>,
                    at: Timestamp,
                    by: &str,
                    to: PracticeStatus,
                    reason: String| {
            let from = history.last().map(|h: &StatusChange| h.to);
            // Never earlier than the change before it (two changes on one day).
            let at = history
                .last()
                .map_or(at, |h: &StatusChange| Timestamp(at.0.max(h.at.0 + 60_000)));
            history.push(StatusChange {
                at,
                by: by.to_string(),
                from,
                to,
                reason,
                session: None,
            });
        };
        let shown = meeting.and_then(|m| self.shown.get(m)?.as_deref());
        let identified_on = match shown {
            Some(m) => m.start.add_days(-(rng.range(20, 200) as i32)),
            None => info.start.add_days(rng.range(30, 400) as i32),
        };
        step(
            &mut history,
            at(identified_on, &mut rng),
            by,
            Identified,
            format!("identified by {partner_short} in {}", region.name),
        );
        if let Some(m) = shown {
            if status != Identified {
                step(
                    &mut history,
                    at(m.start, &mut rng),
                    by,
                    Presented,
                    format!("presented at {}", m.title),
                );
            }
            let evaluated = m.last_day().add_days(rng.range(0, 1) as i32);
            let rejected_after_evaluation = rng.chance(75);
            if matches!(status, Evaluated | Validated | InHandbook)
                || (status == Rejected && rejected_after_evaluation)
            {
                step(
                    &mut history,
                    at(evaluated, &mut rng),
                    lead_person,
                    Evaluated,
                    format!(
                        "evaluated by the Interregional Task Force after the {}",
                        m.kind
                    ),
                );
            }
            let validated = evaluated.add_days(rng.range(30, 120) as i32);
            if matches!(status, Validated | InHandbook) {
                step(
                    &mut history,
                    at(validated, &mut rng),
                    lead_person,
                    Validated,
                    "validated by the partnership with the regional stakeholders".into(),
                );
            }
            if status == InHandbook {
                step(
                    &mut history,
                    at(validated.add_days(rng.range(30, 200) as i32), &mut rng),
                    lead_person,
                    InHandbook,
                    "included in the Good Practice Handbook".into(),
                );
            }
            if status == Rejected {
                let reason = rng.one(REJECT_REASONS).to_string();
                step(
                    &mut history,
                    at(evaluated.add_days(rng.range(1, 60) as i32), &mut rng),
                    lead_person,
                    Rejected,
                    reason,
                );
            }
        }
        let web_status = match status {
            InHandbook if rng.chance(70) => Some(WebStatus::ALL[rng.below(WebStatus::ALL.len())]),
            Validated if rng.chance(30) => Some(WebStatus::Submitted),
            _ => None,
        };
        let start = date(year, rng.range(1, 12) as u32, 1);
        let end = rng
            .chance(60)
            .then(|| date(year + rng.range(1, 6) as i32, rng.range(1, 12) as u32, 28));
        let website = match domain {
            Some(d) if rng.chance(80) => format!("https://www.{d}/en/programmes/{}", index + 1),
            None if rng.chance(50) => format!(
                "https://www.{}.eu/sme-internationalisation/{}",
                self.slugs[region_index],
                index + 1
            ),
            _ => String::new(),
        };
        let resources = expanded(rng.one(RESOURCES), &cx, &mut rng);
        let evidence = expanded(rng.one(EVIDENCE), &cx, &mut rng);
        let transfer_potential = expanded(rng.one(TRANSFER), &cx, &mut rng);
        let difficulties = expanded(rng.one(DIFFICULTIES), &cx, &mut rng);
        let practice = Practice {
            source: String::new(),
            id: PracticeId(id("gp", index)),
            project: info.id.clone(),
            title,
            owner,
            partner: partner.map(|pi| self.partner_records[pi].id.clone()),
            country: region.cc.into(),
            region: region.name.into(),
            city: city.into(),
            level: Some(level),
            sub_theme: Some(sub_theme),
            summary: summary.into(),
            description: description.into(),
            website,
            resources: resources.into(),
            evidence: evidence.into(),
            transfer_potential: transfer_potential.into(),
            difficulties: difficulties.into(),
            start: Some(start),
            end: end.filter(|e| !e.before(start)),
            keywords,
            status,
            history,
            web_status,
        };
        let listed = meeting.filter(|_| status != Identified);
        (practice, listed)
    }

    fn plans_and_actions(&self, emit: Emit, sink: &mut dyn FnMut(Record)) {
        let c = self.counts;
        let plan_split = ranges(c.action_plans, self.projects.len().max(1));
        let action_split = ranges(c.actions, c.action_plans.max(1));
        for (p, plans) in plan_split.into_iter().enumerate().take(self.projects.len()) {
            if self.projects[p].regional.is_empty() {
                continue;
            }
            for (k, plan_index) in plans.enumerate() {
                let mut rng = self.rng(stream::PLAN, plan_index);
                let info = &self.projects[p];
                let pi = info.regional[k % info.regional.len()];
                let partner = &self.partner_records[pi];
                let region = &REGIONS[self.partners[pi].region];
                let city = self.partners[pi].city;
                let actions = action_split.get(plan_index).cloned().unwrap_or(0..0);
                let kind = [
                    InstrumentKind::GrowthAndJobs,
                    InstrumentKind::TerritorialCooperation,
                    InstrumentKind::Other,
                ][rng.weighted(&[80, 10, 10])];
                let instrument = match kind {
                    InstrumentKind::GrowthAndJobs => region.instrument.to_string(),
                    InstrumentKind::TerritorialCooperation => region.etc.to_string(),
                    InstrumentKind::Other => {
                        format!("{} strategy for SME internationalisation", region.name)
                    }
                };
                let focus = *rng.pick(PLAN_FOCUS);
                let validated_on = rng
                    .chance(85)
                    .then(|| info.phase1_end.add_days(-(rng.range(0, 90) as i32)));
                let mut reports = Vec::new();
                if validated_on.is_some() {
                    let phase2_start = info.phase1_end.add_days(1);
                    let semesters =
                        ((info.end.days() - phase2_start.days()) / 182).clamp(0, 4) as usize;
                    for s in 0..rng.below(semesters + 1) {
                        let period_start = phase2_start.add_months(6 * s as i32);
                        let period_end = period_start.add_months(6).add_days(-1);
                        let due = period_end.add_months(3);
                        let last = s + 1 == semesters;
                        let progress = actions
                            .clone()
                            .take(3)
                            .map(|a| ActionProgress {
                                action: ActionId(id("act", a)),
                                status: if last {
                                    action_status(self.seed, a)
                                } else {
                                    ActionStatus::InProgress
                                },
                                note: if rng.chance(40) {
                                    "on schedule".into()
                                } else {
                                    String::new()
                                },
                            })
                            .collect();
                        let indicators = actions
                            .clone()
                            .take(1)
                            .map(|a| IndicatorValue {
                                action: ActionId(id("act", a)),
                                indicator: INDICATORS[a % INDICATORS.len()].into(),
                                value: (rng.range(2, 40) * (s as i64 + 1)).to_string(),
                            })
                            .collect();
                        reports.push(MonitoringReport {
                            period_start,
                            period_end,
                            due,
                            // Not yet sent when that day has not come.
                            submitted_on: rng
                                .chance(85)
                                .then(|| due.add_days(-(rng.range(0, 20) as i32)))
                                .filter(|on| !on.after(Date::today())),
                            summary: format!(
                                "Semester {} of phase 2: progress of the actions of {} on {focus}.",
                                s + 1,
                                partner.short_name
                            ),
                            progress,
                            indicators,
                        });
                    }
                }
                let plan = ActionPlan {
                    source: String::new(),
                    id: ActionPlanId(id("plan", plan_index)),
                    project: info.id.clone(),
                    partner: partner.id.clone(),
                    title: format!("{} action plan: {focus}", region.name),
                    instrument,
                    instrument_kind: kind,
                    validated_on,
                    validated_by: if validated_on.is_some() {
                        format!("Regional Stakeholder Group of {}", region.name)
                    } else {
                        String::new()
                    },
                    summary: format!(
                        "How {} will improve the policy instrument of {} with what the partnership learnt about {focus}.",
                        partner.organisation, region.name
                    ),
                    reports,
                };
                let mut plan = plan;
                for a in actions {
                    let action = self.action(p, plan_index, a, region, city, validated_on);
                    // A report's indicator values name indicators the action defines.
                    for report in &mut plan.reports {
                        for value in &mut report.indicators {
                            if value.action == action.id
                                && let Some(first) = action.indicators.first()
                            {
                                value.indicator = first.name.clone();
                            }
                        }
                    }
                    if emit == Emit::Actions {
                        sink(action.into());
                    }
                }
                if emit == Emit::Plans {
                    sink(plan.into());
                }
            }
        }
    }

    fn action(
        &self,
        p: usize,
        plan_index: usize,
        index: usize,
        region: &Region,
        city: &str,
        validated_on: Option<Date>,
    ) -> Action {
        let mut rng = self.rng(stream::ACTION, index);
        let info = &self.projects[p];
        let cx = Ctx {
            city,
            region: region.name,
            sector: rng.one(SECTORS),
            market: rng.one(MARKETS),
            ..Ctx::default()
        };
        let mut title = expanded(rng.one(ACTION_TITLES), &cx, &mut rng);
        uppercase_first(&mut title);
        // Inspired by one to three practices of the project, validated ones preferred.
        let mut inspired_by: Vec<PracticeId> = Vec::new();
        let pool = info.practices.clone();
        if !pool.is_empty() {
            let wanted = rng.range(1, 3) as usize;
            for _ in 0..wanted * 3 {
                if inspired_by.len() == wanted {
                    break;
                }
                let candidate = pool.start + rng.below(pool.len());
                let good = self.practice_status[candidate].reached(PracticeStatus::Validated);
                let candidate = PracticeId(id("gp", candidate));
                if (good || inspired_by.is_empty() && rng.chance(30))
                    && !inspired_by.contains(&candidate)
                {
                    inspired_by.push(candidate);
                }
            }
        }
        let background = match inspired_by.first() {
            Some(first) => {
                let (practice, _) = self.practice(p, first_index(first));
                format!(
                    "The action builds on the good practice “{}” of {}, seen during the exchange of experience, adapted to the conditions of {}.",
                    practice.title, practice.owner, region.name
                )
            }
            None => format!(
                "The action answers needs raised by the stakeholder group of {}.",
                region.name
            ),
        };
        let status = action_status(self.seed, index);
        let start = validated_on
            .unwrap_or(info.phase1_end)
            .add_days(rng.range(30, 240) as i32);
        let end = start.add_months(rng.range(12, 36) as i32);
        let n_indicators = rng.range(1, 2) as usize;
        let (ind, _) = rng.distinct(INDICATORS.len(), n_indicators);
        let indicators = ind[..n_indicators]
            .iter()
            .map(|&i| Indicator {
                name: INDICATORS[i as usize].into(),
                target: rng.range(10, 400).to_string(),
            })
            .collect();
        Action {
            source: String::new(),
            id: ActionId(id("act", index)),
            plan: ActionPlanId(id("plan", plan_index)),
            title,
            background,
            inspired_by,
            activities: expanded(rng.one(ACTIVITIES), &cx, &mut rng),
            players: format!(
                "Managing authority of the {}, regional development agency, chamber of commerce of {}",
                region.instrument, region.name
            ),
            start: Some(start),
            end: Some(end),
            costs: Some(Money(rng.range(20_000, 2_000_000) * 100)),
            funding: if rng.chance(70) {
                format!("ERDF through the {}", region.instrument)
            } else {
                "Regional budget".into()
            },
            indicators,
            status,
            status_reason: if status == ActionStatus::NotImplemented {
                rng.one(NOT_IMPLEMENTED).to_string()
            } else {
                String::new()
            },
        }
    }

    fn schemes(&mut self) {
        let c = self.counts;
        if c.schemes == 0 {
            return;
        }
        // Schemes, spread over the projects (three each), in the partners' countries.
        let scheme_split = ranges(c.schemes, self.projects.len().max(1));
        let mut per_year_of = Vec::with_capacity(c.schemes);
        for (p, range) in scheme_split
            .into_iter()
            .enumerate()
            .take(self.projects.len())
        {
            let info = &self.projects[p];
            let mut places: Vec<(usize, &'static str)> = Vec::new();
            for &pi in &info.regional {
                let r = self.partners[pi].region;
                if !places.iter().any(|(x, _)| REGIONS[*x].cc == REGIONS[r].cc) {
                    places.push((r, self.partners[pi].city));
                }
            }
            for (j, index) in range.enumerate() {
                let mut rng = self.rng(stream::SCHEME, index);
                let (r, _) = if places.is_empty() {
                    let r = rng.below(REGIONS.len());
                    (r, REGIONS[r].cities[0])
                } else {
                    places[j % places.len()]
                };
                let round = if places.is_empty() {
                    j
                } else {
                    j / places.len()
                };
                let scheme = scheme(&mut rng, index, &info.id, r, round, info.start.year());
                let per_year = per_year(&scheme);
                per_year_of.push(per_year);
                self.schemes.push(scheme);
            }
        }
        self.per_year = per_year_of;
    }

    /// The SMEs of every scheme and their voucher applications; `emit` says which are written.
    fn smes_and_vouchers(&self, emit: Emit, sink: &mut dyn FnMut(Record)) {
        let c = self.counts;
        if c.schemes == 0 {
            return;
        }
        let per_year_of = &self.per_year;
        // SMEs, shared out over the schemes; each SME applies to its own scheme only.
        let sme_split = ranges(c.smes, c.schemes);
        let mut voucher_split = Vec::with_capacity(c.schemes);
        {
            // Vouchers in proportion to the SMEs of each scheme.
            let mut given = 0;
            for r in &sme_split {
                let v = c.vouchers * r.len() / c.smes.max(1);
                voucher_split.push(v);
                given += v;
            }
            let mut k = 0;
            while given < c.vouchers {
                if !sme_split[k % c.schemes].is_empty() {
                    voucher_split[k % c.schemes] += 1;
                    given += 1;
                }
                k += 1;
            }
        }
        let mut next_voucher = 0;
        for (s, smes) in sme_split.into_iter().enumerate() {
            let scheme = &self.schemes[s];
            let cc = scheme.country.clone();
            let regions: Vec<usize> = (0..REGIONS.len())
                .filter(|&r| REGIONS[r].cc == cc)
                .collect();
            if emit == Emit::Smes {
                for index in smes.clone() {
                    let mut rng = self.rng(stream::SME, index);
                    let r = &REGIONS[regions[rng.below(regions.len())]];
                    sink(sme(&mut rng, index, r).into());
                }
                continue;
            }
            let n = smes.len();
            let (opens, closes) = (
                scheme.opens.expect("generated schemes open"),
                scheme.closes.expect("and close"),
            );
            let years = (closes.year() - opens.year() + 1) as usize;
            let per_year = per_year_of[s];
            let capacity = per_year * years;
            assert!(
                n * capacity >= voucher_split[s],
                "the SMEs of a scheme can hold its vouchers"
            );
            let mut taken = vec![0u8; n];
            let mut assign = self.rng(stream::ASSIGN, s);
            for _ in 0..voucher_split[s] {
                // Frequent exporters apply more often: half the picks go to the first fifth.
                let mut k = if assign.chance(50) {
                    assign.below(n.div_ceil(5))
                } else {
                    assign.below(n)
                };
                while taken[k] as usize >= capacity {
                    k = (k + 1) % n;
                }
                let j = taken[k] as usize;
                taken[k] += 1;
                let sme_index = smes.start + k;
                let offset = Rng::for_record(self.seed, stream::OFFSET, sme_index).below(years);
                let year = opens.year() + ((offset + j / per_year) % years) as i32;
                let mut rng = self.rng(stream::VOUCHER, next_voucher);
                let v = voucher(
                    &mut rng,
                    next_voucher,
                    scheme,
                    &SmeId(id("sme", sme_index)),
                    year,
                );
                sink(v.into());
                next_voucher += 1;
            }
        }
    }
}

fn first_index(id: &PracticeId) -> usize {
    id.as_str()[3..]
        .parse::<usize>()
        .expect("a generated practice id")
        - 1
}

fn action_status(seed: u64, index: usize) -> ActionStatus {
    let mut rng = Rng::for_record(seed, stream::ACTION_STATUS, index);
    ActionStatus::ALL[rng.weighted(&[15, 30, 30, 15, 10])]
}

fn uppercase_first(s: &mut String) {
    if let Some(c) = s.chars().next().filter(|c| c.is_lowercase()) {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(..c.len_utf8(), &upper);
    }
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => "several regions".into(),
        [one] => (*one).into(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The practice description: 2,000–2,500 characters in up to four paragraphs (context, approach,
/// results, lessons). Sentences are added until there are 2,000 characters, and no sentence is
/// near 500 characters long, so the text never passes 2,500.
fn description(cx: &Ctx, rng: &mut Rng) -> String {
    const MIN: usize = 2000;
    let mut chars = 0;
    let add =
        |out: &mut String, chars: &mut usize, template: &'static str, sep: &str, rng: &mut Rng| {
            let before = out.len();
            if before > 0 {
                out.push_str(sep);
            }
            expand(out, template, cx, rng);
            *chars += out[before..].chars().count();
        };
    let banks: [(&[&str], usize); 4] = [
        (CONTEXT, 2),
        (APPROACH, 4),
        (RESULTS, 2),
        (LESSONS, LESSONS.len()),
    ];
    let mut out = built(|out| {
        for (bank, take) in banks {
            let (order, k) = rng.distinct(bank.len(), take);
            for (i, &s) in order[..k].iter().enumerate() {
                if chars >= MIN {
                    break;
                }
                add(
                    out,
                    &mut chars,
                    bank[s as usize],
                    if i == 0 { "\n\n" } else { " " },
                    rng,
                );
            }
        }
        // Still short (it takes unusually short sentences): more of the approach.
        while chars < MIN {
            add(out, &mut chars, rng.one(APPROACH), " ", rng);
        }
    });
    uppercase_first(&mut out);
    out
}

/// How many applications an SME may make to the scheme in one year so that both caps hold
/// whatever the amounts (at most 2).
fn per_year(s: &VoucherScheme) -> usize {
    let by_count = s.max_vouchers_per_year.unwrap_or(2) as i64;
    let by_total = s
        .max_total_per_year
        .map_or(2, |t| t.0 / s.max_amount.0.max(1));
    by_count.min(by_total).clamp(1, 2) as usize
}

fn scheme(
    rng: &mut Rng,
    index: usize,
    project: &ProjectId,
    region_index: usize,
    round: usize,
    project_year: i32,
) -> VoucherScheme {
    let region = &REGIONS[region_index];
    let templates: Vec<&SchemeTemplate> = SCHEMES
        .iter()
        .filter(|t| t.key == region.nuts2 || t.key == region.cc)
        .collect();
    let y0 = (project_year + 1 + (index % 2) as i32).min(2023);
    let y1 = (y0 + rng.range(2, 4) as i32).min(2025).max(y0 + 2);
    let opens = date(y0, 1, rng.range(1, 20) as u32);
    let closes = date(y1, 12, rng.range(1, 20) as u32);
    let (name, issuer, rate, min, max, per_year, total, codes, notes): (
        String,
        String,
        i64,
        i64,
        i64,
        u32,
        i64,
        Vec<&str>,
        String,
    ) = match templates.get(round % templates.len().max(1)) {
        Some(t) => (
            t.name.into(),
            t.issuer.into(),
            t.rate,
            t.min,
            t.max,
            t.per_year,
            t.total,
            t.types.to_vec(),
            t.notes.into(),
        ),
        None => {
            let rate = *rng.pick(&[5000, 6000, 7000, 7500, 8000]);
            let min = *rng.pick(&[300_00, 500_00, 1_000_00]);
            let max = *rng.pick(&[5_000_00, 8_000_00, 10_000_00, 12_000_00, 15_000_00]);
            let per_year = rng.range(2, 3) as u32;
            let n_types = rng.range(4, 6) as usize;
            let (types, _) = rng.distinct(VOUCHER_TYPES.len(), n_types);
            let codes = types[..n_types]
                .iter()
                .map(|&t| VOUCHER_TYPES[t as usize].0)
                .collect();
            let (name, issuer) = if rng.chance(50) {
                (
                    format!("{} export voucher", region.name),
                    format!("{} Regional Development Agency", region.name),
                )
            } else {
                let national = NATIONAL_OWNERS
                    .iter()
                    .find(|o| o.0 == region.cc)
                    .map_or("National export agency", |o| o.1);
                (
                    format!(
                        "Internationalisation cheque for SMEs of {}",
                        country_name(region.cc)
                    ),
                    national.to_string(),
                )
            };
            let notes = format!(
                "Up to {}% co-financing, at most {per_year} vouchers a year per SME.",
                rate / 100
            );
            (
                name,
                issuer,
                rate,
                min,
                max,
                per_year,
                per_year as i64 * max,
                codes,
                notes,
            )
        }
    };
    let types = codes
        .iter()
        .map(|code| {
            let (code, tname, desc, tmin, tmax, participants) = *VOUCHER_TYPES
                .iter()
                .find(|t| t.0 == *code)
                .expect("a known type");
            let lo = tmin.map(|m| m.max(min)).filter(|m| *m > min);
            let hi = tmax.map(|m| m.min(max)).filter(|m| *m < max);
            let (lo, hi) = if lo.unwrap_or(min) > hi.unwrap_or(max) {
                (None, None)
            } else {
                (lo, hi)
            };
            VoucherType {
                code: code.into(),
                name: tname.into(),
                description: desc.into(),
                min_amount: lo.map(Money),
                max_amount: hi.map(Money),
                max_participants: participants,
            }
        })
        .collect();
    VoucherScheme {
        source: String::new(),
        id: SchemeId(id("sch", index)),
        project: Some(project.clone()),
        name: format!("{name} {y0}–{y1}"),
        issuer,
        country: region.cc.into(),
        opens: Some(opens),
        closes: Some(closes),
        rate: Percent(rate),
        min_amount: Money(min),
        max_amount: Money(max),
        max_vouchers_per_year: Some(per_year),
        max_total_per_year: Some(Money(total)),
        budget: Some(Money(rng.range(1, 24) * 500_000_00)),
        eligible_costs: "External services and fees for the activities of the voucher types; VAT is not eligible.".into(),
        vat_eligible: false,
        aid_regime: "de minimis".into(),
        notes,
        types,
    }
}

fn sme(rng: &mut Rng, index: usize, region: &Region) -> Sme {
    let cc = region.cc;
    let local: &[&str] = LOCAL_WORDS
        .iter()
        .find(|(c, _)| *c == cc)
        .map_or(&["Euro"][..], |(_, w)| *w);
    let (form, prefix) = LEGAL_FORMS
        .iter()
        .find(|(c, _, _)| *c == cc)
        .map_or(("Ltd", false), |(_, f, p)| (*f, *p));
    let stem = if rng.chance(65) {
        rng.one(local).to_string()
    } else {
        let person = rng.one(people(cc));
        person.rsplit(' ').next().unwrap_or(person).to_string()
    };
    let sector = rng.one(SME_SECTORS);
    let name = if prefix {
        format!("{form} {stem} {sector}")
    } else {
        format!("{stem} {sector} {form}")
    };
    let mut reg = String::with_capacity(16);
    let digits = |rng: &mut Rng, out: &mut String, n: usize| {
        for _ in 0..n {
            out.push((b'0' + rng.below(10) as u8) as char);
        }
    };
    match cc {
        "ES" => {
            reg.push('B');
            digits(rng, &mut reg, 8);
        }
        "PT" => {
            reg.push('5');
            digits(rng, &mut reg, 8);
        }
        "HU" => {
            let _ = write!(reg, "{:02}-09-", rng.range(1, 20));
            digits(rng, &mut reg, 6);
        }
        "PL" => {
            reg.push_str("0000");
            digits(rng, &mut reg, 6);
        }
        "LT" => {
            reg.push_str("30");
            digits(rng, &mut reg, 7);
        }
        "RO" => {
            let _ = write!(
                reg,
                "J{:02}/{}/{}",
                rng.range(1, 40),
                rng.range(100, 9999),
                rng.range(1995, 2020)
            );
        }
        "IT" | "HR" => digits(rng, &mut reg, 11),
        "SI" => digits(rng, &mut reg, 10),
        "BG" => digits(rng, &mut reg, 9),
        _ => digits(rng, &mut reg, 8),
    }
    Sme {
        id: SmeId(id("sme", index)),
        name,
        registration_number: reg,
        size: SmeSize::ALL[rng.weighted(&[50, 35, 15])],
        country: cc.into(),
        region: region.name.into(),
        city: rng.one(region.cities).to_string(),
    }
}

fn voucher(rng: &mut Rng, index: usize, scheme: &VoucherScheme, sme: &SmeId, year: i32) -> Voucher {
    use VoucherStatus::*;
    let t = &scheme.types[rng.below(scheme.types.len())];
    let (lo, hi) = scheme.bounds(&t.code);
    // Requested: within the type's bounds, in tens of euros; the eligible cost covers it at the rate.
    let requested = Money(lo.0 + 1000 * rng.below(((hi.0 - lo.0) / 1000 + 1) as usize) as i64);
    let rate = scheme.rate.0.max(1);
    let needed = (requested.0 * 10_000 + rate - 1) / rate;
    let eligible =
        Money((needed + rng.below((needed * 2 / 5 + 1) as usize) as i64 + 99) / 100 * 100);
    debug_assert!(requested <= eligible.times_percent_floor(scheme.rate));
    // Event vouchers (delegations, forums) name the people who travel, up to the type's number.
    let participants: Vec<String> = match t.max_participants {
        Some(max) => {
            let n = rng.range(1, i64::from(max.max(1)));
            let mut names: Vec<String> = (0..n)
                .map(|_| rng.one(people(&scheme.country)).to_string())
                .collect();
            names.dedup();
            names
        }
        None => Vec::new(),
    };
    let service = {
        let mut s = String::with_capacity(64);
        match t.code.as_str() {
            "CERT" => {
                let _ = write!(
                    s,
                    "{} certification for {}",
                    rng.one(CERTS),
                    rng.one(VOUCHER_MARKETS)
                );
            }
            "LEGAL" => {
                let _ = write!(
                    s,
                    "Legal advice and translation of contracts for {}",
                    rng.one(VOUCHER_MARKETS)
                );
            }
            "RESEARCH" => {
                let _ = write!(
                    s,
                    "Market research: {} in {}",
                    rng.one(SECTORS),
                    rng.one(VOUCHER_MARKETS)
                );
            }
            "FAIR" => {
                let _ = write!(s, "Stand at {} {year}", rng.one(FAIRS));
            }
            "DELEG" => {
                let n = participants.len();
                let _ = write!(
                    s,
                    "Economic delegation to {} ({n} participant{})",
                    rng.one(CITIES_ABROAD),
                    if n == 1 { "" } else { "s" }
                );
            }
            "FORUM" => {
                let _ = write!(s, "{} {year}", rng.one(FORUMS));
            }
            "ECOM" => {
                let _ = write!(s, "Web shop localisation for {}", rng.one(MARKETPLACES));
            }
            "COACH" => {
                let _ = write!(
                    s,
                    "Export coaching: entry strategy for {}",
                    rng.one(VOUCHER_MARKETS)
                );
            }
            _ => {
                let _ = write!(s, "Trademark registration in {}", rng.one(VOUCHER_MARKETS));
            }
        }
        s
    };
    let status = VoucherStatus::ALL[rng.weighted(&[5, 9, 14, 10, 17, 33, 7, 5])];
    // Submitted between February and September of the year; the contract starts the same year.
    let submitted = date(year, 2, 1).add_days(rng.range(0, 240) as i32);
    let contract_start = submitted.add_days(rng.range(14, 60) as i32);
    let contract_end = contract_start.add_days(rng.range(120, 365) as i32);
    let costs_from = contract_start.add_days(rng.range(0, 30) as i32);
    let costs_to =
        costs_from.add_days(rng.range(1, (contract_end.days() - costs_from.days()) as i64) as i32);
    let claim_on = costs_to.add_days(rng.range(5, 45) as i32);
    let paid_on = claim_on.add_days(rng.range(15, 75) as i32);
    let reached = |s: VoucherStatus| {
        let order = [Draft, Submitted, Approved, ClaimSubmitted, Paid, Closed];
        let pos = |x| order.iter().position(|o| *o == x);
        matches!((pos(status), pos(s)), (Some(a), Some(b)) if a >= b)
    };
    let approved = reached(Approved).then(|| {
        if rng.chance(30) {
            Money((requested.0 * rng.range(85, 99) / 100).max(lo.0))
        } else {
            requested
        }
    });
    let paid = reached(Paid).then(|| {
        let a = approved.expect("paid implies approved");
        if rng.chance(70) {
            a
        } else {
            Money(a.0 * rng.range(80, 99) / 100)
        }
    });
    let with_costs = reached(ClaimSubmitted) || (status == Approved && rng.chance(50));
    let submitted_on = match status {
        Draft => None,
        Withdrawn => rng.chance(70).then_some(submitted),
        _ => Some(submitted),
    };
    let status_reason = match status {
        Rejected => rng.one(VOUCHER_REJECTED).to_string(),
        Withdrawn => rng.one(VOUCHER_WITHDRAWN).to_string(),
        _ => String::new(),
    };
    Voucher {
        id: VoucherId(id("vch", index)),
        scheme: scheme.id.clone(),
        voucher_type: t.code.clone(),
        sme: sme.clone(),
        service,
        eligible_cost: eligible,
        requested,
        approved,
        paid,
        submitted_on,
        contract_start: reached(Approved).then_some(contract_start),
        contract_end: reached(Approved).then_some(contract_end),
        costs_from: with_costs.then_some(costs_from),
        costs_to: with_costs.then_some(costs_to),
        claim_on: reached(ClaimSubmitted).then_some(claim_on),
        paid_on: reached(Paid).then_some(paid_on),
        status,
        status_reason,
        participants,
    }
}
