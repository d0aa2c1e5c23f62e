//! Where a YAML read error is: the line and column of the offending key.
//!
//! `serde_yaml_ng` reports an error raised by a visitor at the position of
//! the event it was reading, which for an unknown or mistyped field is the
//! start of the enclosing mapping (line 8 for a typo on line 86). After a
//! read fails, this walks the document once more with `yaml-rust2`'s event
//! parser (which gives every event's position), follows the error's JSON
//! path through mappings, sequences, aliases and merge keys, and returns the
//! position of the key itself (or of the sequence item, for an index).
//!
//! It runs only on the error path. The document is held as a flat list of
//! nodes built without recursion; aliases stay references (never expanded,
//! so an alias bomb costs nothing here), and following them and merge keys
//! is bounded.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a JSON path, outermost first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A field or map key, by its spelling in the document.
    Key(String),
    /// An index into a sequence.
    Index(usize),
}

enum Kind {
    Scalar(String),
    Seq(Vec<usize>),
    Map(Vec<(usize, usize)>),
    Alias(usize),
}

struct Node {
    line: usize,
    column: usize,
    kind: Kind,
}

struct Doc {
    nodes: Vec<Node>,
    anchors: HashMap<usize, usize>,
}

/// How many aliases and merge keys one lookup may follow.
const MAX_HOPS: usize = 64;

impl Doc {
    /// The first document of `s`; `None` if the parser fails first.
    fn parse(s: &str) -> Option<Doc> {
        let mut parser = Parser::new_from_str(s);
        let mut doc = Doc {
            nodes: Vec::new(),
            anchors: HashMap::new(),
        };
        // Open collections, each with the key waiting for its value.
        let mut stack: Vec<(usize, Option<usize>)> = Vec::new();
        loop {
            let (event, mark) = parser.next_token().ok()?;
            let (kind, anchor, opens) = match event {
                Event::Scalar(v, _, anchor, _) => (Kind::Scalar(v), anchor, false),
                Event::Alias(id) => (Kind::Alias(id), 0, false),
                Event::SequenceStart(anchor, _) => (Kind::Seq(Vec::new()), anchor, true),
                Event::MappingStart(anchor, _) => (Kind::Map(Vec::new()), anchor, true),
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    if stack.is_empty() {
                        return Some(doc);
                    }
                    continue;
                }
                Event::DocumentEnd | Event::StreamEnd => return Some(doc),
                _ => continue,
            };
            let id = doc.nodes.len();
            doc.nodes.push(Node {
                line: mark.line(),
                column: column(&mark),
                kind,
            });
            if anchor != 0 {
                doc.anchors.insert(anchor, id);
            }
            if let Some((parent, pending)) = stack.last_mut() {
                match (&mut doc.nodes[*parent].kind, pending.take()) {
                    (Kind::Seq(items), _) => items.push(id),
                    (Kind::Map(entries), Some(key)) => entries.push((key, id)),
                    (Kind::Map(_), None) => *pending = Some(id),
                    _ => {}
                }
            } else if !opens {
                // A scalar document: nothing to walk.
                return Some(doc);
            }
            if opens {
                stack.push((id, None));
            }
        }
    }

    /// `id`, with aliases followed.
    fn deref(&self, mut id: usize) -> Option<usize> {
        for _ in 0..MAX_HOPS {
            match self.nodes.get(id)?.kind {
                Kind::Alias(anchor) => id = *self.anchors.get(&anchor)?,
                _ => return Some(id),
            }
        }
        None
    }

    fn scalar(&self, id: usize) -> Option<&str> {
        match &self.nodes.get(self.deref(id)?)?.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The `(key, value)` entries of mapping `map` named `name`, in
    /// document order, then those merged in through `<<` (YAML 1.1).
    fn entries(&self, map: usize, name: &str, hops: &mut usize, out: &mut Vec<(usize, usize)>) {
        let Some(Node {
            kind: Kind::Map(entries),
            ..
        }) = self.deref(map).and_then(|m| self.nodes.get(m))
        else {
            return;
        };
        out.extend(
            entries
                .iter()
                .filter(|(k, _)| self.scalar(*k) == Some(name)),
        );
        for (k, v) in entries {
            if self.scalar(*k) != Some("<<") || *hops >= MAX_HOPS {
                continue;
            }
            *hops += 1;
            let Some(v) = self.deref(*v) else { continue };
            match &self.nodes[v].kind {
                Kind::Seq(items) => {
                    for item in items {
                        self.entries(*item, name, hops, out);
                    }
                }
                _ => self.entries(v, name, hops, out),
            }
        }
    }
}

/// yaml-rust2 counts columns from 0 up to 0.13 (its docs say 1); serde_yaml_ng
/// and editors count from 1.
fn column(mark: &Marker) -> usize {
    mark.col() + 1
}

/// Line and column of the last step of `path` in the YAML document `s`:
/// the key for a field or map key (the second occurrence of it when
/// `duplicate`), the item for an index. `None` when the document or the
/// path cannot be followed.
pub(crate) fn locate(s: &str, path: &[Step], duplicate: bool) -> Option<(usize, usize)> {
    let doc = Doc::parse(s)?;
    if doc.nodes.is_empty() {
        return None;
    }
    let mut at = 0usize;
    let mut found = None;
    let mut hops = 0;
    for (n, step) in path.iter().enumerate() {
        let last = n + 1 == path.len();
        match step {
            Step::Key(name) => {
                let mut hits = Vec::new();
                doc.entries(at, name, &mut hops, &mut hits);
                let (key, value) = if last && duplicate {
                    *hits.get(1)?
                } else {
                    *hits.first()?
                };
                found = Some(key);
                at = value;
            }
            Step::Index(i) => {
                let Kind::Seq(items) = &doc.nodes.get(doc.deref(at)?)?.kind else {
                    return None;
                };
                at = *items.get(*i)?;
                // A block mapping's start event is marked after its first
                // key; that key is where the item starts.
                found = Some(match &doc.nodes.get(at)?.kind {
                    Kind::Map(entries) => entries.first().map_or(at, |(k, _)| *k),
                    _ => at,
                });
            }
        }
    }
    let node = doc.nodes.get(found?)?;
    Some((node.line, node.column))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Step {
        Step::Key(s.to_owned())
    }

    #[test]
    fn finds_keys_items_aliases_and_merges() {
        let doc =
            "a:\n  b:\n    - x: 1\n    - y: 2\n      z: 3\nc: &m\n  k: v\nd:\n  <<: *m\n  own: 1\n";
        assert_eq!(locate(doc, &[key("a")], false), Some((1, 1)));
        assert_eq!(locate(doc, &[key("a"), key("b")], false), Some((2, 3)));
        assert_eq!(
            locate(doc, &[key("a"), key("b"), Step::Index(1)], false),
            Some((4, 7))
        );
        assert_eq!(
            locate(doc, &[key("a"), key("b"), Step::Index(1), key("z")], false),
            Some((5, 7))
        );
        // Merged from the anchor: the key where it is written.
        assert_eq!(locate(doc, &[key("d"), key("k")], false), Some((7, 3)));
        assert_eq!(locate(doc, &[key("d"), key("own")], false), Some((10, 3)));
        assert_eq!(locate(doc, &[key("nope")], false), None);
        assert_eq!(locate(doc, &[key("a"), Step::Index(0)], false), None);
    }

    #[test]
    fn duplicates_point_at_the_second_key() {
        let doc = "m:\n  k: 1\n  j: 2\n  k: 3\n";
        assert_eq!(locate(doc, &[key("m"), key("k")], true), Some((4, 3)));
        assert_eq!(locate(doc, &[key("m"), key("k")], false), Some((2, 3)));
    }

    #[test]
    fn flow_style_and_bad_documents() {
        assert_eq!(
            locate(
                "{a: {b: [1, {c: 2}]}}",
                &[key("a"), key("b"), Step::Index(1), key("c")],
                false
            ),
            Some((1, 14))
        );
        assert_eq!(locate("a: [", &[key("a")], false), None);
        assert_eq!(locate("just a scalar", &[key("a")], false), None);
        // A self-referencing merge cannot be written (an alias needs its
        // anchor complete), so hops are bounded by the document anyway.
        assert_eq!(
            locate(
                "a: &x {b: 1}\nc: {<<: [*x, *x], d: 2}",
                &[key("c"), key("b")],
                false
            ),
            Some((1, 8))
        );
    }
}
