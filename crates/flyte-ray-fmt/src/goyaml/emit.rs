//! yaml.v2 v2.4.0's `Marshal` of a [`GoValue`]: its encoder (which style each value asks for)
//! and the libyaml-derived emitter (`emitterc.go`) restricted to what such values produce:
//! block mappings and sequences, empty flow collections, and plain, single-quoted,
//! double-quoted and literal scalars.
//!
//! The emitter is the same state machine as yaml.v2's: events in document order, a stack of
//! states and of indentations, and the `column` / `whitespace` / `indention` flags that decide
//! every space and line break. It is written here, not taken from a crate: the libyaml ports
//! on crates.io follow libyaml 0.2.5, whose output differs from yaml.v2's older port (document
//! end markers after open-ended scalars, plain-scalar indicator rules, line width defaults).

use std::borrow::Cow;

use super::GoValue;
use super::float::format_float_g;
use super::resolve::resolves_as_non_string;
use super::sort::sort_keys;

/// yaml.v2's `best_indent` and (v2.4.0) `best_width`.
const BEST_INDENT: isize = 2;
const BEST_WIDTH: usize = 80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

enum Event<'a> {
    Scalar(Cow<'a, str>, Style),
    /// A mapping or sequence start immediately followed by its end: libyaml writes it in
    /// flow style (`check_empty_mapping` / `check_empty_sequence`).
    EmptyFlow {
        open: char,
        close: char,
    },
    MappingStart,
    MappingEnd,
    SequenceStart,
    SequenceEnd,
}

enum Frame<'a> {
    Map {
        entries: Vec<(&'a str, &'a GoValue)>,
        pos: usize,
        value_next: bool,
    },
    Seq {
        items: &'a [GoValue],
        pos: usize,
    },
}

/// The events of a value, in order, without recursion.
struct Events<'a> {
    root: Option<&'a GoValue>,
    stack: Vec<Frame<'a>>,
}

impl<'a> Events<'a> {
    fn open(&mut self, v: &'a GoValue) -> Event<'a> {
        match v {
            GoValue::Nil => Event::Scalar(Cow::Borrowed("null"), Style::Plain),
            GoValue::Bool(b) => Event::Scalar(
                Cow::Borrowed(if *b { "true" } else { "false" }),
                Style::Plain,
            ),
            GoValue::Float(f) => Event::Scalar(Cow::Owned(format_float_g(*f)), Style::Plain),
            GoValue::String(s) => Event::Scalar(Cow::Borrowed(s), string_style(s)),
            GoValue::Slice(items) if items.is_empty() => Event::EmptyFlow {
                open: '[',
                close: ']',
            },
            GoValue::Map(map) if map.is_empty() => Event::EmptyFlow {
                open: '{',
                close: '}',
            },
            GoValue::Slice(items) => {
                self.stack.push(Frame::Seq { items, pos: 0 });
                Event::SequenceStart
            }
            GoValue::Map(map) => {
                let mut entries: Vec<(&str, &GoValue)> =
                    map.iter().map(|(k, v)| (k.as_str(), v)).collect();
                sort_keys(&mut entries);
                self.stack.push(Frame::Map {
                    entries,
                    pos: 0,
                    value_next: false,
                });
                Event::MappingStart
            }
        }
    }

    fn next_event(&mut self) -> Option<Event<'a>> {
        if let Some(root) = self.root.take() {
            return Some(self.open(root));
        }
        let next: Result<&'a GoValue, Event<'a>> = match self.stack.last_mut()? {
            Frame::Map {
                entries,
                pos,
                value_next,
            } => match entries.get(*pos) {
                Some(&(key, value)) => {
                    if *value_next {
                        *value_next = false;
                        *pos += 1;
                        Ok(value)
                    } else {
                        *value_next = true;
                        Err(Event::Scalar(Cow::Borrowed(key), string_style(key)))
                    }
                }
                None => {
                    self.stack.pop();
                    Err(Event::MappingEnd)
                }
            },
            Frame::Seq { items, pos } => match items.get(*pos) {
                Some(item) => {
                    *pos += 1;
                    Ok(item)
                }
                None => {
                    self.stack.pop();
                    Err(Event::SequenceEnd)
                }
            },
        };
        Some(match next {
            Ok(value) => self.open(value),
            Err(event) => event,
        })
    }
}

/// yaml.v2's `stringv`: literal for a `\n`, double quotes for what would not read back as a
/// string, plain otherwise (the emitter may still refuse plain or literal).
fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolves_as_non_string(s) {
        Style::DoubleQuoted
    } else {
        Style::Plain
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    DocumentContent,
    DocumentEnd,
    BlockSequenceFirstItem,
    BlockSequenceItem,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
}

/// libyaml's `scalar_data` analysis of a scalar.
#[derive(Debug, Default, Clone, Copy)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// yaml.v2's `is_printable` (on the UTF-8 bytes): LF, `0x20..=0x7E`, `U+00A0..=U+D7FF`,
/// `U+E000..=U+FFFD` less U+FEFF; nothing above U+FFFF.
fn is_printable(c: char) -> bool {
    let c = c as u32;
    c == 0x0a
        || (0x20..=0x7e).contains(&c)
        || (0xa0..=0xd7ff).contains(&c)
        || ((0xe000..=0xfffd).contains(&c) && c != 0xfeff)
}

/// `is_blankz` of yaml.v2: space, tab, a break, or NUL.
fn is_blankz(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\0' || is_break(c)
}

/// `yaml_emitter_analyze_scalar` (only the flags a block context consults).
fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with("---") || value.starts_with("...");
    let (mut line_breaks, mut special_characters) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let chars: Vec<char> = value.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let first = i == 0;
        let last = i + 1 == chars.len();
        // yaml.v2 looks for a space or a tab only (libyaml also counts breaks).
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| n == ' ' || n == '\t');
        if first {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            leading_space |= first;
            trailing_space |= last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= first;
            trailing_break |= last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter {
    out: String,
    /// In characters, as yaml.v2 counts.
    column: usize,
    indent: isize,
    indents: Vec<isize>,
    state: State,
    states: Vec<State>,
    whitespace: bool,
    indention: bool,
    mapping_context: bool,
    simple_key_context: bool,
    analysis: Analysis,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// `write_break`: a `\n` is a line break; another break character is copied as is and
    /// resets the column.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::DocumentEnd);
    }

    fn emit(&mut self, event: &Event<'_>) {
        if let Event::Scalar(value, _) = event {
            self.analysis = analyze(value);
        }
        match self.state {
            State::DocumentContent => {
                self.states.push(State::DocumentEnd);
                self.emit_node(event, false, false);
            }
            // Nothing follows the root node but the document end.
            State::DocumentEnd => {}
            State::BlockSequenceFirstItem => self.block_sequence_item(event, true),
            State::BlockSequenceItem => self.block_sequence_item(event, false),
            State::BlockMappingFirstKey => self.block_mapping_key(event, true),
            State::BlockMappingKey => self.block_mapping_key(event, false),
            State::BlockMappingSimpleValue => self.block_mapping_value(event, true),
            State::BlockMappingValue => self.block_mapping_value(event, false),
        }
    }

    fn emit_node(&mut self, event: &Event<'_>, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match event {
            Event::Scalar(value, style) => self.emit_scalar(value, *style),
            Event::EmptyFlow { open, close } => {
                self.write_indicator(&open.to_string(), true, true, false);
                self.increase_indent(true, false);
                self.pop_indent();
                self.write_indicator(&close.to_string(), false, false, false);
                self.pop_state();
            }
            Event::MappingStart => self.state = State::BlockMappingFirstKey,
            Event::SequenceStart => self.state = State::BlockSequenceFirstItem,
            // Ends only come in the item/key states.
            Event::MappingEnd | Event::SequenceEnd => self.pop_state(),
        }
    }

    fn block_sequence_item(&mut self, event: &Event<'_>, first: bool) {
        if first {
            let indentless = self.mapping_context && !self.indention;
            self.increase_indent(false, indentless);
        }
        if let Event::SequenceEnd = event {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        self.write_indicator("-", true, false, true);
        self.states.push(State::BlockSequenceItem);
        self.emit_node(event, false, false);
    }

    fn block_mapping_key(&mut self, event: &Event<'_>, first: bool) {
        if first {
            self.increase_indent(false, false);
        }
        if let Event::MappingEnd = event {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        if self.check_simple_key(event) {
            self.states.push(State::BlockMappingSimpleValue);
            self.emit_node(event, true, true);
        } else {
            self.write_indicator("?", true, false, true);
            self.states.push(State::BlockMappingValue);
            self.emit_node(event, true, false);
        }
    }

    /// `yaml_emitter_check_simple_key`: a one-line scalar of at most 128 bytes.
    fn check_simple_key(&self, event: &Event<'_>) -> bool {
        match event {
            Event::Scalar(value, _) => !self.analysis.multiline && value.len() <= 128,
            Event::EmptyFlow { .. } => true,
            _ => false,
        }
    }

    fn block_mapping_value(&mut self, event: &Event<'_>, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
        self.states.push(State::BlockMappingKey);
        self.emit_node(event, true, false);
    }

    /// `yaml_emitter_select_scalar_style` (block context, no tag, implicit).
    fn select_style(&self, value: &str, asked: Style) -> Style {
        let a = self.analysis;
        let mut style = asked;
        if self.simple_key_context && a.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain
            && (!a.block_plain_allowed || (value.is_empty() && self.simple_key_context))
        {
            style = Style::SingleQuoted;
        }
        if style == Style::SingleQuoted && !a.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!a.block_allowed || self.simple_key_context) {
            style = Style::DoubleQuoted;
        }
        style
    }

    fn emit_scalar(&mut self, value: &str, asked: Style) {
        let style = self.select_style(value, asked);
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(value, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
        self.pop_state();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = value.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1).is_some_and(|&n| n != ' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
        // libyaml sets `open_ended` after a root plain scalar, but yaml.v2's `finish` clears
        // it before the stream end: no `...` is ever written.
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && chars[i + 1] != ' '
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        // yaml.v2's `is_bom(value, i)` looks at the first three bytes of the value, not at
        // position i: a value that starts with U+FEFF has every character escaped.
        let starts_with_bom = value.starts_with('\u{feff}');
        for (i, &c) in chars.iter().enumerate() {
            if starts_with_bom || !is_printable(c) || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let short = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match short {
                    Some(s) => self.put(s),
                    None => {
                        let v = c as u32;
                        let (letter, width) = if v <= 0xff {
                            ('x', 2)
                        } else if v <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for ch in format!("{v:0width$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                {
                    self.write_indent();
                    if chars[i + 1] == ' ' {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_block_scalar_hints`: `2` when the text starts with a space or a
    /// break, `-` when it does not end with a break, `+` when it ends with two (or is one).
    fn write_block_scalar_hints(&mut self, chars: &[char]) {
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator("2", false, false, false);
        }
        let chomp = match chars {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., before, _] if is_break(*before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        self.write_block_scalar_hints(&chars);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// yaml.v2 v2.4.0's `yaml.Marshal` of a value (for a map: `Marshal(&m)`, the same).
///
/// ```
/// use std::collections::BTreeMap;
/// use flyte_ray_fmt::goyaml::{marshal, GoValue};
///
/// let mut env = BTreeMap::new();
/// env.insert("pip".to_owned(), GoValue::Slice(vec![GoValue::String("numpy".into())]));
/// env.insert("n".to_owned(), GoValue::Float(1e6));
/// env.insert("script".to_owned(), GoValue::String("a\nb\n".into()));
/// env.insert("x".to_owned(), GoValue::Map(BTreeMap::new()));
/// assert_eq!(
///     marshal(&GoValue::Map(env)),
///     "\"n\": 1e+06\npip:\n- numpy\nscript: |\n  a\n  b\nx: {}\n"
/// );
/// ```
pub fn marshal(value: &GoValue) -> String {
    let mut events = Events {
        root: Some(value),
        stack: Vec::new(),
    };
    // Stream start and the implicit document start: nothing written.
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        state: State::DocumentContent,
        states: Vec::new(),
        whitespace: true,
        indention: true,
        mapping_context: false,
        simple_key_context: false,
        analysis: Analysis::default(),
    };
    while let Some(event) = events.next_event() {
        e.emit(&event);
    }
    // Implicit document end: a final line break if needed; the stream end writes nothing.
    e.write_indent();
    e.out
}
