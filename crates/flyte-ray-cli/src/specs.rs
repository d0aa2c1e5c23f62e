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
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use rayon::prelude::*;

use crate::input::{self, Detected, UsageError};

/// One spec to read: its name and its bytes.
pub(crate) struct Spec {
    /// Where it came from: the file (`-` is `stdin`), with `[i]` for an
    /// item of a list.
    pub(crate) name: String,
    /// Whether the name should be printed (false for the lone spec of
    /// stdin, whose messages stay as they always were).
    pub(crate) named: bool,
    /// The input, or why it could not be read.
    pub(crate) bytes: Result<Vec<u8>, String>,
    /// The format, when splitting a list settled it.
    pub(crate) format: Option<Detected>,
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

/// Reads every file and splits lists into their items.
pub(crate) fn specs(files: &[Option<PathBuf>], from: crate::InputFormat) -> Result<Vec<Spec>> {
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
                out.push(Spec {
                    name,
                    named,
                    bytes: Err(format!("{e:#}")),
                    format: None,
                });
                continue;
            }
        };
        // Past the limit for one spec only a JSON list reads (it is only
        // sliced); a YAML list that large would build a tree many times its
        // size, so it is not even tried.
        let big = bytes.len() as u64 > input::MAX_INPUT_BYTES;
        let split = if file.as_deref().is_some_and(text_extension) {
            None
        } else {
            split(&bytes, from, !big)
        };
        match split {
            Some((format, items)) => {
                out.extend(items.into_iter().enumerate().map(|(i, item)| Spec {
                    name: format!("{name}[{i}]"),
                    named: true,
                    bytes: item.and_then(|item| {
                        if item.len() as u64 > input::MAX_INPUT_BYTES {
                            Err(
                                "the list item is larger than the limit of 64 MiB for one spec"
                                    .to_owned(),
                            )
                        } else {
                            Ok(item.into_bytes())
                        }
                    }),
                    format: Some(format),
                }));
            }
            None if big => out.push(Spec {
                name: name.clone(),
                named,
                bytes: Err(format!(
                    "{name}: input is larger than the limit of 64 MiB (only a JSON list of \
                     specs may be larger, up to 512 MiB)"
                )),
                format: None,
            }),
            None => out.push(Spec {
                name,
                named,
                bytes: Ok(bytes),
                format: (from == crate::InputFormat::Auto
                    && file.as_deref().is_some_and(text_extension))
                .then_some(Detected::Text),
            }),
        }
    }
    Ok(out)
}

/// The items of a JSON or YAML list, each as text in its own format;
/// `None` when the input is not a list (or not JSON or YAML).
fn split(
    bytes: &[u8],
    from: crate::InputFormat,
    yaml: bool,
) -> Option<(Detected, Vec<Result<String, String>>)> {
    use crate::InputFormat as F;
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if matches!(from, F::Json | F::Auto) && trimmed.starts_with('[') {
        // Only slices the list: each item is parsed later, in parallel.
        match json_items(text) {
            Ok(items) => {
                return Some((
                    Detected::Json,
                    items
                        .into_iter()
                        .map(|raw| Ok(raw.get().to_owned()))
                        .collect(),
                ));
            }
            Err(ListError::TooLong) => return Some((Detected::Json, vec![Err(too_long())])),
            Err(ListError::NotJson) => {}
        }
        if from == F::Json {
            return None;
        }
    }
    if !yaml || !matches!(from, F::Yaml | F::Auto) || trimmed.starts_with('{') {
        return None;
    }
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
        return Some((Detected::Yaml, vec![Err(too_long())]));
    }
    Some((
        Detected::Yaml,
        items
            .iter()
            .map(|item| {
                serde_yaml_ng::to_string(item)
                    .map_err(|e| format!("cannot re-encode the item as YAML: {e}"))
            })
            .collect(),
    ))
}

/// The most items a list may have: 1,000,000 (each costs a little memory of
/// its own, whatever its size: `[0,0,0,...]` must not take gigabytes).
pub(crate) const MAX_LIST_ITEMS: usize = 1_000_000;

fn too_long() -> String {
    format!("the list has more than {MAX_LIST_ITEMS} items, the limit")
}

/// Why [`json_items`] gave no items.
enum ListError {
    /// Not a JSON list.
    NotJson,
    /// More than [`MAX_LIST_ITEMS`] items.
    TooLong,
}

/// The items of a JSON list, sliced (not parsed), at most
/// [`MAX_LIST_ITEMS`] of them: reading stops at the first item past that.
fn json_items(text: &str) -> Result<Vec<&serde_json::value::RawValue>, ListError> {
    use serde::de::{Deserializer as _, SeqAccess, Visitor};
    use serde_json::value::RawValue;

    struct Items;
    impl<'de> Visitor<'de> for Items {
        type Value = Result<Vec<&'de RawValue>, ()>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a JSON list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<&'de RawValue>()? {
                if items.len() == MAX_LIST_ITEMS {
                    return Ok(Err(()));
                }
                items.push(item);
            }
            Ok(Ok(items))
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    match de.deserialize_seq(Items) {
        Ok(Ok(items)) if de.end().is_ok() => Ok(items),
        Ok(Err(())) => Err(ListError::TooLong),
        _ => Err(ListError::NotJson),
    }
}

/// Runs `f` over `specs` on `jobs` threads (all cores for `None`), results
/// in input order; a progress bar on stderr when there are many and stderr
/// is a terminal.
pub(crate) fn run_all<R: Send>(
    specs: &[Spec],
    jobs: Option<usize>,
    f: impl Fn(&Spec) -> R + Sync,
) -> Result<Vec<R>> {
    /// From how many specs a progress bar is worth drawing.
    const PROGRESS_FROM: usize = 200;
    let bar = (specs.len() >= PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(specs.len() as u64);
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
    let out = pool.install(|| {
        specs
            .par_iter()
            .map(|spec| {
                let r = f(spec);
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                r
            })
            .collect()
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(out)
}
