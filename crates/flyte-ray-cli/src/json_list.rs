//! Slicing a JSON list into its items without parsing them.
//!
//! `flyte-ray validate tasks.json` on a flytectl list of 10,000 tasks reads
//! one file of ~160 MB and parses every item on its own worker thread. The
//! one step that cannot run in parallel is finding where each item starts
//! and ends. serde_json can only find that by parsing the whole list
//! (`RawValue` checks every number, escape and UTF-8 sequence), which on
//! two cores was a third of the run and kept `--jobs 2` from scaling. No
//! crate splits a JSON array at its top-level commas without a full parse,
//! so this module does it by hand, doing only what slicing needs:
//!
//! - strings are skipped to their closing quote, a backslash escaping the
//!   next byte (one pass with a byte-class table inside an object or list,
//!   `memchr` for an item that is a string);
//! - inside an item, `{`/`[` and `}`/`]` are counted (outside strings), and
//!   the item ends where the count returns to zero; anything else inside an
//!   item is left to the item's own parse;
//! - an item that is not an object, list or string runs to the next
//!   whitespace, `,` or `]`;
//! - between items only JSON whitespace and one `,` may stand, after the
//!   list only whitespace.
//!
//! What this guarantees (tested against serde_json in this module's tests):
//! on a list serde_json accepts, the items are exactly the ones serde_json's
//! `RawValue` gives. On a damaged list the slicer either refuses it
//! ([`ListError::NotAList`]) or gives items of which at least one is not a
//! JSON value by itself, so the damage is reported at that item (the others
//! still read) instead of failing the whole list. Every byte that is not
//! ASCII belongs to a string, or to an item that will not parse: UTF-8 is
//! checked per item by the item's parse, so the list's bytes need not be
//! valid UTF-8 as a whole.

use std::ops::Range;

/// The most items a list may have: 1,000,000 (each costs a little memory of
/// its own, whatever its size: `[0,0,0,...]` must not take gigabytes).
pub(crate) const MAX_LIST_ITEMS: usize = 1_000_000;

/// Why [`items`] gave no items.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ListError {
    /// Not a JSON list (at the byte offset given).
    NotAList(usize),
    /// More than [`MAX_LIST_ITEMS`] items.
    TooLong,
}

/// Whether `b` is JSON whitespace (RFC 8259: space, tab, line feed, carriage
/// return; nothing else, unlike `u8::is_ascii_whitespace`, which takes form
/// feed too).
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The offset of the first byte at or after `at` that is not whitespace.
fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).copied().is_some_and(is_ws) {
        at += 1;
    }
    at
}

/// The offset of the first byte of the JSON value in `bytes`: after a UTF-8
/// byte order mark and whitespace.
pub(crate) fn start(bytes: &[u8]) -> usize {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    skip_ws(bytes, bom)
}

/// The items of the JSON list in `bytes` (whose first byte of content,
/// [`start`], is `[`), as byte ranges of `bytes`, at most
/// [`MAX_LIST_ITEMS`] of them: slicing stops at the first item past that.
///
/// # Errors
/// [`ListError::NotAList`] where the bytes are not a list (see the module
/// docs for what is checked), [`ListError::TooLong`] past the item limit.
pub(crate) fn items(bytes: &[u8]) -> Result<Vec<Range<usize>>, ListError> {
    Slicer::new(bytes)?.collect()
}

/// The items of a JSON list one at a time, as [`items`] gives them all at
/// once: so that the items sliced first can be read while the rest of the
/// list is still being sliced.
///
/// Each step yields the next item's range, or the error that ends the list
/// (after which it yields nothing). A list is whole only when the iterator
/// ran out without an error: the check that nothing but whitespace follows
/// the closing `]` is its last step.
pub(crate) struct Slicer<'a> {
    bytes: &'a [u8],
    /// Where the next item (or the `]`) starts, after whitespace.
    at: usize,
    /// How many items were yielded.
    count: usize,
    /// Past the closing `]`, or past an error.
    done: bool,
}

impl<'a> Slicer<'a> {
    /// A slicer of `bytes`, which must start (after [`start`]) with `[`.
    ///
    /// # Errors
    /// [`ListError::NotAList`] where the first byte of content is not `[`.
    pub(crate) fn new(bytes: &'a [u8]) -> Result<Self, ListError> {
        let open = start(bytes);
        if bytes.get(open) != Some(&b'[') {
            return Err(ListError::NotAList(open));
        }
        let mut at = skip_ws(bytes, open + 1);
        let empty = bytes.get(at) == Some(&b']');
        if empty {
            at += 1;
        }
        let slicer = Self {
            bytes,
            at,
            count: 0,
            done: empty,
        };
        if empty {
            // `[]`: nothing to yield; only the end is left to check.
            slicer.end_check()?;
        }
        Ok(slicer)
    }

    /// After the closing `]`: only whitespace may follow.
    fn end_check(&self) -> Result<(), ListError> {
        let end = skip_ws(self.bytes, self.at);
        if end == self.bytes.len() {
            Ok(())
        } else {
            Err(ListError::NotAList(end))
        }
    }

    fn step(&mut self) -> Result<Range<usize>, ListError> {
        let bytes = self.bytes;
        let at = self.at;
        let end = value_end(bytes, at)?;
        if self.count == MAX_LIST_ITEMS {
            return Err(ListError::TooLong);
        }
        let next = skip_ws(bytes, end);
        match bytes.get(next) {
            Some(b',') => self.at = skip_ws(bytes, next + 1),
            Some(b']') => {
                self.at = next + 1;
                self.done = true;
                self.end_check()?;
            }
            _ => return Err(ListError::NotAList(next)),
        }
        self.count += 1;
        Ok(at..end)
    }
}

impl Iterator for Slicer<'_> {
    type Item = Result<Range<usize>, ListError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let step = self.step();
        if step.is_err() {
            self.done = true;
        }
        Some(step)
    }
}

/// The end (exclusive) of the item starting at `at`.
fn value_end(bytes: &[u8], at: usize) -> Result<usize, ListError> {
    match bytes.get(at) {
        Some(b'"') => string_end(bytes, at),
        Some(b'{' | b'[') => container_end(bytes, at),
        Some(&b) if is_scalar_byte(b) => {
            let len = bytes
                .get(at..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| is_scalar_byte(b))
                .count();
            Ok(at + len)
        }
        _ => Err(ListError::NotAList(at)),
    }
}

/// Bytes of the literals and numbers of JSON (`true`, `-1.5e+3`, …): an
/// item made of them runs as far as they do, and its parse checks it.
fn is_scalar_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')
}

/// The end (exclusive) of the string whose opening quote is at `at`.
fn string_end(bytes: &[u8], at: usize) -> Result<usize, ListError> {
    let mut from = at + 1;
    loop {
        let rest = bytes.get(from..).unwrap_or_default();
        let Some(i) = memchr::memchr2(b'"', b'\\', rest) else {
            return Err(ListError::NotAList(bytes.len()));
        };
        let i = from + i;
        if bytes.get(i) == Some(&b'"') {
            return Ok(i + 1);
        }
        // A backslash: the next byte is escaped, whatever it is (the item's
        // parse checks the escape).
        from = i + 2;
    }
}

/// The end (exclusive) of the object or list opening at `at`: where the
/// count of openers and closers outside strings returns to zero.
///
/// One pass over the bytes with a small state machine (in a string or
/// not, after a backslash or not), each byte classified by a table: no
/// call per string, which on a task list (a short string every few bytes)
/// cost more than the bytes themselves.
fn container_end(bytes: &[u8], at: usize) -> Result<usize, ListError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        let class = CLASS[usize::from(b)];
        if class == OTHER {
            escaped = false;
            continue;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if class == QUOTE {
                in_string = false;
            } else if class == BACKSLASH {
                escaped = true;
            }
            continue;
        }
        match class {
            QUOTE => in_string = true,
            OPEN => depth += 1,
            CLOSE => {
                depth -= 1;
                if depth == 0 {
                    return Ok(i + 1);
                }
            }
            // A backslash outside a string: the item's parse refuses it.
            _ => {}
        }
    }
    Err(ListError::NotAList(bytes.len()))
}

/// The classes of [`CLASS`].
const OTHER: u8 = 0;
const QUOTE: u8 = 1;
const BACKSLASH: u8 = 2;
const OPEN: u8 = 3;
const CLOSE: u8 = 4;

/// Each byte's class for [`container_end`]: `"`, `\\`, `{`/`[`, `}`/`]`,
/// and every other byte.
static CLASS: [u8; 256] = {
    let mut table = [OTHER; 256];
    table[b'"' as usize] = QUOTE;
    table[b'\\' as usize] = BACKSLASH;
    table[b'{' as usize] = OPEN;
    table[b'[' as usize] = OPEN;
    table[b'}' as usize] = CLOSE;
    table[b']' as usize] = CLOSE;
    table
};

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;

    /// The items serde_json's `RawValue` finds, `None` when it refuses the
    /// list: the reference for lists serde_json accepts.
    fn serde_items(text: &str) -> Option<Vec<&str>> {
        let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).ok()?;
        Some(items.into_iter().map(|raw| raw.get()).collect())
    }

    fn ours(text: &str) -> Result<Vec<&str>, ListError> {
        let ranges = items(text.as_bytes())?;
        Ok(ranges.into_iter().map(|r| &text[r]).collect())
    }

    /// The property of the module docs, for one input: where serde_json
    /// reads the list, the same items; where it does not, a refusal or at
    /// least one item that does not parse on its own.
    fn agrees(text: &str) -> Result<(), String> {
        // serde_json's recursion limit (128) is its own: past it serde_json
        // refuses a list the slicer may take; the item then fails to parse.
        match (serde_items(text), ours(text)) {
            (Some(theirs), Ok(ours)) if theirs == ours => Ok(()),
            (Some(theirs), ours) => Err(format!("serde_json: {theirs:?}, ours: {ours:?}")),
            (None, Err(_)) => Ok(()),
            (None, Ok(ours)) => {
                if ours
                    .iter()
                    .any(|item| serde_json::from_str::<serde::de::IgnoredAny>(item).is_err())
                {
                    Ok(())
                } else {
                    Err(format!(
                        "serde_json refuses the list, every item of ours reads: {ours:?}"
                    ))
                }
            }
        }
    }

    #[test]
    fn valid_lists_as_serde_json_slices_them() {
        // Corner cases of JSON's grammar where a slicer could cut wrong:
        // brackets and commas inside strings, escaped quotes and escaped
        // backslashes before a closing quote, nesting, every scalar, non-
        // ASCII text, every kind of whitespace, empty containers.
        let table = [
            "[]",
            "[ ]",
            " \t\r\n[\n]\n",
            "[1]",
            "[1,2,3]",
            "[ 1 , 2 , 3 ]",
            "[-0.5e+10,1E-3,0,true,false,null]",
            r#"["a","b,c","]","[","{","}"]"#,
            r#"["\"","\\","\\\"","a\\\\",  "\u005d"]"#,
            r#"[{"a":"]"},{"b":"}"},{"c":"\"}"}]"#,
            r#"[{"a":[1,[2,[3,{"b":{}}]]]},[],{},[[]],[{}]]"#,
            "[\"\u{e9}\u{4e2d}\u{1f600}\",{\"\u{e9}\":\"\u{2028}\"}]",
            "[{\"k\":\n  [\n    1,\n    2\n  ]\n},\n{}\n]",
            r#"[{"id":{"project":"p"},"closure":{"compiledTask":{"template":{"custom":{"a":"b"}}}}}]"#,
        ];
        for text in table {
            assert!(serde_items(text).is_some(), "serde_json reads {text}");
            agrees(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        }
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let text = "\u{feff}[{\"a\":1}, 2]";
        assert_eq!(ours(text).unwrap(), ["{\"a\":1}", "2"]);
        assert_eq!(start(text.as_bytes()), 3);
    }

    #[test]
    fn not_lists_are_refused_where_they_go_wrong() {
        // (input, offset of the refusal): offsets reasoned per case.
        let table: &[(&str, usize)] = &[
            ("", 0),
            ("{}", 0),
            ("[", 1),           // nothing after the opener
            ("[1", 2),          // no closer
            ("[1,", 3),         // no item after the comma
            ("[,1]", 1),        // empty item
            ("[1,,2]", 3),      // empty item between commas
            ("[1 2]", 3),       // two items, no comma
            ("[1]]", 3),        // text after the list
            ("[1] x", 4),       // text after the list
            ("[\"abc]", 6),     // unterminated string
            ("[\"a\\\"]", 6),   // the quote is escaped: unterminated
            ("[{\"a\":1}", 8),  // unclosed list
            ("[{\"a\":[1}", 9), // the object never closes
            ("[:]", 1),         // not a value
            ("[}]", 1),         // not a value
            ("[1]\u{c}", 3),    // form feed is not JSON whitespace
        ];
        for &(text, at) in table {
            assert_eq!(ours(text), Err(ListError::NotAList(at)), "{text:?}");
            assert!(
                serde_items(text).is_none(),
                "serde_json refuses {text:?} too"
            );
        }
    }

    #[test]
    fn damaged_items_are_sliced_and_fail_alone() {
        // Damage inside an item that keeps the counts balanced: serde_json
        // refuses the whole list, the slicer gives the items and the damaged
        // one fails its own parse, the others read.
        let table: &[(&str, &[&str])] = &[
            (r#"[{"a":1],{"b":2}]"#, &[r#"{"a":1]"#, r#"{"b":2}"#]),
            (r#"[{"a" 1},{"b":2}]"#, &[r#"{"a" 1}"#, r#"{"b":2}"#]),
            (r#"[{"a":tru},{"b":2}]"#, &[r#"{"a":tru}"#, r#"{"b":2}"#]),
            (r#"[{"a":"\q"},{"b":2}]"#, &[r#"{"a":"\q"}"#, r#"{"b":2}"#]),
            (
                "[{\"a\":\"\t\"},{\"b\":2}]",
                &["{\"a\":\"\t\"}", "{\"b\":2}"],
            ),
            ("[01,{\"b\":2}]", &["01", "{\"b\":2}"]),
            ("[tru,{\"b\":2}]", &["tru", "{\"b\":2}"]),
        ];
        for &(text, want) in table {
            assert!(serde_items(text).is_none(), "serde_json refuses {text:?}");
            assert_eq!(ours(text).unwrap(), want, "{text:?}");
            agrees(text).unwrap();
            let reads: Vec<bool> = want
                .iter()
                .map(|i| serde_json::from_str::<serde::de::IgnoredAny>(i).is_ok())
                .collect();
            assert_eq!(reads, [false, true], "{text:?}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_stay_in_their_item() {
        let mut bytes = b"[{\"a\":\"".to_vec();
        bytes.extend_from_slice(b"\xff\xfe");
        bytes.extend_from_slice(b"\"},{\"b\":2}]");
        let ranges = items(&bytes).unwrap();
        // `{"a":"` is bytes 1..7, the two bad bytes 7 and 8, `"}` 9 and 10;
        // the second item is bytes 12..19.
        assert_eq!(ranges, [1..11, 12..19]);
        assert!(std::str::from_utf8(&bytes[ranges[0].clone()]).is_err());
        assert_eq!(&bytes[ranges[1].clone()], b"{\"b\":2}");
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_is_cut() {
        // Counting, not recursing: a million levels slice in one pass.
        let depth = 1_000_000;
        let text = format!("[{}{}]", "[".repeat(depth), "]".repeat(depth));
        let ranges = items(text.as_bytes()).unwrap();
        assert_eq!(ranges.len(), 1);
        assert_eq!(ranges[0], 1..1 + 2 * depth);
    }

    /// The slicer yields what `items` gives, one at a time; on a damaged
    /// list the items before the damage, then the error once, then nothing.
    #[test]
    fn the_slicer_yields_items_then_one_error() {
        let text = "[1, {\"a\": [2]}, \"x\"]";
        let got: Vec<_> = Slicer::new(text.as_bytes()).unwrap().collect();
        assert_eq!(got, vec![Ok(1..2), Ok(4..14), Ok(16..19)]);
        let mut s = Slicer::new(b"[1, 2 3]").unwrap();
        assert_eq!(s.next(), Some(Ok(1..2)));
        assert_eq!(s.next(), Some(Err(ListError::NotAList(6))));
        assert_eq!(s.next(), None);
        // After the `]`, only whitespace: the last item comes with the error.
        let mut s = Slicer::new(b"[1] x").unwrap();
        assert_eq!(s.next(), Some(Err(ListError::NotAList(4))));
        assert_eq!(s.next(), None);
        assert_eq!(Slicer::new(b"[ ] ").unwrap().next(), None);
        assert_eq!(Slicer::new(b"[] x").err(), Some(ListError::NotAList(3)));
        assert_eq!(Slicer::new(b"{}").err(), Some(ListError::NotAList(0)));
    }

    #[test]
    fn the_item_limit_holds() {
        let text = format!("[{}0]", "0,".repeat(MAX_LIST_ITEMS - 1));
        assert_eq!(items(text.as_bytes()).unwrap().len(), MAX_LIST_ITEMS);
        let text = format!("[{}0]", "0,".repeat(MAX_LIST_ITEMS));
        assert_eq!(items(text.as_bytes()), Err(ListError::TooLong));
    }

    /// Random JSON values, printed compact or pretty.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            // strings heavy in the bytes a slicer must get right
            "[\\[\\]{},:\"\\\\ a\u{e9}\u{1f600}\n\t]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[\\[\\]{}\",:a-c\\\\]{0,4}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn random_lists_slice_as_serde_json_does(
            items in prop::collection::vec(json_value(), 0..8),
            pretty in any::<bool>(),
        ) {
            let list = serde_json::Value::Array(items);
            let text = if pretty {
                serde_json::to_string_pretty(&list).unwrap()
            } else {
                serde_json::to_string(&list).unwrap()
            };
            prop_assert!(serde_items(&text).is_some());
            if let Err(e) = agrees(&text) {
                return Err(TestCaseError::fail(format!("{text}: {e}")));
            }
        }

        #[test]
        fn damaged_lists_never_disagree(
            items in prop::collection::vec(json_value(), 1..6),
            cut in any::<prop::sample::Index>(),
            byte in prop::sample::select(&b"[]{}\",:\\ 0a"[..]),
            remove in any::<bool>(),
        ) {
            // One byte removed or replaced anywhere: the slicer never gives
            // items that all read where serde_json refuses the list, nor
            // different items where serde_json reads it.
            let mut bytes =
                serde_json::to_vec(&serde_json::Value::Array(items)).unwrap();
            let at = cut.index(bytes.len());
            if remove {
                bytes.remove(at);
            } else {
                bytes[at] = byte;
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Err(e) = agrees(&text) {
                return Err(TestCaseError::fail(format!("{text}: {e}")));
            }
        }
    }
}
