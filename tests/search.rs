//! Search: ranking, folding, the query language, the index following commits, the worker.

mod common;

use std::time::Duration;

use common::*;
use taskforce::io::json;
use taskforce::model::*;
use taskforce::search::cache;
use taskforce::search::*;
use taskforce::store::Store;

const CORPUS: &str = include_str!("data/search_corpus.json");

fn corpus() -> Vec<Record> {
    records_of(CORPUS)
}

fn records_of(text: &str) -> Vec<Record> {
    json::parse(text, "corpus")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect()
}

fn index_of(records: &[Record]) -> Index {
    let refs: Vec<&Record> = records.iter().collect();
    Index::from_records(&refs)
}

/// The hits as "id" or "id/type", best first.
fn ids(index: &Index, query: &str) -> Vec<String> {
    index
        .search(&Request::new(query))
        .hits
        .iter()
        .map(|h| match &h.voucher_type {
            Some(t) => format!("{}/{t}", h.id),
            None => h.id.clone(),
        })
        .collect()
}

fn first_hit(index: &Index, query: &str) -> Hit {
    index
        .search(&Request::new(query))
        .hits
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("'{query}' finds nothing"))
}

fn practice(id: &str, title: &str, description: &str) -> Record {
    Record::from(Practice {
        source: String::new(),
        id: PracticeId::new(id),
        project: ProjectId::new("intra"),
        title: title.into(),
        owner: "Example owner".into(),
        partner: None,
        country: "SI".into(),
        region: String::new(),
        city: String::new(),
        level: None,
        sub_theme: None,
        summary: Prose::default(),
        description: description.into(),
        website: String::new(),
        resources: Prose::default(),
        evidence: Prose::default(),
        transfer_potential: Prose::default(),
        difficulties: Prose::default(),
        start: None,
        end: None,
        keywords: Vec::new(),
        status: PracticeStatus::Identified,
        history: Vec::new(),
        web_status: None,
    })
}

#[test]
fn a_hit_in_the_title_beats_one_deep_in_a_description() {
    let mut records = corpus();
    records.push(practice(
        "gp-desc",
        "Regional support desk",
        "A long description that mentions hydrogen valleys only in passing.",
    ));
    records.push(practice(
        "gp-title",
        "Hydrogen valleys for SMEs and their export partners abroad",
        "",
    ));
    let index = index_of(&records);
    assert_eq!(ids(&index, "hydrogen"), ["gp-title", "gp-desc"]);
    assert_eq!(ids(&index, "hydro val"), ["gp-title", "gp-desc"]);
    // The description hit says where it matched, as an excerpt with the word marked.
    let hits = index.search(&Request::new("hydrogen")).hits;
    let f = &hits[1].fields[0];
    assert_eq!(f.label, "description");
    let marked: String = f
        .marks
        .iter()
        .map(|m| f.text.chars().nth(*m).unwrap())
        .collect();
    assert_eq!(marked, "hydrogen");
    // Long text is searched by whole words (or their starts): no hit inside a word.
    assert_eq!(ids(&index, "drogen"), ["gp-title"]);
}

#[test]
fn shorter_and_tighter_matches_come_first() {
    let mut records = corpus();
    records.push(practice(
        "gp-long",
        "Fairs and exhibitions of the Adriatic region",
        "",
    ));
    records.push(practice("gp-short", "Fairs abroad", ""));
    records.push(practice(
        "gp-strewn",
        "Forum of the assessment of innovation regions",
        "",
    ));
    let index = index_of(&records);
    let found = ids(&index, "fairs");
    assert_eq!(found[..2], ["gp-short", "gp-long"]);
    // Letters strewn over several words are not a match.
    assert!(!found.contains(&"gp-strewn".to_string()), "{found:?}");
    // Consecutive letters beat the same letters with gaps.
    let a = index.search(&Request::new("abroad")).hits;
    assert_eq!(a[0].id, "gp-short");
}

#[test]
fn vouch_fair_finds_the_fair_voucher_type_in_its_scheme() {
    let index = index_of(&corpus());
    let hit = first_hit(&index, "vouch fair");
    assert_eq!(hit.kind, Kind::Scheme);
    assert_eq!(hit.id, "si-vouchers");
    assert_eq!(hit.voucher_type.as_deref(), Some("fairs"));
    assert_eq!(hit.label, "voucher type");
    assert_eq!(
        hit.title,
        "Joint presentations of Slovenian economy at fairs"
    );
    // The voucher that uses the type comes after it: its scheme is only named, not its own.
    assert_eq!(ids(&index, "vouch fair"), ["si-vouchers/fairs", "v-1"]);
}

#[test]
fn diacritics_are_folded_for_matching_and_kept_for_showing() {
    let index = index_of(&corpus());
    let hit = first_hit(&index, "klaipeda");
    assert_eq!(hit.title, "Klaipėda ID");
    assert_eq!(hit.title_marks, [0, 1, 2, 3, 4, 5, 6, 7]);
    // Typed with the diacritic, it is the same query.
    assert_eq!(ids(&index, "klaipėda"), ids(&index, "klaipeda"));
    let hits = index.search(&Request::new("pecs")).hits;
    assert_eq!(hits.len(), 3, "{hits:?}");
    for h in &hits {
        let city = h.fields.iter().find(|f| f.label == "city").unwrap();
        assert_eq!(city.text, "Pécs");
        assert_eq!(city.marks, [0, 1, 2, 3]);
    }
    assert_eq!(ids(&index, "rzeszow"), ["rarr"]);
}

#[test]
fn a_capital_makes_a_term_case_sensitive() {
    let index = index_of(&corpus());
    assert_eq!(ids(&index, "varna")[0], "sv-varna");
    assert_eq!(ids(&index, "Varna")[0], "sv-varna");
    assert!(ids(&index, "VARNA").is_empty());
    // CUE is written in capitals; "cue" finds it too, "Cue" does not.
    assert!(ids(&index, "cue").contains(&"cue".to_string()));
    assert!(ids(&index, "CUE").contains(&"cue".to_string()));
    assert!(!ids(&index, "Cue").contains(&"cue".to_string()));
}

#[test]
fn kind_prefixes_narrow_the_search() {
    let index = index_of(&corpus());
    let all = index.search(&Request::new("badajoz"));
    assert!(all.hits.iter().any(|h| h.kind == Kind::Partner));
    let meetings = index.search(&Request::new("m: badajoz"));
    assert_eq!(
        meetings
            .hits
            .iter()
            .map(|h| h.id.as_str())
            .collect::<Vec<_>>(),
        ["sv-extremadura", "itf-2"]
    );
    assert!(ids(&index, "p:badajoz").is_empty());
    // v: is vouchers and voucher types; s: is schemes and voucher types.
    let v = index.search(&Request::new("v: fair")).hits;
    assert!(
        v.iter()
            .all(|h| h.kind == Kind::Voucher || h.voucher_type.is_some())
    );
    assert_eq!(v.len(), 2);
    let s = index.search(&Request::new("s: vouchers")).hits;
    assert!(s.iter().all(|h| h.kind == Kind::Scheme));
    assert_eq!(s[0].voucher_type, None);
    // The request's own kinds narrow too (a list's filter, --kind).
    let only = index.search(&Request::new("badajoz").kinds(Kinds::of(Kind::Partner)));
    assert_eq!(only.hits.len(), 1);
    assert_eq!(only.hits[0].id, "fundecyt");
    // A prefix alone lists the kind, by title.
    let schemes = index.search(&Request::new("vt:"));
    assert_eq!(schemes.total, 6);
    assert_eq!(schemes.hits[0].title, "Foreign market research");
}

#[test]
fn quoted_terms_match_exactly_and_bang_excludes() {
    let index = index_of(&corpus());
    assert_eq!(ids(&index, "\"visit Varna\""), ["sv-varna"]);
    assert!(ids(&index, "\"study varna\"").is_empty());
    assert_eq!(ids(&index, "study varna"), ["sv-varna"]);
    // Two title hits at the start of a word: the shorter title first.
    assert_eq!(
        ids(&index, "fair"),
        ["v-1", "si-vouchers/fairs", "gp-it-abruzzo4export"]
    );
    assert_eq!(
        ids(&index, "fair !milan"),
        ["si-vouchers/fairs", "gp-it-abruzzo4export"]
    );
    assert_eq!(
        ids(&index, "fair !\"in milan\" !abruzzo"),
        ["si-vouchers/fairs"]
    );
}

#[test]
fn names_of_related_records_are_searched_with_lower_weight() {
    let index = index_of(&corpus());
    // The practice's partner is Coventry University Enterprises: "coventry" finds the practice
    // through it, below the partner itself.
    let found = ids(&index, "coventry");
    let partner = found.iter().position(|i| i == "cue").unwrap();
    let practice = found.iter().position(|i| i == "gp-uk-testbeds").unwrap();
    assert!(partner < practice, "{found:?}");
    // A voucher is found by its SME's name.
    assert_eq!(ids(&index, "v: metalworks"), ["v-1", "v-2"]);
    let hit = first_hit(&index, "v: metalworks");
    let sme = hit.fields.iter().find(|f| f.label == "SME").unwrap();
    assert_eq!(sme.text, "Podravje Metalworks");
    assert_eq!(sme.marks, (9..19).collect::<Vec<_>>());
}

#[test]
fn scores_are_searched_only_when_asked_for() {
    let index = index_of(&sample_records());
    let hits = index.search(&Request::new("alice")).hits;
    assert!(!hits.is_empty(), "the session names alice");
    assert!(hits.iter().all(|h| h.kind != Kind::Score));
    let scores = index.search(&Request::new("score: alice")).hits;
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[0].kind, Kind::Score);
    assert_eq!(scores[0].title, "gp-vouchers · alice · S");
    let scores = index.search(&Request::new("bob").kinds(Kinds::of(Kind::Score)));
    assert_eq!(scores.total, 1);
}

#[test]
fn an_empty_query_finds_nothing_and_limits_count_everything() {
    let index = index_of(&corpus());
    let r = index.search(&Request::new("   "));
    assert_eq!(
        r.total,
        index.len(),
        "an empty query lists everything but scores"
    );
    let r = index.search(&Request::new("s").limit(3));
    assert_eq!(r.hits.len(), 3);
    assert!(r.total > 3);
    let r = index.search(&Request::new("s").limit(0));
    assert!(r.hits.is_empty() && r.total > 0);
}

#[test]
fn a_list_is_filtered_with_the_same_matcher() {
    let records = corpus();
    let index = index_of(&records);
    let meetings: Vec<(Kind, &str)> = records
        .iter()
        .filter(|r| r.kind() == Kind::Meeting)
        .map(|r| (r.kind(), r.id()))
        .collect();
    let found = index.filter(meetings.iter().copied(), "pecs");
    let found: Vec<&str> = found.iter().map(|i| meetings[*i].1).collect();
    assert_eq!(found.len(), 2);
    assert!(found.contains(&"iv-pecs") && found.contains(&"iv-closing"));
    assert!(index.filter(meetings.iter().copied(), "zzz").is_empty());
    // Records outside any index.
    let practices: Vec<&Record> = records
        .iter()
        .filter(|r| r.kind() == Kind::Practice)
        .collect();
    let ranked = filter(&practices, "vouch");
    let titles: Vec<String> = ranked.iter().map(|i| practices[*i].title()).collect();
    assert_eq!(
        titles,
        [
            "Internationalisation Voucher",
            "Small-scale incentives for SMEs – vouchers"
        ]
    );
    // A scheme in a list matches by its voucher types too.
    let schemes: Vec<(Kind, &str)> = vec![(Kind::Scheme, "si-vouchers")];
    assert_eq!(index.filter(schemes, "delegations"), [0]);
}

fn committed(store: &Store, command: Command) -> Committed {
    store.apply(&actor(), command).unwrap()
}

fn put(store: &Store, record: Record) -> Committed {
    committed(
        store,
        Command::Put {
            record,
            expected_rev: None,
        },
    )
}

#[test]
fn the_index_follows_commits_without_a_rebuild() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    committed(
        &store,
        Command::Import {
            records: corpus(),
            on_conflict: OnConflict::Fail,
            source: "corpus".into(),
        },
    );
    let mut index = Index::build(&store.load().unwrap().0);
    assert!(ids(&index, "hydrogen").is_empty());

    // A new record is searchable at once.
    let c = put(&store, practice("gp-h2", "Hydrogen valleys", ""));
    assert!(index.apply(&c));
    assert!(!index.apply(&c), "a commit is applied once");
    assert_eq!(ids(&index, "hydrogen"), ["gp-h2"]);
    assert_eq!(index.seq(), c.seq);

    // A renamed partner: the practices that name it are found by the new name.
    let Some(Record::Partner(mut cue)) = store.get(Kind::Partner, "cue").unwrap().map(|r| r.record)
    else {
        panic!("no partner cue")
    };
    cue.organisation = "Midlands Innovation Hub".into();
    let c = put(&store, Record::Partner(cue));
    let rename = c.seq;
    index.apply(&c);
    assert!(ids(&index, "innovation hub").contains(&"gp-uk-testbeds".to_string()));
    assert!(!ids(&index, "univ enterprises").contains(&"gp-uk-testbeds".to_string()));

    // An edited voucher type: vouchers of that type show its new name.
    let Some(Record::Scheme(mut scheme)) = store
        .get(Kind::Scheme, "si-vouchers")
        .unwrap()
        .map(|r| r.record)
    else {
        panic!("no scheme")
    };
    scheme.types[3].name = "Trade show participation".into();
    scheme.types.remove(0);
    let c = put(&store, Record::Scheme(scheme));
    index.apply(&c);
    assert_eq!(ids(&index, "trade show"), ["si-vouchers/fairs", "v-1"]);
    assert!(ids(&index, "certification").is_empty());

    // A deleted record is gone.
    let c = committed(
        &store,
        Command::Delete {
            kind: Kind::Practice,
            id: "gp-h2".into(),
            expected_rev: None,
        },
    );
    index.apply(&c);
    assert!(ids(&index, "hydrogen").is_empty());

    // Undo puts the old partner name back.
    let c = committed(&store, Command::Undo { seq: rename });
    index.apply(&c);

    // After all that, the index holds exactly what a fresh build holds.
    let fresh = Index::build(&store.load().unwrap().0);
    assert_eq!(index.dump(), fresh.dump());
    assert_eq!(index.len(), fresh.len());
    assert!(ids(&index, "univ enterprises").contains(&"gp-uk-testbeds".to_string()));
}

#[test]
fn the_searcher_answers_the_newest_request_only() {
    let mut searcher = Searcher::new(index_of(&corpus()));
    assert!(!searcher.pending());
    let g1 = searcher.submit(Request::new("b"));
    let g2 = searcher.submit(Request::new("ba"));
    let g3 = searcher.submit(Request::new("badajoz"));
    assert!(g1 < g2 && g2 < g3);
    assert!(searcher.pending());
    let r = searcher
        .wait(Duration::from_secs(10))
        .expect("results arrive");
    assert_eq!(r.generation, g3);
    assert_eq!(r.request_query, "badajoz");
    assert_eq!(r.hits[0].id, "sv-extremadura");
    assert!(!searcher.pending());
    // Nothing older shows up later.
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(searcher.poll(), None);

    // A cancelled request never answers.
    searcher.submit(Request::new("varna"));
    searcher.cancel();
    assert!(!searcher.pending());
    assert_eq!(searcher.wait(Duration::from_millis(200)), None);
}

#[test]
fn the_searcher_keeps_shown_results_current_after_a_commit() {
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    committed(
        &store,
        Command::Import {
            records: corpus(),
            on_conflict: OnConflict::Fail,
            source: "corpus".into(),
        },
    );
    let mut searcher = Searcher::new(Index::build(&store.load().unwrap().0));
    let woken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let w = woken.clone();
    searcher.set_waker(Box::new(move || {
        w.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }));
    let g = searcher.submit(Request::new("hydrogen"));
    let r = searcher.wait(Duration::from_secs(10)).unwrap();
    assert_eq!((r.generation, r.total), (g, 0));
    searcher.apply(put(&store, practice("gp-h2", "Hydrogen valleys", "")));
    let r = searcher
        .wait(Duration::from_secs(10))
        .expect("fresh results");
    assert_eq!(r.generation, g);
    assert_eq!(r.hits[0].id, "gp-h2");
    // The waker runs right after the results are sent.
    let started = std::time::Instant::now();
    while woken.load(std::sync::atomic::Ordering::SeqCst) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the waker was not called"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    // A new request sees the commit too.
    searcher.submit(Request::new("valleys"));
    assert_eq!(
        searcher.wait(Duration::from_secs(10)).unwrap().hits[0].id,
        "gp-h2"
    );
}

/// Many records, so that a search takes long enough to be overtaken.
fn many(n: usize) -> Vec<Record> {
    let mut records = corpus();
    for i in 0..n {
        records.push(practice(
            &format!("gp-{i}"),
            &format!("Practice {i} on export markets and regional fairs"),
            "A description of support for small firms that sell abroad, with words enough to scan.",
        ));
    }
    records
}

#[test]
fn a_newer_request_cancels_an_older_one_in_flight() {
    let index = index_of(&many(40_000));
    let mut searcher = Searcher::new(index);
    // Keep the worker busy with requests that each are overtaken by the next one.
    let mut last = 0;
    for q in [
        "s",
        "su",
        "sup",
        "supp",
        "suppo",
        "suppor",
        "support",
        "support s",
    ] {
        last = searcher.submit(Request::new(q));
    }
    let r = searcher
        .wait(Duration::from_secs(60))
        .expect("results arrive");
    assert_eq!(r.generation, last);
    assert_eq!(r.request_query, "support s");
    assert!(r.total >= 40_000, "{}", r.total);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(searcher.poll(), None, "no stale results arrive afterwards");
}

/// Every query of the search benchmark and more: one and two letters, prefixes alone, quoted,
/// excluded and case-sensitive terms, a query that matches nothing.
const SAVED_QUERIES: &[&str] = &[
    "a",
    "xq",
    "m",
    "v",
    "s",
    "ma",
    "st",
    "vo",
    "exp",
    "maribor",
    "badajoz",
    "klaipeda",
    "pecs",
    "vouch fair",
    "coventry ecomm",
    "study visit",
    "export services",
    "maribor fair",
    "p: export",
    "m: study visit",
    "\"trade fair\"",
    "digital !online",
    "Mar",
    "xyzzy",
    "s:",
    "vt:",
    "p,m: maribor",
    "score: a",
];

/// The saved index, used in place, gives what the in-memory index gives: the same records in
/// the same order, with the same scores, marks and totals, for every query and limit.
fn assert_saved_answers_as(index: &Index, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(cache::FILE);
    cache::save(index, &path, 7).unwrap();
    let saved = cache::open(&path, 7).unwrap();
    assert_eq!(saved.len(), index.len(), "{what}");
    for q in SAVED_QUERIES {
        for limit in [0, 1, 50, usize::MAX] {
            let request = Request::new(*q).limit(limit).with_ids();
            let (mut a, mut b) = (saved.search(&request), index.search(&request));
            assert_eq!(a.total, b.total, "{what}: {q} (limit {limit})");
            assert_eq!(a.hits, b.hits, "{what}: {q} (limit {limit})");
            a.matched.sort();
            b.matched.sort();
            assert_eq!(a.matched, b.matched, "{what}: {q} (limit {limit})");
            assert_eq!((a.seq, a.index_version), (b.seq, b.index_version), "{what}");
        }
        let only = Request::new(*q).kinds(Kinds::of(Kind::Partner));
        assert_eq!(saved.search(&only).hits, index.search(&only).hits, "{q}");
    }
    let some: Vec<(Kind, String)> = index
        .search(&Request::new("m").limit(40))
        .hits
        .iter()
        .map(|h| (h.kind, h.id.clone()))
        .collect();
    let within = Request::new("a").within(some).limit(usize::MAX);
    assert_eq!(
        saved.search(&within).hits,
        index.search(&within).hits,
        "{what}"
    );
    assert_eq!(saved.damage(), None, "{what}");
}

#[test]
fn the_saved_index_used_in_place_answers_as_the_index_does() {
    assert_saved_answers_as(&index_of(&corpus()), "the test corpus");
    let generated: Vec<Record> = taskforce::generate::generate(3000, 1)
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    assert_saved_answers_as(&index_of(&generated), "3000 generated records");

    // An index changed by commits: freed slots, released texts, text no entry uses.
    let (_dir, path) = temp_db();
    let store = Store::open(&path).unwrap();
    committed(
        &store,
        Command::Import {
            records: corpus(),
            on_conflict: OnConflict::Fail,
            source: "corpus".into(),
        },
    );
    let mut index = Index::build(&store.load().unwrap().0);
    let (replica, _) = store.load().unwrap();
    let renamed: Vec<Record> = replica
        .rows(Kind::Practice)
        .take(3)
        .map(|r| {
            let mut r = r.record.clone();
            if let Record::Practice(p) = &mut r {
                p.title = format!("Renamed {}", p.title);
            }
            r
        })
        .collect();
    for r in renamed {
        index.apply(&put(&store, r));
    }
    let vouchers: Vec<String> = replica
        .rows(Kind::Voucher)
        .take(1)
        .map(|r| r.record.id().to_string())
        .collect();
    for id in vouchers {
        let c = committed(
            &store,
            Command::Delete {
                kind: Kind::Voucher,
                id,
                expected_rev: None,
            },
        );
        index.apply(&c);
    }
    assert_saved_answers_as(&index, "an index changed by commits");
}
