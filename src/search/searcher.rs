//! `Searcher`: matching off the UI thread. The workbench submits a request per keystroke and
//! polls for results without ever blocking; a newer request cancels an older one mid-match.
//!
//! ```no_run
//! # use taskforce::search::{Index, Request, Searcher};
//! # let index = Index::new();
//! # let mut keystroke = || None::<String>;
//! let mut searcher = Searcher::new(index);
//! loop {
//!     // 1. On a key that changes the query:
//!     if let Some(query) = keystroke() {
//!         searcher.submit(Request::new(query));
//!     }
//!     // 2. Every turn of the loop (poll terminal events with a short timeout, e.g. 10 ms,
//!     //    while `searcher.pending()`):
//!     if let Some(results) = searcher.poll() {
//!         // show results.hits; results.total counts them all
//!     }
//!     // 3. On a commit (own or someone else's): searcher.apply(committed.clone());
//! #   break;
//! }
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::engine::{self, Request, Results};
use super::index::Index;
use crate::model::{Committed, Replica};

enum Message {
    Search(Request, u64),
    Apply(Box<Committed>),
    Build(std::sync::Arc<Replica>),
    /// Nothing is showing any more: commits need not run the last request again.
    Forget,
    Stop,
}

/// What a searcher matches against: an index of its own, or whoever holds the records (the
/// store's saved index in this process, or a server).
pub trait Source: Send {
    /// Runs a request, unless `cancelled` says it is no longer wanted (then `None`).
    fn search(
        &mut self,
        request: &Request,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Results>;
    /// Takes a commit in; whether results may have changed with it.
    fn apply(&mut self, committed: &Committed) -> bool;
}

impl Source for Index {
    fn search(
        &mut self,
        request: &Request,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Results> {
        // Every request is matched against the whole index. Re-matching only the previous
        // hits when the query grows is wrong: the matcher is stricter on 1–2 letter words than
        // on longer ones (`ma` matches fewer records than `mar`), so narrowing dropped true
        // results while typing (issue 21).
        engine::run(self, request, None, cancelled).map(|m| m.results)
    }

    fn apply(&mut self, committed: &Committed) -> bool {
        Index::apply(self, committed)
    }
}

/// Called on the worker thread whenever results are ready (e.g. to wake an event loop).
pub type Waker = Box<dyn Fn() + Send>;

/// A search worker that owns the index.
pub struct Searcher {
    to_worker: Sender<Message>,
    from_worker: Receiver<Results>,
    /// The newest generation submitted; a worker drops any older request, even mid-match.
    latest: Arc<AtomicU64>,
    /// The generation and index version of the newest results handed out by `poll`.
    delivered: (u64, u64),
    waker: Arc<Mutex<Option<Waker>>>,
    worker: Option<JoinHandle<()>>,
}

/// What the worker keeps between requests.
struct Worker {
    source: Box<dyn Source>,
    latest: Arc<AtomicU64>,
    results: Sender<Results>,
    waker: Arc<Mutex<Option<Waker>>>,
    /// The request the latest results answer, re-run after a commit so that they stay current.
    showing: Option<(Request, u64)>,
}

impl Worker {
    fn run(mut self, inbox: Receiver<Message>) {
        while let Ok(first) = inbox.recv() {
            let mut job = None;
            let mut changed = false;
            let mut next = Some(first);
            // Take everything queued: commits are applied in order, only the newest request runs.
            while let Some(message) = next {
                match message {
                    Message::Search(request, generation) => job = Some((request, generation)),
                    Message::Apply(committed) => changed |= self.source.apply(&committed),
                    Message::Forget => self.showing = None,
                    Message::Build(replica) => {
                        self.source = Box::new(Index::build(&replica));
                        // The records are not needed any more; free them here, not on the UI.
                        drop(replica);
                        changed = true;
                    }
                    Message::Stop => return,
                }
                next = inbox.try_recv().ok();
            }
            if changed && job.is_none() {
                // Keep what is on screen current: run the shown request again, under its own
                // generation (a newer request, if one comes, cancels it as usual).
                job = self.showing.take();
            }
            if let Some((request, generation)) = job {
                self.search(request, generation);
            }
        }
    }

    fn search(&mut self, request: Request, generation: u64) {
        let latest = &self.latest;
        let cancelled = || latest.load(Ordering::SeqCst) != generation;
        if cancelled() {
            return;
        }
        let Some(mut results) = self.source.search(&request, &cancelled) else {
            return;
        };
        results.generation = generation;
        self.showing = Some((request, generation));
        if self.results.send(results).is_ok()
            && let Ok(waker) = self.waker.lock()
            && let Some(wake) = waker.as_ref()
        {
            wake();
        }
    }
}

impl Searcher {
    /// Starts a worker thread that owns `index`. Matching itself runs on rayon's threads (every
    /// core); the calling thread is never used.
    pub fn new(index: Index) -> Searcher {
        Searcher::with_source(Box::new(index))
    }

    /// Starts a worker thread that searches `source`.
    pub fn with_source(source: Box<dyn Source>) -> Searcher {
        let (to_worker, inbox) = mpsc::channel();
        let (results, from_worker) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let waker: Arc<Mutex<Option<Waker>>> = Arc::new(Mutex::new(None));
        let worker = Worker {
            source,
            latest: latest.clone(),
            results,
            waker: waker.clone(),
            showing: None,
        };
        let worker = std::thread::Builder::new()
            .name("taskforce-search".into())
            .spawn(move || worker.run(inbox))
            .expect("the search thread starts");
        Searcher {
            to_worker,
            from_worker,
            latest,
            delivered: (0, 0),
            waker,
            worker: Some(worker),
        }
    }

    /// Starts a worker that first builds the index of `replica` (on its own thread, so the
    /// caller does not wait for it); requests and commits queue behind the build.
    pub fn build(replica: std::sync::Arc<Replica>) -> Searcher {
        let searcher = Searcher::new(Index::new());
        let _ = searcher.to_worker.send(Message::Build(replica));
        searcher
    }

    /// Calls `wake` on the worker thread whenever new results are ready.
    pub fn set_waker(&self, wake: Waker) {
        if let Ok(mut w) = self.waker.lock() {
            *w = Some(wake);
        }
    }

    /// Queues a request and returns its generation at once. Any older request still queued or
    /// running is abandoned; its results will never be returned by [`Searcher::poll`].
    pub fn submit(&mut self, request: Request) -> u64 {
        let generation = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = self.to_worker.send(Message::Search(request, generation));
        generation
    }

    /// Abandons the request in progress (e.g. when the search is closed); nothing more arrives
    /// until the next `submit` or commit.
    pub fn cancel(&mut self) {
        let generation = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        self.delivered = (generation, 0);
        let _ = self.to_worker.send(Message::Forget);
    }

    /// Queues a commit; later requests see it. If results are showing, the worker runs their
    /// request again and `poll` returns the fresh results (same generation, newer
    /// `index_version`).
    pub fn apply(&self, committed: Committed) {
        let _ = self.to_worker.send(Message::Apply(Box::new(committed)));
    }

    /// The newest finished results, if they answer the newest request and were not returned
    /// before. Never blocks.
    pub fn poll(&mut self) -> Option<Results> {
        let mut newest = None;
        while let Ok(results) = self.from_worker.try_recv() {
            newest = self.accept(results).or(newest);
        }
        newest
    }

    /// Like [`Searcher::poll`], but waits up to `timeout` for results (for scripts and tests).
    pub fn wait(&mut self, timeout: Duration) -> Option<Results> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(r) = self.poll() {
                return Some(r);
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.from_worker.recv_timeout(left) {
                Ok(results) => {
                    if let Some(r) = self.accept(results) {
                        // Something newer may already be queued behind it.
                        return Some(self.poll().unwrap_or(r));
                    }
                }
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Keeps results only when they answer the newest generation.
    fn accept(&mut self, results: Results) -> Option<Results> {
        let latest = self.latest.load(Ordering::SeqCst);
        let stamp = (results.generation, results.index_version);
        if results.generation == latest && stamp > self.delivered {
            self.delivered = stamp;
            Some(results)
        } else {
            None
        }
    }

    /// Whether a request was submitted whose results have not been returned yet.
    pub fn pending(&self) -> bool {
        self.latest.load(Ordering::SeqCst) > self.delivered.0
    }

    /// The generation of the newest request.
    pub fn generation(&self) -> u64 {
        self.latest.load(Ordering::SeqCst)
    }
}

impl Drop for Searcher {
    fn drop(&mut self) {
        self.latest.fetch_add(1, Ordering::SeqCst);
        let _ = self.to_worker.send(Message::Stop);
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
