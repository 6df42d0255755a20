//! The saved search index kept current through the store's commits (`store::search_index`):
//! after any sequence of commits — renames of records others name, deletions, new records,
//! undo — it answers every query exactly as an index built afresh from the store does, and it
//! is built again when the commits since cannot be told (a large import).

mod common;

use std::collections::HashSet;

use serde_json::Value;
use taskforce::fixtures;
use taskforce::model::*;
use taskforce::search::{Index, Request};
use taskforce::store::Store;
use taskforce::store::search_index::{self, Freshness, Searchable};

const QUERIES: [&str; 10] = [
    "badajoz",
    "vouch fair",
    "ma",
    "p:",
    "m: visit",
    "pecs",
    "zzq",
    "intra",
    "s: zzq",
    "a",
];

fn same(live: &Searchable, store: &Store, what: &str) {
    let (replica, _) = store.load().unwrap();
    let fresh = Index::build(&replica);
    for q in QUERIES {
        for limit in [3, 50] {
            let r = Request::new(q).limit(limit).with_ids();
            let (a, b) = (live.search(&r), fresh.search(&r));
            assert_eq!(
                (a.total, &a.hits),
                (b.total, &b.hits),
                "{what}: {q} (limit {limit})"
            );
            let (mut ma, mut mb) = (a.matched, b.matched);
            ma.sort();
            mb.sort();
            assert_eq!(ma, mb, "{what}: ids of {q}");
        }
    }
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The record with its name (title, acronym, organisation or name) and its voucher types'
/// names starting with `word`.
fn renamed(record: &Record, word: &str) -> Record {
    let mut v = serde_json::to_value(record).unwrap();
    let body = match &mut v {
        Value::Object(m) if m.len() == 1 => m.values_mut().next().unwrap(),
        other => other,
    };
    for field in ["acronym", "title", "organisation", "name"] {
        if let Some(Value::String(s)) = body.get_mut(field) {
            *s = format!("{word} {s}");
            break;
        }
    }
    if let Some(Value::Array(types)) = body.get_mut("types") {
        for t in types {
            if let Some(Value::String(s)) = t.get_mut("name") {
                *s = format!("{word} {s}");
            }
        }
    }
    serde_json::from_value(v).unwrap()
}

fn with_id(record: &Record, id: &str) -> Record {
    let mut v = serde_json::to_value(record).unwrap();
    let body = match &mut v {
        Value::Object(m) if m.len() == 1 => m.values_mut().next().unwrap(),
        other => other,
    };
    body["id"] = Value::from(id);
    serde_json::from_value(v).unwrap()
}

#[test]
fn the_saved_index_with_the_commits_since_answers_as_one_built_afresh() {
    let (_dir, db) = common::temp_db();
    let store = Store::open(&db).unwrap();
    let records: Vec<Record> = fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    store
        .apply(
            &common::actor(),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "bundled".into(),
            },
        )
        .unwrap();
    let mut say = |m: String| panic!("{m}");
    let (mut held, fresh) = search_index::current(&store, None, &mut say).unwrap();
    assert_eq!(fresh, Freshness::Rebuilt);
    same(&held, &store, "as saved");

    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut seqs = Vec::new();
    let words = ["zzq", "Badajoz", "Pécs", "fair"];
    for step in 0..40 {
        let (replica, _) = store.load().unwrap();
        let all: Vec<&Record> = Kind::ALL
            .iter()
            .filter(|k| **k != Kind::Score)
            .flat_map(|k| replica.rows(*k).map(|r| &r.record))
            .collect();
        let pick = all[rng.below(all.len())];
        let command = match rng.below(6) {
            0 => Command::Delete {
                kind: pick.kind(),
                id: pick.id().to_string(),
                expected_rev: None,
            },
            1 => Command::Put {
                record: with_id(pick, &format!("{}-copy{step}", pick.id())),
                expected_rev: Some(0),
            },
            2 if !seqs.is_empty() => Command::Undo {
                seq: seqs[rng.below(seqs.len())],
            },
            _ => Command::Put {
                record: renamed(pick, words[rng.below(words.len())]),
                expected_rev: None,
            },
        };
        // Refused commands (a deletion of a record others name, an undo overtaken) change
        // nothing: the index must still agree.
        if let Ok(c) = store.apply(&common::actor(), command) {
            seqs.push(c.seq);
        }
        let (now, fresh) = search_index::current(&store, Some(held), &mut say).unwrap();
        assert!(
            matches!(fresh, Freshness::CaughtUp(_)),
            "step {step}: {fresh:?}"
        );
        held = now;
        same(&held, &store, &format!("step {step}"));
        if step % 10 == 9 {
            // A new process: the file as saved, caught up from the audit log.
            let (opened, fresh) = search_index::current(&store, None, &mut say).unwrap();
            assert!(
                matches!(fresh, Freshness::CaughtUp(n) if n > 0),
                "{fresh:?}"
            );
            same(&opened, &store, &format!("step {step}, from the file"));
        }
    }
    assert!(seqs.len() > 20, "most commits went through: {}", seqs.len());

    // An import of more than a thousand records lists none of them: built again.
    let many: Vec<Record> = (0..1100)
        .map(|i| {
            Record::Sme(Box::new(Sme {
                id: SmeId::new(format!("sme-bulk-{i}")),
                name: format!("Bulk zzq company {i}"),
                registration_number: String::new(),
                size: SmeSize::Small,
                country: "SI".into(),
                region: String::new(),
                city: String::new(),
            }))
        })
        .collect();
    store
        .apply(
            &common::actor(),
            Command::Import {
                records: many,
                on_conflict: OnConflict::Fail,
                source: "bulk".into(),
            },
        )
        .unwrap();
    let (now, fresh) = search_index::current(&store, Some(held), &mut say).unwrap();
    assert_eq!(fresh, Freshness::Rebuilt);
    same(&now, &store, "after a large import");
    let ids: HashSet<String> = now
        .search(&Request::new("bulk zzq").limit(5000).with_ids())
        .matched
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    assert_eq!(ids.len(), 1100);
}

#[test]
fn a_local_workbench_searches_on_the_stores_saved_index_and_sees_its_changes() {
    use std::time::Duration;
    use taskforce::backend::{Backend, Local};
    use taskforce::search::Searcher;
    let (_dir, db) = common::temp_db();
    let store = common::sample_store(&db);
    let (replica, _) = store.load().unwrap();
    let fresh = Index::build(&replica);
    let mut local = Local::new(store, common::actor());
    let source = local
        .search_source()
        .expect("a local store has a search source");
    let mut searcher = Searcher::with_source(source);
    let mut ask = |q: &str| {
        searcher.submit(Request::new(q).limit(20));
        searcher.wait(Duration::from_secs(20)).expect("an answer")
    };
    for q in ["example", "vouch fair", "p:"] {
        let (a, b) = (ask(q), fresh.search(&Request::new(q).limit(20)));
        assert_eq!((a.total, a.hits), (b.total, b.hits), "{q}");
    }
    assert!(
        db.join("search-index").exists(),
        "the index was saved beside the store"
    );
    let renamed = {
        let (replica, _) = local.snapshot().unwrap();
        let sme = replica
            .rows(Kind::Sme)
            .next()
            .expect("the sample has an SME")
            .record
            .clone();
        renamed(&sme, "Zyxwv")
    };
    local
        .submit(Command::Put {
            record: renamed.clone(),
            expected_rev: None,
        })
        .unwrap();
    let found = ask("zyxwv");
    assert_eq!(
        found.hits.first().map(|h| h.id.as_str()),
        Some(renamed.id())
    );
}
