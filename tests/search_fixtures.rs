//! Relevance on the bundled INTRA and InterVentures records: what a person types in a meeting,
//! and what they expect to see first.

use taskforce::fixtures;
use taskforce::model::*;
use taskforce::search::*;

fn index() -> Index {
    let records: Vec<Record> = fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let refs: Vec<&Record> = records.iter().collect();
    Index::from_records(&refs)
}

fn hits(index: &Index, query: &str) -> Vec<Hit> {
    index.search(&Request::new(query).limit(10)).hits
}

fn titles(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.title.as_str()).collect()
}

#[test]
fn vouch_fair_ranks_the_fair_presentation_voucher_type_first() {
    let index = index();
    let found = hits(&index, "vouch fair");
    let first = &found[0];
    assert_eq!(first.label, "voucher type", "{:?}", titles(&found));
    assert_eq!(first.kind, Kind::Scheme);
    assert_eq!(first.id, "si-internationalisation-vouchers");
    assert!(first.title.contains("fairs"), "{}", first.title);
    let code = first.voucher_type.as_deref().unwrap();
    let Some(Record::Scheme(scheme)) = fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .find(|r| r.kind() == Kind::Scheme && r.id() == first.id)
    else {
        panic!("no scheme {}", first.id)
    };
    assert_eq!(scheme.voucher_type(code).unwrap().name, first.title);
    // Both words are marked in the title.
    let marked: String = first
        .title_marks
        .iter()
        .map(|m| first.title.chars().nth(*m).unwrap())
        .collect();
    assert_eq!(marked.to_lowercase(), "vouchfair");
    // "fair vouchers", the way people say it, finds it first too.
    assert_eq!(hits(&index, "fair vouchers")[0].title, first.title);
}

#[test]
fn badajoz_finds_the_study_visits_in_badajoz() {
    let index = index();
    let visits = ["intra-sv2-badajoz-2018", "intra-sv2-extremadura"];
    let found = hits(&index, "badajoz");
    assert!(
        visits.contains(&found[0].id.as_str()),
        "{:?}",
        titles(&found)
    );
    // The five meetings held in Badajoz come before mentions of Badajoz in texts.
    let mut in_badajoz: Vec<&str> = found[..5].iter().map(|h| h.id.as_str()).collect();
    in_badajoz.sort();
    assert_eq!(
        in_badajoz,
        [
            "intra-itf2-extremadura",
            "intra-sc2-extremadura",
            "intra-sv2-badajoz-2018",
            "intra-sv2-extremadura",
            "intra-workshop-extremadura",
        ],
        "{:?}",
        titles(&found)
    );
    let city = found[1].fields.iter().find(|f| f.label == "city").unwrap();
    assert_eq!(city.text, "Badajoz");
    // Narrowed to meetings, and by what the visit was: the two study visits first.
    assert!(visits.contains(&hits(&index, "m: badajoz")[0].id.as_str()));
    let study = hits(&index, "study visit badajoz");
    let mut first_two: Vec<&str> = study[..2].iter().map(|h| h.id.as_str()).collect();
    first_two.sort();
    assert_eq!(first_two, visits, "{:?}", titles(&study));
}

#[test]
fn coventry_ecomm_finds_the_e_commerce_practice() {
    let index = index();
    let found = hits(&index, "coventry ecomm");
    let practice = found
        .iter()
        .position(|h| h.kind == Kind::Practice && h.id == "gp-es-ecommerce-support")
        .unwrap_or_else(|| panic!("not found: {:?}", titles(&found)));
    assert!(practice < 3, "{:?}", titles(&found));
    // What ranks above it names Coventry in its title and matches e-commerce too: Coventry's
    // e-commerce action that the practice inspired, and the RSG meeting that discussed it.
    for h in &found[..practice] {
        assert!(h.title.contains("Coventry"), "{}", h.title);
    }
    assert_eq!(found[0].id, "a-uk-ecommerce-support");
    // Narrowed to practices, it is the one.
    let p = hits(&index, "p: coventry ecomm");
    assert_eq!(p[0].id, "gp-es-ecommerce-support");
    // The practice's title carries the e-commerce marks; Coventry is found in its text.
    let hit = &found[practice];
    assert!(!hit.title_marks.is_empty());
    assert!(hit.fields.iter().any(|f| f.text.contains("Coventry")));
}

#[test]
fn klaipeda_and_pecs_are_found_without_their_diacritics() {
    let index = index();
    let found = hits(&index, "klaipeda");
    assert!(found.len() >= 3, "{:?}", titles(&found));
    for h in &found[..3] {
        assert!(h.title.contains("Klaipėda"), "{}", h.title);
        let marked: String = h
            .title_marks
            .iter()
            .map(|m| h.title.chars().nth(*m).unwrap())
            .collect();
        assert_eq!(marked, "Klaipėda");
    }
    assert!(found.iter().any(|h| h.id == "iv-tv-klaipeda"));
    assert!(found.iter().any(|h| h.kind == Kind::Partner));

    let found = hits(&index, "pecs");
    assert!(found.len() >= 2, "{:?}", titles(&found));
    for h in &found[..2] {
        assert_eq!(h.kind, Kind::Meeting);
        assert!(h.title.ends_with("Pécs"), "{}", h.title);
    }
    assert!(found.iter().any(|h| h.id == "iv-closing-pecs"));
    // With or without the accent, and in capitals when the capital is typed.
    assert_eq!(titles(&hits(&index, "pécs")), titles(&found));
    assert_eq!(titles(&hits(&index, "Pecs")), titles(&found));
}

#[test]
fn names_people_use_find_their_records() {
    let index = index();
    let first = |q: &str| {
        hits(&index, q)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{q}"))
    };
    assert_eq!(first("maribor dev").id, "intra-mra");
    assert_eq!(first("rzeszow").id, "iv-rarr");
    assert_eq!(first("cheque").title, "Cheque Exporta");
    assert_eq!(first("self assess").id, "gp-si-export-self-assessment");
    assert_eq!(first("ecommerce").id, "gp-es-ecommerce-support");
    assert_eq!(first("a: self assess").id, "a-si-export-self-assessment");
    assert_eq!(
        first("\"study visit\" faro").id,
        "intra-sv-round2-faro-2018"
    );
}

/// Where a record's facts come from is shown in its detail, not searched: a word that appears
/// only in a record's sources finds nothing through them.
#[test]
fn sources_are_not_searched() {
    let records: Vec<Record> = fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let with_source = records
        .iter()
        .filter_map(|r| r.source().filter(|s| !s.is_empty()).map(|s| (r, s)))
        .count();
    assert!(with_source > 10, "the bundled records name their sources");
    // A record whose source names a place its other fields do not: Abruzzo4Export's sources do
    // not make it a Maribor practice.
    let mut records = records;
    for r in &mut records {
        if let Record::Practice(p) = r
            && p.id.as_str() == "gp-it-abruzzo4export"
        {
            p.source = "Minutes of the 6th RSG meeting in Maribor".into();
        }
    }
    let refs: Vec<&Record> = records.iter().collect();
    let index = Index::from_records(&refs);
    let found = hits(&index, "p: maribor");
    assert!(!found.is_empty());
    assert!(
        !titles(&found).contains(&"Abruzzo4Export"),
        "{:?}",
        titles(&found)
    );
}
