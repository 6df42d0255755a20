use taskforce::io::json;
use taskforce::model::*;
use taskforce::search::*;

#[test]
fn show() {
    let text = include_str!("data/search_corpus.json");
    let records: Vec<Record> = json::parse(text, "c")
        .unwrap()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    let refs: Vec<&Record> = records.iter().collect();
    let index = Index::from_records(&refs);
    for q in [
        "vouch fair",
        "badajoz",
        "coventry ecomm",
        "klaipeda",
        "pecs",
        "vouch",
        "v",
        "ma",
        "ecommerce",
        "\"study visit\"",
        "m: maribor",
        "fair !milan",
    ] {
        let r = index.search(&Request::new(q).limit(6));
        println!("== {q}  ({} hits)", r.total);
        for h in &r.hits {
            println!(
                "  {:5} {:14} {:24} {:?} {:?} | {:?}",
                h.score,
                h.label,
                h.id,
                h.title,
                h.title_marks,
                h.fields
                    .iter()
                    .map(|f| format!("{}: {} {:?}", f.label, f.text, f.marks))
                    .collect::<Vec<_>>()
            );
        }
    }
}
