//! Many inputs at once: FILE arguments, directories and lists of tasks,
//! each spec under its own name, read in parallel.
//!
//! The inputs are expanded in order: `-` (or nothing) is stdin, a directory
//! gives every `.json`, `.yaml`, `.yml`, `.pb`, `.txtpb`, `.textproto` and
//! `.pbtxt` file inside it (not recursing, sorted by name), any other path
//! is a file. A file named `.txtpb`, `.textproto` or `.pbtxt` is read as
//! text format (unless `--from` says otherwise). A JSON or YAML
//! document whose top level is a list (what `flytectl get task -o json`
//! prints for several versions) gives one spec per item. A file that cannot
//! be read is a failed spec like any other: it never stops the others.

use std::io::IsTerminal;
use std::ops::{Deref, Range};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Result, anyhow};
use rayon::prelude::*;

use crate::input::{self, Detected, UsageError};
use crate::json_list::{self, ListError, MAX_LIST_ITEMS};

/// One spec to read: its name and its bytes.
pub(crate) struct Spec {
    /// Where it came from: the file (`-` is `stdin`), with `[i]` for an
    /// item of a list.
    pub(crate) name: String,
    /// Whether the name should be printed (false for the lone spec of
    /// stdin, whose messages stay as they always were).
    pub(crate) named: bool,
    /// The input, or why it could not be read.
    pub(crate) bytes: Result<SpecBytes, String>,
    /// The format, when splitting a list settled it.
    pub(crate) format: Option<Detected>,
}

/// The bytes of one spec: a range of a buffer shared by every spec cut from
/// it (a whole file, or one item of a JSON list in it), so that splitting a
/// list of 10,000 tasks copies nothing.
pub(crate) struct SpecBytes {
    buf: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl SpecBytes {
    /// The whole of `bytes`.
    fn whole(bytes: Vec<u8>) -> Self {
        let range = 0..bytes.len();
        Self {
            buf: Arc::new(bytes),
            range,
        }
    }
}

impl Deref for SpecBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // The range is one the slicer found in this very buffer.
        self.buf.get(self.range.clone()).unwrap_or_default()
    }
}

/// File extensions taken from a directory.
const EXTENSIONS: [&str; 7] = ["json", "yaml", "yml", "pb", "txtpb", "textproto", "pbtxt"];

/// Extensions of protobuf text format files: read as text format without
/// detection (unless `--from` says otherwise).
const TEXT_EXTENSIONS: [&str; 3] = ["txtpb", "textproto", "pbtxt"];

/// Whether `path` names a text format file by its extension.
fn text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| TEXT_EXTENSIONS.contains(&x))
}

/// The files named by the arguments, in order (see the module docs).
///
/// # Errors
/// A usage error when stdin is a terminal and asked for, or a directory
/// cannot be listed.
pub(crate) fn files(args: &[PathBuf]) -> Result<Vec<Option<PathBuf>>> {
    if args.is_empty() {
        return Ok(vec![None]);
    }
    let mut out = Vec::new();
    for arg in args {
        if arg == Path::new("-") {
            out.push(None);
        } else if arg.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(arg)
                .map_err(|e| anyhow!("cannot list {}: {e}", arg.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .and_then(|x| x.to_str())
                            .is_some_and(|x| EXTENSIONS.contains(&x))
                })
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(UsageError(format!(
                    "{}: no .json, .yaml, .yml, .pb, .txtpb, .textproto or .pbtxt file in this \
                     directory",
                    arg.display()
                ))
                .into());
            }
            out.extend(found.into_iter().map(Some));
        } else {
            out.push(Some(arg.clone()));
        }
    }
    Ok(out)
}

/// The message of a list item past the limit for one spec.
const ITEM_TOO_LARGE: &str = "the list item is larger than the limit of 64 MiB for one spec";

/// Reads every file and splits lists into their items.
pub(crate) fn specs(files: &[Option<PathBuf>], from: crate::InputFormat) -> Result<Vec<Spec>> {
    let mut out = Vec::new();
    for source in sources(files, from)? {
        match source {
            Source::Spec(spec) => out.push(spec),
            Source::List(list) => out.extend(list.into_specs(from)),
        }
    }
    Ok(out)
}

/// One input of [`sources`]: a spec, or a JSON list still to be sliced.
pub(crate) enum Source {
    /// A spec ready to read.
    Spec(Spec),
    /// A file whose content starts with `[` (and may be read as JSON): its
    /// items are sliced while they are read ([`run_sources`]).
    List(PendingList),
}

/// A file that looks like a JSON list, not yet sliced.
pub(crate) struct PendingList {
    /// The file's name, as [`Spec::name`].
    name: String,
    /// Whether that name is printed (as [`Spec::named`]).
    named: bool,
    /// The whole file.
    buf: Arc<Vec<u8>>,
}

impl PendingList {
    /// Item `i` of the list, at `range` of the file.
    fn item(&self, i: usize, range: Range<usize>) -> Spec {
        list_item(
            &self.name,
            i,
            Ok(SpecBytes {
                buf: Arc::clone(&self.buf),
                range,
            }),
            Detected::Json,
        )
    }

    /// The specs of the file as [`specs`] reads it whole: when slicing
    /// found it is not a list after all (or too long a one), or when every
    /// item is wanted before any is read.
    fn into_specs(self, from: crate::InputFormat) -> Vec<Spec> {
        let bytes = Arc::unwrap_or_clone(self.buf);
        file_specs(self.name, self.named, bytes, from, false)
    }
}

/// Reads every file; a file whose content starts with `[` is left to be
/// sliced as a JSON list while its items are read ([`run_sources`]).
pub(crate) fn sources(files: &[Option<PathBuf>], from: crate::InputFormat) -> Result<Vec<Source>> {
    let lone = files.len() == 1;
    let mut out = Vec::new();
    for file in files {
        let name = file
            .as_ref()
            .map_or_else(|| "stdin".to_owned(), |p| p.display().to_string());
        let named = !(lone && file.is_none());
        let bytes = match input::read_input_up_to(file.as_deref(), input::MAX_LIST_BYTES) {
            Ok(bytes) => bytes,
            // No input at all on a terminal is a usage error, not a bad spec.
            Err(e) if e.downcast_ref::<UsageError>().is_some() => return Err(e),
            Err(e) => {
                out.push(Source::Spec(Spec {
                    name,
                    named,
                    bytes: Err(format!("{e:#}")),
                    format: None,
                }));
                continue;
            }
        };
        let text = file.as_deref().is_some_and(text_extension);
        let json_list = !text
            && matches!(from, crate::InputFormat::Json | crate::InputFormat::Auto)
            && bytes.get(json_list::start(&bytes)) == Some(&b'[');
        if json_list {
            out.push(Source::List(PendingList {
                name,
                named,
                buf: Arc::new(bytes),
            }));
        } else {
            out.extend(
                file_specs(name, named, bytes, from, text)
                    .into_iter()
                    .map(Source::Spec),
            );
        }
    }
    Ok(out)
}

/// Item `i` of the list in file `name`.
fn list_item(name: &str, i: usize, bytes: Result<SpecBytes, String>, format: Detected) -> Spec {
    Spec {
        name: format!("{name}[{i}]"),
        named: true,
        bytes: bytes.and_then(|b| {
            if b.len() as u64 > input::MAX_INPUT_BYTES {
                Err(ITEM_TOO_LARGE.to_owned())
            } else {
                Ok(b)
            }
        }),
        format: Some(format),
    }
}

/// The specs of one file read whole (`text`: named as a text format file),
/// its list sliced at once.
fn file_specs(
    name: String,
    named: bool,
    bytes: Vec<u8>,
    from: crate::InputFormat,
    text: bool,
) -> Vec<Spec> {
    // Past the limit for one spec only a JSON list reads (it is only
    // sliced); a YAML list that large would build a tree many times its
    // size, so it is not even tried.
    let big = bytes.len() as u64 > input::MAX_INPUT_BYTES;
    let split = if text {
        None
    } else {
        split(&bytes, from, !big)
    };
    match split {
        Some(Items::Json(ranges)) => {
            let list = PendingList {
                name,
                named,
                buf: Arc::new(bytes),
            };
            ranges
                .into_iter()
                .enumerate()
                .map(|(i, range)| list.item(i, range))
                .collect()
        }
        Some(Items::Yaml(items)) => items
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                list_item(
                    &name,
                    i,
                    text.map(|t| SpecBytes::whole(t.into_bytes())),
                    Detected::Yaml,
                )
            })
            .collect(),
        Some(Items::TooLong(format)) => vec![list_item(&name, 0, Err(too_long()), format)],
        None if big => vec![Spec {
            bytes: Err(format!(
                "{name}: input is larger than the limit of 64 MiB (only a JSON list of \
                 specs may be larger, up to 512 MiB)"
            )),
            name,
            named,
            format: None,
        }],
        None => vec![Spec {
            name,
            named,
            bytes: Ok(SpecBytes::whole(bytes)),
            format: (from == crate::InputFormat::Auto && text).then_some(Detected::Text),
        }],
    }
}

/// The items of a list, as [`split`] found them.
enum Items {
    /// A JSON list: each item's range of the input, sliced, not parsed.
    Json(Vec<Range<usize>>),
    /// A YAML list: each item written back as a YAML document (or why it
    /// could not be).
    Yaml(Vec<Result<String, String>>),
    /// A list of more than [`MAX_LIST_ITEMS`] items, in this format.
    TooLong(Detected),
}

/// The items of a JSON or YAML list; `None` when the input is not a list
/// (or not JSON or YAML). YAML is tried only when `yaml` is true.
fn split(bytes: &[u8], from: crate::InputFormat, yaml: bool) -> Option<Items> {
    use crate::InputFormat as F;
    let first = bytes.get(json_list::start(bytes)).copied();
    if matches!(from, F::Json | F::Auto) && first == Some(b'[') {
        // Only slices the list: each item is parsed later, in parallel, and
        // checked for UTF-8 there.
        match json_list::items(bytes) {
            Ok(ranges) => return Some(Items::Json(ranges)),
            Err(ListError::TooLong) => return Some(Items::TooLong(Detected::Json)),
            Err(ListError::NotAList(_)) => {}
        }
        if from == F::Json {
            return None;
        }
    }
    if !yaml || !matches!(from, F::Yaml | F::Auto) || first == Some(b'{') {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // YAML: cheap check first, a list starts with `-` or `[` (after comments
    // and a `---`).
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")?;
    if !(first.starts_with("- ") || first == "-" || first.starts_with('[')) {
        return None;
    }
    let serde_yaml_ng::Value::Sequence(items) = serde_yaml_ng::from_str(text).ok()? else {
        return None;
    };
    if items.len() > MAX_LIST_ITEMS {
        return Some(Items::TooLong(Detected::Yaml));
    }
    Some(Items::Yaml(
        items
            .iter()
            .map(|item| {
                serde_yaml_ng::to_string(item)
                    .map_err(|e| format!("cannot re-encode the item as YAML: {e}"))
            })
            .collect(),
    ))
}

fn too_long() -> String {
    format!("the list has more than {MAX_LIST_ITEMS} items, the limit")
}

/// From how many specs a progress bar is worth drawing.
const PROGRESS_FROM: usize = 200;

/// From how many bytes a JSON list gets a progress bar whatever its length.
const PROGRESS_FROM_BYTES: usize = 1 << 20;

/// How often (in items, from the first) the progress bar's length is
/// estimated anew while a list is sliced.
const ESTIMATE_EVERY: usize = 64;

/// Runs `f` over every spec of `sources` on `jobs` threads (all cores for
/// `None`), results in input order; a progress bar on stderr when there are
/// many and stderr is a terminal.
///
/// A JSON list is sliced while its items are read: the threads take the
/// items as the slicer finds them (`par_bridge`), so the slicing — the one
/// step of a list that cannot be split between threads — runs beside the
/// reading of the items already found instead of before all of it. Should
/// slicing find that the file is not a list after all (damage the slicer
/// cannot pin on one item, or more than [`MAX_LIST_ITEMS`] items), the
/// results of its items are dropped and the file is read as [`specs`]
/// reads it, so the outcome is the same as slicing first. While a list is
/// sliced its length is not known yet: the bar's length is an estimate from
/// the bytes sliced so far, exact once the list is.
pub(crate) fn run_sources<R: Send>(
    sources: Vec<Source>,
    from: crate::InputFormat,
    jobs: Option<usize>,
    f: impl Fn(&Spec) -> R + Sync,
) -> Result<Vec<R>> {
    let ready = sources
        .iter()
        .filter(|s| matches!(s, Source::Spec(_)))
        .count();
    let big_list = sources
        .iter()
        .any(|s| matches!(s, Source::List(l) if l.buf.len() >= PROGRESS_FROM_BYTES));
    let bar =
        ((ready >= PROGRESS_FROM || big_list) && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(ready as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} specs, {per_sec}, {eta} left",
            ) {
                bar.set_style(style);
            }
            bar
        });
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = jobs {
        builder = builder.num_threads(n);
    }
    let pool = builder
        .build()
        .map_err(|e| anyhow!("cannot start {jobs:?} worker threads: {e}"))?;
    let run = |spec: &Spec| {
        let r = f(spec);
        if let Some(bar) = &bar {
            bar.inc(1);
        }
        r
    };
    let out = pool.install(|| {
        let mut out = Vec::new();
        let mut batch: Vec<Spec> = Vec::new();
        for source in sources {
            match source {
                Source::Spec(spec) => batch.push(spec),
                Source::List(list) => {
                    out.par_extend(batch.par_iter().map(run));
                    batch.clear();
                    let len = bar
                        .as_ref()
                        .and_then(indicatif::ProgressBar::length)
                        .unwrap_or(0);
                    if let Some(results) = run_list(&list, &run, bar.as_ref(), len) {
                        out.extend(results);
                    } else {
                        // Its items' results are gone: the bar goes back.
                        batch = list.into_specs(from);
                        if let Some(bar) = &bar {
                            bar.set_length(len + batch.len() as u64);
                            bar.set_position(out.len() as u64);
                        }
                    }
                }
            }
        }
        out.par_extend(batch.par_iter().map(run));
        out
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(out)
}

/// The results of every item of `list`, in order, sliced while they are
/// read (see [`run_sources`]); `None` when the file is not a list after all
/// (or too long a one).
///
/// `len` is the progress bar's length before this list: the bar grows by
/// the list's estimated length while it is sliced.
fn run_list<R: Send>(
    list: &PendingList,
    run: &(impl Fn(&Spec) -> R + Sync),
    bar: Option<&indicatif::ProgressBar>,
    len: u64,
) -> Option<Vec<R>> {
    let slicer = json_list::Slicer::new(&list.buf).ok()?;
    let total = list.buf.len();
    let mut failed = false;
    let mut slicer = slicer.enumerate();
    let items = std::iter::from_fn(|| {
        let (i, item) = slicer.next()?;
        let Ok(range) = item else {
            failed = true;
            return None;
        };
        if let Some(bar) = bar
            && i % ESTIMATE_EVERY == 0
        {
            // Items so far scaled by the share of the bytes sliced so far.
            let sliced = range.end.max(1);
            let estimate = (i as u128 + 1) * total as u128 / sliced as u128;
            bar.set_length(len + u64::try_from(estimate).unwrap_or(u64::MAX));
        }
        Some((i, range))
    });
    let mut results: Vec<(usize, R)> = items
        .par_bridge()
        .map(|(i, range)| (i, run(&list.item(i, range))))
        .collect();
    if failed {
        return None;
    }
    if let Some(bar) = bar {
        bar.set_length(len + results.len() as u64);
    }
    results.sort_unstable_by_key(|(i, _)| *i);
    Some(results.into_iter().map(|(_, r)| r).collect())
}
