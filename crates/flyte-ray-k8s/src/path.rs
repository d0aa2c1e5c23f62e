//! JSON paths built on the stack while walking a value, rendered only on error.

use std::fmt;

/// One step of a path: an object key or a list index.
#[derive(Clone, Copy)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A path as a linked list of steps living in the callers' stack frames:
/// walking costs nothing, the string is built only when an error needs it.
#[derive(Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    seg: Option<Seg<'a>>,
    depth: usize,
}

impl<'a> Path<'a> {
    /// The top level.
    pub(crate) const ROOT: Path<'static> = Path {
        parent: None,
        seg: None,
        depth: 0,
    };

    /// This path extended by `seg`.
    pub(crate) fn child(&'a self, seg: Seg<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            seg: Some(seg),
            depth: self.depth + 1,
        }
    }

    /// How many steps from the top.
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Collect iteratively (the depth is bounded by MAX_DEPTH anyway).
        let mut segs = Vec::with_capacity(self.depth);
        let mut cur = Some(self);
        while let Some(p) = cur {
            if let Some(s) = p.seg {
                segs.push(s);
            }
            cur = p.parent;
        }
        for (i, s) in segs.iter().rev().enumerate() {
            match s {
                Seg::Key(k) if i == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}
