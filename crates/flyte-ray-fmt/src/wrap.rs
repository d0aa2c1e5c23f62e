//! Python's `textwrap.shorten`, ported for behaviour (CPython 3.11
//! `Lib/textwrap.py`): whitespace normalisation, `TextWrapper`'s chunking
//! regex with `break_on_hyphens=True`, its long-word handling and its
//! `max_lines=1` placeholder logic.

use crate::py::{py_is_digit, py_is_word, py_isspace};

/// Python's `textwrap.shorten(text, width, placeholder=placeholder)`.
///
/// Runs of whitespace (as `str.split()` sees it) collapse to one space and
/// the ends are stripped; text that then fits in `width` characters (code
/// points) is returned as is. Otherwise the text is cut into
/// `TextWrapper` chunks (words, spaces, and word pieces after a hyphen between
/// letters, as in `ray-|worker`), as many whole chunks are kept as fit with
/// the placeholder, and a word longer than `width` is cut (after its last
/// hyphen within reach, when there is one). When nothing fits, the result is
/// the placeholder without its leading whitespace.
///
/// Where Python raises `ValueError` (`width` 0, or a placeholder wider than
/// `width` once left-stripped), this returns an empty string.
///
/// ```
/// use flyte_ray_fmt::shorten;
/// assert_eq!(shorten("  Hello \n  world  ", 80, " [...]"), "Hello world");
/// assert_eq!(shorten("Hello  world!", 12, " [...]"), "Hello world!");
/// assert_eq!(shorten("Hello  world!", 11, " [...]"), "Hello [...]");
/// assert_eq!(shorten("ray-worker-group", 12, " [...]"), "ray- [...]");
/// assert_eq!(shorten("Hello  world!", 11, "..."), "Hello...");
/// ```
pub fn shorten(text: &str, width: usize, placeholder: &str) -> String {
    // Fast path, same result: text that normalisation leaves alone (ASCII,
    // no whitespace but single inner spaces) and that fits is returned as
    // is; most field values are such. Byte length is the character count
    // for ASCII; `width == 0` and over-wide placeholders take the full path,
    // which returns "" for them.
    if text.len() <= width && is_normalized_ascii(text) && fits_placeholder(width, placeholder) {
        return text.to_owned();
    }
    let normalized = normalize(text);
    let placeholder: Vec<char> = placeholder.chars().collect();
    wrap_one_line(&normalized, width, &placeholder)
}

/// Whether `text` is ASCII and `' '.join(text.split())` would return it
/// unchanged: no whitespace but single spaces between non-spaces.
fn is_normalized_ascii(text: &str) -> bool {
    let b = text.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut prev_space = false;
    for &c in b {
        // ASCII whitespace for `str.split()`: \t \n \v \f \r, \x1c-\x1f, space.
        if !c.is_ascii() || matches!(c, b'\t'..=b'\r' | 0x1c..=0x1f) {
            return false;
        }
        let space = c == b' ';
        if space && prev_space {
            return false;
        }
        prev_space = space;
    }
    true
}

/// Whether `shorten` with this width and placeholder returns text at all
/// (Python raises `ValueError` otherwise; [`shorten`] returns "").
fn fits_placeholder(width: usize, placeholder: &str) -> bool {
    width > 0 && placeholder.trim_start_matches(py_isspace).chars().count() <= width
}

/// `' '.join(text.split())` as code points.
fn normalize(text: &str) -> Vec<char> {
    let mut normalized: Vec<char> = Vec::with_capacity(text.len());
    for word in text.split(py_isspace).filter(|w| !w.is_empty()) {
        if !normalized.is_empty() {
            normalized.push(' ');
        }
        normalized.extend(word.chars());
    }
    normalized
}

/// [`shorten`] of a text of which only a prefix is known, when the prefix
/// decides the result; `None` when it may not.
///
/// The line keeps whole chunks starting before `width`, and looks at most
/// `width + 1` characters into the chunk that does not fit; the chunk
/// boundaries up to there depend on at most three characters after them, or
/// on a run of hyphens and the character after it. So a normalised prefix of
/// at least `2 * width + 6` characters with a non-hyphen after position
/// `2 * width + 2` gives the same chunks, and so the same line, as the whole
/// text.
pub(crate) fn shorten_prefix(prefix: &str, width: usize, placeholder: &str) -> Option<String> {
    let normalized = normalize(prefix);
    let decided = 2 * width + 2;
    if normalized.len() < decided + 4 {
        return None;
    }
    if !normalized[decided + 1..].iter().any(|c| *c != '-') {
        return None;
    }
    let placeholder: Vec<char> = placeholder.chars().collect();
    Some(wrap_one_line(&normalized, width, &placeholder))
}

/// `TextWrapper(width, max_lines=1, placeholder).fill(text)` on text whose
/// only whitespace is single ASCII spaces.
fn wrap_one_line(text: &[char], width: usize, placeholder: &[char]) -> String {
    let placeholder_lstrip: &[char] = {
        let skip = placeholder.iter().take_while(|c| py_isspace(**c)).count();
        &placeholder[skip..]
    };
    if width == 0 || placeholder_lstrip.len() > width {
        return String::new();
    }
    // Fast path, same result: everything fits on the line.
    if text.len() <= width {
        return text.iter().collect();
    }
    let chunks = split_chunks(text);
    // Chunks as a stack: the next chunk is the last element.
    let mut stack: Vec<&[char]> = chunks.into_iter().rev().collect();
    let mut lines: Vec<String> = Vec::new();
    let is_blank = |c: &[char]| c.iter().all(|ch| py_isspace(*ch));

    while !stack.is_empty() {
        let mut cur_line: Vec<&[char]> = Vec::new();
        let mut cur_len = 0usize;
        if !lines.is_empty() && stack.last().is_some_and(|c| is_blank(c)) {
            stack.pop();
        }
        while let Some(&chunk) = stack.last() {
            if cur_len + chunk.len() <= width {
                cur_line.push(chunk);
                cur_len += chunk.len();
                stack.pop();
            } else {
                break;
            }
        }
        if let Some(&chunk) = stack.last()
            && chunk.len() > width
        {
            // _handle_long_word with break_long_words and break_on_hyphens.
            let space_left = width - cur_len;
            let mut end = space_left;
            if chunk.len() > space_left
                && let Some(hyphen) = chunk[..space_left].iter().rposition(|c| *c == '-')
                && hyphen > 0
                && chunk[..hyphen].iter().any(|c| *c != '-')
            {
                end = hyphen + 1;
            }
            let end = end.min(chunk.len());
            cur_line.push(&chunk[..end]);
            stack.pop();
            stack.push(&chunk[end..]);
            cur_len = cur_line.iter().map(|c| c.len()).sum();
        }
        if cur_line.last().is_some_and(|c| is_blank(c))
            && let Some(last) = cur_line.pop()
        {
            cur_len -= last.len();
        }
        if cur_line.is_empty() {
            // Python loops again here; with width >= 1 a line always takes
            // something, so this only guards against looping forever.
            if stack.last().is_some_and(|c| c.is_empty()) {
                stack.pop();
                continue;
            }
            break;
        }
        let rest_blank = stack.is_empty() || (stack.len() == 1 && is_blank(stack[0]));
        // max_lines == 1: `len(lines) + 1 < max_lines` never holds.
        if rest_blank && cur_len <= width {
            lines.push(cur_line.concat().into_iter().collect());
            continue;
        }
        loop {
            match cur_line.last() {
                Some(last) if !is_blank(last) && cur_len + placeholder.len() <= width => {
                    let mut line: String = cur_line.concat().into_iter().collect();
                    line.extend(placeholder.iter());
                    lines.push(line);
                    break;
                }
                Some(last) => {
                    cur_len -= last.len();
                    cur_line.pop();
                }
                None => {
                    // `lines` is empty here: this is the first line.
                    lines.push(placeholder_lstrip.iter().collect());
                    break;
                }
            }
        }
        break;
    }
    lines.join("\n")
}

/// `word_punct` of `TextWrapper.wordsep_re`: `[\w!"'&.,?]`.
fn is_word_punct(c: char) -> bool {
    py_is_word(c) || matches!(c, '!' | '"' | '\'' | '&' | '.' | ',' | '?')
}

/// `letter` of `TextWrapper.wordsep_re`: `[^\d\W]`.
fn is_letter(c: char) -> bool {
    py_is_word(c) && !py_is_digit(c)
}

/// The whitespace class of `wordsep_re`: `[\t\n\x0b\x0c\r ]`.
fn is_ws(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// `len` of the run of `-` starting at `i`.
fn hyphen_run(text: &[char], i: usize) -> usize {
    text[i.min(text.len())..]
        .iter()
        .take_while(|c| **c == '-')
        .count()
}

/// `(?=-{2,}\w)` at `i`.
fn em_dash_ahead(text: &[char], i: usize) -> bool {
    let run = hyphen_run(text, i);
    run >= 2 && text.get(i + run).is_some_and(|c| py_is_word(*c))
}

/// `TextWrapper._split` with `break_on_hyphens=True`: the matches of
/// `wordsep_re`, which cover the whole text.
fn split_chunks(text: &[char]) -> Vec<&[char]> {
    let mut chunks = Vec::new();
    let n = text.len();
    let mut p = 0;
    while p < n {
        let end = match_at(text, p);
        chunks.push(&text[p..end]);
        p = end;
    }
    chunks
}

/// End of the `wordsep_re` match starting at `p` (`p < text.len()`).
fn match_at(text: &[char], p: usize) -> usize {
    let n = text.len();
    let at = |i: usize| text.get(i).copied();
    // any whitespace
    if is_ws(text[p]) {
        return p + text[p..].iter().take_while(|c| is_ws(**c)).count();
    }
    // em-dash between words: (?<=wp) -{2,} (?=\w)
    if p > 0 && is_word_punct(text[p - 1]) && em_dash_ahead(text, p) {
        return p + hyphen_run(text, p);
    }
    // word, possibly hyphenated: nws+? followed by one of three endings.
    let mut q = p + 1;
    loop {
        // text[p..q] are all non-whitespace.
        // hyphenated word: -(?:(?<=lt{2}-)|(?<=lt-lt-))(?=lt-?lt)
        if at(q) == Some('-') {
            let behind = (q >= 2 && is_letter(text[q - 2]) && is_letter(text[q - 1]))
                || (q >= 3
                    && is_letter(text[q - 3])
                    && text[q - 2] == '-'
                    && is_letter(text[q - 1]));
            let ahead = match (at(q + 1), at(q + 2), at(q + 3)) {
                (Some(a), Some('-'), Some(b)) if is_letter(a) && is_letter(b) => true,
                (Some(a), Some(b), _) => is_letter(a) && is_letter(b),
                _ => false,
            };
            if behind && ahead {
                return q + 1;
            }
        }
        // end of word: (?=ws|\Z)
        if q >= n || is_ws(text[q]) {
            return q;
        }
        // em-dash: (?<=wp)(?=-{2,}\w)
        if is_word_punct(text[q - 1]) && em_dash_ahead(text, q) {
            return q;
        }
        q += 1;
    }
}
