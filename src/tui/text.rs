//! Measuring, truncating and wrapping text by display width (a CJK character takes two columns,
//! a combining accent none), so that columns line up and the cursor lands where the text is.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The number of terminal columns the text takes.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Cuts the text to at most `max` columns, ending with `ellipsis` when something was cut.
pub fn truncate(text: &str, max: usize, ellipsis: &str) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let ell = width(ellipsis);
    if max <= ell {
        return take_columns(text, max).0;
    }
    let (mut out, _) = take_columns(text, max - ell);
    out.push_str(ellipsis);
    out
}

/// Shortens `text` to `max` columns by cutting its middle: its start and its end stay, so that
/// texts that begin alike still read apart ("Internationalisa…voucher", "example-…tor-2").
pub fn truncate_middle(text: &str, max: usize, ellipsis: &str) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let ell = width(ellipsis);
    if max <= ell + 2 {
        return truncate(text, max, ellipsis);
    }
    let room = max - ell;
    let tail_room = room / 3;
    let (head, _) = take_columns(text, room - tail_room);
    let reversed: String = text.chars().rev().collect();
    let (tail, _) = take_columns(&reversed, tail_room);
    let tail: String = tail.chars().rev().collect();
    format!("{}{ellipsis}{}", head.trim_end(), tail.trim_start())
}

/// The longest start of `text` that fits in `max` columns, and its width.
fn take_columns(text: &str, max: usize) -> (String, usize) {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w > max {
            break;
        }
        used += w;
        out.push(c);
    }
    (out, used)
}

/// Pads the text with spaces to exactly `columns` columns (truncating it when longer).
pub fn pad(text: &str, columns: usize, ellipsis: &str) -> String {
    let mut out = truncate(text, columns, ellipsis);
    let w = width(&out);
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// Wraps plain text into lines of at most `max` columns (see [`wrap`]).
pub fn wrap_plain(text: &str, max: usize) -> Vec<String> {
    wrap(&[(text.to_string(), ())], max)
        .into_iter()
        .map(|line| line.into_iter().map(|(t, ())| t).collect())
        .collect()
}

/// Wraps styled pieces of text into lines of at most `max` columns. Words move to the next line
/// whole; a word longer than a line is cut by characters; '\n' starts a new line; spaces at the
/// start of a wrapped line are dropped. Returns at least one (possibly empty) line.
pub fn wrap<S: Copy>(pieces: &[(String, S)], max: usize) -> Vec<Vec<(String, S)>> {
    let max = max.max(1);
    let mut lines: Vec<Vec<(String, S)>> = vec![Vec::new()];
    let mut used = 0usize;
    // Whether the current line started because the one before was full (not at a '\n').
    let mut wrapped = false;
    let push = |lines: &mut Vec<Vec<(String, S)>>, text: &str, style: S| {
        lines
            .last_mut()
            .expect("at least one line")
            .push((text.to_string(), style));
    };
    for (text, style) in pieces {
        let style = *style;
        for (i, paragraph) in text.split('\n').enumerate() {
            if i > 0 {
                lines.push(Vec::new());
                used = 0;
                wrapped = false;
            }
            for token in split_words(paragraph) {
                let w = width(token);
                let is_space = token.starts_with(' ');
                if used + w <= max {
                    if !(is_space && used == 0 && wrapped) {
                        push(&mut lines, token, style);
                        used += w;
                    }
                    continue;
                }
                if is_space {
                    // A space that does not fit ends the line.
                    lines.push(Vec::new());
                    used = 0;
                    wrapped = true;
                    continue;
                }
                if used > 0 {
                    trim_end(lines.last_mut().expect("at least one line"));
                    lines.push(Vec::new());
                    used = 0;
                    wrapped = true;
                }
                if w <= max {
                    push(&mut lines, token, style);
                    used = w;
                    continue;
                }
                // A word longer than the line: cut it by characters.
                let mut chunk = String::new();
                for c in token.chars() {
                    let cw = char_width(c);
                    if used + cw > max && used > 0 {
                        push(&mut lines, &chunk, style);
                        chunk.clear();
                        lines.push(Vec::new());
                        used = 0;
                        wrapped = true;
                    }
                    chunk.push(c);
                    used += cw;
                }
                if !chunk.is_empty() {
                    push(&mut lines, &chunk, style);
                }
            }
        }
    }
    lines
}

/// Drops the spaces a wrapped line ends with.
fn trim_end<S>(line: &mut Vec<(String, S)>) {
    while let Some((text, _)) = line.last_mut() {
        let trimmed = text.trim_end_matches(' ').len();
        if trimmed == 0 {
            line.pop();
        } else {
            text.truncate(trimmed);
            break;
        }
    }
}

/// Splits text into runs of spaces and runs of other characters.
fn split_words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ';
        match in_space {
            Some(s) if s != space => {
                out.push(&text[start..i]);
                start = i;
            }
            _ => {}
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: Vec<Vec<(String, ())>>) -> Vec<String> {
        lines
            .into_iter()
            .map(|l| l.into_iter().map(|(t, _)| t).collect())
            .collect()
    }

    #[test]
    fn widths_count_columns_not_bytes() {
        assert_eq!(width("Klaipėda"), 8);
        assert_eq!(width("東京"), 4);
        assert_eq!(truncate("東京 Rzeszów", 5, "…"), "東京…");
        assert_eq!(truncate("Rzeszów", 7, "…"), "Rzeszów");
        assert_eq!(truncate("Rzeszów Agency", 7, "..."), "Rzes...");
        assert_eq!(pad("東", 4, "…"), "東  ");
    }

    #[test]
    fn wrapping_keeps_words_and_cuts_long_ones() {
        let text = vec![("the quick brown fox".to_string(), ())];
        assert_eq!(plain(wrap(&text, 10)), vec!["the quick", "brown fox"]);
        let long = vec![("abcdefghij".to_string(), ())];
        assert_eq!(plain(wrap(&long, 4)), vec!["abcd", "efgh", "ij"]);
        let cjk = vec![("東京東京東".to_string(), ())];
        assert_eq!(plain(wrap(&cjk, 5)), vec!["東京", "東京", "東"]);
        let lines = vec![("a\nb c".to_string(), ())];
        assert_eq!(plain(wrap(&lines, 10)), vec!["a", "b c"]);
        assert_eq!(plain(wrap(&[], 10)), vec![""]);
    }
}
