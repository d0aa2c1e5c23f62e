//! Reading protobuf text format from outside input: prost-reflect's parser,
//! plus what it lacks for that — a bound on nesting (its parser recurses
//! once per `{`), line and column, the field path of an error, and
//! Python's strictness where prost-reflect alone would accept more.
//!
//! One linear pass over the text ([`Scan`]) runs before the parser and
//! refuses:
//! - nesting past [`MAX_TEXT_DEPTH`] levels of `{`/`<` (no decoder takes
//!   the bytes of such a message, and the parser's recursion would);
//! - `-` not directly followed by its number (`replicas: - 5`), which
//!   Python refuses (`Couldn't parse integer: -`) and prost-reflect reads;
//! - the escapes `\?` and `\X`, which protobuf runtimes read differently
//!   (C++ and prost-reflect as `?` and a hex escape, Python 7.36 as the
//!   characters themselves, backslash kept);
//! - a bool written as a number other than `0` and `1` (`0x1`, `01`), which
//!   Python refuses and prost-reflect reads.
//!
//! After a parse error, the same pass walks the text again up to the
//! error's offset to name the field path there
//! (`ray_cluster.worker_group_spec[1].replicaz`), and an unknown field's
//! message lists the message's fields.

use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MessageDescriptor};

/// How deep `{`/`<` may nest in text format: the protobuf recursion limit
/// (prost's and Python's binary decoders stop there), so every message the
/// text reader accepts also decodes from its own bytes.
pub const MAX_TEXT_DEPTH: usize = 100;

/// Text that does not parse as the message: where, and what is wrong.
///
/// ```
/// let err = flyte_ray_fmt::parse_text_format(
///     "flyteidl2.plugins.RayCluster",
///     "worker_group_spec {\n  replicas: 1\n}\nworker_group_spec {\n  replicaz: 2\n}\n",
/// )
/// .unwrap_err();
/// let flyte_ray_fmt::FmtError::Parse(e) = err else { panic!() };
/// assert_eq!((e.line, e.column), (5, 3));
/// assert_eq!(e.path, "worker_group_spec[1].replicaz");
/// assert!(e.reason.starts_with("WorkerGroupSpec has no field named \"replicaz\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{reason} at line {line} column {column}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
#[non_exhaustive]
pub struct TextError {
    /// Full protobuf name of the message being read.
    pub message: String,
    /// Path of proto field names to the offending field
    /// (`ray_cluster.worker_group_spec[1].replicas`); empty for the
    /// document itself.
    pub path: String,
    /// 1-based line of the offending token.
    pub line: usize,
    /// 1-based column (in characters) of the offending token.
    pub column: usize,
    /// What is wrong.
    pub reason: String,
}

impl TextError {
    /// An error at `line` and `column` of the text of `message`.
    pub fn new(
        message: impl Into<String>,
        path: impl Into<String>,
        line: usize,
        column: usize,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            message: message.into(),
            path: path.into(),
            line,
            column,
            reason: reason.into(),
        }
    }
}

/// Up to how many levels of nesting the parser runs on the caller's
/// thread. prost-reflect's parser recurses a few frames per level, which a
/// debug build makes large: 100 levels overflow a 2 MiB thread stack (the
/// default for spawned threads, test threads and rayon workers). Deeper
/// text is parsed on a thread of its own with [`DEEP_STACK`] bytes of stack.
const INLINE_DEPTH: usize = 16;

/// The stack of the thread that parses text nesting past [`INLINE_DEPTH`]
/// (address space reserved, touched only as deep as the parse goes).
const DEEP_STACK: usize = 64 << 20;

/// Parses `text` as `desc` and hands the message to `then` (on the parsing
/// thread, so dropping a deep message happens there too); see the module
/// docs.
pub(crate) fn parse_then<R: Send>(
    desc: MessageDescriptor,
    text: &str,
    then: impl FnOnce(DynamicMessage) -> R + Send,
) -> Result<R, TextError> {
    let error = |offset: usize, reason: String, path: String| {
        let (line, column) = line_column(text, offset);
        TextError {
            message: desc.full_name().to_owned(),
            path,
            line,
            column,
            reason,
        }
    };
    let depth = match Scan::new(text, desc.clone()).check() {
        Ok(depth) => depth,
        Err((offset, reason)) => {
            let path = Scan::new(text, desc.clone()).path_at(offset).0;
            return Err(error(offset, reason, path));
        }
    };
    let parse = || {
        DynamicMessage::parse_text_format(desc.clone(), text)
            .map(then)
            .map_err(|e| {
                use miette::Diagnostic as _;
                let offset = e
                    .labels()
                    .and_then(|mut labels| labels.next())
                    .map_or(text.len(), |label| label.offset().min(text.len()));
                (offset, e.to_string())
            })
    };
    let parsed = if depth <= INLINE_DEPTH {
        parse()
    } else {
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("flyte-ray-text".into())
                .stack_size(DEEP_STACK)
                .spawn_scoped(scope, parse)
                .map_err(|e| {
                    (
                        0,
                        format!("cannot start a thread to parse deeply nested text: {e}"),
                    )
                })
                .and_then(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err((0, "the text format parser failed".to_owned())))
                })
        })
    };
    parsed.map_err(|(offset, message)| {
        let (path, unknown) = Scan::new(text, desc.clone()).path_at(offset);
        let reason = match unknown {
            Some((holder, name)) => format!(
                "{} has no field named {name:?} (its fields: {})",
                holder.name(),
                holder
                    .fields()
                    .map(|f| f.name().to_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => message,
        };
        error(offset, reason, path)
    })
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where the scan is inside one message body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Expecting a field name (or the end of the message).
    Field,
    /// After a field name: `:` or a message value.
    Name,
    /// After `:`: a value.
    Value,
    /// Inside `[...]`.
    List,
    /// After a value.
    Done,
}

/// One open message.
struct Frame {
    /// Its descriptor, when the scan knows it (an unknown field's value
    /// has none).
    desc: Option<MessageDescriptor>,
    /// Its segment of the path (`worker_group_spec[1]`).
    segment: String,
    /// The field being read and its descriptor.
    field: Option<(String, Option<FieldDescriptor>)>,
    /// How many values each repeated field has had so far.
    counts: Vec<(String, usize)>,
    /// Where the scan is.
    state: State,
    /// The byte that closes it (`}` or `>`; none for the document).
    close: u8,
}

impl Frame {
    fn new(desc: Option<MessageDescriptor>, segment: String, close: u8) -> Self {
        Self {
            desc,
            segment,
            field: None,
            counts: Vec::new(),
            state: State::Field,
            close,
        }
    }

    /// The segment for the next value of the current field: `name`, or
    /// `name[i]` for a repeated or map field (counting it).
    fn next_segment(&mut self) -> String {
        let Some((name, field)) = &self.field else {
            return String::new();
        };
        let repeated = field.as_ref().is_some_and(|f| f.is_list() || f.is_map());
        if !repeated {
            return name.clone();
        }
        let i = match self.counts.iter_mut().find(|(n, _)| n == name) {
            Some((_, count)) => {
                *count += 1;
                *count - 1
            }
            None => {
                self.counts.push((name.clone(), 1));
                0
            }
        };
        format!("{name}[{i}]")
    }
}

/// The linear pass of the module docs.
struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    frames: Vec<Frame>,
}

/// What [`Scan::step`] found.
enum Step {
    /// The end of the text.
    End,
    /// A token was consumed.
    Token,
    /// The text is refused at this offset.
    Refused(usize, String),
}

impl<'a> Scan<'a> {
    fn new(text: &'a str, desc: MessageDescriptor) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            frames: vec![Frame::new(Some(desc), String::new(), 0)],
        }
    }

    /// How deep the text nests, or the first place it is refused and why.
    fn check(mut self) -> Result<usize, (usize, String)> {
        let mut depth = 0;
        loop {
            match self.step(usize::MAX) {
                Step::End => return Ok(depth),
                Step::Token => depth = depth.max(self.frames.len() - 1),
                Step::Refused(at, why) => return Err((at, why)),
            }
        }
    }

    /// The field path at byte `offset`, and — when the token there is a
    /// field name its message does not have — that message and the name.
    fn path_at(mut self, offset: usize) -> (String, Option<(MessageDescriptor, String)>) {
        loop {
            self.skip_blank();
            if self.pos >= offset || self.pos >= self.bytes.len() {
                break;
            }
            if !matches!(self.step(offset), Step::Token) {
                break;
            }
        }
        let mut segments: Vec<String> = self
            .frames
            .iter()
            .map(|f| f.segment.clone())
            .filter(|s| !s.is_empty())
            .collect();
        let mut unknown = None;
        if let Some(frame) = self.frames.last() {
            let at_name = matches!(frame.state, State::Field | State::Done);
            let ident = self.ident_at(self.pos);
            match (at_name, ident) {
                (true, Some(name)) => {
                    if let Some(desc) = &frame.desc
                        && find_field(desc, name).is_none()
                    {
                        unknown = Some((desc.clone(), name.to_owned()));
                    }
                    segments.push(name.to_owned());
                }
                (true, None) if frame.state == State::Done => {
                    if let Some((name, _)) = &frame.field {
                        segments.push(name.clone());
                    }
                }
                (false, _) => {
                    if let Some((name, _)) = &frame.field {
                        segments.push(name.clone());
                    }
                }
                _ => {}
            }
        }
        // A path through 100 levels is no help in full: its ends are.
        const KEEP: usize = 6;
        if segments.len() > 2 * KEEP + 1 {
            let hidden = segments.len() - 2 * KEEP;
            segments.splice(KEEP..KEEP + hidden, [format!("...({hidden} more)...")]);
        }
        (segments.join("."), unknown)
    }

    /// The identifier starting at `at`, if one does.
    fn ident_at(&self, at: usize) -> Option<&'a str> {
        let first = *self.bytes.get(at)?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let end = self.bytes[at..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(self.bytes.len(), |n| at + n);
        self.text.get(at..end)
    }

    /// Skips whitespace and `#` comments.
    fn skip_blank(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'#' => {
                    self.pos = self.bytes[self.pos..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(self.bytes.len(), |n| self.pos + n + 1);
                }
                _ => return,
            }
        }
    }

    /// Consumes one token (stopping before `limit`: a string is not entered
    /// past it).
    fn step(&mut self, limit: usize) -> Step {
        self.skip_blank();
        let start = self.pos;
        let Some(&b) = self.bytes.get(start) else {
            return Step::End;
        };
        match b {
            b'{' | b'<' => {
                if self.frames.len() > MAX_TEXT_DEPTH {
                    return Step::Refused(
                        start,
                        format!(
                            "text format nesting deeper than {MAX_TEXT_DEPTH} levels of `{{` and `<` \
                             (the protobuf recursion limit)"
                        ),
                    );
                }
                self.pos += 1;
                let (segment, desc) = match self.frames.last_mut() {
                    Some(frame) => {
                        let segment = frame.next_segment();
                        let desc = match &frame.field {
                            Some((_, Some(field))) => match field.kind() {
                                Kind::Message(m) => Some(m),
                                _ => None,
                            },
                            _ => None,
                        };
                        (segment, desc)
                    }
                    None => (String::new(), None),
                };
                let close = if b == b'{' { b'}' } else { b'>' };
                self.frames.push(Frame::new(desc, segment, close));
            }
            b'}' | b'>' => {
                self.pos += 1;
                if self.frames.len() > 1 {
                    let closes = self.frames.last().is_some_and(|f| f.close == b);
                    if closes {
                        self.frames.pop();
                        if let Some(frame) = self.frames.last_mut()
                            && frame.state != State::List
                        {
                            frame.state = State::Done;
                        }
                    }
                }
            }
            b'"' | b'\'' => {
                if let Some(refused) = self.string(b, limit) {
                    return refused;
                }
                self.value_done();
            }
            b'[' => {
                self.pos += 1;
                if let Some(frame) = self.frames.last_mut() {
                    match frame.state {
                        State::Field | State::Done => {
                            // An extension or Any name: `[a.b]`, `[x/y]`.
                            let end = self.bytes[self.pos..]
                                .iter()
                                .position(|&c| c == b']')
                                .map_or(self.bytes.len(), |n| self.pos + n + 1);
                            let name = self.text.get(start..end).unwrap_or("[...]");
                            frame.field = Some((name.to_owned(), None));
                            frame.state = State::Name;
                            self.pos = end;
                        }
                        _ => frame.state = State::List,
                    }
                }
            }
            b']' => {
                self.pos += 1;
                self.value_done();
            }
            b':' => {
                self.pos += 1;
                if let Some(frame) = self.frames.last_mut()
                    && frame.state == State::Name
                {
                    frame.state = State::Value;
                }
            }
            b',' | b';' => {
                self.pos += 1;
                if let Some(frame) = self.frames.last_mut()
                    && frame.state == State::Done
                {
                    frame.state = State::Field;
                }
            }
            b'-' => {
                let next = self.bytes.get(start + 1).copied();
                if !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.') {
                    return Step::Refused(
                        start,
                        "`-` must be followed directly by its number (as Python's text format \
                         parser requires)"
                            .to_owned(),
                    );
                }
                self.pos += 1;
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' => {
                let end = self.bytes[start..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.'))
                    .map_or(self.bytes.len(), |n| start + n);
                self.pos = end;
                let word = self.text.get(start..end).unwrap_or("");
                let is_ident = b.is_ascii_alphabetic() || b == b'_';
                if let Some(frame) = self.frames.last_mut() {
                    match frame.state {
                        State::Field | State::Done if is_ident => {
                            let field = frame.desc.as_ref().and_then(|d| find_field(d, word));
                            frame.field = Some((word.to_owned(), field));
                            frame.state = State::Name;
                        }
                        State::Value => {
                            let bool_field = matches!(
                                &frame.field,
                                Some((_, Some(f))) if f.kind() == Kind::Bool
                            );
                            if bool_field && b.is_ascii_digit() && word != "0" && word != "1" {
                                return Step::Refused(
                                    start,
                                    format!(
                                        "expected a bool (`true`, `false`, `True`, `False`, `t`, \
                                         `f`, `1` or `0`, as Python reads them), found `{word}`"
                                    ),
                                );
                            }
                            frame.state = State::Done;
                        }
                        _ => {}
                    }
                }
            }
            _ => {
                // Anything else: the parser reports it. Step over one
                // character.
                self.pos += self.text[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
        Step::Token
    }

    /// A scalar value ended (or a string, or a list).
    fn value_done(&mut self) {
        if let Some(frame) = self.frames.last_mut()
            && matches!(frame.state, State::Value | State::Done | State::Name)
        {
            frame.state = State::Done;
        }
    }

    /// Consumes a string literal opened by `quote`; `Some` when it is
    /// refused. An unterminated string ends the scan (the parser reports
    /// it).
    fn string(&mut self, quote: u8, limit: usize) -> Option<Step> {
        let start = self.pos;
        let mut i = start + 1;
        while let Some(&c) = self.bytes.get(i) {
            if i >= limit {
                self.pos = i;
                return Some(Step::End);
            }
            match c {
                b'\\' => {
                    let refused = match self.bytes.get(i + 1) {
                        Some(b'?') => Some("`\\?` (C++: `?`, Python: `\\?`); write `?` or `\\\\?`"),
                        Some(b'X') => Some(
                            "`\\X` (C++: a hex escape, Python: the characters `\\X`); write `\\x`",
                        ),
                        _ => None,
                    };
                    if let Some(what) = refused {
                        return Some(Step::Refused(
                            i,
                            format!("protobuf runtimes read the escape {what}"),
                        ));
                    }
                    i += 2;
                }
                b'\n' => break,
                _ if c == quote => {
                    self.pos = i + 1;
                    return None;
                }
                _ => i += 1,
            }
        }
        self.pos = self.bytes.len();
        Some(Step::End)
    }
}

/// A field of `desc` by its text-format name (as the parser finds it).
fn find_field(desc: &MessageDescriptor, name: &str) -> Option<FieldDescriptor> {
    desc.get_field_by_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desc(name: &str) -> MessageDescriptor {
        crate::pool()
            .get_message_by_name(name)
            .unwrap_or_else(|| panic!("{name}"))
    }

    #[test]
    fn line_and_column_count_characters() {
        assert_eq!(line_column("ab\ncé d", 7), (2, 4));
        assert_eq!(line_column("", 0), (1, 1));
        assert_eq!(line_column("x", 99), (1, 2));
    }

    #[test]
    fn paths_name_repeated_fields_with_their_index() {
        let d = desc("flyteidl2.plugins.RayJob");
        let text = "ray_cluster {\n  worker_group_spec { replicas: 1 }\n  worker_group_spec <\n    replicas: \"x\"\n  >\n}\n";
        let at = text.find("\"x\"").unwrap_or(0);
        let (path, unknown) = Scan::new(text, d).path_at(at);
        assert_eq!(path, "ray_cluster.worker_group_spec[1].replicas");
        assert!(unknown.is_none());
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let d = desc("flyteidl2.core.K8sPod");
        let mut text = String::from("pod_spec { fields { key: \"a\" value { ");
        for _ in 0..10_000 {
            text.push_str("list_value { values { ");
        }
        let err = parse_then(d, &text, drop).expect_err("too deep");
        assert!(err.reason.contains("nesting deeper than 100"), "{err}");
        assert_eq!(err.line, 1);
    }
}
