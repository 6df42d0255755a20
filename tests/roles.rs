//! Roles: the first user becomes facilitator; everyone records only their own scores;
//! facilitators manage sessions and members and may score on behalf of others.

mod common;

use common::*;
use taskforce::model::*;
use taskforce::store::{CommandError, Store};

fn score(evaluator: &str, value: i64) -> Record {
    let (session, practice) = (SessionId::new("itf-1"), PracticeId::new("gp-vouchers"));
    Score {
        id: Score::key(&session, &practice, evaluator, "S"),
        session,
        practice,
        evaluator: evaluator.into(),
        criterion: "S".into(),
        value: Some(Decimal1::from_units(value)),
        abstain_reason: String::new(),
        comment: String::new(),
        entered_by: String::new(),
        at: Timestamp::now(),
    }
    .into()
}

fn put(store: &Store, actor: &Actor, record: Record) -> Result<Committed, CommandError> {
    store.apply(
        actor,
        Command::Put {
            record,
            expected_rev: None,
        },
    )
}

#[test]
fn the_first_user_of_a_new_database_becomes_facilitator() {
    let (_d, db) = temp_db();
    let store = Store::open(&db).unwrap();
    let records = taskforce::fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    store
        .apply(
            &Actor::user("carol"),
            Command::Import {
                records,
                on_conflict: OnConflict::Fail,
                source: "f".into(),
            },
        )
        .unwrap();
    assert_eq!(store.facilitators().unwrap(), vec!["carol".to_string()]);
}

#[test]
fn evaluators_record_only_their_own_scores() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let err = put(&store, &Actor::user("bob"), score("alice", 3)).unwrap_err();
    assert!(matches!(err, CommandError::Denied(_)), "{err}");
    assert!(
        err.to_string()
            .contains("this one is alice's, and you are acting as bob"),
        "{err}"
    );
    put(&store, &Actor::user("bob"), score("bob", 3)).unwrap();
    let proxy = Actor {
        user: "bob".into(),
        on_behalf_of: Some("alice".into()),
    };
    let err = put(&store, &proxy, score("alice", 2)).unwrap_err();
    assert!(
        err.to_string()
            .contains("only a facilitator can enter scores on behalf"),
        "{err}"
    );
}

#[test]
fn facilitators_score_on_behalf_of_others_and_the_log_names_both() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let proxy = Actor {
        user: "alice".into(),
        on_behalf_of: Some("bob".into()),
    };
    let committed = put(&store, &proxy, score("bob", 5)).unwrap();
    let Some(Row {
        record: Record::Score(s),
        by,
        ..
    }) = committed.changes[0].row.clone()
    else {
        panic!()
    };
    assert_eq!(
        (s.evaluator.as_str(), s.entered_by.as_str(), by.as_str()),
        ("bob", "alice", "alice for bob")
    );
    let entry = &store.audit(1).unwrap()[0];
    assert_eq!(entry.actor, proxy);
}

#[test]
fn only_facilitators_manage_sessions_and_members() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let Record::Session(mut session) = store.get(Kind::Session, "itf-1").unwrap().unwrap().record
    else {
        panic!()
    };
    session.state = SessionState::Consensus;
    let err = put(&store, &Actor::user("bob"), session.clone().into()).unwrap_err();
    assert!(
        err.to_string()
            .contains("only a facilitator can create, open, close"),
        "{err}"
    );
    put(&store, &Actor::user("alice"), session.into()).unwrap();
    // During consensus individual scores are locked.
    let err = put(&store, &Actor::user("bob"), score("bob", 4)).unwrap_err();
    assert!(
        err.to_string().contains(
            "session 'itf-1' is consensus: individual scores can change only while it is open"
        ),
        "{err}"
    );
    // Promoting oneself is refused; the last facilitator cannot step down.
    let me = Member {
        id: MemberId::new("bob"),
        name: "Bob".into(),
        organisation: String::new(),
        partner: None,
        facilitator: true,
    };
    assert!(matches!(
        put(&store, &Actor::user("bob"), me.clone().into()),
        Err(CommandError::Denied(_))
    ));
    put(
        &store,
        &Actor::user("bob"),
        Member {
            facilitator: false,
            ..me
        }
        .into(),
    )
    .unwrap();
    let Record::Member(mut alice) = store.get(Kind::Member, "alice").unwrap().unwrap().record
    else {
        panic!()
    };
    alice.facilitator = false;
    let err = put(&store, &Actor::user("alice"), alice.into()).unwrap_err();
    assert!(
        err.to_string()
            .contains("at least one facilitator must remain"),
        "{err}"
    );
}
