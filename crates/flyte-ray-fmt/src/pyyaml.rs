//! PyYAML 6.0.4's `yaml.dump(obj)` with its defaults, byte for byte.
//!
//! The defaults: the pure-Python `yaml.Dumper`, `sort_keys=True`,
//! `default_flow_style=False`, indent 2, width 80, `allow_unicode=False`,
//! line break `\n`, no explicit `---`/`...`. The definition is PyYAML's own
//! `representer.py`, `serializer.py`, `resolver.py` and `emitter.py`; this
//! module follows the emitter's state (column, "last written was
//! whitespace", "last written was indentation", the indent stack) step by
//! step for the events a [`PyValue`] produces, so the layout rules below
//! fall out of the same bookkeeping rather than being restated.
//!
//! # What the output looks like
//!
//! - Dict keys sorted by code point; block style: `key: value`, a nested
//!   dict indented 2 more. A list under a dict key is **not** indented
//!   (`pip:\n- numpy\n`); a list in a list starts on the same line
//!   (`- - x`); a dict in a list too (`- a: 1\n  b: 2\n`).
//! - Empty lists and dicts are written in flow style: `[]`, `{}`.
//! - `null`, `true`, `false`; ints in full; floats as
//!   `repr(f).lower()` with `.0` put before the `e` when there is no `.`
//!   (`1e+16` becomes `1.0e+16`, `5e-324` becomes `5.0e-324`), `.nan`,
//!   `.inf`, `-.inf`.
//! - A top-level scalar is followed by `...` when it is written plain
//!   (`yaml.dump("a")` is `"a\n...\n"`): PyYAML marks such documents open
//!   ended.
//!
//! # How a string is written
//!
//! The first allowed style wins: **plain**, if the analysis allows it and
//! the resolver would read the plain text back as a `str`; else
//! **single-quoted** if allowed; else **double-quoted**.
//!
//! - The resolver (YAML 1.1) reads as non-strings: `yes/no/true/false/on/off`
//!   in lower, Title and UPPER case (not `y`/`n`); `0b…`, `0x…`, `0[0-7_]+`,
//!   decimals with `_`, sexagesimal `1:30`; floats that have a `.` (`1.`,
//!   `.5`, `1.0e+3`, `1:30.5`) and `.inf`/`.nan` forms (`1e3` stays a
//!   string); `~`, `null`, `Null`, `NULL` and the empty string; dates and
//!   timestamps (`2001-12-14`, `2001-12-14 21:59:43.10 -5`); `<<`, `=`, and
//!   `!`, `&`, `*` alone.
//! - Plain is never used for: the empty string; leading or trailing spaces
//!   or line breaks; any line break; special characters; a first character
//!   among `` # , [ ] { } & * ! | > ' " % @ ` ``, or `-`, `?`, `:` followed
//!   by whitespace or the end; `: ` or a trailing `:` anywhere, ` #`
//!   anywhere; a start of `---` or `...`.
//! - Special characters are everything outside printable ASCII
//!   (U+0020..=U+007E) and `\n`, since `allow_unicode` is off: tab, DEL,
//!   every non-ASCII character, U+FEFF. They force double quotes.
//! - Single quotes are not allowed with special characters, with a space
//!   before a line break, or with a space after one. Inside, `'` is `''`
//!   and a line break is written as a blank line (`a\nb` is `'a\n\n  b'`).
//! - Double-quote escapes: `\0 \a \b \t \n \v \f \r \e \" \\`, `\N`
//!   (U+0085), `\_` (U+00A0), `\L` (U+2028), `\P` (U+2029); any other
//!   character needing one is `\xXX` up to U+00FF, `\uXXXX` up to U+FFFF,
//!   else `\UXXXXXXXX`, with uppercase hex.
//!
//! # Folding at width 80
//!
//! - Plain and single-quoted: a single space (never one of a run of
//!   spaces, never the first or last character of a single-quoted value)
//!   becomes a line break when the column already passes 80.
//! - Double-quoted: a break goes before a space, or right after an escape,
//!   when the column would pass 80; the line ends in `\`, and a
//!   continuation starting with a space writes it as `\ `.
//! - Continuation lines are indented two columns past the indentation of
//!   the value's dict or list (PyYAML indents a scalar by one level).
//! - Simple keys are never folded.
//!
//! # Keys
//!
//! A key that is empty, 123 characters or longer (counted before
//! escaping: PyYAML's limit is 128 for the key plus its prepared tag
//! `!!str`, which is counted although it is not written), or multi-line (`\n`, U+0085, U+2028, U+2029) is a complex
//! key: `? key` on one line and `: value` on the next, folded like a value.
//! `{"": 1}` gives `? ''\n: 1\n`.
//!
//! # Beyond PyYAML
//!
//! Any depth is printed (the walk keeps its own stack); PyYAML's
//! representer recurses and raises `RecursionError` at a few hundred
//! levels. A dict whose keys repeat (not a Python `dict`) keeps every
//! entry, the equal keys in their given order.

use std::sync::OnceLock;

use regex::Regex;

use crate::py::push_py_repr_float;
use crate::pyobj::PyValue;

/// PyYAML's `best_width`.
const WIDTH: usize = 80;
/// PyYAML's `best_indent`.
const INDENT: usize = 2;
/// `len("!!str")`, the prepared tag of every `str` key.
const STR_TAG_LEN: usize = 5;
/// The characters PyYAML treats as line breaks.
const BREAKS: [char; 4] = ['\n', '\u{85}', '\u{2028}', '\u{2029}'];

fn is_break(c: char) -> bool {
    BREAKS.contains(&c)
}

/// `yaml.dump(value)` with every argument at its default.
///
/// ```
/// use flyte_ray_fmt::pyobj::PyValue;
/// use flyte_ray_fmt::pyyaml::dump;
///
/// let v = PyValue::from_json_str(
///     r#"{"pip": ["numpy", "yes"], "env_vars": {"B": "1:30", "A": "é"}, "x": 1e16, "": null}"#,
/// )?;
/// assert_eq!(
///     dump(&v),
///     "? ''\n: null\nenv_vars:\n  A: \"\\xE9\"\n  B: '1:30'\npip:\n- numpy\n- 'yes'\nx: 1.0e+16\n"
/// );
/// # Ok::<(), flyte_ray_fmt::pyobj::PyJsonError>(())
/// ```
pub fn dump(value: &PyValue) -> String {
    let mut e = Emitter {
        // Room for a typical runtime_env: fewer reallocations on the way.
        out: String::with_capacity(256),
        column: 0,
        whitespace: true,
        indention: true,
        open_ended: false,
        indent: None,
        indents: Vec::new(),
    };
    let mut frames: Vec<Frame<'_>> = Vec::new();
    // DocumentStart: implicit (the root is never an empty plain scalar).
    e.node(
        value,
        Context {
            root: true,
            ..Context::default()
        },
        &mut frames,
    );
    while let Some(frame) = frames.last_mut() {
        match frame {
            Frame::Seq { items, next } => {
                let Some(item) = items.get(*next) else {
                    frames.pop();
                    e.dedent();
                    continue;
                };
                *next += 1;
                e.write_indent();
                e.write_indicator("-", true, false, true);
                e.node(item, Context::default(), &mut frames);
            }
            Frame::Map { entries, next } => {
                let Some(&(key, item)) = entries.get(*next) else {
                    frames.pop();
                    e.dedent();
                    continue;
                };
                *next += 1;
                e.write_indent();
                let mapping = Context {
                    mapping: true,
                    ..Context::default()
                };
                if let Some(analysis) = analyze_simple(key) {
                    // A simple key below 123 characters (see below); a
                    // simple scalar is never empty nor multiline.
                    if key.len() + STR_TAG_LEN < 128 {
                        let key_ctx = Context {
                            simple_key: true,
                            ..mapping
                        };
                        e.simple_scalar(key, &analysis, !resolves_to_non_str(key), key_ctx);
                        e.write_indicator(":", false, false, false);
                        e.node(item, mapping, &mut frames);
                        continue;
                    }
                }
                let key_chars: Vec<char> = key.chars().collect();
                let key_analysis = analyze(&key_chars);
                // `check_simple_key` adds the length of the prepared tag
                // (`!!str`, 5 characters) to the scalar's, even though the
                // tag is never written: a key is simple below 123 characters.
                if key_chars.len() + STR_TAG_LEN < 128
                    && !key_analysis.empty
                    && !key_analysis.multiline
                {
                    e.scalar(
                        &key_chars,
                        &key_analysis,
                        !resolves_to_non_str(key),
                        Context {
                            simple_key: true,
                            ..mapping
                        },
                    );
                    e.write_indicator(":", false, false, false);
                } else {
                    e.write_indicator("?", true, false, true);
                    e.scalar(
                        &key_chars,
                        &key_analysis,
                        !resolves_to_non_str(key),
                        mapping,
                    );
                    e.write_indent();
                    e.write_indicator(":", true, false, true);
                }
                e.node(item, mapping, &mut frames);
            }
        }
    }
    // DocumentEnd, then StreamEnd.
    e.write_indent();
    if e.open_ended {
        e.write_indicator("...", true, false, false);
        e.write_indent();
    }
    e.out
}

/// A block collection being written.
enum Frame<'a> {
    Seq {
        items: &'a [PyValue],
        next: usize,
    },
    Map {
        entries: Vec<(&'a str, &'a PyValue)>,
        next: usize,
    },
}

/// The emitter's node context (`expect_node`'s flags).
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    root: bool,
    mapping: bool,
    simple_key: bool,
}

/// What `Emitter.analyze_scalar` finds, reduced to what block context
/// uses (no flow scalars and no block scalars are ever emitted here).
#[derive(Debug, PartialEq)]
struct Analysis {
    empty: bool,
    multiline: bool,
    allow_block_plain: bool,
    allow_single_quoted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
}

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    indent: Option<usize>,
    indents: Vec<Option<usize>>,
}

impl Emitter {
    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        self.indent = match self.indent {
            None if flow => Some(INDENT),
            None => Some(0),
            Some(i) if !indentless => Some(i + INDENT),
            Some(i) => Some(i),
        };
    }

    fn dedent(&mut self) {
        self.indent = self.indents.pop().flatten();
    }

    /// `expect_node` for one value; a non-empty collection is pushed on
    /// `frames` for the caller's loop to write.
    fn node<'a>(&mut self, value: &'a PyValue, ctx: Context, frames: &mut Vec<Frame<'a>>) {
        let text: String = match value {
            PyValue::None => "null".into(),
            PyValue::Bool(true) => "true".into(),
            PyValue::Bool(false) => "false".into(),
            PyValue::Int(i) => i.as_str().into(),
            PyValue::Float(f) => float_text(*f),
            PyValue::Str(s) => {
                self.text_scalar(s, !resolves_to_non_str(s), ctx);
                return;
            }
            PyValue::List(items) if items.is_empty() => {
                self.empty_flow("[", "]");
                return;
            }
            PyValue::Dict(entries) if entries.is_empty() => {
                self.empty_flow("{", "}");
                return;
            }
            PyValue::List(items) => {
                let indentless = ctx.mapping && !self.indention;
                self.increase_indent(false, indentless);
                frames.push(Frame::Seq { items, next: 0 });
                return;
            }
            PyValue::Dict(entries) => {
                self.increase_indent(false, false);
                let mut entries: Vec<(&str, &PyValue)> =
                    entries.iter().map(|(k, v)| (k.as_str(), v)).collect();
                // Code point order is UTF-8 byte order; the sort is stable.
                entries.sort_by(|a, b| a.0.cmp(b.0));
                frames.push(Frame::Map { entries, next: 0 });
                return;
            }
        };
        // The representer's text for None, bools, ints and floats always
        // resolves back to its own tag, so the event is implicit.
        self.text_scalar(&text, true, ctx);
    }

    /// A value's scalar: [`Self::simple_scalar`] where [`analyze_simple`]
    /// takes the text, else the general [`Self::scalar`] on its characters.
    fn text_scalar(&mut self, text: &str, implicit: bool, ctx: Context) {
        if let Some(analysis) = analyze_simple(text) {
            self.simple_scalar(text, &analysis, implicit, ctx);
            return;
        }
        let chars: Vec<char> = text.chars().collect();
        let analysis = analyze(&chars);
        self.scalar(&chars, &analysis, implicit, ctx);
    }

    /// An empty sequence or mapping: flow style, opened and closed at once.
    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.dedent();
        self.write_indicator(close, false, false, false);
    }

    /// `expect_scalar`: `implicit` says the plain text resolves to the
    /// value's own tag (`implicit[0]` of the event).
    fn scalar(&mut self, text: &[char], analysis: &Analysis, implicit: bool, ctx: Context) {
        self.increase_indent(true, false);
        let style = choose_style(analysis, implicit, ctx.simple_key);
        let split = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, split, ctx.root),
            Style::Single => self.write_single_quoted(text, split),
            Style::Double => self.write_double_quoted(text, split),
        }
        self.dedent();
    }

    /// [`Self::scalar`] for a text [`analyze_simple`] takes: printable
    /// ASCII without spaces, so neither the plain nor the single-quoted
    /// writer ever breaks a line or indents in it, and every character is
    /// one byte (the column moves by the length). Written from the `&str`,
    /// with no buffer of characters.
    fn simple_scalar(&mut self, text: &str, analysis: &Analysis, implicit: bool, ctx: Context) {
        match choose_style(analysis, implicit, ctx.simple_key) {
            Style::Plain => {
                // write_plain: the text is not empty, it has no spaces and
                // no breaks, so it is one run.
                if ctx.root {
                    self.open_ended = true;
                }
                if !self.whitespace {
                    self.out.push(' ');
                    self.column += 1;
                }
                self.whitespace = false;
                self.indention = false;
                self.out.push_str(text);
                self.column += text.len();
            }
            Style::Single => {
                // write_single_quoted: runs between quotes, each quote
                // doubled.
                self.write_indicator("'", true, false, false);
                for (i, run) in text.split('\'').enumerate() {
                    if i > 0 {
                        self.out.push_str("''");
                        self.column += 2;
                    }
                    self.out.push_str(run);
                    self.column += run.len();
                }
                self.write_indicator("'", false, false, false);
            }
            // Not chosen for printable ASCII (single quotes are allowed);
            // the general writer keeps it right if that ever changes.
            Style::Double => {
                let chars: Vec<char> = text.chars().collect();
                self.scalar(&chars, analysis, implicit, ctx);
            }
        }
    }

    fn write_raw(&mut self, text: &[char]) {
        self.column += text.len();
        self.out.extend(text);
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        whitespace: bool,
        indention: bool,
    ) {
        if !self.whitespace && need_whitespace {
            self.out.push(' ');
            self.column += 1;
        }
        self.out.push_str(indicator);
        self.column += indicator.chars().count();
        self.whitespace = whitespace;
        self.indention = self.indention && indention;
        self.open_ended = false;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.write_line_break(None);
        }
        if self.column < indent {
            self.whitespace = true;
            for _ in self.column..indent {
                self.out.push(' ');
            }
            self.column = indent;
        }
    }

    fn write_line_break(&mut self, data: Option<char>) {
        self.whitespace = true;
        self.indention = true;
        self.column = 0;
        self.out.push(data.unwrap_or('\n'));
    }

    /// The breaks `text[start..end]` of a quoted or plain scalar; a `\n`
    /// first is written twice (a blank line is one break when read back).
    fn write_breaks(&mut self, breaks: &[char]) {
        if breaks.first() == Some(&'\n') {
            self.write_line_break(None);
        }
        for &br in breaks {
            self.write_line_break(Some(br));
        }
    }

    fn write_plain(&mut self, text: &[char], split: bool, root: bool) {
        if root {
            self.open_ended = true;
        }
        if text.is_empty() {
            return;
        }
        if !self.whitespace {
            self.out.push(' ');
            self.column += 1;
        }
        self.whitespace = false;
        self.indention = false;
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=text.len() {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end && self.column > WIDTH && split {
                        self.write_indent();
                        self.whitespace = false;
                        self.indention = false;
                    } else {
                        self.write_raw(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end]);
                    self.write_indent();
                    self.whitespace = false;
                    self.indention = false;
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || is_break(c)) {
                self.write_raw(&text[start..end]);
                start = end;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
    }

    fn write_single_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("'", true, false, false);
        let (mut spaces, mut breaks) = (false, false);
        let mut start = 0;
        for end in 0..=text.len() {
            let ch = text.get(end).copied();
            if spaces {
                if ch != Some(' ') {
                    if start + 1 == end
                        && self.column > WIDTH
                        && split
                        && start != 0
                        && end != text.len()
                    {
                        self.write_indent();
                    } else {
                        self.write_raw(&text[start..end]);
                    }
                    start = end;
                }
            } else if breaks {
                if !ch.is_some_and(is_break) {
                    self.write_breaks(&text[start..end]);
                    self.write_indent();
                    start = end;
                }
            } else if ch.is_none_or(|c| c == ' ' || c == '\'' || is_break(c)) && start < end {
                self.write_raw(&text[start..end]);
                start = end;
            }
            if ch == Some('\'') {
                self.out.push_str("''");
                self.column += 2;
                start = end + 1;
            }
            if let Some(c) = ch {
                spaces = c == ' ';
                breaks = is_break(c);
            }
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_double_quoted(&mut self, text: &[char], split: bool) {
        self.write_indicator("\"", true, false, false);
        let len = text.len();
        let mut start = 0;
        for end in 0..=len {
            let ch = text.get(end).copied();
            if ch.is_none_or(needs_escape) {
                if start < end {
                    self.write_raw(&text[start..end]);
                    start = end;
                }
                if let Some(c) = ch {
                    let escape = escape(c);
                    self.column += escape.len();
                    self.out.push_str(&escape);
                    start = end + 1;
                }
            }
            // `0 < end < len(text)-1 and (ch == ' ' or start >= end) and
            // column + (end - start) > best_width`, where end - start is -1
            // right after an escape.
            let pending = end.saturating_sub(start);
            let after_escape = start > end;
            if 0 < end
                && end + 1 < len
                && (ch == Some(' ') || start >= end)
                && (if after_escape {
                    self.column > WIDTH + 1
                } else {
                    self.column + pending > WIDTH
                })
                && split
            {
                if start < end {
                    self.write_raw(&text[start..end]);
                    start = end;
                }
                self.out.push('\\');
                self.column += 1;
                self.write_indent();
                self.whitespace = false;
                self.indention = false;
                if text.get(start) == Some(&' ') {
                    self.out.push('\\');
                    self.column += 1;
                }
            }
        }
        self.write_indicator("\"", false, false, false);
    }
}

/// `choose_scalar_style` for a block-context scalar with no requested
/// style.
fn choose_style(analysis: &Analysis, implicit: bool, simple_key: bool) -> Style {
    if implicit
        && !(simple_key && (analysis.empty || analysis.multiline))
        && analysis.allow_block_plain
    {
        return Style::Plain;
    }
    if analysis.allow_single_quoted && !(simple_key && analysis.multiline) {
        return Style::Single;
    }
    Style::Double
}

/// Whether `write_double_quoted` escapes `c` (with `allow_unicode` off).
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '"' | '\\' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
    ) || !(' '..='~').contains(&c)
}

/// The double-quoted escape of `c`.
fn escape(c: char) -> String {
    let short = match c {
        '\0' => '0',
        '\u{7}' => 'a',
        '\u{8}' => 'b',
        '\t' => 't',
        '\n' => 'n',
        '\u{b}' => 'v',
        '\u{c}' => 'f',
        '\r' => 'r',
        '\u{1b}' => 'e',
        '"' => '"',
        '\\' => '\\',
        '\u{85}' => 'N',
        '\u{a0}' => '_',
        '\u{2028}' => 'L',
        '\u{2029}' => 'P',
        _ => {
            let cp = u32::from(c);
            return if cp <= 0xff {
                format!("\\x{cp:02X}")
            } else if cp <= 0xffff {
                format!("\\u{cp:04X}")
            } else {
                format!("\\U{cp:08X}")
            };
        }
    };
    format!("\\{short}")
}

/// `SafeRepresenter.represent_float`.
fn float_text(v: f64) -> String {
    if v.is_nan() {
        return ".nan".into();
    }
    if v == f64::INFINITY {
        return ".inf".into();
    }
    if v == f64::NEG_INFINITY {
        return "-.inf".into();
    }
    let mut repr = String::new();
    push_py_repr_float(&mut repr, v);
    let repr = repr.to_lowercase();
    if !repr.contains('.') && repr.contains('e') {
        repr.replacen('e', ".0e", 1)
    } else {
        repr
    }
}

/// [`analyze`] for the commonest scalars, read from the bytes: a text of
/// printable ASCII other than space (`!`..=`~`), at least one character
/// long; `None` for any other text.
///
/// In such a text there are no spaces, breaks or special characters, so of
/// `analyze_scalar`'s flags only the block indicators can be set: the
/// `---`/`...` prefix, an indicator character first, `?`, `:` or `-` as
/// the whole text (followed by whitespace means: last), and `:` last (the
/// end counts as whitespace). `#` needs whitespace before it, which only
/// the first character has, and the first character's own check takes it.
/// The tests compare this with [`analyze`] on random texts.
fn analyze_simple(text: &str) -> Option<Analysis> {
    let bytes = text.as_bytes();
    let (&first, &last) = (bytes.first()?, bytes.last()?);
    if !bytes.iter().all(|b| (b'!'..=b'~').contains(b)) {
        return None;
    }
    let block_indicators = bytes.starts_with(b"---")
        || bytes.starts_with(b"...")
        || b"#,[]{}&*!|>'\"%@`".contains(&first)
        || (bytes.len() == 1 && matches!(first, b'?' | b':' | b'-'))
        || last == b':';
    Some(Analysis {
        empty: false,
        multiline: false,
        allow_block_plain: !block_indicators,
        allow_single_quoted: true,
    })
}

/// `Emitter.analyze_scalar` with `allow_unicode` off.
fn analyze(scalar: &[char]) -> Analysis {
    if scalar.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let ws = |c: char| matches!(c, '\0' | ' ' | '\t' | '\r') || is_break(c);
    let len = scalar.len();
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;

    if scalar.starts_with(&['-', '-', '-']) || scalar.starts_with(&['.', '.', '.']) {
        block_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = len == 1 || ws(scalar[1]);
    let mut previous_space = false;
    let mut previous_break = false;

    for (index, &ch) in scalar.iter().enumerate() {
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':' || ch == '-') && followed_by_whitespace {
                block_indicators = true;
            }
        } else {
            if ch == ':' && followed_by_whitespace {
                block_indicators = true;
            }
            if ch == '#' && preceded_by_whitespace {
                block_indicators = true;
            }
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || (' '..='~').contains(&ch)) {
            // Unicode characters count as special too, since allow_unicode
            // is off; so does everything else outside printable ASCII.
            special_characters = true;
        }
        if ch == ' ' {
            if index == 0 {
                leading_space = true;
            }
            if index == len - 1 {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(ch) {
            if index == 0 {
                leading_break = true;
            }
            if index == len - 1 {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = ws(ch);
        followed_by_whitespace = index + 2 >= len || ws(scalar[index + 2]);
    }

    let mut allow_block_plain = true;
    let mut allow_single_quoted = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        allow_block_plain = false;
    }
    if break_space {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special_characters {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if line_breaks || block_indicators {
        allow_block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_block_plain,
        allow_single_quoted,
    }
}

/// Whether PyYAML's resolver reads `text`, as a plain scalar, as anything
/// but a `str` (its implicit resolvers for bool, float, int, merge, null,
/// timestamp, value and yaml).
///
/// Python's `$` also matches before a final `\n`; that never matters here,
/// since a text ending in a line break is never written plain.
fn resolves_to_non_str(text: &str) -> bool {
    // Every alternative of the pattern but the empty one starts with one of
    // these characters (bool: y n t f o, null: n ~, numbers and timestamps:
    // digits, sign, dot, merge <, value =, yaml ! & *): any other first
    // character cannot match, without running the regex.
    if let Some(first) = text.bytes().next()
        && !b"yYnNtTfFoO0123456789+-.<~=!&*".contains(&first)
    {
        return false;
    }
    resolver_matches(text)
}

/// The resolver pattern of [`resolves_to_non_str`] itself, run on `text`.
fn resolver_matches(text: &str) -> bool {
    static RESOLVER: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RESOLVER.get_or_init(|| {
        Regex::new(concat!(
            "^(?:",
            // bool
            "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
            // float
            r"|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?",
            r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?",
            r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*",
            r"|[-+]?\.(?:inf|Inf|INF)",
            r"|\.(?:nan|NaN|NAN)",
            // int
            r"|[-+]?0b[0-1_]+",
            r"|[-+]?0[0-7_]+",
            r"|[-+]?(?:0|[1-9][0-9_]*)",
            r"|[-+]?0x[0-9a-fA-F_]+",
            r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+",
            // merge
            r"|<<",
            // null (the empty alternative is the empty string)
            r"|~|null|Null|NULL|",
            // timestamp
            r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]",
            r"|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?",
            // value, yaml
            r"|=|!|&|\*",
            ")$"
        ))
        .ok()
    });
    match re {
        Some(re) => re.is_match(text),
        // The pattern is a constant that the tests compile; if it ever
        // failed to, quoting every string is still valid YAML.
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_pattern_compiles_and_matches_the_documented_forms() {
        for s in [
            "yes",
            "No",
            "OFF",
            "1.0",
            ".5",
            "1_000",
            "0x1f",
            "017",
            "1:30",
            "1:30.5",
            ".inf",
            "-.Inf",
            ".NaN",
            "~",
            "null",
            "",
            "2001-12-14",
            "2001-12-14 21:59:43.10 -5",
            "<<",
            "=",
            "0b101",
            "+12",
            "1.",
        ] {
            assert!(resolves_to_non_str(s), "{s:?} resolves to a non-str tag");
        }
        for s in [
            "y", "n", "1e3", "1e+16", "-.5", "0o17", "nan", "inf", "01:2", "abc", "1:60",
        ] {
            assert!(!resolves_to_non_str(s), "{s:?} stays a str");
        }
    }

    /// Texts heavy in what the resolver and the analysis look at.
    fn texts() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::string::string_regex(
            "[-+.:#?,\\[\\]{}&*!|>'\"%@`~=<_0-9a-zA-Z yYnNtTfFoO\t\n\u{e9}\u{85}\u{2028}]{0,12}",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// The first-character filter never says "str" where the pattern
        /// matches.
        #[test]
        fn the_resolver_prefilter_only_skips_texts_the_pattern_refuses(text in texts()) {
            proptest::prop_assert_eq!(resolves_to_non_str(&text), resolver_matches(&text));
        }

        /// The byte-level analysis agrees with the general one wherever it
        /// answers, and answers for every printable ASCII text without spaces.
        #[test]
        fn the_simple_analysis_agrees_with_the_general_one(text in texts()) {
            let chars: Vec<char> = text.chars().collect();
            let simple = analyze_simple(&text);
            let printable = !text.is_empty() && text.bytes().all(|b| (b'!'..=b'~').contains(&b));
            proptest::prop_assert_eq!(simple.is_some(), printable);
            if let Some(simple) = simple {
                proptest::prop_assert_eq!(simple, analyze(&chars));
            }
        }

        /// Plain and single-quoted simple scalars are written as the general
        /// writer writes them, in every context.
        #[test]
        fn simple_scalars_are_written_as_the_general_writer_writes_them(
            text in texts(),
            implicit in proptest::bool::ANY,
            root in proptest::bool::ANY,
            simple_key in proptest::bool::ANY,
            whitespace in proptest::bool::ANY,
            column in 0usize..100,
        ) {
            let Some(analysis) = analyze_simple(&text) else {
                return Ok(());
            };
            let ctx = Context { root, mapping: simple_key, simple_key };
            let emitter = || Emitter {
                out: String::new(),
                column,
                whitespace,
                indention: true,
                open_ended: false,
                indent: Some(4),
                indents: Vec::new(),
            };
            let (mut fast, mut general) = (emitter(), emitter());
            fast.simple_scalar(&text, &analysis, implicit, ctx);
            let chars: Vec<char> = text.chars().collect();
            general.scalar(&chars, &analyze(&chars), implicit, ctx);
            proptest::prop_assert_eq!(
                (&fast.out, fast.column, fast.whitespace, fast.indention, fast.open_ended, fast.indent),
                (&general.out, general.column, general.whitespace, general.indention, general.open_ended, general.indent)
            );
        }
    }
}
