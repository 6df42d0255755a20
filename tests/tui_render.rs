//! Render tests: the workbench drawn into ratatui's TestBackend at 120×40, 80×24, 40×12 and
//! 20×5, checked for what a person reads: titles, counts, the selection marker, accented and
//! wide text in its columns, the "too small" screen, the ASCII and no-colour fallbacks, and how
//! few bytes one step down sends to a real terminal.

mod tui_support;

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::{TerminalOptions, Viewport};
use taskforce::model::*;
use taskforce::tui::screen_writer::ScreenWriter;
use taskforce::tui::{Action, App, Context, Options, Overview, Target, update};
use tui_support::*;
use unicode_width::UnicodeWidthStr;

fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| taskforce::tui::render(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The screen as lines of text (a wide character once, not followed by its blank cell).
fn lines(buffer: &Buffer) -> Vec<String> {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < area.width {
                let symbol = buffer.cell((x, y)).unwrap().symbol();
                line.push_str(symbol);
                x += UnicodeWidthStr::width(symbol).max(1) as u16;
            }
            line
        })
        .collect()
}

fn screen(app: &mut App, width: u16, height: u16) -> Vec<String> {
    lines(&render(app, width, height))
}

fn find<'a>(screen: &'a [String], text: &str) -> &'a str {
    screen
        .iter()
        .find(|l| l.contains(text))
        .unwrap_or_else(|| panic!("{text:?} is not on the screen:\n{}", screen.join("\n")))
}

/// The display column where `text` starts on the line.
fn column(line: &str, text: &str) -> usize {
    let at = line
        .find(text)
        .unwrap_or_else(|| panic!("{text:?} not in {line:?}"));
    line[..at].width()
}

#[test]
fn at_120x40_the_three_panes_show_kinds_list_and_detail() {
    let mut app = app();
    let s = screen(&mut app, 120, 40);
    // Navigation: every kind with its count, the project, the overviews.
    assert!(find(&s, "Browse · all projects").contains("Browse"));
    let nav = find(&s, "▶ Practices");
    assert!(nav.contains("5"), "{nav}");
    assert!(find(&s, "Meetings ").contains('3'));
    assert!(find(&s, "Voucher schemes").contains('1'));
    find(&s, "Practice funnel");
    find(&s, "Overdue & due soon");
    // The list: its title and count, its columns, the selected row marked.
    find(&s, "Practices (5)");
    let header = find(&s, "Title");
    for col in ["Status", "Country", "Project"] {
        assert!(header.contains(col), "{header}");
    }
    // Every practice of the corpus has the same sub-theme: that column gives its room to the
    // titles, which differ.
    assert!(!header.contains("Sub-theme"), "{header}");
    let first = find(&s, "▶ Internationalisation Business Bootcamp");
    assert!(
        first.contains("in handbook") && first.contains("INTRA"),
        "{first}"
    );
    find(&s, "Rzeszów export academy");
    find(&s, "東京 trade desk for Klaipėda exporters");
    // The detail of the selected practice, its link marked.
    find(&s, "Status            in handbook");
    find(
        &s,
        "Project           → INTRA — Internationalisation of regional SMEs",
    );
    // The hints from the keymap.
    let hints = &s[39];
    for hint in [
        "j/k move",
        "Tab pane",
        "Enter open",
        "f filter",
        "? help",
        "q quit",
    ] {
        assert!(hints.contains(hint), "{hints}");
    }
    // The top bar: project, filters and sort.
    assert!(
        s[0].contains("project: all projects")
            && s[0].contains("no filters")
            && s[0].contains("sort: title ↑"),
        "{}",
        s[0]
    );
}

#[test]
fn wide_and_accented_text_keeps_the_columns_aligned() {
    let mut app = app();
    let s = screen(&mut app, 120, 40);
    let cjk = find(&s, "東京 trade desk");
    let accented = find(&s, "Rzeszów export academy");
    let plain = find(&s, "Internationalisation Business Bootcamp");
    let status = column(plain, "in handbook");
    assert_eq!(column(cjk, "identified"), status, "\n{cjk}\n{plain}");
    assert_eq!(
        column(accented, "rejected"),
        status,
        "\n{accented}\n{plain}"
    );
    // Every line is exactly the screen's width in columns: nothing spills.
    for line in &s {
        assert_eq!(line.width(), 120, "{line:?}");
    }
}

#[test]
fn at_80x24_less_important_columns_give_way_and_long_titles_are_cut() {
    let mut app = app();
    let s = screen(&mut app, 80, 24);
    let header = find(&s, "Title");
    assert!(
        !header.contains("Sub-theme"),
        "the sub-theme column should be dropped first: {header}"
    );
    assert!(
        header.contains("Status") && header.contains("Country"),
        "{header}"
    );
    let cjk = find(&s, "東京 trade desk");
    assert!(
        cjk.contains('…'),
        "a cut title ends with an ellipsis: {cjk}"
    );
    find(&s, "▶ Internationalisatio");
    // Help and quit are always among the hints, even when others give way.
    assert!(
        s[23].contains("? help") && s[23].contains("q quit"),
        "{}",
        s[23]
    );
    for line in &s {
        assert_eq!(line.width(), 80, "{line:?}");
    }
}

#[test]
fn at_40x12_one_pane_at_a_time() {
    let mut app = app();
    let s = screen(&mut app, 40, 12);
    find(&s, "Browse");
    find(&s, "▶ Practices");
    assert!(
        !s.iter().any(|l| l.contains("Practices (5)")),
        "the list is not shown beside the navigation"
    );
    update(&mut app, Action::NextPane);
    let s = screen(&mut app, 40, 12);
    find(&s, "Practices (5)");
    find(&s, "▶ Internationalis…");
    assert!(!s.iter().any(|l| l.contains("Browse")));
    update(&mut app, Action::Open);
    let s = screen(&mut app, 40, 12);
    find(&s, "Practice ");
    find(&s, "Status");
    find(&s, "in handbook");
}

#[test]
fn at_20x5_the_terminal_is_too_small_and_only_quit_works() {
    let mut app = app();
    let s = screen(&mut app, 20, 5);
    find(&s, "Terminal too small");
    find(&s, "20x5, need 40x10");
    assert_eq!(app.context(), Context::TooSmall);
    update(&mut app, Action::Down);
    update(&mut app, Action::Help);
    assert!(
        app.popup().is_none(),
        "keys other than quit do nothing while too small"
    );
    // Bigger again: the panes come back where they were.
    let s = screen(&mut app, 80, 24);
    find(&s, "▶ Practices");
    assert_eq!(app.context(), Context::Main);
    screen(&mut app, 20, 5);
    // Esc asks first, as at the top level; q quits.
    update(&mut app, Action::Close);
    assert!(!app.should_quit());
    assert_eq!(app.context(), Context::Quit);
    update(&mut app, Action::Confirm);
    assert!(app.should_quit());
    let mut app = tui_support::app();
    screen(&mut app, 20, 5);
    update(&mut app, Action::Quit);
    assert!(app.should_quit());
}

#[test]
fn ascii_and_no_colour_fall_back_without_losing_the_selection() {
    let mut app = App::new(
        replica(),
        "ana",
        "/tmp/db",
        Options {
            ascii: true,
            color: false,
            mouse: false,
        },
    );
    update(&mut app, Action::NextPane);
    update(&mut app, Action::Down);
    let buffer = render(&mut app, 80, 24);
    let s = lines(&buffer);
    // Only record letters may be outside ASCII; every symbol is plain.
    for line in &s {
        for c in line.chars() {
            assert!(c.is_ascii() || c.is_alphabetic(), "{c:?} in {line:?}");
        }
    }
    assert!(s[1].starts_with('+') || s[1].starts_with('#'), "{}", s[1]);
    let selected = find(&s, "> Rzeszów export ac");
    assert!(selected.contains("rejected"));
    // No colour anywhere; the selected row is reversed, so it shows without colour.
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset);
        assert_eq!(cell.bg, Color::Reset);
    }
    let y = s.iter().position(|l| l.contains("> Rzeszów")).unwrap() as u16;
    let x = s[y as usize].find("> Rzeszów").unwrap() as u16;
    assert!(
        buffer
            .cell((x + 3, y))
            .unwrap()
            .modifier
            .contains(Modifier::REVERSED)
    );
}

#[test]
fn record_text_cannot_inject_escape_sequences() {
    let mut replica = replica();
    let mut evil = practice(
        "gp-evil",
        "intra",
        "Evil \u{1b}[2J title\u{7}",
        "SI",
        PracticeStatus::Identified,
        None,
    );
    evil.summary = "line one\n\u{1b}]0;pwned\u{7}line two".into();
    replica.insert(Row {
        rev: 2,
        at: Timestamp(0),
        by: "x".into(),
        record: Record::from(evil),
    });
    let mut app = App::new(replica, "ana", "/tmp/db", options());
    update(&mut app, Action::NextPane);
    let buffer = render(&mut app, 120, 40);
    let s = lines(&buffer);
    find(&s, "▶ Evil ␛[2J title␇");
    // Stored before the rule (an older database): shown, and marked with what it breaks.
    find(&s, "! Breaks a rule: title: holds U+001B");
    find(&s, "␛]0;pwned␇line two");
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "a control character reached the screen"
        );
    }
}

#[test]
fn overviews_draw_bars_gauges_and_what_is_overdue() {
    let mut app = app();
    let funnel = taskforce::tui::app::nav_targets()
        .iter()
        .position(|t| *t == Target::Overview(Overview::Funnel))
        .unwrap();
    for _ in 0..funnel {
        update(&mut app, Action::Down);
    }
    let s = screen(&mut app, 120, 40);
    find(&s, "Practice funnel — all projects");
    // Projects by acronym, ignoring case: InterVentures, then INTRA.
    let inter = s
        .iter()
        .position(|l| l.contains("InterVentures — Interregional ventures"))
        .unwrap();
    let intra = s
        .iter()
        .position(|l| l.contains("INTRA — Internationalisation of regional SMEs"))
        .unwrap();
    assert!(inter < intra);
    // INTRA: 3 identified, 3 presented, 2 validated, 1 in the handbook; the bars shrink.
    let below = &s[intra..];
    let identified = find(below, "identified  █");
    let handbook = find(below, "in handbook █");
    assert!(identified.contains("3 · 0 now"), "{identified}");
    assert!(handbook.contains("1 · 1 now"), "{handbook}");
    assert!(identified.matches('█').count() > handbook.matches('█').count());

    update(&mut app, Action::Down);
    let s = screen(&mut app, 120, 40);
    find(&s, "INTRA (2 meetings)");
    let varna = find(&s, "2016-09-12 Study visit Varna");
    assert!(
        varna.contains('●') && varna.contains("study visit"),
        "{varna}"
    );

    update(&mut app, Action::Down);
    let s = screen(&mut app, 120, 40);
    find(&s, "Slovene internationalisation vouchers");
    let gauge = find(&s, "Budget used");
    assert!(
        gauge.contains("45%") && gauge.contains('█') && gauge.contains('░'),
        "{gauge}"
    );
    find(&s, "EUR 9,000.00 of EUR 20,000.00");
    let fairs = find(&s, "Joint presentations at fairs");
    assert!(
        fairs.contains(" 2 ") && fairs.contains("9,000.00"),
        "{fairs}"
    );
    let total = find(&s, "→ Total");
    assert!(
        total.contains("12,000.00") && total.contains("5,000.00"),
        "{total}"
    );

    update(&mut app, Action::Down);
    let s = screen(&mut app, 120, 40);
    find(&s, "Overdue (2)");
    let grid = find(&s, "Send the evaluation grid");
    assert!(
        grid.contains("2016-10-01") && grid.contains("days late"),
        "{grid}"
    );
    find(&s, "Monitoring report 2019-04-01 – 2019-09-30");
    assert!(
        !s.iter().any(|l| l.contains("Book the rooms")),
        "done follow-ups are not overdue"
    );
}

#[test]
fn the_help_popup_lists_the_keymap() {
    let mut app = app();
    update(&mut app, Action::Help);
    // Tall enough for every binding (editing and scoring keys; shorter screens scroll the help).
    let s = screen(&mut app, 120, 250);
    find(&s, " Keys ");
    for binding in taskforce::tui::KEYMAP {
        let text: String = binding.help.chars().take(30).collect();
        find(&s, &text);
    }
    find(&s, "Ctrl-g");
    let hints = &s[249];
    assert!(
        hints.contains("q close") && !hints.contains("f filter"),
        "{hints}"
    );
    // Small screen: the help scrolls and says where it is.
    let s = screen(&mut app, 80, 24);
    assert!(s.iter().any(|l| l.contains(" of ")), "{}", s.join("\n"));
    update(&mut app, Action::Bottom);
    let s = screen(&mut app, 80, 24);
    find(&s, "/tmp/db as ana");
}

/// A corpus of `n` practices in one project, for the byte count.
fn many_practices(n: usize) -> Replica {
    let mut replica = replica();
    for i in 0..n {
        let p = practice(
            &format!("gp-{i:05}"),
            "intra",
            &format!("Practice number {i:05} on export vouchers"),
            "SI",
            PracticeStatus::Presented,
            None,
        );
        replica.insert(Row {
            rev: 1,
            at: Timestamp(0),
            by: "t".into(),
            record: Record::from(p),
        });
    }
    replica
}

/// A terminal's input: counts what the backend writes.
#[derive(Clone, Default)]
struct Wire(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl std::io::Write for Wire {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Wire {
    fn take(&self) -> usize {
        std::mem::take(&mut *self.0.borrow_mut()).len()
    }
}

#[test]
fn one_step_down_sends_little_to_the_terminal() {
    let mut app = App::new(many_practices(500), "ana", "/tmp/db", options());
    update(&mut app, Action::NextPane);
    let wire = Wire::default();
    let mut backend = ScreenWriter::new(wire.clone());
    backend.clear_region(ClearType::All).unwrap();
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, 120, 40)),
    };
    let mut terminal = Terminal::with_options(backend, options).unwrap();
    wire.take();
    terminal
        .draw(|f| taskforce::tui::render(f, &mut app))
        .unwrap();
    let first = wire.take();
    assert!(
        first > 4_000,
        "the first frame draws everything ({first} bytes)"
    );
    for _ in 0..5 {
        update(&mut app, Action::Down);
        terminal
            .draw(|f| taskforce::tui::render(f, &mut app))
            .unwrap();
        let step = wire.take();
        assert!(step <= 2_048, "one j step wrote {step} bytes");
    }
    // Nothing changed: nothing is sent.
    terminal
        .draw(|f| taskforce::tui::render(f, &mut app))
        .unwrap();
    let idle = std::mem::take(&mut *wire.0.borrow_mut());
    assert!(
        idle.is_empty(),
        "an unchanged frame wrote {:?}",
        String::from_utf8_lossy(&idle)
    );
}

#[test]
fn lists_build_only_the_visible_rows() {
    let mut app = App::new(many_practices(20_000), "ana", "/tmp/db", options());
    update(&mut app, Action::NextPane);
    update(&mut app, Action::Bottom);
    let s = screen(&mut app, 120, 40);
    find(&s, "Practices (20005)");
    // Sorted by title, the CJK title sorts last.
    find(&s, "▶ 東京 trade desk for Klaipėda exporters");
    update(&mut app, Action::PageUp);
    let s = screen(&mut app, 120, 40);
    assert!(
        s.iter().any(|l| l.contains("▶ Practice number 199")),
        "{}",
        s.join("\n")
    );
}

#[test]
fn hints_show_only_what_applies_here() {
    let mut app = app();
    let s = screen(&mut app, 120, 40);
    assert!(
        !s[39].contains("Backspace back"),
        "nothing to go back to yet: {}",
        s[39]
    );
    update(&mut app, Action::NextPane);
    update(&mut app, Action::Open);
    update(&mut app, Action::Down);
    update(&mut app, Action::Down);
    update(&mut app, Action::Open);
    let s = screen(&mut app, 120, 40);
    assert!(s[39].contains("Backspace back"), "{}", s[39]);
    find(&s, "project: INTRA — Internationalisation of regional SMEs");
    let funnel = taskforce::tui::app::nav_targets()
        .iter()
        .position(|t| *t == Target::Overview(Overview::Funnel))
        .unwrap();
    update(&mut app, Action::NextPane);
    for _ in 0..funnel {
        update(&mut app, Action::Down);
    }
    let s = screen(&mut app, 120, 40);
    assert!(
        !s[39].contains("f filter") && !s[39].contains("o sort"),
        "overviews have no filters: {}",
        s[39]
    );
    assert!(s[39].contains("p project"), "{}", s[39]);
}

#[test]
fn an_empty_database_says_so_instead_of_showing_blank_panes() {
    let mut app = App::new(Replica::new(), "ana", "/tmp/db", options());
    let s = screen(&mut app, 80, 24);
    find(&s, "Practices (0)");
    find(&s, "No practices yet");
    update(&mut app, Action::NextPane);
    update(&mut app, Action::Open);
    assert_eq!(app.message().unwrap().text, "No practices to open here");
    update(&mut app, Action::Project);
    assert_eq!(app.message().unwrap().text, "There are no projects yet");
    let funnel = taskforce::tui::app::nav_targets()
        .iter()
        .position(|t| *t == Target::Overview(Overview::Funnel))
        .unwrap();
    update(&mut app, Action::PrevPane);
    for _ in 0..funnel {
        update(&mut app, Action::Down);
    }
    let s = screen(&mut app, 80, 24);
    find(&s, "There are no projects yet.");
}

#[test]
fn every_form_draws_at_80x24_and_40x12() {
    use taskforce::tui::forms::{Form, editable};
    let mut app = app();
    let mut drawn = 0;
    for kind in Kind::ALL.iter().copied().filter(|k| editable(*k)) {
        let row = app.replica.rows(kind).next().cloned();
        let mut forms = vec![(
            Form::open(kind, None, Some("intra")),
            format!("New {}", kind.singular()),
        )];
        if let Some(row) = &row {
            forms.push((
                Form::open(kind, Some(row), None),
                format!("Edit {}", kind.singular()),
            ));
        }
        for (mut form, title) in forms {
            form.check("ana", &app.replica);
            let fields = form.fields.len();
            // The first field, a field in the middle, and the Save button.
            for focus in [0, fields / 2, fields] {
                form.focus = focus;
                app.forms.form = Some(form.clone());
                let s = screen(&mut app, 80, 24);
                find(&s, &title);
                if focus == fields {
                    find(&s, "[ Save ]");
                }
                let small = screen(&mut app, 40, 12);
                assert_eq!(small.len(), 12);
                drawn += 1;
            }
        }
    }
    assert!(drawn >= 3 * 19, "{drawn}");
    app.forms.form = None;
}

#[test]
fn the_action_plan_form_marks_overdue_reports_and_shows_the_line_format() {
    use taskforce::tui::forms::Form;
    let mut app = app();
    let row = app.replica.row(Kind::ActionPlan, "ap-si").cloned().unwrap();
    let mut form = Form::open(Kind::ActionPlan, Some(&row), None);
    form.focus = form.fields.iter().position(|f| f.key == "reports").unwrap();
    app.forms.form = Some(form);
    let s = screen(&mut app, 110, 30);
    let line = find(&s, "2019-04-01 | 2019-09-30 | 2019-12-31");
    assert!(
        line.contains("⚠ overdue 2019-04-01 | 2019-09-30 | 2019-12-31"),
        "marked beside the line, which stays whole: {line}"
    );
    // The line format, whole, while the field is focused.
    let text: String = s.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("> action | status | note' for progress and '"),
        "{}",
        s.join("\n")
    );
    let s80 = screen(&mut app, 80, 24);
    let text: String = s80
        .iter()
        .map(|l| l.replace(['┃', '│'], " "))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("# action | indicator | value' for indicator values"),
        "{}",
        s80.join("\n")
    );
    // Submitted: no longer overdue.
    let mut form = Form::open(Kind::ActionPlan, Some(&row), None);
    let at = form.fields.iter().position(|f| f.key == "reports").unwrap();
    form.focus = at;
    form.fields[at].input = taskforce::tui::forms::Input::Text {
        value: "2019-04-01 | 2019-09-30 | 2019-12-31 | 2019-12-20".into(),
        cursor: 0,
        multiline: true,
    };
    app.forms.form = Some(form);
    let s = screen(&mut app, 110, 30);
    let line = find(&s, "2019-04-01 | 2019-09-30 | 2019-12-31");
    assert!(!line.contains("overdue"), "{line}");
}

#[test]
fn a_long_error_wraps_under_its_field_at_80x24() {
    use taskforce::tui::forms::{Form, Input};
    let mut app = app();
    let row = app
        .replica
        .row(Kind::Action, "act-vouchers")
        .cloned()
        .unwrap();
    let mut form = Form::open(Kind::Action, Some(&row), None);
    let status = form.fields.iter().position(|f| f.key == "status").unwrap();
    if let Input::Choice { options, index } = &mut form.fields[status].input {
        *index = options
            .iter()
            .position(|o| o.0 == "not_implemented")
            .unwrap();
    }
    form.check("ana", &app.replica);
    form.focus = form
        .fields
        .iter()
        .position(|f| f.key == "status_reason")
        .unwrap();
    app.forms.form = Some(form);
    let s = screen(&mut app, 80, 24);
    let at = s
        .iter()
        .position(|l| l.contains("✗ an action that was not"))
        .unwrap_or_else(|| panic!("{}", s.join("\n")));
    // The words inside the form's borders, on the error's two lines.
    let words = |l: &str| {
        l.replace(['┃', '│'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let both = format!("{} {}", words(&s[at]), words(&s[at + 1]));
    assert_eq!(
        both, "✗ an action that was not implemented needs the reason",
        "every word, none cut"
    );
}

/// Dates known only approximately show as they are known: a month as "Dec 2016", a span whole
/// in the list ("Jun 2018 – Feb 2019"), and a meeting without an end as its one date, not
/// "from" it.
#[test]
fn approximate_dates_show_as_they_are_known() {
    let mut replica = Replica::new();
    for (_, record) in taskforce::fixtures::dataset().into_records() {
        replica.insert(Row {
            rev: 1,
            at: Timestamp(0),
            by: "test".into(),
            record,
        });
    }
    replica.seq = 1;
    let mut app = App::new(replica, "ana", "/tmp/db", options());
    app.today = d("2020-01-15");
    open_kind(&mut app, Kind::Meeting);
    let s = screen(&mut app, 120, 40);
    assert!(
        find(&s, "Coventry Regional").contains("Jun 2018 – Feb 2019"),
        "{s:#?}"
    );
    assert!(find(&s, "2nd Interregional").contains("Dec 2016"));
    // The list is in date order: the kick-off first.
    assert!(find(&s, "▶ 2016-05-18").contains("INTRA kick-off meeting"));
    let dates = find(&s, "Dates ");
    assert!(dates.contains("2016-05-18 – 2016-05-19"), "{dates}");
    // A meeting of one day.
    for _ in 0..30 {
        if find(&screen(&mut app, 120, 40), "6th Regional").contains('▶') {
            break;
        }
        update(&mut app, Action::Down);
    }
    let s = screen(&mut app, 120, 40);
    let dates = find(&s, "Dates ");
    assert!(
        dates.contains("2019-02-28") && !dates.contains("from"),
        "{dates}"
    );
}

/// A practice's detail lists where it was transferred (the stage and the adopting partner); a
/// partner's lists what its region took in; the list of transfers shows their stage, and a
/// transfer's detail its stage history.
#[test]
fn a_practice_lists_where_it_was_transferred_and_a_transfer_its_stages() {
    let mut replica = replica();
    let transfer: Transfer = serde_json::from_value(serde_json::json!({
        "id": "tr-bootcamp-mra",
        "title": "Bootcamp into the Podravje programme",
        "practice": "gp-bootcamp",
        "partner": "mra",
        "instrument": "Podravje regional development programme",
        "action": "act-vouchers",
        "stages": [
            {"on": "2019-03", "stage": "interest", "note": "seen at the study visit"},
            {"on": "2019-10-02", "stage": "adapted", "note": "two cohorts a year"}
        ],
        "result": "new_projects"
    }))
    .unwrap();
    replica.insert(Row {
        rev: 1,
        at: Timestamp(0),
        by: "test".into(),
        record: Record::from(transfer),
    });
    let mut app = App::new(replica, "ana", "/tmp/db", options());
    app.today = d("2020-01-15");
    // The bootcamp is the first practice, selected, its detail beside the list.
    let s = screen(&mut app, 160, 100);
    find(&s, "Transferred to (1)");
    let line = find(&s, "[adapted]");
    assert!(line.contains("Maribor Development Agency"), "{line}");
    open_kind(&mut app, Kind::Transfer);
    let s = screen(&mut app, 160, 60);
    find(&s, "Transfers (1)");
    let row = find(&s, "┃▶ Bootcamp into the Po");
    assert!(
        row.contains("adapted") && row.contains("Internationalisat"),
        "{row}"
    );
    find(&s, "Adopting partner  → Maribor Development Agency");
    find(&s, "Stage history (2)");
    find(&s, "2019-10-02 adapted: two cohorts a year");
    find(&s, "Podravje regional development programme");
    // The partner's detail lists what its region took in, the action's what it carries, the
    // action plan's what its actions carry.
    // The overview counts the region's transfers by stage, at three sizes.
    let at = taskforce::tui::app::nav_targets()
        .iter()
        .position(|t| *t == Target::Overview(Overview::Transfers))
        .unwrap();
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let mut app = App::new(app.replica.as_ref().clone(), "ana", "/tmp/db", options());
        for _ in 0..at {
            update(&mut app, Action::Down);
        }
        update(&mut app, Action::NextPane);
        let s = screen(&mut app, w, h);
        if w >= 80 {
            find(&s, "Transfers by region — all projects");
            let row = find(&s, "MRA");
            // interest 0, studied 0, adapted 1, adopted 0, dropped 0
            let after = &row[row.find("MRA").unwrap()..];
            let counts: Vec<&str> = after
                .split(|c: char| !c.is_ascii_digit())
                .filter(|n| !n.is_empty())
                .collect();
            assert_eq!(counts, ["0", "0", "1", "0", "0"], "{row}");
        } else {
            find(&s, "Transfers by re");
        }
    }
    for (kind, id, heading) in [
        (Kind::Partner, "mra", "Practices it took in (1)"),
        (Kind::Action, "act-vouchers", "Transfers it carries (1)"),
        (Kind::ActionPlan, "ap-si", "Transfers its actions carry (1)"),
    ] {
        open_kind(&mut app, kind);
        assert!(app.select_record(kind, id), "{id}");
        let s = screen(&mut app, 160, 100);
        find(&s, heading);
        // The stage and the practice, then the transfer's title (wrapped below).
        find(&s, "→ [adapted] Internationalisation Business Bootcamp:");
    }
}

/// The detail pane shows every row and long text a kind's declaration gives (`.shown`) that
/// has a value, under its label and in the declared order, for every record of every kind.
#[test]
fn every_detail_shows_its_declared_rows_in_their_order() {
    use taskforce::model::kinds::{self, Show};
    let mut replica = Replica::new();
    let mut all: Vec<Record> = taskforce::fixtures::dataset()
        .into_records()
        .into_iter()
        .map(|(_, r)| r)
        .collect();
    all.extend(records());
    all.push(Record::from(Member {
        id: "ana".into(),
        name: "Ana Novak".into(),
        organisation: "Maribor Development Agency".into(),
        partner: Some("mra".into()),
        facilitator: true,
    }));
    for record in all {
        replica.insert(Row {
            rev: 1,
            at: Timestamp(0),
            by: "test".into(),
            record,
        });
    }
    replica.seq = 1;
    let mut app = App::new(replica.clone(), "ana", "/tmp/db", options());
    for kind in Kind::ALL {
        open_kind(&mut app, *kind);
        let mut seen = std::collections::BTreeSet::new();
        while let Some((k, id)) = app.selected() {
            if !seen.insert(id.clone()) {
                break;
            }
            let record = replica.record(k, &id).unwrap().clone();
            let shown = kinds::shown(k);
            let mut expected = Vec::new();
            for (field, s) in shown.rows.iter().chain(&shown.texts) {
                let mut label = s.label.unwrap_or(field.name()).to_string();
                if let Show::Lines(t) = s.how {
                    let n = t(&record).lines().filter(|l| !l.trim().is_empty()).count();
                    label = format!("{label} ({n})");
                }
                let has = match s.how {
                    Show::Text(v) => !v(&replica, &record).trim().is_empty(),
                    Show::Strong(_) | Show::Lines(_) => true,
                    Show::Link(_, id) => id(&record).is_some(),
                    Show::Day(day) => day(&record) != (None, String::new()),
                    Show::Period(span) => span(&record) != (None, None),
                    Show::Periods(_) => false,
                    Show::Block(t) => !t(&record).trim().is_empty(),
                };
                if has {
                    expected.push(label);
                }
            }
            let labels: Vec<String> = app
                .content()
                .items
                .iter()
                .map(|i| i.label.clone())
                .filter(|l| expected.contains(l))
                .collect();
            // A label may also name a bespoke section further down (a scheme's "Budget used"
            // is not "Budget"): the declared ones come first, in their order.
            assert!(
                labels.len() >= expected.len() && labels[..expected.len()] == expected[..],
                "{kind} {id}: the detail shows {labels:?}, its declaration {expected:?}"
            );
            update(&mut app, Action::Down);
        }
        assert!(!seen.is_empty(), "no {kind} to show");
    }
}

/// A new transfer's form at 80x24 and 120x40: the stage history's line format under the field
/// while it has the focus, and a stage out of order refused on its line with every word of
/// the reason shown.
#[test]
fn a_transfer_form_shows_the_stage_format_and_refuses_a_stage_out_of_order() {
    use taskforce::tui::forms::{Form, Input};
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = app();
        let mut form = Form::open(Kind::Transfer, None, None);
        let at = |form: &Form, key: &str| form.fields.iter().position(|f| f.key == key).unwrap();
        let text = |value: &str| Input::Text {
            value: value.into(),
            cursor: 0,
            multiline: true,
        };
        let (title, instrument) = (at(&form, "title"), at(&form, "instrument"));
        form.fields[title].input = text("Bootcamp into the Slovene programme");
        form.fields[instrument].input = text("Operational Programme, priority 3");
        for (key, kind, id) in [
            ("practice", Kind::Practice, "gp-bootcamp"),
            ("partner", Kind::Partner, "mra"),
        ] {
            let i = at(&form, key);
            form.fields[i].input = Input::Ref {
                kind,
                value: Some(id.into()),
            };
        }
        let stages = at(&form, "stages");
        form.fields[stages].input = text("2019-03 | studied | at the visit\n2019-10 | interest");
        form.check("ana", &app.replica);
        form.focus = stages;
        app.forms.form = Some(form);
        let s = screen(&mut app, w, h);
        let words = |l: &str| {
            l.replace(['┃', '│'], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let text = s.iter().map(|l| words(l)).collect::<Vec<_>>().join(" ");
        for part in [
            "one a line, oldest first: date | stage | note",
            "2019-10 | interest",
            "✗ line 2 (stage): 'interest' cannot follow 'studied'",
        ] {
            assert!(
                text.contains(part),
                "{w}x{h}: {part:?} in\n{}",
                s.join("\n")
            );
        }
    }
}

/// mra's stakeholder group: a person with consent, one without, an organisation taking part as
/// such and an erased person; and an RSG meeting two of them attended with a guest.
fn with_stakeholders() -> App {
    let mut replica = replica();
    let person = |id: &str, org: &str, name: &str, helix: Helix, role: &str| Stakeholder {
        id: id.into(),
        partner: "mra".into(),
        organisation: org.into(),
        name: name.into(),
        helix,
        role: role.into(),
        email: String::new(),
        phone: String::new(),
        consent: None,
        erased: None,
    };
    let mut vesna = person(
        "sh-mra-1",
        "Chamber of Commerce of Podravje",
        "Vesna Horvat",
        Helix::Business,
        "export adviser",
    );
    vesna.email = "vesna@example.org".into();
    vesna.phone = "+386 2 555 0101".into();
    vesna.consent = Some(d("2019-03-04"));
    let tomaz = person(
        "sh-mra-2",
        "Regional Council of Podravje",
        "Tomaž Žnidarič",
        Helix::PublicAuthority,
        "policy officer",
    );
    let university = person("sh-mra-3", "University of Maribor", "", Helix::Research, "");
    let mut erased = person(
        "sh-mra-4",
        "Podravje Business Incubator",
        "(erased)",
        Helix::Business,
        "",
    );
    erased.erased = Some(Erasure {
        at: Timestamp(1_575_000_000_000),
        by: "ana".into(),
    });
    let mut rsg = meeting(
        "rsg-mra-3",
        "intra",
        "RSG meeting 3 in Podravje",
        MeetingKind::RsgMeeting,
        ("Maribor", "SI"),
        "2019-05-14",
        &[],
    );
    rsg.host = Some("mra".into());
    rsg.attendance = vec![
        Attendee {
            stakeholder: Some("sh-mra-1".into()),
            ..Attendee::guest("", "", None)
        },
        Attendee {
            stakeholder: Some("sh-mra-2".into()),
            ..Attendee::guest("", "", None)
        },
        Attendee::guest("Janez Kranjc", "Managing authority", None),
    ];
    for record in [
        Record::from(vesna),
        tomaz.into(),
        university.into(),
        erased.into(),
        rsg.into(),
    ] {
        replica.insert(Row {
            rev: 1,
            at: Timestamp(0),
            by: "test".into(),
            record,
        });
    }
    let mut app = App::new(replica, "ana", "/tmp/db", options());
    app.today = d("2020-01-15");
    app
}

/// Selects record `id` in the list shown.
fn select(app: &mut App, id: &str) {
    update(app, Action::Top);
    for _ in 0..100 {
        if app.selected().is_some_and(|(_, s)| s == id) {
            return;
        }
        update(app, Action::Down);
    }
    panic!("{id} is not in the list");
}

/// Every line the detail pane shows as its selection moves from the top to the bottom.
fn detail_lines(app: &mut App, width: u16, height: u16) -> Vec<String> {
    use taskforce::tui::Pane;
    // Drawn once first, so that the panes know the screen's size.
    screen(app, width, height);
    while app.focus() != Pane::Detail {
        update(app, Action::NextPane);
    }
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..80 {
        for line in screen(app, width, height) {
            if !seen.contains(&line) {
                seen.push(line);
            }
        }
        update(app, Action::Down);
    }
    seen
}

/// A partner's detail shows its stakeholder group by helix type — the person without consent
/// and the erased one without contact details — and who of it attended which RSG meeting, at
/// 120x40, 80x24 and 40x12.
#[test]
fn a_partner_shows_its_stakeholder_group_by_helix_and_who_attended_its_rsg_meetings() {
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let mut app = with_stakeholders();
        open_kind(&mut app, Kind::Partner);
        select(&mut app, "mra");
        let s = detail_lines(&mut app, w, h);
        let at = format!("{w}x{h}");
        for text in [
            "Regional stakeholder group (4)",
            "public authority (1)",
            "business (2)",
            "research and education (1)",
            "Tomaž Žnidarič",
            "RSG meetings (1)",
            "RSG meeting 3 in",
        ] {
            find(&s, text);
        }
        let vesna = find(&s, "→ Vesna Horvat");
        assert!(vesna.contains("export adviser"), "{at}: {vesna}");
        find(&s, "→ University of Maribor");
        find(&s, "→ (erased) · Podravje Business");
        let attended = find(&s, "attended: ");
        let who = "attended: Vesna Horvat, Tomaž Žnidarič (and 1 other)";
        let shown = &attended[attended.find("attended: ").unwrap()..];
        assert!(
            who.starts_with(shown.trim_end_matches(['│', '┃', ' ', '…'])),
            "{at}: {attended}"
        );
        assert!(
            !s.iter().any(|l| l.contains("vesna@example.org")),
            "{at}: a partner's detail shows no contact details"
        );
    }
}

/// The list of stakeholders shows name, organisation, helix and partner; a stakeholder's
/// detail shows contact details only with a consent, and an erased one who erased it.
#[test]
fn stakeholders_list_and_detail_show_contact_only_with_consent() {
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let at = format!("{w}x{h}");
        let mut app = with_stakeholders();
        open_kind(&mut app, Kind::Stakeholder);
        let s = screen(&mut app, w, h);
        find(&s, "Stakeholders (4)");
        if w >= 80 {
            let row = find(&s, "Vesna Horvat");
            assert!(row.contains("Chamber of Commerce"), "{at}: {row}");
            find(&s, "Helix");
        }
        assert!(!s.iter().any(|l| l.contains("@example.org")), "{at}");
        select(&mut app, "sh-mra-1");
        let s = detail_lines(&mut app, w, h);
        find(&s, "vesna@example.org");
        find(&s, "+386 2 555 0101");
        find(&s, "RSG meeting 3 in");
        open_kind(&mut app, Kind::Stakeholder);
        select(&mut app, "sh-mra-2");
        let s = detail_lines(&mut app, w, h);
        find(&s, "none kept: no consent");
        open_kind(&mut app, Kind::Stakeholder);
        select(&mut app, "sh-mra-4");
        let s = detail_lines(&mut app, w, h);
        find(&s, "erased on 2019-11-29 by ana");
    }
    // The meeting names its attendees from their records, a guest as typed.
    let mut app = with_stakeholders();
    open_kind(&mut app, Kind::Meeting);
    select(&mut app, "rsg-mra-3");
    let s = detail_lines(&mut app, 120, 40);
    find(&s, "Attendance (3)");
    find(&s, "→ Vesna Horvat, Chamber of Commerce of Podravje");
    find(&s, "→ Tomaž Žnidarič, Regional Council of Podravje");
    find(&s, "Janez Kranjc, Managing authority");
    assert!(!s.iter().any(|l| l.contains("vesna@example.org")));
}

/// The stakeholder's form at 120x40, 80x24 and 40x12: its fields, and the consent field that
/// contact details need.
#[test]
fn the_stakeholder_form_draws_at_three_sizes() {
    use taskforce::tui::forms::Form;
    let mut app = with_stakeholders();
    let row = app
        .replica
        .row(Kind::Stakeholder, "sh-mra-1")
        .cloned()
        .unwrap();
    for (w, h) in [(120, 40), (80, 24), (40, 12)] {
        let mut form = Form::open(Kind::Stakeholder, Some(&row), None);
        form.check("ana", &app.replica);
        form.focus = form.fields.iter().position(|f| f.key == "email").unwrap();
        app.forms.form = Some(form);
        let s = screen(&mut app, w, h);
        find(&s, "Edit stakeholder");
        find(&s, "vesna@example.org");
        if h >= 24 {
            find(&s, "Helix");
            find(&s, "business");
            find(&s, "Consent");
        }
    }
    app.forms.form = None;
}

/// Drawing only reads: `draw` takes `&App`, and what depends on the frame's size (the rows a
/// page moves, the list's offset, the detail's width) is worked out by the layout step before
/// it. A state laid out for 80×24 is scrolled to its selection before anything is drawn, and
/// drawing it twice gives the same screen.
#[test]
fn the_layout_step_sizes_the_panes_and_drawing_only_reads() {
    let draw: fn(&mut ratatui::Frame, &App) = taskforce::tui::draw;
    let mut app = App::new(many_practices(200), "ana", "/tmp/db", options());
    render(&mut app, 120, 40);
    update(&mut app, Action::NextPane);
    update(&mut app, Action::Bottom);
    let kind = Kind::Practice;
    taskforce::tui::layout::layout(&mut app, Rect::new(0, 0, 80, 24));
    let view = app.view(kind).clone();
    assert_eq!(view.selected, view.ids.len() - 1);
    assert!(
        view.offset + 6 >= view.selected && view.offset <= view.selected,
        "offset {} for the last row, {}",
        view.offset,
        view.selected
    );
    // A page is what the layout gave the list: PageUp moves by it without a frame drawn.
    let before = view.selected;
    update(&mut app, Action::PageUp);
    let moved = before - app.view(kind).selected;
    assert!((3..=8).contains(&moved), "a page at 80x24 moved {moved}");
    taskforce::tui::layout::layout(&mut app, Rect::new(0, 0, 80, 24));
    let frame = |app: &App| {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| draw(f, app)).unwrap();
        terminal.backend().buffer().clone()
    };
    let (first, second) = (frame(&app), frame(&app));
    assert_eq!(first, second);
    assert!(
        lines(&first).iter().any(|l| l.contains("of 205")),
        "{}",
        lines(&first).join("\n")
    );
}
