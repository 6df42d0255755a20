//! The generated corpus: deterministic, exactly the size asked for, realistic, and valid record by
//! record (it imports into a fresh store, which checks every rule).

use std::collections::{HashMap, HashSet};

use taskforce::generate::{Counts, generate};
use taskforce::model::*;
use taskforce::store::Store;

fn json(ds: &Dataset) -> String {
    serde_json::to_string(ds).unwrap()
}

/// Every record, each with its kind, for rules that look across records without a store.
struct Memory {
    records: HashMap<(Kind, String), Record>,
    vouchers: HashMap<String, Vec<Voucher>>,
}

impl Memory {
    fn new(ds: &Dataset) -> Memory {
        let mut records = HashMap::new();
        let mut vouchers: HashMap<String, Vec<Voucher>> = HashMap::new();
        for (_, r) in ds.clone().into_records() {
            if let Record::Voucher(v) = &r {
                vouchers
                    .entry(v.sme.to_string())
                    .or_default()
                    .push((**v).clone());
            }
            let key = (r.kind(), r.id().to_string());
            assert!(records.insert(key, r).is_none(), "an id appears twice");
        }
        Memory { records, vouchers }
    }
}

impl Lookup for Memory {
    fn get(&self, kind: Kind, id: &str) -> Option<Record> {
        self.records.get(&(kind, id.to_string())).cloned()
    }

    fn vouchers_of(&self, sme: &str) -> Vec<Voucher> {
        self.vouchers.get(sme).cloned().unwrap_or_default()
    }

    fn scores_of(&self, session: &str) -> Vec<Score> {
        self.records
            .values()
            .filter_map(|r| match r {
                Record::Score(s) if s.session.as_str() == session => Some((**s).clone()),
                _ => None,
            })
            .collect()
    }

    fn meetings_of(&self, project: &str) -> Vec<Meeting> {
        self.records
            .values()
            .filter_map(|r| match r {
                Record::Meeting(m) if m.project.as_str() == project => Some((**m).clone()),
                _ => None,
            })
            .collect()
    }
}

/// Runs every rule on every record, as an import does, without a database.
fn assert_valid(ds: &Dataset) {
    let memory = Memory::new(ds);
    let mut errors = Vec::new();
    for r in memory.records.values() {
        errors.extend(validate(r, None, &memory));
    }
    let shown: Vec<String> = errors.iter().take(20).map(|e| e.to_string()).collect();
    assert!(
        errors.is_empty(),
        "{} broken rule(s), e.g.:\n{}",
        errors.len(),
        shown.join("\n")
    );
}

fn import(ds: Dataset) -> Replica {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db")).unwrap();
    let records = ds.into_records().into_iter().map(|(_, r)| r).collect();
    let command = Command::Import {
        records,
        on_conflict: OnConflict::Fail,
        source: "generated".into(),
    };
    if let Err(e) = store.apply(&Actor::user("test"), command) {
        panic!("the generated corpus is refused:\n{e}");
    }
    store.load().unwrap().0
}

#[test]
fn the_same_seed_gives_the_same_corpus() {
    let a = generate(1000, 7);
    let b = generate(1000, 7);
    assert_eq!(a, b);
    assert_eq!(json(&a), json(&b));
}

#[test]
fn different_seeds_give_different_corpora() {
    let a = json(&generate(1000, 1));
    let b = json(&generate(1000, 2));
    assert_ne!(a, b);
    // Not just a detail: most practice titles differ.
    let (a, b) = (generate(1000, 1), generate(1000, 2));
    let same = a
        .practices
        .iter()
        .zip(&b.practices)
        .filter(|(x, y)| x.title == y.title)
        .count();
    assert!(
        same < a.practices.len() / 4,
        "{same} of {} titles are the same",
        a.practices.len()
    );
}

#[test]
fn exactly_the_number_of_records_asked_for() {
    for n in (0..=120).chain([1000, 5000, 20_000, 33_333]) {
        let ds = generate(n, 3);
        assert_eq!(ds.len(), n, "generate({n})");
        assert_eq!(Counts::for_records(n).total(), n);
    }
}

#[test]
fn a_generated_corpus_imports_cleanly() {
    let ds = generate(3000, 42);
    let expected: Vec<(Kind, usize)> = Kind::ALL.iter().map(|k| (*k, count(&ds, *k))).collect();
    let replica = import(ds);
    // The importer of a new database becomes its facilitator: one member more than the file.
    for (kind, n) in expected {
        assert_eq!(
            replica.count(kind),
            n + usize::from(kind == Kind::Member),
            "{kind}"
        );
    }
    assert_eq!(replica.len(), 3001);
}

#[test]
fn small_corpora_import_cleanly() {
    for n in [1, 6, 12, 20, 57] {
        let replica = import(generate(n, 9));
        assert_eq!(
            replica.len(),
            n + 1,
            "the file and the importer as facilitator"
        );
    }
    // Twenty records still show most kinds.
    let c = Counts::for_records(20);
    assert_eq!(
        (
            c.projects,
            c.partners,
            c.criteria_sets,
            c.schemes,
            c.action_plans
        ),
        (1, 2, 1, 1, 1)
    );
    assert!(
        c.practices > 0 && c.meetings > 0 && c.smes > 0 && c.vouchers > 0,
        "{c:?}"
    );
}

#[test]
fn larger_corpora_keep_every_rule() {
    // Several projects and many schemes, checked with the model's rules without a database.
    assert_valid(&generate(45_000, 5));
    for seed in [0, 1, 2, u64::MAX] {
        assert_valid(&generate(2000, seed));
    }
}

/// The corpus sizes of the benchmarks, many projects and schemes: `-- --ignored` (slow in debug).
#[test]
#[ignore = "slow in a debug build"]
fn benchmark_corpora_keep_every_rule() {
    for (n, seed) in [(100_000, 1), (250_000, 2)] {
        assert_valid(&generate(n, seed));
    }
}

fn count(ds: &Dataset, kind: Kind) -> usize {
    match kind {
        Kind::Project => ds.projects.len(),
        Kind::Partner => ds.partners.len(),
        Kind::Practice => ds.practices.len(),
        Kind::Meeting => ds.meetings.len(),
        Kind::CriteriaSet => ds.criteria_sets.len(),
        Kind::Session => ds.sessions.len(),
        Kind::Score => ds.scores.len(),
        Kind::ActionPlan => ds.action_plans.len(),
        Kind::Action => ds.actions.len(),
        Kind::Scheme => ds.schemes.len(),
        Kind::Sme => ds.smes.len(),
        Kind::Voucher => ds.vouchers.len(),
        Kind::Member => ds.members.len(),
        Kind::Transfer => ds.transfers.len(),
        Kind::Stakeholder => ds.stakeholders.len(),
    }
}

#[test]
fn every_kind_but_sessions_and_scores_in_realistic_proportions() {
    let n = 100_000;
    let c = Counts::for_records(n);
    assert_eq!(c.projects, 5);
    assert!((35..=45).contains(&c.partners), "{c:?}");
    let share = |x: usize| x as f64 / n as f64;
    assert!((0.34..0.42).contains(&share(c.practices)), "{c:?}");
    assert!((0.09..0.13).contains(&share(c.meetings)), "{c:?}");
    assert!(
        (0.07..0.10).contains(&share(c.action_plans + c.actions)),
        "{c:?}"
    );
    assert!((0.11..0.15).contains(&share(c.smes)), "{c:?}");
    assert!((0.24..0.30).contains(&share(c.vouchers)), "{c:?}");
    let ds = generate(1000, 1);
    for kind in Kind::ALL {
        let n = count(&ds, *kind);
        match kind {
            Kind::Session | Kind::Score | Kind::Member => assert_eq!(n, 0, "{kind}"),
            _ => assert!(n > 0, "no {kind} in a corpus of 1000"),
        }
    }
    assert!(ds.schemes.iter().all(|s| s.types.len() >= 2));
}

#[test]
fn ids_are_readable_and_unique() {
    let ds = generate(5000, 11);
    let mut seen = HashSet::new();
    for (_, r) in ds.clone().into_records() {
        assert!(check_id(r.id()).is_ok(), "{}", r.id());
        assert!(
            seen.insert((r.kind(), r.id().to_string())),
            "{} twice",
            r.id()
        );
    }
    assert_eq!(ds.practices[122].id.as_str(), "gp-000123");
    assert!(ds.meetings[0].id.as_str().starts_with("mtg-"));
    assert!(ds.vouchers[0].id.as_str().starts_with("vch-"));
}

#[test]
fn texts_have_the_lengths_of_the_templates() {
    let ds = generate(5000, 4);
    for p in &ds.practices {
        let n = p.description.text().chars().count();
        assert!(
            (2000..=2500).contains(&n),
            "{}: description of {n} characters",
            p.id
        );
        let s = p.summary.text().chars().count();
        assert!(
            (200..=420).contains(&s),
            "{}: summary of {s} characters",
            p.id
        );
        assert!(p.title.chars().count() <= 100, "{}", p.title);
        assert!(
            !p.description.text().contains('{') && !p.summary.text().contains('{'),
            "{}: a placeholder is left",
            p.id
        );
        assert_eq!(p.history.last().map(|h| h.to), Some(p.status), "{}", p.id);
    }
    let mean = ds
        .practices
        .iter()
        .map(|p| p.summary.text().chars().count())
        .sum::<usize>()
        / ds.practices.len();
    assert!(
        (260..=340).contains(&mean),
        "summaries average {mean} characters"
    );
    // Varied: few descriptions are alike.
    let distinct: HashSet<String> = ds
        .practices
        .iter()
        .map(|p| p.description.text().into_owned())
        .collect();
    assert_eq!(distinct.len(), ds.practices.len());
    let titles: HashSet<&str> = ds.practices.iter().map(|p| p.title.as_str()).collect();
    assert!(
        titles.len() * 2 > ds.practices.len(),
        "{} distinct titles",
        titles.len()
    );
}

#[test]
fn text_has_diacritics_and_places_their_countries() {
    // One project draws its 7–9 partners from some of the regions; a few seeds see them all.
    let words = [
        "Klaipėda",
        "Rzeszów",
        "Pécs",
        "Cáceres",
        "Łódź",
        "Třebíč",
        "Győr",
        "Plovdiv",
        "Ljubljana",
    ];
    let mut missing: HashSet<&str> = words.into_iter().collect();
    for seed in 0..40 {
        let text = json(&generate(300, seed));
        missing.retain(|w| !text.contains(w));
    }
    assert!(missing.is_empty(), "never generated: {missing:?}");
    let ds = generate(2000, 8);
    let accented = ds
        .practices
        .iter()
        .filter(|p| !(p.city.clone() + &p.region + &p.owner).is_ascii())
        .count();
    assert!(
        accented * 5 > ds.practices.len(),
        "{accented} of {} practices name a place with diacritics",
        ds.practices.len()
    );
    let places: HashMap<&str, &str> = [
        ("Klaipėda", "LT"),
        ("Rzeszów", "PL"),
        ("Pécs", "HU"),
        ("Plovdiv", "BG"),
        ("Cáceres", "ES"),
        ("Łódź", "PL"),
        ("Třebíč", "CZ"),
        ("Győr", "HU"),
        ("Ljubljana", "SI"),
        ("Maribor", "SI"),
        ("Faro", "PT"),
        ("Badajoz", "ES"),
        ("Pescara", "IT"),
        ("Coventry", "UK"),
        ("Burgos", "ES"),
        ("Milano", "IT"),
    ]
    .into_iter()
    .collect();
    for p in &ds.practices {
        if let Some(cc) = places.get(p.city.as_str()) {
            assert_eq!(p.country, *cc, "{} in {}", p.id, p.city);
        }
    }
    for s in &ds.smes {
        if let Some(cc) = places.get(s.city.as_str()) {
            assert_eq!(s.country, *cc, "{} in {}", s.id, s.city);
        }
    }
    assert!(ds.practices.iter().any(|p| !p.title.is_ascii()));
}

#[test]
fn records_refer_to_each_other_as_in_real_projects() {
    let ds = generate(5000, 12);
    let presented: usize = ds.meetings.iter().map(|m| m.practices.len()).sum();
    let shown = ds
        .practices
        .iter()
        .filter(|p| p.status != PracticeStatus::Identified)
        .count();
    assert_eq!(
        presented, shown,
        "every practice past 'identified' was presented at one meeting"
    );
    assert!(
        ds.actions
            .iter()
            .filter(|a| !a.inspired_by.is_empty())
            .count()
            * 10
            > ds.actions.len() * 8
    );
    // Vouchers: the SME's country is the scheme's, and the yearly caps hold.
    let schemes: HashMap<&str, &VoucherScheme> =
        ds.schemes.iter().map(|s| (s.id.as_str(), s)).collect();
    let smes: HashMap<&str, &Sme> = ds.smes.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut per_year: HashMap<(&str, &str, i32), (u32, i64)> = HashMap::new();
    for v in &ds.vouchers {
        let s = schemes[v.scheme.as_str()];
        assert_eq!(smes[v.sme.as_str()].country, s.country);
        if let (true, Some(year)) = (v.status.counts_against_caps(), v.cap_year()) {
            let e = per_year
                .entry((v.sme.as_str(), v.scheme.as_str(), year))
                .or_default();
            e.0 += 1;
            e.1 += v.committed_amount().0;
            assert!(e.0 <= s.max_vouchers_per_year.unwrap());
            assert!(e.1 <= s.max_total_per_year.unwrap().0);
        }
    }
    let statuses: HashSet<VoucherStatus> = ds.vouchers.iter().map(|v| v.status).collect();
    assert_eq!(
        statuses.len(),
        VoucherStatus::ALL.len(),
        "every voucher status appears"
    );
    // Stakeholders: each partner's group spans the four helix sides, contact details only with
    // consent; RSG meetings are attended by the host's group, named by reference only.
    let stakeholders: HashMap<&str, &Stakeholder> =
        ds.stakeholders.iter().map(|s| (s.id.as_str(), s)).collect();
    for p in &ds.partners {
        let sides: HashSet<Helix> = ds
            .stakeholders
            .iter()
            .filter(|s| s.partner == p.id)
            .map(|s| s.helix)
            .collect();
        assert_eq!(sides.len(), Helix::ALL.len(), "{}", p.id);
    }
    assert!(
        ds.stakeholders
            .iter()
            .all(|s| s.consent.is_some() || (s.email.is_empty() && s.phone.is_empty()))
    );
    assert!(ds.stakeholders.iter().any(|s| s.contact().is_some()));
    assert!(ds.stakeholders.iter().any(|s| s.consent.is_none()));
    let mut attended = 0;
    for m in ds
        .meetings
        .iter()
        .filter(|m| m.kind == MeetingKind::RsgMeeting)
    {
        for a in &m.attendance {
            if let Some(id) = &a.stakeholder {
                assert_eq!(Some(&stakeholders[id.as_str()].partner), m.host.as_ref());
                assert!(a.name.is_empty() && a.organisation.is_empty());
                attended += 1;
            }
        }
    }
    assert!(attended > 50, "{attended}");
    // Transfers: two per partner, of a practice that exists, with stages reached and some
    // adopted; the import above checks that their histories run forward.
    let practices: HashSet<&str> = ds.practices.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ds.transfers.len(), 2 * ds.partners.len());
    for t in &ds.transfers {
        assert!(practices.contains(t.practice.as_str()), "{}", t.id);
        assert!(!t.stages.is_empty(), "{}", t.id);
    }
    let adopted = ds
        .transfers
        .iter()
        .filter(|t| t.stage() == Some(TransferStage::Adopted))
        .count();
    assert!(adopted > 0 && adopted < ds.transfers.len(), "{adopted}");
}

/// CPU time of this thread in nanoseconds, from Linux's scheduler statistics (None elsewhere):
/// on a shared machine the wall clock also counts the time spent waiting for a core.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// A timing, not run by default: `cargo test --release --test generate -- --ignored --nocapture`.
#[test]
#[ignore = "a timing; run it in a release build"]
fn generating_100k_records_takes_well_under_a_second() {
    let (started, cpu_before) = (std::time::Instant::now(), thread_cpu_ns());
    let ds = generate(100_000, 1);
    let (took, cpu) = (
        started.elapsed(),
        thread_cpu_ns()
            .zip(cpu_before)
            .map(|(a, b)| std::time::Duration::from_nanos(a - b)),
    );
    println!(
        "generate(100_000, 1): {} records in {took:?} (CPU {cpu:?}); {:?}",
        ds.len(),
        Counts::for_records(100_000)
    );
    assert_eq!(ds.len(), 100_000);
    if !cfg!(debug_assertions) {
        let spent = cpu.unwrap_or(took);
        assert!(spent < std::time::Duration::from_secs(1), "took {spent:?}");
    }
}

/// `taskforce generate` prints what it makes as it goes: its memory does not grow with the
/// corpus (it held the whole corpus and its text before: about 200 MB for 30k records here).
#[test]
fn the_command_streams_in_constant_memory() {
    use std::process::{Command as Process, Stdio};
    let peak_of = |records: usize| -> u64 {
        let mut child = Process::new(env!("CARGO_BIN_EXE_taskforce"))
            .args(["generate", "--records", &records.to_string(), "--seed", "4"])
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let status = format!("/proc/{}/status", child.id());
        let mut peak = 0;
        // The kernel's high-water mark, read until the process ends (it only grows).
        while child.try_wait().unwrap().is_none() {
            if let Ok(text) = std::fs::read_to_string(&status)
                && let Some(kb) = text
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        peak * 1024
    };
    let small = peak_of(1000);
    let large = peak_of(30_000);
    assert!(
        large < small + 16_000_000 && large < 50_000_000,
        "30k records peak at {} MB, 1k at {} MB",
        large / 1_000_000,
        small / 1_000_000
    );
}

/// What `generate` prints is the pretty JSON of the corpus, byte for byte.
#[test]
fn the_command_prints_the_corpus_as_the_export_does() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_taskforce"))
        .args(["generate", "--records", "600", "--seed", "11"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut expected = serde_json::to_string_pretty(&generate(600, 11)).unwrap();
    expected.push('\n');
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
}
