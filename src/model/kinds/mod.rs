//! What each kind of record is, declared once (`<kind>.rs`): its plural, its sort orders, the
//! record a new one starts from, and every field with its name, its label and where it shows —
//! its column in `taskforce list` and in the workbench's list, how the form edits it, how the
//! detail pane shows it, whether it is searched (as a key, a long text, or by the names of the
//! records it refers to), a facet of the filter menu, an order a list sorts by. The listings,
//! the workbench's columns, facets, sort orders and forms, the detail pane's rows and long
//! texts, the documents' field lists, the search entries, and the labels and types that
//! spreadsheets and the markdown export give fields are derived from these declarations;
//! bespoke views (the practice funnel, status and stage histories, voucher totals, link lists,
//! a meeting's agenda, the board) read records themselves.
//!
//! # Declaring a field
//!
//! A field starts as `field("key", "Label")` (its serde name and what people call it; a hint
//! in brackets, "Keywords (commas)", is left out where the field is named rather than typed
//! into) and gains a role with each call; every role is optional:
//!
//! ```text
//! field("country", "Country (ISO code)")
//!     .form(text(true, slot!(Practice.country)))         // edited in the form
//!     .shown_as(5, "Place", Show::Text(seen!(Practice, |_replica, p| …)))  // detail row
//!     .listed(3, "country", on!(Practice, |r| r.country.clone()))         // taskforce list
//!     .column(3, "Country", Fixed(7), 2, seen!(Practice, |_replica, p| …)) // workbench list
//!     .search_key(4, "country", read!(Practice, |r| country(&r.country)))
//!     .facet(2, Facet::Country, pick!(Practice, |p| …))
//!     .sorts(SortBy::Country, by!(Practice, |p| …))
//! ```
//!
//! - **Forms** (`form.rs`): `.form(spec)`, where the spec's constructor takes the field's
//!   typed access, `slot!(Kind.field)`: `text(required, …)`, `multi`, `lines`, `words`,
//!   `date(required, …)`, `money`, `percent`, `count`, `flag`, `choice(options, required, …)`,
//!   `reference(required, refers!(Kind.field))`, `references(refers!(…))` (the kind referred
//!   to read from the type of the field's ids), `Spec::Nested(Nested::Stages(…))`,
//!   and `id_text(required)` for the id. The slot reads and writes the record's field in the
//!   form's terms ([`Edit`]: a `Prose` as a text, a required date as an optional one, an id as
//!   a [`RefId`], a choice as its [`ChoiceKey`]); a field renamed, of a type its spec cannot
//!   edit, or a slot naming another field than the key does not compile. A field whose change
//!   needs a reason adds `.asks_reason()`. The form's fields come in declaration order.
//! - **Detail** (`shown.rs`): `.shown(at, how)` under the field's name, or `.shown_as(at,
//!   label, how)` for a row that says more than the one field ("Place" for city, region and
//!   country; "Timescale" for start and end). `how` is a [`Show`]: `Text` and `Strong` rows,
//!   a `Link` to the record named (`link_to!(Practice.partner)`, the kind read from the
//!   type of the field's ids), a `Day`, a `Period` or named `Periods`, and the long `Block`
//!   texts and `Lines` lists shown below the rows. Documents list the same rows.
//! - **Listings and search**: `.listed`, `.column` (`.right()` for numbers), `.search_key`,
//!   `.search_long`, `.names`, `.facet`, `.sorts`.
//!
//! The small macros read one kind's record and give the other kinds an empty value: `on!`
//! (a text), `seen!` (a text read with the replica), `read!` (a borrowed text), `pick!` (an
//! optional value), `with!` (any value, with its default), `by!` (a sort key), `names!` (the
//! references searched by name), `slot!` and `refers!` (the form's typed access), `link_to!` (a
//! detail row that links to the record named).
//!
//! Where several places order a kind's fields differently (the listing puts the id first, the
//! workbench the title, the detail the status), each role carries its place (`at`); the
//! declaration's own order is the form's. The tests (`tests.rs`) check that every field of
//! every record is declared exactly once, that the places of each role run 0, 1, 2…, that a
//! role reads only its own kind, and that each form spec fits the values its field holds (a
//! choice among its options, a reference to its kind). A new kind is a file here and its arm
//! in [`declaration`]; its record, references and rules stay in `records.rs`, `record.rs` and
//! `validate.rs`, its bespoke detail sections and place in the navigation in the workbench.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::text::sanitize;
use super::*;

mod action;
mod action_plan;
mod criteria_set;
mod form;
mod meeting;
mod member;
mod order;
mod partner;
mod practice;
mod project;
mod scheme;
mod score;
mod search;
mod session;
mod shown;
mod sme;
mod stakeholder;
mod transfer;
mod voucher;

/// A cell of one kind's record, read from the record: `on!(Practice, |p| p.title.clone())`.
macro_rules! on {
    ($variant:ident, |$r:ident| $body:expr) => {
        |record: &$crate::model::Record| -> String {
            match record {
                $crate::model::Record::$variant($r) => $body,
                _ => String::new(),
            }
        }
    };
}

/// A cell of one kind's record that names the records it refers to, read with the replica:
/// `seen!(Voucher, |replica, v| title_of(replica, Kind::Sme, v.sme.as_str()))`.
macro_rules! seen {
    ($variant:ident, |$replica:ident, $r:ident| $body:expr) => {
        |$replica: &$crate::model::Replica, record: &$crate::model::Record| -> String {
            match record {
                $crate::model::Record::$variant($r) => $body,
                _ => String::new(),
            }
        }
    };
}

pub(crate) use {on, seen};

pub use form::*;
pub use order::*;
pub use search::*;
pub use shown::*;

/// How a workbench column shares the list's width.
#[derive(Clone, Copy, Debug)]
pub enum Width {
    /// Exactly this many columns.
    Fixed(u16),
    /// What is left, at least this many columns.
    Fill(u16),
}

/// A field's column in `taskforce list` (and the header of an empty CSV or XLSX export).
#[derive(Clone, Copy, Debug)]
pub struct Listed {
    /// Its place among the kind's listed columns (the id is 0).
    pub at: u8,
    pub header: &'static str,
    /// The cell as scripts read it: choices by their keys, references by their ids.
    pub cell: fn(&Record) -> String,
}

/// A field's column in the workbench's list of the kind.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// Its place among the kind's columns, from the left.
    pub at: u8,
    pub header: &'static str,
    pub width: Width,
    /// Columns with the highest number are dropped first when the list is narrow.
    pub drop_order: u8,
    pub right: bool,
    /// The cell as people read it (choices by their labels, references by their names),
    /// before it is sanitised.
    pub cell: fn(&Replica, &Record) -> String,
}

/// One field of a kind of record.
#[derive(Clone, Debug)]
pub struct Field {
    /// Its name in files, spreadsheets and the store (the record's serde name).
    pub key: &'static str,
    /// What people call it: the form's label where the form edits it (spreadsheet headers may
    /// use it); otherwise the name in words, as documents print it.
    pub label: &'static str,
    /// How the kind's form edits it, if it does.
    pub form: Option<Spec>,
    /// A change of it needs a reason, asked on a line of its own under it in the form (a
    /// practice's status move, kept in its history).
    pub asks_reason: bool,
    pub listed: Option<Listed>,
    pub column: Option<Column>,
    /// Searched among the short fields that name or place the record.
    pub search_key: Option<Searched>,
    /// Searched among the long texts, by whole words.
    pub search_long: Option<Searched>,
    /// Names records whose names are searched with the record.
    pub names: Option<Names>,
    /// A facet of the kind's filter menu.
    pub facet: Option<Faceted>,
    /// What a list of the kind sorts by when it is ordered by this field.
    pub sort: Option<Sorted>,
    /// How the detail pane shows it.
    pub shown: Option<Shown>,
}

/// A field named `key` that people call `label`, shown nowhere yet.
pub const fn field(key: &'static str, label: &'static str) -> Field {
    Field {
        key,
        label,
        form: None,
        asks_reason: false,
        listed: None,
        column: None,
        search_key: None,
        search_long: None,
        names: None,
        facet: None,
        sort: None,
        shown: None,
    }
}

impl Field {
    /// Edited in the kind's form as `spec` says. The spec's slot must be this very field:
    /// a declaration that edits another field in its place does not compile.
    pub const fn form(self, spec: Spec) -> Field {
        if let Some(name) = spec.edits() {
            assert!(
                form::same(name, self.key),
                "a field's form spec reads and writes another field (its slot! names a field \
                 other than the field's key)"
            );
        }
        Field {
            form: Some(spec),
            ..self
        }
    }

    /// A change of it needs a reason, asked in the form.
    pub const fn asks_reason(self) -> Field {
        Field {
            asks_reason: true,
            ..self
        }
    }

    /// Listed by `taskforce list` as the `at`th column.
    pub const fn listed(self, at: u8, header: &'static str, cell: fn(&Record) -> String) -> Field {
        Field {
            listed: Some(Listed { at, header, cell }),
            ..self
        }
    }

    /// Shown as the `at`th column of the workbench's list.
    pub const fn column(
        self,
        at: u8,
        header: &'static str,
        width: Width,
        drop_order: u8,
        cell: fn(&Replica, &Record) -> String,
    ) -> Field {
        Field {
            column: Some(Column {
                at,
                header,
                width,
                drop_order,
                right: false,
                cell,
            }),
            ..self
        }
    }

    /// Searched as the `at`th key field, called `label` in results.
    pub const fn search_key(
        self,
        at: u8,
        label: &'static str,
        text: for<'a> fn(&'a Record) -> Cow<'a, str>,
    ) -> Field {
        Field {
            search_key: Some(Searched { at, label, text }),
            ..self
        }
    }

    /// Searched as the `at`th long text, called `label` in results.
    pub const fn search_long(
        self,
        at: u8,
        label: &'static str,
        text: for<'a> fn(&'a Record) -> Cow<'a, str>,
    ) -> Field {
        Field {
            search_long: Some(Searched { at, label, text }),
            ..self
        }
    }

    /// The records it names are searched by their names, as the `at`th references.
    pub const fn names(self, at: u8, refs: for<'a> fn(&'a Record, &mut Vec<RefTo<'a>>)) -> Field {
        Field {
            names: Some(Names { at, refs }),
            ..self
        }
    }

    /// A facet of the filter menu, offered `at`th.
    pub const fn facet(
        self,
        at: u8,
        facet: Facet,
        value: for<'a> fn(&'a Record) -> Option<Cow<'a, str>>,
    ) -> Field {
        Field {
            facet: Some(Faceted { at, facet, value }),
            ..self
        }
    }

    /// A list ordered `by` sorts by `key`.
    pub const fn sorts(self, by: SortBy, key: fn(&Record) -> SortKey) -> Field {
        Field {
            sort: Some(Sorted { by, key }),
            ..self
        }
    }

    /// Shown in the detail pane as the `at`th row (or text, for a block or lines), under the
    /// field's name.
    pub const fn shown(self, at: u8, how: Show) -> Field {
        Field {
            shown: Some(Shown {
                at,
                label: None,
                how,
            }),
            ..self
        }
    }

    /// Shown in the detail pane as the `at`th row, called `label` there (a row that shows
    /// several fields: "Place" for the city, region and country).
    pub const fn shown_as(self, at: u8, label: &'static str, how: Show) -> Field {
        Field {
            shown: Some(Shown {
                at,
                label: Some(label),
                how,
            }),
            ..self
        }
    }

    /// Its name in words: its label without the hint a form adds in brackets ("Keywords" for
    /// "Keywords (commas)").
    pub fn name(&self) -> &'static str {
        self.label.split(" (").next().unwrap_or(self.label)
    }

    /// Its workbench column is aligned right (a number).
    pub const fn right(self) -> Field {
        Field {
            column: match self.column {
                Some(c) => Some(Column { right: true, ..c }),
                None => None,
            },
            ..self
        }
    }
}

/// What a kind of record is.
pub struct Declaration {
    /// The plural a person reads ("Voucher schemes").
    pub plural: &'static str,
    /// Words that describe the kind, matched by the search with low weight, when its singular
    /// ("voucher scheme") does not say enough ("good practice").
    pub words: Option<&'static str>,
    /// Whether its records belong to a project, directly or through the record they hang from
    /// (SMEs, criteria sets and members belong to none).
    pub in_a_project: bool,
    /// The record a form for a new one starts from (for the kinds with a form): blank, with
    /// what the form does not ask (a project's programme).
    pub new: Option<fn() -> Record>,
    /// The orders a list of the kind offers; the first is the default.
    pub sorts: &'static [SortBy],
    /// Its fields, each once, in the order its form shows them.
    pub fields: &'static [Field],
}

/// The declaration of `kind`.
pub fn declaration(kind: Kind) -> &'static Declaration {
    match kind {
        Kind::Project => &project::DECLARATION,
        Kind::Partner => &partner::DECLARATION,
        Kind::Practice => &practice::DECLARATION,
        Kind::Meeting => &meeting::DECLARATION,
        Kind::CriteriaSet => &criteria_set::DECLARATION,
        Kind::Session => &session::DECLARATION,
        Kind::Score => &score::DECLARATION,
        Kind::ActionPlan => &action_plan::DECLARATION,
        Kind::Action => &action::DECLARATION,
        Kind::Scheme => &scheme::DECLARATION,
        Kind::Sme => &sme::DECLARATION,
        Kind::Voucher => &voucher::DECLARATION,
        Kind::Member => &member::DECLARATION,
        Kind::Transfer => &transfer::DECLARATION,
        Kind::Stakeholder => &stakeholder::DECLARATION,
    }
}

/// The fields of `kind`, each once, in the order its form shows them.
pub fn fields(kind: Kind) -> &'static [Field] {
    declaration(kind).fields
}

/// The field of `kind` that files name `key` (for the formats that read a record's fields by
/// their names: spreadsheets, the markdown export).
pub fn field_of(kind: Kind, key: &str) -> Option<&'static Field> {
    fields(kind).iter().find(|f| f.key == key)
}

/// The sort orders a list of `kind` offers; the first is the default.
pub fn sorts(kind: Kind) -> &'static [SortBy] {
    declaration(kind).sorts
}

/// The facets of each kind, in the order the filter menu offers them.
static FACETS: LazyLock<Vec<Vec<Faceted>>> = LazyLock::new(|| {
    Kind::ALL
        .iter()
        .map(|k| {
            let mut facets: Vec<Faceted> = fields(*k).iter().filter_map(|f| f.facet).collect();
            facets.sort_by_key(|f| f.at);
            facets
        })
        .collect()
});

/// The facets of `kind`'s filter menu, in its order.
pub fn facets(kind: Kind) -> &'static [Faceted] {
    &FACETS[kind as usize]
}

/// The `taskforce list` columns of each kind, id first, in their order.
static LISTED: LazyLock<Vec<Vec<Listed>>> = LazyLock::new(|| {
    Kind::ALL
        .iter()
        .map(|k| {
            let mut cols: Vec<Listed> = fields(*k).iter().filter_map(|f| f.listed).collect();
            cols.sort_by_key(|c| c.at);
            cols
        })
        .collect()
});

/// The workbench list's columns of each kind, from the left.
static COLUMNS: LazyLock<Vec<Vec<Column>>> = LazyLock::new(|| {
    Kind::ALL
        .iter()
        .map(|k| {
            let mut cols: Vec<Column> = fields(*k).iter().filter_map(|f| f.column).collect();
            cols.sort_by_key(|c| c.at);
            cols
        })
        .collect()
});

/// The searched fields of each kind: keys, long texts and references, each in its order.
static SEARCHED: LazyLock<Vec<SearchedFields>> = LazyLock::new(|| {
    Kind::ALL
        .iter()
        .map(|k| {
            let mut keys: Vec<Searched> = fields(*k).iter().filter_map(|f| f.search_key).collect();
            let mut long: Vec<Searched> = fields(*k).iter().filter_map(|f| f.search_long).collect();
            let mut names: Vec<Names> = fields(*k).iter().filter_map(|f| f.names).collect();
            keys.sort_by_key(|s| s.at);
            long.sort_by_key(|s| s.at);
            names.sort_by_key(|n| n.at);
            SearchedFields {
                key_labels: keys.iter().map(|s| s.label).collect(),
                long_labels: long.iter().map(|s| s.label).collect(),
                keys,
                long,
                names,
            }
        })
        .collect()
});

/// What the detail pane shows of each kind: rows, then texts, each in their order.
static SHOWN: LazyLock<Vec<ShownFields>> = LazyLock::new(|| {
    Kind::ALL
        .iter()
        .map(|k| {
            let mut rows: Vec<(&'static Field, Shown)> = Vec::new();
            let mut texts: Vec<(&'static Field, Shown)> = Vec::new();
            for f in fields(*k) {
                match f.shown {
                    Some(s) if s.how.is_text() => texts.push((f, s)),
                    Some(s) => rows.push((f, s)),
                    None => {}
                }
            }
            rows.sort_by_key(|(_, s)| s.at);
            texts.sort_by_key(|(_, s)| s.at);
            ShownFields { rows, texts }
        })
        .collect()
});

/// What the detail pane shows of a kind: its rows at the top, its texts below them.
pub struct ShownFields {
    pub rows: Vec<(&'static Field, Shown)>,
    pub texts: Vec<(&'static Field, Shown)>,
}

/// What the detail pane shows of `kind`, in its order.
pub fn shown(kind: Kind) -> &'static ShownFields {
    &SHOWN[kind as usize]
}

/// What of a kind is searched, in the order the search keeps it.
pub struct SearchedFields {
    pub keys: Vec<Searched>,
    pub long: Vec<Searched>,
    pub names: Vec<Names>,
    pub key_labels: Vec<&'static str>,
    pub long_labels: Vec<&'static str>,
}

/// What of `kind` is searched.
pub fn searched(kind: Kind) -> &'static SearchedFields {
    &SEARCHED[kind as usize]
}

/// The columns `taskforce list` shows for `kind`; the first is always the id.
pub fn listed(kind: Kind) -> &'static [Listed] {
    &LISTED[kind as usize]
}

/// The columns of the workbench's list of `kind`.
pub fn columns(kind: Kind) -> &'static [Column] {
    &COLUMNS[kind as usize]
}

/// Each field the form of `kind` edits, with its label (spreadsheet headers and documents name
/// fields by them).
pub fn form_labels(kind: Kind) -> Vec<(&'static str, &'static str)> {
    fields(kind)
        .iter()
        .filter(|f| f.form.is_some())
        .map(|f| (f.key, f.label))
        .collect()
}

/// The project a record belongs to, directly or through the record it hangs from.
pub fn project_of<'a>(replica: &'a Replica, record: &'a Record) -> Option<&'a str> {
    match record {
        Record::Action(a) => replica
            .record(Kind::ActionPlan, a.plan.as_str())
            .and_then(|p| p.project()),
        Record::Voucher(v) => replica
            .record(Kind::Scheme, v.scheme.as_str())
            .and_then(|s| s.project()),
        Record::Session(s) => replica
            .record(Kind::Meeting, s.meeting.as_str())
            .and_then(|m| m.project()),
        Record::Score(s) => replica
            .record(Kind::Session, s.session.as_str())
            .and_then(|s| project_of(replica, s)),
        Record::Transfer(t) => replica
            .record(Kind::Partner, t.partner.as_str())
            .and_then(|p| p.project()),
        Record::Stakeholder(s) => replica
            .record(Kind::Partner, s.partner.as_str())
            .and_then(|p| p.project()),
        other => other.project(),
    }
}

/// The short name of a project ("INTRA"), or its id when it is missing.
pub fn project_name(replica: &Replica, id: &str) -> String {
    match replica.record(Kind::Project, id) {
        Some(Record::Project(p)) => sanitize(&p.acronym, false),
        _ => id.to_string(),
    }
}

/// The title of the record `id` of `kind`, or the id when there is none.
fn title_of(replica: &Replica, kind: Kind, id: &str) -> String {
    replica
        .record(kind, id)
        .map_or_else(|| id.to_string(), |r| r.title())
}

/// An optional value as a listing writes it (empty when unset).
fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or(String::new(), |v| v.to_string())
}

/// The most a date column takes: a day takes 10, a span as people read it ("Jun 2018 – Feb
/// 2019") up to 19; a column takes only what its rows need.
const DATE_WIDTH: u16 = 19;

fn opt_date(d: Option<Date>) -> String {
    d.map_or(String::new(), Date::human)
}

fn opt_money(m: Option<Money>) -> String {
    m.map_or(String::new(), |m| group_thousands(&m.to_string()))
}

/// The id: the first column of every listing, the first key searched.
const fn id(label: &'static str) -> Field {
    field("id", label)
        .listed(0, "id", |r| r.id().to_string())
        .search_key(0, "id", |r| Cow::Borrowed(r.id()))
}

#[cfg(test)]
mod tests;
