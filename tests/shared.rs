//! Shared use you can trust: several workbenches on one server, every change decided by the
//! store against what it holds, and every screen fed by one stream in commit order.

mod common;

use std::os::unix::net::UnixListener;
use std::path::Path;
use std::time::{Duration, Instant};

use common::server::Server;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::{Terminal, backend::TestBackend};
use taskforce::backend::{Backend, Remote};
use taskforce::model::*;
use taskforce::server::protocol::{
    ClientMsg, PROTOCOL_VERSION, ServerMsg, read_frame, write_frame,
};
use taskforce::server::{Connection, Reply, Request, socket_path};
use taskforce::store::{CommandError, Store};
use taskforce::tui::{App, Options, handle_key, outbox};

fn me() -> String {
    taskforce::sys::current_user()
}

/// The sample database with the user running the tests as one of the session's evaluators and,
/// when `facilitator`, a facilitator beside alice.
fn prepared(db: &Path, facilitator: bool) {
    let store = sample_store(db);
    let alice = Actor::user("alice");
    let Some(Row {
        record: Record::Session(mut session),
        rev,
        ..
    }) = store.get(Kind::Session, "itf-1").unwrap()
    else {
        panic!("the sample has session itf-1")
    };
    session.evaluators.push(me());
    store
        .apply(
            &alice,
            Command::Put {
                record: (*session).into(),
                expected_rev: Some(rev),
            },
        )
        .unwrap();
    if facilitator {
        let member = Member {
            id: MemberId::new(me()),
            name: String::new(),
            organisation: String::new(),
            partner: None,
            facilitator: true,
        };
        store
            .apply(
                &alice,
                Command::Put {
                    record: member.into(),
                    expected_rev: Some(0),
                },
            )
            .unwrap();
    }
    drop(store);
    wait_released(db);
}

fn options() -> Options {
    Options {
        color: false,
        ..Options::default()
    }
}

/// A workbench as the event loop runs it, on a client of the server.
struct Workbench {
    backend: Remote,
    app: App,
}

impl Workbench {
    fn connect(db: &Path) -> Workbench {
        let mut backend = Remote::connect(db, "workbench", false, false).unwrap();
        let (replica, _) = backend.snapshot().unwrap();
        let app = App::new(replica, backend.user(), "shared", options());
        Workbench { backend, app }
    }

    fn send(&mut self, command: Command, on_behalf_of: Option<&str>) {
        self.app.send(
            command,
            on_behalf_of.map(str::to_string),
            outbox::Purpose::Plain("change".into()),
        );
        self.app.exchange(&mut self.backend);
    }

    fn pump(&mut self) {
        self.app.exchange(&mut self.backend);
    }

    fn message(&self) -> String {
        self.app
            .message()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }
}

/// Runs the workbenches' event loops until `done` holds, 30 s at most.
fn until(benches: &mut [&mut Workbench], what: &str, done: impl Fn(&[&mut Workbench]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(benches) {
        for w in benches.iter_mut() {
            w.pump();
        }
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Until every change the workbenches sent has its answer.
fn answered(benches: &mut [&mut Workbench]) {
    until(benches, "no answer from the server", |ws| {
        ws.iter().all(|w| !w.app.awaiting_answers())
    });
}

fn score(practice: &str, criterion: &str, value: i64) -> Command {
    Command::Evaluate(Evaluate::Score {
        session: "itf-1".into(),
        practice: practice.into(),
        criterion: criterion.into(),
        mark: Mark::Value(Decimal1::from_units(value)),
        comment: None,
        seen: None,
    })
}

fn sme(id: &str, city: &str) -> Record {
    Sme {
        id: SmeId::new(id),
        name: format!("Example SME {id}"),
        registration_number: String::new(),
        size: SmeSize::Small,
        country: "SI".into(),
        region: String::new(),
        city: city.into(),
    }
    .into()
}

/// Every record of every kind, as a fresh client reads it from the server.
fn fresh(db: &Path) -> Replica {
    let mut conn = Connection::connect(db, "test").unwrap();
    conn.snapshot().unwrap().0
}

fn assert_same(replica: &Replica, fresh: &Replica, who: &str) {
    for kind in Kind::ALL {
        let mine: Vec<&Row> = replica.rows(*kind).collect();
        let theirs: Vec<&Row> = fresh.rows(*kind).collect();
        assert!(
            mine == theirs,
            "{who}: {kind} differ: {} rows against {}",
            mine.len(),
            theirs.len()
        );
    }
}

#[test]
fn two_workbenches_interleave_every_kind_of_command_and_end_as_the_store() {
    let (_d, db) = temp_db();
    prepared(&db, true);
    let _server = Server::start(&db, &[]);
    let mut a = Workbench::connect(&db);
    let mut b = Workbench::connect(&db);
    // Sent without waiting for one another: each goes to the server at once.
    a.send(score("gp-vouchers", "S", 4), None);
    b.send(score("gp-vouchers", "S", 2), Some("bob"));
    a.send(
        Command::Evaluate(Evaluate::Comment {
            session: "itf-1".into(),
            practice: "gp-vouchers".into(),
            criterion: "S".into(),
            comment: "seen it in Maribor".into(),
        }),
        None,
    );
    b.send(
        Command::Evaluate(Evaluate::Comment {
            session: "itf-1".into(),
            practice: "gp-vouchers".into(),
            criterion: Score::PRACTICE_COMMENT.into(),
            comment: "strong ownership".into(),
        }),
        Some("bob"),
    );
    a.send(
        Command::Put {
            record: sme("sme-one", "Maribor"),
            expected_rev: Some(0),
        },
        None,
    );
    b.send(
        Command::Import {
            records: vec![sme("sme-two", "Celje")],
            on_conflict: OnConflict::Fail,
            source: "two.json".into(),
        },
        None,
    );
    a.send(score("gp-vouchers", "S", 5), Some("alice"));
    b.send(
        Command::Evaluate(Evaluate::Clear {
            session: "itf-1".into(),
            practice: "gp-vouchers".into(),
            criterion: "S".into(),
        }),
        Some("bob"),
    );
    // Wait for the answers, then go on with what depends on them.
    answered(&mut [&mut a, &mut b]);
    let rev = a.app.replica.row(Kind::Sme, "sme-one").unwrap().rev;
    a.send(
        Command::Put {
            record: sme("sme-one", "Ptuj"),
            expected_rev: Some(rev),
        },
        None,
    );
    b.send(
        Command::Delete {
            kind: Kind::Sme,
            id: "sme-two".into(),
            expected_rev: None,
        },
        None,
    );
    a.send(
        Command::Evaluate(Evaluate::Move {
            session: "itf-1".into(),
            from: SessionState::Open,
            to: SessionState::Consensus,
            reason: String::new(),
        }),
        None,
    );
    answered(&mut [&mut a, &mut b]);
    b.send(
        Command::Evaluate(Evaluate::Decide {
            session: "itf-1".into(),
            practice: "gp-vouchers".into(),
            decision: Decision::Validated,
            value: None,
            comment: "the room agreed without full scores".into(),
            seen: None,
        }),
        None,
    );
    answered(&mut [&mut b]);
    assert!(!b.message().contains("Not saved"), "{}", b.message());
    let decided = b.app.replica.seq;
    b.send(Command::Undo { seq: decided }, None);
    answered(&mut [&mut b]);
    let last = fresh(&db).seq;
    until(
        &mut [&mut a, &mut b],
        "the workbenches never caught up",
        |ws| ws.iter().all(|w| w.app.replica.seq >= last),
    );
    let store = fresh(&db);
    assert_same(&a.app.replica, &store, "a");
    assert_same(&b.app.replica, &store, "b");
    // What each change did is there.
    let Some(Record::Session(session)) = store.record(Kind::Session, "itf-1") else {
        panic!()
    };
    assert_eq!(session.state, SessionState::Consensus);
    assert!(session.consensus.is_empty(), "the decision was undone");
    assert!(store.record(Kind::Sme, "sme-two").is_none());
    assert!(matches!(store.record(Kind::Sme, "sme-one"), Some(Record::Sme(s)) if s.city == "Ptuj"));
    let key = |e: &str, c: &str| Score::key(&"itf-1".into(), &"gp-vouchers".into(), e, c);
    assert!(
        matches!(store.record(Kind::Score, key(&me(), "S").as_str()), Some(Record::Score(s)) if s.comment == "seen it in Maribor")
    );
    assert!(
        store
            .record(Kind::Score, key("bob", "S").as_str())
            .is_none()
    );
    assert!(
        matches!(store.record(Kind::Score, key("alice", "S").as_str()), Some(Record::Score(s)) if s.entered_by == me())
    );
    assert!(
        store
            .record(Kind::Score, key("bob", "*").as_str())
            .is_some()
    );
}

/// A server of our own making that answers this client's change before it sends the broadcast
/// of another user's change committed just before it: the order the old client got wrong.
#[test]
fn a_reply_that_overtakes_another_users_broadcast_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().to_path_buf();
    let listener = UnixListener::bind(socket_path(&db)).unwrap();
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let Ok(ClientMsg::Hello { .. }) = read_frame::<ClientMsg>(&mut stream) else {
            panic!("no hello")
        };
        write_frame(
            &mut stream,
            &ServerMsg::Welcome {
                protocol: PROTOCOL_VERSION,
                user: "ana".into(),
                server_pid: 1,
            },
        )
        .unwrap();
        let Ok(ClientMsg::Request { id, .. }) = read_frame::<ClientMsg>(&mut stream) else {
            panic!("no snapshot request")
        };
        write_frame(
            &mut stream,
            &ServerMsg::Reply {
                id,
                reply: Ok(Reply::Snapshot { seq: 1 }),
            },
        )
        .unwrap();
        let Ok(ClientMsg::Request { id, .. }) = read_frame::<ClientMsg>(&mut stream) else {
            panic!("no change")
        };
        let commit = |seq: u64, who: &str, record: Record| Committed {
            seq,
            at: Timestamp::now(),
            actor: Actor::user(who),
            summary: format!("{who}'s change"),
            changed: 1,
            changes: vec![Change {
                kind: record.kind(),
                id: record.id().to_string(),
                row: Some(Row {
                    rev: seq,
                    at: Timestamp::now(),
                    by: who.into(),
                    record,
                }),
            }],
        };
        let bos = commit(2, "bo", sme("bos-sme", "Koper"));
        let mine = commit(3, "ana", sme("anas-sme", "Kranj"));
        // My reply first, then bo's earlier commit, then my own broadcast.
        for message in [
            ServerMsg::Reply {
                id,
                reply: Ok(Reply::Committed(mine.clone())),
            },
            ServerMsg::Event(bos),
            ServerMsg::Event(mine),
        ] {
            write_frame(&mut stream, &message).unwrap();
        }
        // Stay until the client has read everything.
        let _ = read_frame::<ClientMsg>(&mut stream);
    });
    let mut w = Workbench::connect(&db);
    w.send(
        Command::Put {
            record: sme("anas-sme", "Kranj"),
            expected_rev: Some(0),
        },
        None,
    );
    // Until everything the server sent is taken in (my reply alone already says seq 3).
    until(
        &mut [&mut w],
        "the answers never came, or bo's change, broadcast after my reply, was dropped",
        |ws| {
            ws[0].app.replica.seq >= 3
                && !ws[0].app.awaiting_answers()
                && ws[0].app.replica.record(Kind::Sme, "bos-sme").is_some()
        },
    );
    assert!(!w.message().contains("Not saved"), "{}", w.message());
    assert!(w.app.replica.record(Kind::Sme, "anas-sme").is_some());
    assert!(
        w.app.replica.record(Kind::Sme, "bos-sme").is_some(),
        "bo's change, broadcast after my reply, was dropped"
    );
    drop(w);
    server.join().unwrap();
}

fn decide(
    actor: &Actor,
    store: &Store,
    seen: Option<ConsensusEntry>,
    d: Decision,
) -> Result<Committed, CommandError> {
    store.apply(
        actor,
        Command::Evaluate(Evaluate::Decide {
            session: "itf-1".into(),
            practice: "gp-vouchers".into(),
            decision: d,
            value: None,
            comment: String::new(),
            seen,
        }),
    )
}

#[test]
fn two_facilitators_deciding_or_moving_from_the_same_copy_the_second_is_told_who_was_first() {
    let (_d, db) = temp_db();
    let store = sample_store(&db);
    let (alice, carol) = (Actor::user("alice"), Actor::user("carol"));
    store
        .apply(
            &alice,
            Command::Put {
                record: Member {
                    id: "carol".into(),
                    name: String::new(),
                    organisation: String::new(),
                    partner: None,
                    facilitator: true,
                }
                .into(),
                expected_rev: Some(0),
            },
        )
        .unwrap();
    let move_to = |actor: &Actor, from, to| {
        store.apply(
            actor,
            Command::Evaluate(Evaluate::Move {
                session: "itf-1".into(),
                from,
                to,
                reason: String::new(),
            }),
        )
    };
    // Both saw the session open.
    move_to(&alice, SessionState::Open, SessionState::Consensus).unwrap();
    let err = move_to(&carol, SessionState::Open, SessionState::Consensus).unwrap_err();
    assert!(matches!(err, CommandError::Overtaken(_)), "{err}");
    assert!(
        err.to_string()
            .contains("alice moved session 'itf-1' to consensus 0 s ago"),
        "{err}"
    );
    // Both saw no decision on the practice.
    decide(&alice, &store, None, Decision::Validated).unwrap();
    let err = decide(&carol, &store, None, Decision::Rejected).unwrap_err();
    assert!(
        err.to_string().contains(
            "alice decided this practice 0 s ago: validated at the mean; nothing was changed"
        ),
        "{err}"
    );
    let Some(Row {
        record: Record::Practice(p),
        ..
    }) = store.get(Kind::Practice, "gp-vouchers").unwrap()
    else {
        panic!()
    };
    assert_eq!(
        p.status,
        PracticeStatus::Validated,
        "carol's decision did not land"
    );
    // Having seen alice's decision, carol may change it; so may alice change her own at once.
    let Some(Row {
        record: Record::Session(s),
        ..
    }) = store.get(Kind::Session, "itf-1").unwrap()
    else {
        panic!()
    };
    decide(&alice, &store, None, Decision::Deferred).unwrap();
    let err = decide(
        &carol,
        &store,
        s.consensus.first().cloned(),
        Decision::Rejected,
    )
    .unwrap_err();
    assert!(err.to_string().contains("deferred at the mean"), "{err}");
}

#[test]
fn two_evaluators_scoring_different_criteria_from_the_same_copy_both_land() {
    let (_d, db) = temp_db();
    prepared(&db, true);
    let _server = Server::start(&db, &[]);
    let mut a = Workbench::connect(&db);
    let mut b = Workbench::connect(&db);
    // The same cell of the grid typed in for two evaluators, and two cells at once.
    a.send(score("gp-vouchers", "S", 3), Some("alice"));
    b.send(score("gp-vouchers", "S", 4), Some("bob"));
    answered(&mut [&mut a, &mut b]);
    assert!(!a.message().contains("Not saved"), "{}", a.message());
    assert!(!b.message().contains("Not saved"), "{}", b.message());
    let store = fresh(&db);
    for (e, v) in [("alice", 3), ("bob", 4)] {
        let id = Score::key(&"itf-1".into(), &"gp-vouchers".into(), e, "S");
        assert!(
            matches!(store.record(Kind::Score, id.as_str()), Some(Record::Score(s)) if s.value == Some(Decimal1::from_units(v))),
            "{e}'s score"
        );
    }
}

#[test]
fn nobody_writes_as_someone_else_through_a_raw_connection_and_the_log_names_the_real_user() {
    let (_d, db) = temp_db();
    // alice is the facilitator; the user running the tests is an evaluator only.
    prepared(&db, false);
    let _server = Server::start(&db, &[]);
    let mut conn = Connection::connect(&db, "test").unwrap();
    let submit = |conn: &mut Connection, command: Command, on_behalf_of: Option<&str>| {
        conn.request(Request::Submit {
            command,
            on_behalf_of: on_behalf_of.map(str::to_string),
        })
    };
    let forged = |evaluator: &str| -> Record {
        let (session, practice) = (SessionId::new("itf-1"), PracticeId::new("gp-vouchers"));
        Score {
            id: Score::key(&session, &practice, evaluator, "S"),
            session,
            practice,
            evaluator: evaluator.into(),
            criterion: "S".into(),
            value: Some(Decimal1::from_units(1)),
            abstain_reason: String::new(),
            comment: String::new(),
            entered_by: "alice".into(),
            at: Timestamp::parse("2015-01-01T00:00:00Z").unwrap(),
        }
        .into()
    };
    // Another evaluator's score, as a record and as a proxy entry: refused.
    let err = submit(
        &mut conn,
        Command::Put {
            record: forged("bob"),
            expected_rev: None,
        },
        None,
    )
    .unwrap_err();
    assert!(matches!(err, CommandError::Denied(_)), "{err}");
    let err = submit(&mut conn, score("gp-vouchers", "S", 5), Some("bob")).unwrap_err();
    assert!(
        err.to_string()
            .contains("only a facilitator can enter scores on behalf"),
        "{err}"
    );
    // A decision, by someone who is not a facilitator: refused.
    let err = submit(
        &mut conn,
        Command::Evaluate(Evaluate::Decide {
            session: "itf-1".into(),
            practice: "gp-vouchers".into(),
            decision: Decision::Validated,
            value: None,
            comment: String::new(),
            seen: None,
        }),
        None,
    )
    .unwrap_err();
    assert!(matches!(err, CommandError::Denied(_)), "{err}");
    // Their own score in a batch that claims alice typed it in 2015, with a made-up summary:
    // the store keeps none of those claims.
    let committed = match submit(
        &mut conn,
        Command::Batch {
            records: vec![(forged(&me()), None)],
            summary: "alice validated everything".into(),
        },
        None,
    )
    .unwrap()
    {
        Reply::Committed(c) => c,
        other => panic!("{other:?}"),
    };
    let Some(Row {
        record: Record::Score(s),
        by,
        ..
    }) = committed.changes[0].row.clone()
    else {
        panic!()
    };
    assert_eq!(s.entered_by, "");
    assert!(
        s.at > Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
        "{}",
        s.at
    );
    assert_eq!(by.as_str(), me());
    let Reply::Audit(log) = conn.request(Request::Audit { limit: 1 }).unwrap() else {
        panic!()
    };
    assert_eq!(log[0].actor, Actor::user(me()));
    assert!(!log[0].summary.contains("alice"), "{}", log[0].summary);
}

#[test]
fn a_stopped_server_never_blocks_the_keys_and_a_score_shows_saving_until_it_is_durable() {
    let (_d, db) = temp_db();
    prepared(&db, false);
    let server = Server::start(&db, &[]);
    let mut w = Workbench::connect(&db);
    w.app.open_scoring("itf-1");
    server.signal(rustix::process::Signal::STOP);
    let t0 = Instant::now();
    handle_key(
        &mut w.app,
        KeyEvent::new(KeyCode::Char('4'), KeyModifiers::NONE),
    );
    w.pump();
    for _ in 0..20 {
        handle_key(
            &mut w.app,
            KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE),
        );
        w.pump();
    }
    let screen = render(&mut w.app);
    // Before, sending waited for the reply (up to two minutes).
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "keys waited for the stopped server: {:?}",
        t0.elapsed()
    );
    assert!(screen.contains("saving"), "{screen}");
    assert!(w.app.awaiting_answers());
    server.signal(rustix::process::Signal::CONT);
    answered(&mut [&mut w]);
    assert!(w.message().contains("Saved"), "{}", w.message());
    let screen = render(&mut w.app);
    assert!(!screen.contains("saving"), "{screen}");
    let id = Score::key(&"itf-1".into(), &"gp-vouchers".into(), &me(), "S");
    assert!(fresh(&db).record(Kind::Score, id.as_str()).is_some());
}

fn render(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| taskforce::tui::render(f, app)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_bulk_import_by_someone_else_reloads_the_workbench_without_waiting_and_loses_nothing() {
    let (_d, db) = temp_db();
    prepared(&db, true);
    let _server = Server::start(&db, &[]);
    let mut w = Workbench::connect(&db);
    let mut other = Connection::connect(&db, "other").unwrap();
    let records: Vec<Record> = (0..2500)
        .map(|i| sme(&format!("bulk-{i:04}"), "Celje"))
        .collect();
    let reply = other.request(Request::Submit {
        command: Command::Import {
            records,
            on_conflict: OnConflict::Fail,
            source: "bulk.json".into(),
        },
        on_behalf_of: None,
    });
    assert!(matches!(reply, Ok(Reply::Committed(_))), "{reply:?}");
    // Too large to broadcast: the workbench takes a new snapshot, and a change it sends and a
    // change someone else makes meanwhile both arrive.
    w.send(score("gp-vouchers", "S", 3), None);
    let reply = other.request(Request::Submit {
        command: Command::Put {
            record: sme("after-bulk", "Ptuj"),
            expected_rev: Some(0),
        },
        on_behalf_of: None,
    });
    assert!(matches!(reply, Ok(Reply::Committed(_))), "{reply:?}");
    let store = fresh(&db);
    until(&mut [&mut w], "the workbench never caught up", |ws| {
        ws[0].app.replica.seq >= store.seq && !ws[0].app.awaiting_answers()
    });
    assert!(!w.message().contains("Not saved"), "{}", w.message());
    assert_same(&w.app.replica, &fresh(&db), "the workbench");
    assert_eq!(w.app.replica.count(Kind::Sme), store.count(Kind::Sme));
}
