//! Folded texts stored back to back in one buffer, addressed by [`Span`]s: few allocations,
//! texts of neighbouring entries side by side in memory, and a saved index that loads with a
//! handful of copies.

use super::fold::{self, Patch};

/// Where one folded text and its patches live in an [`Arena`]. Patch positions are relative
/// to the start of the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub len: u32,
    pub patches: u32,
    pub patch_count: u32,
}

#[derive(Debug, Default)]
pub(crate) struct Arena {
    pub text: String,
    pub patches: Vec<Patch>,
    /// Bytes of text no span refers to any more.
    pub garbage: usize,
}

impl Arena {
    /// Folds `original` into the arena.
    pub fn push(&mut self, original: &str) -> Span {
        let start = self.text.len();
        let first = self.patches.len();
        fold::fold_into(original, &mut self.text, &mut self.patches);
        for p in &mut self.patches[first..] {
            p.at -= start as u32;
        }
        Span {
            start: start as u32,
            len: (self.text.len() - start) as u32,
            patches: first as u32,
            patch_count: (self.patches.len() - first) as u32,
        }
    }

    /// Folds several texts into one span, separated by `sep`.
    pub fn push_joined<'a>(&mut self, parts: impl IntoIterator<Item = &'a str>, sep: char) -> Span {
        let start = self.text.len();
        let first = self.patches.len();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                self.text.push(sep);
            }
            fold::fold_into(part, &mut self.text, &mut self.patches);
        }
        for p in &mut self.patches[first..] {
            p.at -= start as u32;
        }
        Span {
            start: start as u32,
            len: (self.text.len() - start) as u32,
            patches: first as u32,
            patch_count: (self.patches.len() - first) as u32,
        }
    }

    /// Copies a span of another arena into this one.
    pub fn copy(&mut self, from: &Arena, span: Span) -> Span {
        let start = self.text.len();
        let first = self.patches.len();
        self.text.push_str(from.str(span));
        self.patches.extend_from_slice(from.patches(span));
        Span {
            start: start as u32,
            len: span.len,
            patches: first as u32,
            patch_count: span.patch_count,
        }
    }

    pub fn str(&self, span: Span) -> &str {
        &self.text[span.start as usize..(span.start + span.len) as usize]
    }

    pub fn patches(&self, span: Span) -> &[Patch] {
        &self.patches[span.patches as usize..(span.patches + span.patch_count) as usize]
    }

    /// The original text of a span.
    pub fn original(&self, span: Span) -> String {
        fold::original(self.str(span), self.patches(span), 0, span.len as usize)
    }

    /// The length in bytes of the original text of a span.
    pub fn original_len(&self, span: Span) -> usize {
        let changed: isize = self
            .patches(span)
            .iter()
            .map(|p| p.orig.len_utf8() as isize - p.len as isize)
            .sum();
        (span.len as usize).saturating_add_signed(changed)
    }

    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.patches.capacity() * std::mem::size_of::<Patch>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_live_side_by_side_and_come_back() {
        let mut a = Arena::default();
        let s1 = a.push("Pécs");
        let s2 = a.push_joined(["Klaipėda", "Łódź"], '|');
        let s3 = a.push("plain");
        assert_eq!(a.str(s1), "Pecs");
        assert_eq!(a.str(s2), "Klaipeda|Lodz");
        assert_eq!(a.original(s2), "Klaipėda|Łódź");
        assert_eq!(a.original(s3), "plain");
        assert_eq!(a.original_len(s1), "Pécs".len());
        let mut b = Arena::default();
        b.push("x");
        let c = b.copy(&a, s2);
        assert_eq!(b.original(c), "Klaipėda|Łódź");
    }
}
