//! Reading the input: a bounded read from a file or stdin, format detection
//! for `show` and `validate`, decoding into a model, and finding a RayJob
//! inside a whole Flyte task.

use std::io::{self, IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use flyte_ray_models::json::SkippedField;
use flyte_ray_models::{JsonError, JsonOptions};
use serde_json::Value;

use crate::model::Model;

/// The most the tool reads for one spec: 64 MiB (a file, stdin, or one
/// item of a list).
pub(crate) const MAX_INPUT_BYTES: u64 = 64 << 20;

/// The most `show`, `convert` and `validate` read from one file (or stdin)
/// holding a JSON list of specs: 512 MiB (10,000 typical flytectl tasks take
/// about 140 MB), each item still at most [`MAX_INPUT_BYTES`]. The list is
/// only sliced (no tree is built), so the memory it takes is bounded by
/// about twice this.
pub(crate) const MAX_LIST_BYTES: u64 = 512 << 20;

/// An input format (`--from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Binary protobuf (the deterministic encoding).
    Pb,
    /// proto3 JSON (`MessageToDict`'s mapping).
    Json,
    /// YAML with the proto3 JSON mapping.
    Yaml,
    /// Protobuf text format (what `-o text` writes; Python's `str(msg)`).
    Text,
    /// Detect the format, as `show` does.
    Auto,
}

/// Why the input could not be read at all: a usage problem (exit code 2)
/// rather than bad data (exit code 1).
#[derive(Debug)]
pub(crate) struct UsageError(pub(crate) String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Reads all of `path` (`None` or `-`: stdin), at most [`MAX_INPUT_BYTES`].
pub(crate) fn read_input(path: Option<&Path>) -> Result<Vec<u8>> {
    read_input_up_to(path, MAX_INPUT_BYTES)
}

/// Reads all of `path` (`None` or `-`: stdin), at most `limit` bytes
/// ([`MAX_INPUT_BYTES`] or [`MAX_LIST_BYTES`]): more is an error naming the
/// limit.
pub(crate) fn read_input_up_to(path: Option<&Path>, limit: u64) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let name = match path {
        Some(p) if p != Path::new("-") => {
            let file =
                std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
            // Room for the whole file at once: growing the buffer by
            // doubling would copy a 160 MB task list several times over.
            if let Ok(meta) = file.metadata() {
                let room = meta.len().min(limit.saturating_add(1));
                buf.reserve_exact(usize::try_from(room).unwrap_or(0));
            }
            read_bounded(file, &mut buf, limit)
                .with_context(|| format!("cannot read {}", p.display()))?;
            p.display().to_string()
        }
        _ => {
            let stdin = io::stdin();
            if stdin.is_terminal() {
                return Err(UsageError(
                    "no input: give a FILE, or pipe the spec into stdin (`-`)".into(),
                )
                .into());
            }
            read_bounded(stdin.lock(), &mut buf, limit).context("cannot read stdin")?;
            "stdin".to_owned()
        }
    };
    if buf.len() as u64 > limit {
        if limit == MAX_LIST_BYTES {
            bail!("{name}: input is larger than the limit of 512 MiB (for a JSON list of specs)");
        }
        bail!("{name}: input is larger than the limit of 64 MiB");
    }
    Ok(buf)
}

fn read_bounded(reader: impl Read, buf: &mut Vec<u8>, limit: u64) -> io::Result<()> {
    reader.take(limit + 1).read_to_end(buf).map(drop)
}

/// Which format [`detect`] settled on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    /// Binary protobuf.
    Pb,
    /// proto3 JSON.
    Json,
    /// YAML.
    Yaml,
    /// Protobuf text format.
    Text,
}

/// Detects the format of `bytes` for a model `T`. The rule (also in the
/// README and `--help`):
///
/// 1. empty or only whitespace: an error;
/// 2. not valid UTF-8: binary;
/// 3. first non-blank character `{` or `[` and valid JSON: JSON;
/// 4. valid YAML whose document is a mapping or a sequence: YAML — unless
///    it also reads as text format (a flat message, `replicas: 2`): then
///    text format when only that reads as `T`, YAML when both read to the
///    same model; when they read differently, text format if the input is
///    exactly what the text printer writes for it (`-o text`, Python's
///    `str(msg)`: `output_path: "a\000"` is a NUL byte there, YAML reads
///    `\0` and `00`), else an error (`replicas: 010` is 8 in text format,
///    10 in YAML);
/// 5. text format when it reads as `T` (`ray_cluster { ... }`);
/// 6. text holding control characters other than tab, LF and CR (as
///    binary protobuf almost always does: tags and lengths below 0x20):
///    binary;
/// 7. other text: binary only if it decodes as `T` without fields the
///    schema does not know and encodes back to the same bytes; otherwise text format when the text starts like it (a
///    field name then `:`, `{` or `<`: the text format reader then reports
///    the error, with line, column and field path), else an error saying
///    why it is not JSON or YAML.
///
/// Binary protobuf can be valid UTF-8 and even start with `\n{`, hence the
/// JSON and YAML attempts before falling back to binary.
pub(crate) fn detect<T: Model>(bytes: &[u8]) -> Result<Detected> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        bail!(
            "empty input: nothing to read (an empty message needs `convert --from pb` or \
             `--from text`)"
        );
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(Detected::Pb);
    };
    let text = strip_bom(text);
    let first = text.trim_start().chars().next();
    let json_like = matches!(first, Some('{' | '['));
    let mut json_error = None;
    if json_like {
        match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => return Ok(Detected::Json),
            Err(e) => json_error = Some(e),
        }
    }
    let yaml_problem = match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
        Ok(v) if v.is_mapping() || v.is_sequence() => {
            let Ok(as_text) = T::from_text(text) else {
                return Ok(Detected::Yaml);
            };
            return match T::from_yaml(text) {
                Ok(as_yaml) if as_yaml == as_text => Ok(Detected::Yaml),
                // Exactly what the text format printer writes (`-o text`,
                // Python's `str(msg)`): text format.
                Ok(_) if as_text.text_format() == text => Ok(Detected::Text),
                Ok(_) => Err(UsageError(
                    "the input reads as YAML and as protobuf text format, with different \
                     values; say which with --from yaml or --from text"
                        .into(),
                )
                .into()),
                Err(_) => Ok(Detected::Text),
            };
        }
        Ok(v) => format!("the YAML document is {}, not a mapping", yaml_kind(&v)),
        // Well-formed YAML with a key twice: YAML, and the model's reader
        // names the second key's line.
        Err(e) if e.to_string().contains("duplicate entry with key") => return Ok(Detected::Yaml),
        Err(e) => format!("invalid YAML: {e}"),
    };
    if T::from_text(text).is_ok() {
        return Ok(Detected::Text);
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Ok(Detected::Pb);
    }
    // Strictly: text that reads as binary only by way of fields the schema
    // does not know is not taken for binary.
    if let Ok(model) = T::from_bytes_strict(bytes)
        && model.serialize_to_string() == bytes
    {
        return Ok(Detected::Pb);
    }
    if json_error.is_none() && looks_like_text_format(text) {
        // The text format reader then says what is wrong, and where.
        return Ok(Detected::Text);
    }
    match json_error {
        Some(e) => bail!("input looks like JSON but is not valid JSON: {e}"),
        None => {
            bail!(
                "input is text but neither JSON nor YAML (nor text format, nor binary protobuf): \
                 {yaml_problem}"
            )
        }
    }
}

/// Whether `text` starts as protobuf text format does: after blanks and
/// `#` comments, a field name followed by `:`, `{` or `<`.
fn looks_like_text_format(text: &str) -> bool {
    let body = text
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or("");
    let name_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    name_len > 0
        && body.as_bytes()[0].is_ascii_alphabetic()
        && matches!(
            body[name_len..].trim_start().bytes().next(),
            Some(b':' | b'{' | b'<')
        )
}

fn yaml_kind(v: &serde_yaml_ng::Value) -> &'static str {
    use serde_yaml_ng::Value as Y;
    match v {
        Y::Null => "null",
        Y::Bool(_) => "a boolean",
        Y::Number(_) => "a number",
        Y::String(_) => "a string",
        Y::Sequence(_) => "a sequence",
        Y::Mapping(_) => "a mapping",
        Y::Tagged(_) => "a tagged value",
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// A spec that does not read: the JSON path of the offending value (from
/// the model, empty when unknown or for the document) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadError {
    /// JSON path from the model (`rayCluster.workerGroupSpec[1].replicas`).
    pub(crate) path: String,
    /// What is wrong.
    pub(crate) message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl ReadError {
    /// An error without a path.
    pub(crate) fn plain(message: impl std::fmt::Display) -> Self {
        Self {
            path: String::new(),
            message: message.to_string(),
        }
    }
}

/// What [`decode`] found: the model (or why not), and where it sat when the
/// input was a whole Flyte task.
#[derive(Debug)]
pub(crate) struct Decoded<T> {
    /// `project/domain/name@version` of the task, when the input was one
    /// that says.
    pub(crate) task_id: Option<String>,
    /// Where the model sits in the task (`closure.compiledTask.template.custom`);
    /// empty when the input is the model itself. Paths in errors and
    /// findings start at the model, not here.
    pub(crate) root: String,
    /// The model.
    pub(crate) model: Result<T, ReadError>,
    /// What `--ignore-unknown-fields` skipped reading JSON or YAML (paths
    /// from the model).
    pub(crate) skipped: Vec<SkippedField>,
}

/// Decodes `bytes` in `format` (resolve [`InputFormat::Auto`] with
/// [`detect`] first) as a model `T`.
pub(crate) fn decode<T: Model>(
    bytes: &[u8],
    format: Detected,
    options: &JsonOptions,
) -> Decoded<T> {
    let plain = |model| Decoded {
        task_id: None,
        root: String::new(),
        model,
        skipped: Vec::new(),
    };
    match format {
        Detected::Pb => plain(T::from_bytes(bytes).map_err(ReadError::plain)),
        Detected::Text => plain(match std::str::from_utf8(bytes) {
            Ok(text) => T::from_text(strip_bom(text)).map_err(|e| ReadError {
                path: e.path.clone(),
                message: format!("{} at line {} column {}", e.reason, e.line, e.column),
            }),
            Err(e) => Err(ReadError::plain(format_args!(
                "text format input is not valid UTF-8: invalid byte at offset {}",
                e.valid_up_to()
            ))),
        }),
        Detected::Json | Detected::Yaml => {
            let what = if format == Detected::Json {
                "JSON"
            } else {
                "YAML"
            };
            let text = match std::str::from_utf8(bytes) {
                Ok(text) => strip_bom(text),
                Err(e) => {
                    return plain(Err(ReadError::plain(format_args!(
                        "{what} input is not valid UTF-8: invalid byte at offset {}",
                        e.valid_up_to()
                    ))));
                }
            };
            if text.trim().is_empty() {
                return plain(Err(ReadError::plain(format_args!(
                    "empty input: expected a {what} document"
                ))));
            }
            // Under --ignore-unknown-fields, with what was skipped.
            let parse = |text: &str| match (format, options.ignore_unknown_fields) {
                (Detected::Json, true) => T::from_json_reporting(text, options),
                (_, true) => T::from_yaml_reporting(text, options),
                (Detected::Json, false) => T::from_json_with(text, options).map(|m| (m, vec![])),
                (_, false) => T::from_yaml_with(text, options).map(|m| (m, vec![])),
            };
            if T::IN_TASK_CUSTOM {
                match task_custom(text, format) {
                    Err(e) => return plain(Err(ReadError::plain(format_args!("{e:#}")))),
                    Ok(Some(task)) => {
                        // The document was a task: read its `custom`.
                        let read = match task.custom {
                            Ok(custom) => parse(&custom).map_err(|e| read_error(e, false)),
                            Err(e) => Err(ReadError::plain(format_args!("{e:#}"))),
                        };
                        let (model, skipped) = split_skipped(read);
                        return Decoded {
                            task_id: task.id,
                            root: task.path,
                            model,
                            skipped,
                        };
                    }
                    Ok(None) => {}
                }
            }
            let (model, skipped) = split_skipped(parse(text).map_err(|e| read_error(e, true)));
            Decoded {
                skipped,
                ..plain(model)
            }
        }
    }
}

/// The model (or why not) and what was skipped reading it.
fn split_skipped<T>(
    read: Result<(T, Vec<SkippedField>), ReadError>,
) -> (Result<T, ReadError>, Vec<SkippedField>) {
    match read {
        Ok((model, skipped)) => (Ok(model), skipped),
        Err(e) => (Err(e), Vec::new()),
    }
}

/// An error of the JSON layer as a [`ReadError`]. Line and column are kept
/// only when they point into the input itself (`in_input`), not into the
/// re-encoded `custom` of a task.
fn read_error(e: JsonError, in_input: bool) -> ReadError {
    match e {
        JsonError::Read { path, message } => ReadError {
            path: if path == "." { String::new() } else { path },
            message: if in_input {
                message
            } else {
                without_location(&message).to_owned()
            },
        },
        other => ReadError::plain(other),
    }
}

/// `message` without a trailing ` at line N column M`.
fn without_location(message: &str) -> &str {
    if let Some(at) = message.rfind(" at line ") {
        let rest = &message[at + " at line ".len()..];
        if let Some((line, column)) = rest.split_once(" column ")
            && !line.is_empty()
            && !column.is_empty()
            && line
                .bytes()
                .chain(column.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return &message[..at];
        }
    }
    message
}

/// Fields of a RayJob (JSON and proto names): a document with any of them
/// is a RayJob, not a task.
const RAY_JOB_FIELDS: [&str; 10] = [
    "rayCluster",
    "ray_cluster",
    "runtimeEnv",
    "runtime_env",
    "runtimeEnvYaml",
    "runtime_env_yaml",
    "ttlSecondsAfterFinished",
    "ttl_seconds_after_finished",
    "shutdownAfterJobFinishes",
    "shutdown_after_job_finishes",
];

/// Where a task keeps its RayJob, tried in this order: a task template, an
/// admin `TaskSpec`, a `TaskCreateRequest`, an admin `Task` (what
/// `flytectl get task -o json` prints).
const CUSTOM_PATHS: [&[&str]; 5] = [
    &["custom"],
    &["template", "custom"],
    &["spec", "template", "custom"],
    &["closure", "compiledTask", "template", "custom"],
    &["closure", "compiled_task", "template", "custom"],
];

/// Keys that mark a document as a Flyte task rather than a RayJob.
const TASK_KEYS: [&str; 5] = ["custom", "template", "spec", "closure", "id"];

/// A Flyte task found by [`task_custom`].
struct Task {
    /// `project/domain/name@version`, when the task says.
    id: Option<String>,
    /// The path to its `custom` field (`closure.compiledTask.template.custom`).
    path: String,
    /// That field's text, in the input's own format (so YAML values JSON
    /// cannot hold, like `.nan`, survive), or why it could not be written.
    custom: Result<String>,
}

/// If the document is a Flyte task (template) rather than a RayJob: the
/// task. A list is an error (lists of tasks are split before, in
/// `specs.rs`; this is a list inside one); so is a task without a `custom`.
fn task_custom(text: &str, format: Detected) -> Result<Option<Task>> {
    match format {
        Detected::Json => match serde_json::from_str::<Value>(text) {
            Ok(doc) => find_custom(&doc, |v| {
                serde_json::to_string(v).map_err(|e| anyhow!("cannot re-encode as JSON: {e}"))
            }),
            // Not even JSON: the model's own parser says what is wrong.
            Err(_) => Ok(None),
        },
        _ => match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) {
            Ok(doc) => find_custom(&doc, |v| {
                serde_yaml_ng::to_string(v).map_err(|e| anyhow!("cannot re-encode as YAML: {e}"))
            }),
            Err(_) => Ok(None),
        },
    }
}

/// What [`find_custom`] needs of a JSON or YAML document tree.
trait Doc {
    /// The number of items, for a list.
    fn list_len(&self) -> Option<usize>;
    /// The number of entries, for a mapping.
    fn map_len(&self) -> Option<usize>;
    /// The value at `key`, for a mapping holding it.
    fn field(&self, key: &str) -> Option<&Self>;
    /// Whether the value is null.
    fn null(&self) -> bool;
    /// The value, for a string.
    fn string(&self) -> Option<&str>;
}

impl Doc for Value {
    fn list_len(&self) -> Option<usize> {
        self.as_array().map(Vec::len)
    }
    fn map_len(&self) -> Option<usize> {
        self.as_object().map(serde_json::Map::len)
    }
    fn field(&self, key: &str) -> Option<&Self> {
        self.as_object().and_then(|m| m.get(key))
    }
    fn null(&self) -> bool {
        self.is_null()
    }
    fn string(&self) -> Option<&str> {
        self.as_str()
    }
}

impl Doc for serde_yaml_ng::Value {
    fn list_len(&self) -> Option<usize> {
        self.as_sequence().map(Vec::len)
    }
    fn map_len(&self) -> Option<usize> {
        self.as_mapping().map(serde_yaml_ng::Mapping::len)
    }
    fn field(&self, key: &str) -> Option<&Self> {
        self.as_mapping().and_then(|m| m.get(key))
    }
    fn null(&self) -> bool {
        self.is_null()
    }
    fn string(&self) -> Option<&str> {
        self.as_str()
    }
}

fn find_custom<D: Doc>(doc: &D, write: impl Fn(&D) -> Result<String>) -> Result<Option<Task>> {
    if let Some(n) = doc.list_len() {
        bail!("expected one RayJob or one Flyte task, found a list of {n} items inside a list");
    }
    // A scalar (the model's parser reports it), an empty mapping, a RayJob,
    // or a mapping with none of a task's keys (the model reports them).
    if doc.map_len().unwrap_or(0) == 0
        || RAY_JOB_FIELDS.iter().any(|k| doc.field(k).is_some())
        || !TASK_KEYS.iter().any(|k| doc.field(k).is_some())
    {
        return Ok(None);
    }
    for path in CUSTOM_PATHS {
        let found = path
            .iter()
            .try_fold(doc, |at, key| at.field(key).filter(|v| !v.null()));
        if let Some(custom) = found {
            let path = path.join(".");
            let custom = write(custom).map_err(|e| anyhow!("{path}: {e}"));
            return Ok(Some(Task {
                id: task_id(doc),
                path,
                custom,
            }));
        }
    }
    let kind = task_type(doc)
        .map(|t| format!(" (its type is `{t}`, not a Ray task)"))
        .unwrap_or_default();
    bail!(
        "the input looks like a Flyte task but has no RayJob{kind}: looked for `custom`, \
         `template.custom`, `spec.template.custom` and `closure.compiledTask.template.custom`"
    )
}

/// `project/domain/name@version` from the first `id` of the task, its
/// template or its compiled template that names a task (camelCase or
/// proto names alike; parts it lacks are left out).
fn task_id<D: Doc>(doc: &D) -> Option<String> {
    let ids = [
        doc.field("id"),
        doc.field("template").and_then(|t| t.field("id")),
        doc.field("spec")
            .and_then(|s| s.field("template"))
            .and_then(|t| t.field("id")),
        doc.field("closure")
            .and_then(|c| c.field("compiledTask").or_else(|| c.field("compiled_task")))
            .and_then(|c| c.field("template"))
            .and_then(|t| t.field("id")),
    ];
    let id = ids.into_iter().flatten().find(|id| {
        id.field("name")
            .and_then(D::string)
            .is_some_and(|n| !n.is_empty())
    })?;
    let part = |k: &str| id.field(k).and_then(D::string).filter(|s| !s.is_empty());
    let mut out = String::new();
    for k in ["project", "domain"] {
        if let Some(p) = part(k) {
            out.push_str(p);
            out.push('/');
        }
    }
    out.push_str(part("name")?);
    if let Some(v) = part("version") {
        out.push('@');
        out.push_str(v);
    }
    Some(out)
}

/// The task type (`"ray"`, `"python-task"`) of a task document, if it says.
fn task_type<D: Doc>(doc: &D) -> Option<&str> {
    let templates = [
        Some(doc),
        doc.field("template"),
        doc.field("spec").and_then(|s| s.field("template")),
        doc.field("closure")
            .and_then(|c| c.field("compiledTask"))
            .and_then(|c| c.field("template")),
    ];
    templates
        .into_iter()
        .flatten()
        .find_map(|t| t.field("type").and_then(D::string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_locations() {
        assert_eq!(without_location("bad at line 1 column 5"), "bad");
        assert_eq!(without_location("bad at line one"), "bad at line one");
        assert_eq!(without_location("bad"), "bad");
    }

    fn custom(text: &str) -> Option<String> {
        task_custom(text, Detected::Json)
            .ok()
            .flatten()
            .map(|task| task.path)
    }

    #[test]
    fn finds_custom_at_every_documented_place() {
        assert_eq!(
            custom(r#"{"type":"ray","custom":{"rayCluster":{}}}"#).as_deref(),
            Some("custom")
        );
        assert_eq!(
            custom(r#"{"template":{"custom":{}}}"#).as_deref(),
            Some("template.custom")
        );
        assert_eq!(
            custom(r#"{"id":{},"spec":{"template":{"custom":{}}}}"#).as_deref(),
            Some("spec.template.custom")
        );
        assert_eq!(
            custom(r#"{"id":{},"closure":{"compiledTask":{"template":{"custom":{}}}}}"#).as_deref(),
            Some("closure.compiledTask.template.custom")
        );
    }

    #[test]
    fn a_ray_job_is_not_a_task() {
        assert_eq!(custom(r#"{"rayCluster":{}}"#), None);
        assert_eq!(custom("{}"), None);
        assert_eq!(custom(r#"{"unknown":1}"#), None);
    }

    #[test]
    fn lists_and_tasks_without_custom_are_errors() {
        let list = task_custom("[{}, {}]", Detected::Json)
            .map(|_| ())
            .expect_err("an error");
        assert!(list.to_string().contains("list of 2 items"), "{list}");
        let python = task_custom(r#"{"template":{"type":"python-task"}}"#, Detected::Json)
            .map(|_| ())
            .expect_err("an error");
        assert!(python.to_string().contains("python-task"), "{python}");
    }

    #[test]
    fn task_ids() {
        let id = |text: &str| {
            task_custom(text, Detected::Json)
                .ok()
                .flatten()
                .and_then(|task| task.id)
        };
        assert_eq!(
            id(r#"{"id":{"project":"p","domain":"d","name":"n","version":"v"},"closure":{"compiledTask":{"template":{"custom":{}}}}}"#)
                .as_deref(),
            Some("p/d/n@v")
        );
        // Only the template's id, and only a name.
        assert_eq!(
            id(r#"{"template":{"id":{"name":"n"},"custom":{}}}"#).as_deref(),
            Some("n")
        );
        assert_eq!(id(r#"{"template":{"custom":{}}}"#), None);
    }

    #[test]
    fn read_errors_keep_locations_only_in_the_input() {
        let e = || JsonError::Read {
            path: "rayCluster".into(),
            message: "bad at line 1 column 5".into(),
        };
        assert_eq!(
            read_error(e(), true).to_string(),
            "rayCluster: bad at line 1 column 5"
        );
        assert_eq!(read_error(e(), false).to_string(), "rayCluster: bad");
        let e = JsonError::Read {
            path: ".".into(),
            message: "bad".into(),
        };
        assert_eq!(read_error(e, true).to_string(), "bad");
    }
}
