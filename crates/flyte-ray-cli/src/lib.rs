//! `flyte-ray`: show, convert and validate the Ray task spec Flyte keeps in a
//! task template's `custom` field (`flyteidl.plugins.RayJob` and the nine
//! models inside it), as binary protobuf, proto3 JSON, YAML, text format or
//! flytekit's `short_string`.
//!
//! A thin layer over `flyte-ray-models`: argument parsing, bounded input,
//! format sniffing, exit codes. See the crate README for the commands.
//!
//! The library holds the whole tool; the `flyte-ray` binary only calls
//! [`main_entry`]. [`convert_bytes`] is the conversion path without the I/O,
//! for embedding and for the fuzz target `convert`
//! ([`check_convert_input`]).

#![doc = include_str!("../README.md")]

mod build;
mod diff;
mod input;
mod json_list;
mod model;
mod render;
mod specs;

use std::io::{self, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::{Args, Parser, Subcommand, ValueEnum};
use flyte_ray_models::{Dialect, DialectError, JsonOptions};

pub use crate::build::{BuildFormat, SdkArg};
pub use crate::diff::{Difference, diff_specs};
pub use crate::input::InputFormat;
use crate::input::{Detected, ReadError, UsageError};
pub use crate::model::ModelType;
use crate::model::{Model, dispatch};

/// Shown after every command's `--help`.
const INPUT_HELP: &str = "\
Input:
  FILE arguments, any number; `-` or none reads stdin; at most 64 MiB per spec.
  A JSON list of specs may take up to 512 MiB (each item at most 64 MiB, at
  most 1,000,000 items); a YAML list at most 64 MiB.
  A directory gives every .json, .yaml, .yml and .pb file inside it (sorted,
  not recursing). A JSON or YAML list (what `flytectl get task -o json`
  prints for several versions) gives one spec per item. Each spec is
  reported under its own name: the task's project/domain/name@version where
  the input says, else the file and the list index (`tasks.json[3]`). A
  spec that does not read never stops the others (exit code 1 at the end).
  --jobs N reads and checks on N threads (default: one per core); a progress
  bar is drawn on stderr when it is a terminal and there are 200 specs or more.

  For RayJob (the default --type), JSON or YAML may also be a whole Flyte task
  as `flytectl get task -o json` prints it: the RayJob is taken from `custom`,
  `template.custom`, `spec.template.custom` or `closure.compiledTask.template.custom`.
  Paths in errors and findings start at the RayJob; where it sits in the task
  is said once (`(RayJob at closure.compiledTask.template.custom)`).

Formats: binary protobuf (pb), proto3 JSON, YAML (the JSON mapping) and
  protobuf text format (text: what `-o text` writes, Python's str(msg);
  read strictly, with errors naming line, column and field path). Files named
  .txtpb, .textproto or .pbtxt are read as text format.

Format detection (show, validate, convert --from auto):
  empty input is an error; bytes that are not UTF-8 are binary protobuf; text
  starting with `{` or `[` that parses as JSON is JSON; text that parses as a
  YAML mapping (or sequence) is YAML, unless only text format reads it as the
  model (a flat `replicas: 2` reads as both; when they disagree, it is text
  format if it is exactly what `-o text` writes, else an error, as with
  `replicas: 010`: say --from); text that reads as text format
  is text format; text with control characters (other than tab, LF, CR) is
  binary protobuf; text that decodes (without fields the schema does not
  know) and encodes back to the same bytes is binary; text starting like text format (`name {`, `name:`) is text format,
  and its error is reported.

IDL generations (--idl, for show, convert and validate):
  Flyte 1 specs are flyteidl (flytekit); Flyte 2 specs are flyteidl2 (the
  `flyte` SDK), which has every flyteidl field and adds extendedResources on
  the head and worker groups (GPU accelerator, shared memory),
  dataConfig.fileInputLayout and gpuAccelerator.deviceClass/acceleratorModel.
  `auto` (the default) and `flyteidl2` read and write both. `flyteidl` is
  Flyte 1 strictly: a spec setting a flyteidl2-only field is an error naming
  its path and field (whatever the input format), never a silent drop.
  `validate` warns that a Flyte 1 backend drops extendedResources silently
  (rule extended-resources-dropped), except under --idl flyteidl2.
  --type takes the flyteidl2 messages too: ExtendedResources, GPUAccelerator,
  SharedMemory.

Unknown fields (a field the schema does not know, e.g. from a newer IDL):
  binary input keeps them, as protobuf's C++ and upb runtimes do, and
  `-o pb` writes them back byte-exact (after the known fields, in the order
  read). JSON, YAML and text format cannot carry them: writing those fails
  naming the field, unless --ignore-unknown-fields, when each one dropped is
  named on stderr (`PATH.#N: dropped field N (WIRE TYPE) of MESSAGE`).
  In JSON and YAML input an unknown key is an error naming its path, line and
  column; --ignore-unknown-fields skips it (and an enum value name the enum
  lacks: the field is left unset) and names each skipped key on stderr
  (`PATH: skipped: ...`). `validate` names each unknown field of binary input,
  and each key skipped under --ignore-unknown-fields, as a warning of rule
  unknown-field (`--allow unknown-field` silences them, `--strict` fails).

Exit codes: 0 success, 1 bad input or invalid spec, 2 usage error.";

/// Show, convert and validate Flyte Ray task specs (flyteidl.plugins.RayJob
/// and friends) as binary protobuf, proto3 JSON, YAML, text format or
/// flytekit's short_string.
#[derive(Debug, Parser)]
#[command(name = "flyte-ray", version, after_help = INPUT_HELP)]
struct Cli {
    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Convert specs between formats (`-o` is `--to`).
    ///
    /// `pb` is the raw binary encoding (deterministic, byte-identical to
    /// flytekit's). `text` is the protobuf text format, printed as is (every
    /// line ends in a newline; an empty message prints nothing). `short` is
    /// flytekit's short_string plus one newline (always, so dropping the last
    /// byte gives flytekit's string exactly). `json` is indented
    /// proto3 JSON followed by a newline; `yaml` the same mapping as YAML.
    ///
    /// Several specs: `yaml` as one YAML stream (`--- # NAME` before each),
    /// `json` as JSON lines (`{"input": NAME, "spec": {...}}`), `short` and
    /// `text` with a `# NAME` line before each; `pb` takes one spec only.
    #[command(after_help = INPUT_HELP)]
    Convert(ConvertArgs),
    /// Print specs readably: the whole spec as YAML (the proto3 JSON mapping,
    /// as `kubectl get -o yaml` shows objects) unless `-o` says otherwise;
    /// `-o short` is flytekit's short_string. The input format (binary
    /// protobuf, JSON, YAML or protobuf text format) is detected.
    ///
    /// Output formats and several specs as for `convert`.
    #[command(after_help = INPUT_HELP)]
    Show(ShowArgs),
    /// Print every finding of the validation layer (KubeRay's and Flyte's
    /// rules), one per line with its rule id: `NAME: SEVERITY [RULE] PATH:
    /// MESSAGE (ORIGIN)`, or JSON lines with `--output json`. Exit code 1
    /// when any spec does not read or has an error (or, with `--strict`, a
    /// warning), 0 otherwise.
    #[command(after_help = INPUT_HELP)]
    Validate(ValidateArgs),
    /// Print the KubeRay RayJob Flyte's backend submits for a Ray task
    /// (YAML or JSON, for `kubectl apply -f -`); findings on stderr; exit
    /// code 1 when a finding is an error or the task cannot be rendered.
    #[command(after_help = render::RENDER_HELP)]
    Render(render::RenderArgs),
    /// Build the RayJob an SDK makes of a RayJobConfig document (YAML or
    /// JSON) and print it; `--to json` (the default) prints the `custom`
    /// JSON as `MessageToDict` gives it.
    #[command(after_help = build::BUILD_HELP)]
    Build(build::BuildArgs),
    /// Compare two RayJob specs semantically (any format on either side)
    /// and print each difference as a field path with both values.
    #[command(after_help = diff::DIFF_HELP)]
    Diff(diff::DiffArgs),
}

/// Options every command shares.
#[derive(Debug, Args)]
struct InputArgs {
    /// The model the input holds.
    #[arg(long = "type", short = 't', value_enum, value_name = "T", default_value_t = ModelType::RayJob, ignore_case = true)]
    ty: ModelType,

    /// Skip JSON/YAML keys the schema does not know (as Flyte's backend
    /// does) instead of failing on them; `show` and `convert` names each
    /// skipped key on stderr, `validate` warns about each (rule
    /// unknown-field). Unknown fields kept from binary input are dropped for
    /// JSON, YAML and text output, each named on stderr (binary output keeps
    /// them).
    #[arg(long)]
    ignore_unknown_fields: bool,

    /// The IDL generation: `auto` (either, the default), `flyteidl` (Flyte
    /// 1 strictly: a flyteidl2-only field such as extendedResources is an
    /// error naming its path) or `flyteidl2` (Flyte 2).
    #[arg(long, value_enum, value_name = "IDL", default_value_t = Idl::Auto)]
    idl: Idl,

    /// Input files or directories; `-` or nothing reads stdin (at most 64
    /// MiB per spec, 512 MiB for a JSON list).
    #[arg(value_name = "FILE")]
    inputs: Vec<PathBuf>,

    /// Read and check on N threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<NonZeroUsize>,
}

/// `flyte-ray convert`.
#[derive(Debug, Args)]
struct ConvertArgs {
    /// Input format (`auto`: detect, as `show` does; `text`: protobuf text
    /// format, always read strictly).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    from: InputFormat,

    /// Output format.
    #[arg(long, short = 'o', value_enum)]
    to: OutputFormat,

    /// Type, unknown fields and input file.
    #[command(flatten)]
    input: InputArgs,
}

/// `flyte-ray show`.
#[derive(Debug, Args)]
struct ShowArgs {
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t = OutputFormat::Yaml)]
    output: OutputFormat,

    /// The same as `-o text` (kept for scripts written before `-o`).
    #[arg(long, hide = true, conflicts_with = "output")]
    text: bool,

    /// Type, unknown fields and input file.
    #[command(flatten)]
    input: InputArgs,
}

/// `flyte-ray validate`.
#[derive(Debug, Args)]
struct ValidateArgs {
    /// How findings are printed: `text`, one line each, or `json`, one JSON
    /// object per line (input, severity, rule, path, message, origin, and
    /// root: where the RayJob sits in a task), nothing else on stdout.
    #[arg(long, short = 'o', value_enum, default_value_t = Report::Text)]
    output: Report,

    /// Warnings fail too (exit code 1).
    #[arg(long)]
    strict: bool,

    /// Findings of this rule neither print nor fail (repeatable; `flyte-ray
    /// validate --help` lists no rules: see docs/VALIDATION.md).
    #[arg(long, value_name = "RULE")]
    allow: Vec<String>,

    /// Findings of this rule are errors, even if it is a warning rule
    /// (repeatable).
    #[arg(long, value_name = "RULE")]
    deny: Vec<String>,

    /// Type, unknown fields and input file.
    #[command(flatten)]
    input: InputArgs,
}

/// `--idl`: the IDL generation (see [`Dialect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Idl {
    /// Either generation (flyteidl2 holds every flyteidl field).
    Auto,
    /// Flyte 1 strictly: flyteidl2-only fields are errors.
    Flyteidl,
    /// Flyte 2.
    Flyteidl2,
}

impl Idl {
    fn dialect(self) -> Dialect {
        match self {
            Idl::Auto => Dialect::Auto,
            Idl::Flyteidl => Dialect::Flyteidl,
            Idl::Flyteidl2 => Dialect::Flyteidl2,
        }
    }
}

/// How `validate` prints findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Report {
    /// One line per finding.
    Text,
    /// JSON lines.
    Json,
}

/// An output format (`--to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Binary protobuf (refused on a terminal).
    Pb,
    /// Indented proto3 JSON.
    Json,
    /// YAML with the proto3 JSON mapping.
    Yaml,
    /// Protobuf text format.
    Text,
    /// flytekit's short_string.
    Short,
}

/// How a command ended, short of an error.
enum Outcome {
    /// Exit code 0.
    Success,
    /// Exit code 1 without an error message (e.g. validation errors, already
    /// printed).
    Invalid,
}

/// Runs the tool on the process's arguments, stdin and stdout; returns the
/// exit code (0 success, 1 bad input or invalid spec, 2 usage).
pub fn main_entry() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Invalid) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("flyte-ray: error: {}", one_line(&format!("{e:#}")));
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Convert(args) => {
            let ty = args.input.ty;
            dispatch!(ty, convert(&args))
        }
        Command::Show(args) => {
            let ty = args.input.ty;
            dispatch!(ty, show(&args))
        }
        Command::Validate(args) => {
            let ty = args.input.ty;
            dispatch!(ty, validate(&args))
        }
        Command::Render(args) => render::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Diff(args) => diff::run(&args),
    }
}

impl InputArgs {
    /// The JSON/YAML reading options the flags ask for.
    fn options(&self) -> JsonOptions {
        JsonOptions::new().ignore_unknown_fields(self.ignore_unknown_fields)
    }
}

/// One spec, read.
struct Loaded<T> {
    /// The name it is reported under: the task id where the input has one,
    /// else file and list index.
    label: String,
    /// Whether `label` is printed (not for the lone spec of stdin).
    named: bool,
    /// Where the model sits in a task (empty: the input is the model).
    root: String,
    /// The model.
    model: std::result::Result<T, ReadError>,
    /// What `--ignore-unknown-fields` skipped reading JSON or YAML.
    skipped: Vec<flyte_ray_models::json::SkippedField>,
}

impl<T> Loaded<T> {
    /// The same, the model itself dropped (whether it read is kept).
    fn without_model(self) -> Loaded<()> {
        Loaded {
            label: self.label,
            named: self.named,
            root: self.root,
            model: self.model.map(drop),
            skipped: self.skipped,
        }
    }

    /// `NAME: ` (or nothing, for the lone spec of stdin).
    fn prefix(&self) -> String {
        if self.named {
            format!("{}: ", self.label)
        } else {
            String::new()
        }
    }

    /// ` (RayJob at custom)`, or nothing.
    fn at_root(&self, type_name: &str) -> String {
        if self.root.is_empty() {
            String::new()
        } else {
            format!(" ({type_name} at {})", self.root)
        }
    }
}

/// Reads one spec in format `from` (detected for [`InputFormat::Auto`]) and
/// checks it against `dialect`.
fn read_spec<T: Model>(
    spec: &specs::Spec,
    from: InputFormat,
    options: &JsonOptions,
    dialect: Dialect,
) -> Loaded<T> {
    let mut loaded = Loaded {
        label: spec.name.clone(),
        named: spec.named,
        root: String::new(),
        model: Err(ReadError::plain("")),
        skipped: Vec::new(),
    };
    let bytes = match &spec.bytes {
        Ok(bytes) => bytes,
        Err(e) => {
            loaded.model = Err(ReadError::plain(e));
            return loaded;
        }
    };
    let format = match (spec.format, from) {
        (Some(f), _) => f,
        (None, InputFormat::Pb) => Detected::Pb,
        (None, InputFormat::Json) => Detected::Json,
        (None, InputFormat::Yaml) => Detected::Yaml,
        (None, InputFormat::Text) => Detected::Text,
        (None, InputFormat::Auto) => match input::detect::<T>(bytes) {
            Ok(f) => f,
            Err(e) => {
                loaded.model = Err(ReadError::plain(format_args!("{e:#}")));
                return loaded;
            }
        },
    };
    let decoded = input::decode::<T>(bytes, format, options);
    if let Some(id) = decoded.task_id {
        loaded.label = id;
        loaded.named = true;
    }
    loaded.root = decoded.root;
    loaded.skipped = decoded.skipped;
    loaded.model = decoded.model.and_then(|model| in_dialect(model, dialect));
    loaded
}

/// Whether output format `to` cannot carry unknown fields (kept from binary
/// input): JSON, YAML and text format. Binary keeps them; `short_string`
/// shows the known fields, as flytekit's does.
fn drops_unknown_fields(to: OutputFormat) -> bool {
    matches!(
        to,
        OutputFormat::Json | OutputFormat::Yaml | OutputFormat::Text
    )
}

/// Under `--ignore-unknown-fields`, for an output that cannot carry them:
/// the model without its unknown fields, and one note per field dropped
/// (path, field number, wire type). Otherwise the model as it is (writing
/// it then fails naming the first unknown field).
fn drop_unknown_fields<T: Model>(model: T, to: OutputFormat, ignore: bool) -> (T, Vec<String>) {
    if !(ignore && drops_unknown_fields(to) && model.has_unknown_fields()) {
        return (model, Vec::new());
    }
    let what = match to {
        OutputFormat::Json => "JSON",
        OutputFormat::Yaml => "YAML",
        _ => "text format",
    };
    let notes = model
        .unknown_fields()
        .iter()
        .map(|f| {
            format!(
                "{}: dropped field {} ({}) of {}, which the schema does not know: {what} \
                 cannot carry it (--ignore-unknown-fields)",
                f.field_path(),
                f.number,
                f.wire_type,
                f.message
            )
        })
        .collect();
    (model.without_unknown_fields(), notes)
}

/// `model`, or a read error naming the first field `dialect` cannot carry
/// (its JSON path, and the proto field).
fn in_dialect<T: Model>(model: T, dialect: Dialect) -> std::result::Result<T, ReadError> {
    match dialect.check(&model) {
        Ok(()) => Ok(model),
        Err(e) => {
            let message = match &e {
                DialectError::V2OnlyField {
                    message,
                    holder,
                    field,
                    number,
                    ..
                } => format!(
                    "{holder}.{field} (field {number}) exists only in flyteidl2; --idl \
                     {dialect} ({message}) cannot carry it (a Flyte 2 spec reads with \
                     --idl flyteidl2 or auto)"
                ),
                other => other.to_string(),
            };
            Err(ReadError {
                path: e.json_path().unwrap_or_default(),
                message,
            })
        }
    }
}

/// Reads `bytes` in format `from` as a `T`, detecting the format for
/// [`InputFormat::Auto`], and checks it against `dialect`.
fn read_model<T: Model>(
    bytes: &[u8],
    from: InputFormat,
    options: &JsonOptions,
    dialect: Dialect,
) -> Result<T> {
    let format = match from {
        InputFormat::Pb => Detected::Pb,
        InputFormat::Json => Detected::Json,
        InputFormat::Yaml => Detected::Yaml,
        InputFormat::Text => Detected::Text,
        InputFormat::Auto => input::detect::<T>(bytes)?,
    };
    let decoded = input::decode::<T>(bytes, format, options);
    let root = decoded.root;
    decoded
        .model
        .and_then(|m| in_dialect(m, dialect))
        .map_err(|e| anyhow!("{}", placed::<T>("", false, &root, &e)))
}

/// `message` said of one spec: after `LABEL: ` when the spec is `named`
/// (one of several inputs), and followed by ` (TYPE at ROOT)` when the
/// message sits at `root` inside a larger document (a task's `custom`).
fn placed<T: Model>(
    label: &str,
    named: bool,
    root: &str,
    message: &dyn std::fmt::Display,
) -> String {
    let mut s = if named {
        format!("{label}: {message}")
    } else {
        message.to_string()
    };
    if !root.is_empty() {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(s, " ({} at {root})", T::TYPE_NAME);
    }
    s
}

fn convert<T: Model>(args: &ConvertArgs) -> Result<Outcome> {
    emit::<T>(&args.input, args.from, args.to)
}

fn show<T: Model>(args: &ShowArgs) -> Result<Outcome> {
    let to = if args.text {
        OutputFormat::Text
    } else {
        args.output
    };
    emit::<T>(&args.input, InputFormat::Auto, to)
}

/// `show` and `convert`: every spec of the input, in format `to`, in input
/// order; errors on stderr, one line per spec that does not read.
fn emit<T: Model>(input: &InputArgs, from: InputFormat, to: OutputFormat) -> Result<Outcome> {
    if to == OutputFormat::Pb && io::stdout().is_terminal() {
        return Err(UsageError(
            "refusing to write binary protobuf to a terminal; redirect stdout to a file or pipe"
                .into(),
        )
        .into());
    }
    let files = specs::files(&input.inputs)?;
    let sources = if to == OutputFormat::Pb {
        // One message only: the specs are counted before any is read.
        let specs = specs::specs(&files, from)?;
        if specs.len() > 1 {
            return Err(UsageError(format!(
                "binary protobuf holds one message, the input has {} specs; \
                 use -o json, yaml, text or short",
                specs.len()
            ))
            .into());
        }
        specs.into_iter().map(specs::Source::Spec).collect()
    } else {
        specs::sources(&files, from)?
    };
    let options = input.options();
    let results = specs::run_sources(sources, from, input.jobs.map(NonZeroUsize::get), |spec| {
        let loaded = read_spec::<T>(spec, from, &options, input.idl.dialect());
        // Every key skipped, every field dropped: named on stderr.
        let mut notes: Vec<String> = loaded.skipped.iter().map(ToString::to_string).collect();
        let out = match loaded.model {
            Ok(model) => {
                let (model, dropped) = drop_unknown_fields(model, to, input.ignore_unknown_fields);
                notes.extend(dropped);
                render(&model, to).map_err(|e| ReadError::plain(format_args!("{e:#}")))
            }
            Err(e) => Err(e),
        };
        (loaded.label, loaded.named, loaded.root, notes, out)
    })?;
    let results_len = results.len();
    let several = results_len > 1;
    let mut stdout = io::stdout().lock();
    let mut failed = 0usize;
    for (label, named, root, notes, out) in results {
        for note in &notes {
            eprintln!(
                "flyte-ray: warning: {}",
                one_line(&placed::<T>(&label, named, &root, note))
            );
        }
        match out {
            Ok(bytes) => {
                if several {
                    write_several(&mut stdout, &label, to, &bytes)?;
                } else {
                    stdout.write_all(&bytes)?;
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!(
                    "flyte-ray: error: {}",
                    one_line(&placed::<T>(&label, named, &root, &e))
                );
            }
        }
    }
    stdout.flush()?;
    if several && failed > 0 {
        eprintln!("flyte-ray: {failed} of {results_len} specs did not read");
    }
    Ok(if failed > 0 {
        Outcome::Invalid
    } else {
        Outcome::Success
    })
}

/// One of several specs: YAML as a document of one stream, JSON as one
/// line `{"input": ..., "spec": ...}`, text and short after a `# NAME` line.
fn write_several(out: &mut impl Write, label: &str, to: OutputFormat, bytes: &[u8]) -> Result<()> {
    match to {
        OutputFormat::Yaml => {
            writeln!(out, "--- # {}", one_line(label))?;
            out.write_all(bytes)?;
        }
        OutputFormat::Json => {
            let spec: serde_json::Value = serde_json::from_slice(bytes)?;
            let line = serde_json::json!({"input": label, "spec": spec});
            writeln!(out, "{line}")?;
        }
        _ => {
            writeln!(out, "# {}", one_line(label))?;
            out.write_all(bytes)?;
        }
    }
    Ok(())
}

/// A model in format `to`, exactly as the tool writes it.
fn render<T: Model>(model: &T, to: OutputFormat) -> Result<Vec<u8>> {
    Ok(match to {
        OutputFormat::Pb => model.serialize_to_string(),
        OutputFormat::Json => with_newline(model.to_json_pretty().map_err(|e| anyhow!("{e}"))?),
        OutputFormat::Yaml => with_newline(model.to_yaml().map_err(|e| anyhow!("{e}"))?),
        OutputFormat::Text => model
            .to_text_format()
            .map_err(|e| match e {
                // The library's write error is worded for JSON.
                flyte_ray_models::JsonError::Write(m) => anyhow!("cannot write text format: {m}"),
                e => anyhow!("{e}"),
            })?
            .into_bytes(),
        OutputFormat::Short => short(model),
    })
}

/// `flyte-ray convert` without the I/O: reads `input` as a `ty` in format
/// `from` (detected for [`InputFormat::Auto`]; a Flyte task wrapping a
/// RayJob is accepted as on the command line) and returns it in format `to`,
/// exactly as the tool writes it to stdout.
///
/// ```
/// use flyte_ray_cli::{InputFormat, ModelType, OutputFormat, convert_bytes};
///
/// let json = br#"{"rayCluster": {"workerGroupSpec": [{"groupName": "w", "replicas": 2}]}}"#;
/// let pb = convert_bytes(ModelType::RayJob, json, InputFormat::Json, OutputFormat::Pb, false).unwrap();
/// let back = convert_bytes(ModelType::RayJob, &pb, InputFormat::Auto, OutputFormat::Json, false).unwrap();
/// assert!(String::from_utf8(back).unwrap().contains("\"groupName\": \"w\""));
/// assert!(convert_bytes(ModelType::RayJob, b"{\"replicas\": 3.5}", InputFormat::Json, OutputFormat::Pb, false).is_err());
/// ```
///
/// # Errors
/// Input that does not read as the model, with the path of the offending
/// value; a pod spec holding NaN asked for as JSON or YAML.
pub fn convert_bytes(
    ty: ModelType,
    input: &[u8],
    from: InputFormat,
    to: OutputFormat,
    ignore_unknown_fields: bool,
) -> Result<Vec<u8>> {
    convert_bytes_in(ty, input, from, to, ignore_unknown_fields, Dialect::Auto)
}

/// [`convert_bytes`] in an IDL dialect (`flyte-ray convert --idl`): with
/// [`Dialect::Flyteidl`], input that sets a flyteidl2-only field is an
/// error naming its path, never converted with the field dropped.
///
/// ```
/// use flyte_ray_cli::{InputFormat, ModelType, OutputFormat, convert_bytes_in};
/// use flyte_ray_models::Dialect;
///
/// let json = br#"{"groupName": "gpu", "extendedResources": {"gpuAccelerator": {"device": "a100"}}}"#;
/// let (ty, from, to) = (ModelType::WorkerGroupSpec, InputFormat::Json, OutputFormat::Pb);
/// assert!(convert_bytes_in(ty, json, from, to, false, Dialect::Flyteidl2).is_ok());
/// let err = convert_bytes_in(ty, json, from, to, false, Dialect::Flyteidl).unwrap_err();
/// assert!(err.to_string().starts_with("extendedResources: WorkerGroupSpec.extended_resources (field 7) exists only in flyteidl2"));
/// ```
///
/// # Errors
/// As [`convert_bytes`], and a flyteidl2-only field under
/// [`Dialect::Flyteidl`].
pub fn convert_bytes_in(
    ty: ModelType,
    input: &[u8],
    from: InputFormat,
    to: OutputFormat,
    ignore_unknown_fields: bool,
    dialect: Dialect,
) -> Result<Vec<u8>> {
    let options = JsonOptions::new().ignore_unknown_fields(ignore_unknown_fields);
    dispatch!(ty, convert_model(input, from, to, &options, dialect))
}

fn convert_model<T: Model>(
    bytes: &[u8],
    from: InputFormat,
    to: OutputFormat,
    options: &JsonOptions,
    dialect: Dialect,
) -> Result<Vec<u8>> {
    let model: T = read_model(bytes, from, options, dialect)?;
    let (model, _) = drop_unknown_fields(model, to, options.ignore_unknown_fields);
    render(&model, to)
}

/// The fuzz target `convert`: the first byte of `data` picks the model type
/// (modulo 13, the thirteen of [`ModelType`]) and the output format, the rest is the input, read with
/// format detection. The conversion may fail (bad input) but must not
/// panic; when it succeeds, its output must convert again (binary output
/// must re-encode to itself; JSON and YAML output must read back and be
/// written again identically).
///
/// ```
/// assert_eq!(flyte_ray_cli::check_convert_input(b"\x00{}"), Ok(()));
/// assert_eq!(flyte_ray_cli::check_convert_input(b"\x05\xff\xfe"), Ok(()));
/// ```
///
/// # Errors
/// A description of the broken invariant.
pub fn check_convert_input(data: &[u8]) -> std::result::Result<(), String> {
    let Some((&tag, rest)) = data.split_first() else {
        return Ok(());
    };
    // Every type and output format, in declaration order.
    let (types, outputs) = (ModelType::value_variants(), OutputFormat::value_variants());
    let ty = types[usize::from(tag) % types.len()];
    let to = outputs[usize::from(tag / 10) % outputs.len()];
    let Ok(out) = convert_bytes(ty, rest, InputFormat::Auto, to, false) else {
        return Ok(());
    };
    let pb = convert_bytes(ty, rest, InputFormat::Auto, OutputFormat::Pb, false)
        .map_err(|e| format!("{ty:?}: converts to {to:?} but not to pb: {e:#}"))?;
    let again = convert_bytes(ty, &pb, InputFormat::Pb, OutputFormat::Pb, false)
        .map_err(|e| format!("{ty:?}: our own pb output does not read back: {e:#}"))?;
    if again != pb {
        return Err(format!("{ty:?}: pb output does not re-encode to itself"));
    }
    let reread = match to {
        OutputFormat::Json => Some(InputFormat::Json),
        OutputFormat::Yaml => Some(InputFormat::Yaml),
        _ => None,
    };
    if let Some(from) = reread {
        // JSON cannot tell a pod-spec `Value` with no kind, or an unknown
        // `NullValue` number, from `null` (neither can flytekit's
        // MessageToDict), so the bytes may change once; the text may not.
        let back = convert_bytes(ty, &out, from, to, false)
            .map_err(|e| format!("{ty:?}: our own {to:?} output does not read back: {e:#}"))?;
        if back != out {
            return Err(format!(
                "{ty:?}: {to:?} output reads back as a different {to:?}"
            ));
        }
    }
    Ok(())
}

/// One line of `validate`'s report.
struct Line<'a> {
    severity: &'static str,
    rule: &'a str,
    path: &'a str,
    message: &'a str,
    origin: &'a str,
}

fn validate<T: Model>(args: &ValidateArgs) -> Result<Outcome> {
    use flyte_ray_models::Severity;
    use flyte_ray_models::validate::RULES;
    for rule in args.allow.iter().chain(&args.deny) {
        if !RULES.iter().any(|r| r.id == rule) {
            return Err(UsageError(format!(
                "unknown rule `{rule}` (the rules: {})",
                RULES.iter().map(|r| r.id).collect::<Vec<_>>().join(", ")
            ))
            .into());
        }
    }
    let input = &args.input;
    let sources = specs::sources(&specs::files(&input.inputs)?, InputFormat::Auto)?;
    let options = input.options();
    let results = specs::run_sources(
        sources,
        InputFormat::Auto,
        input.jobs.map(NonZeroUsize::get),
        |spec| {
            let loaded = read_spec::<T>(spec, InputFormat::Auto, &options, input.idl.dialect());
            let findings = loaded.model.as_ref().ok().map(|model| {
                use flyte_ray_models::validate::{skipped_field_finding, unknown_field_finding};
                // What --ignore-unknown-fields skipped first (read order), then
                // the rules; unknown fields kept from bytes are among the rules'
                // findings (`unknown-field`), and said here for the models
                // without rules.
                let mut all: Vec<_> = loaded.skipped.iter().map(skipped_field_finding).collect();
                let rules = Model::check(model);
                let has_rules = rules.is_some();
                match rules {
                    Some(findings) => all.extend(findings),
                    None => all.extend(model.unknown_fields().iter().map(unknown_field_finding)),
                }
                (all, has_rules)
            });
            // Only the findings are reported: the model goes now, on the worker,
            // not with the other 9,999 of a task list at the end (which held
            // every model in memory at once).
            (loaded.without_model(), findings)
        },
    )?;
    let mut out = String::new();
    let (mut unreadable, mut invalid, mut errors, mut warnings, mut allowed) = (0, 0, 0, 0, 0);
    let several = results.len() > 1;
    let mut no_rules = false;
    for (loaded, findings) in &results {
        let mut lines = Vec::new();
        match (&loaded.model, findings) {
            (Err(e), _) => {
                unreadable += 1;
                lines.push(Line {
                    severity: "error",
                    rule: "read-error",
                    path: &e.path,
                    message: &e.message,
                    origin: "flyte-ray",
                });
            }
            (Ok(_), None) => no_rules = true,
            (Ok(_), Some((findings, has_rules))) => {
                no_rules |= !has_rules;
                for f in findings {
                    // A spec meant for Flyte 2: no Flyte 1 backend drops it.
                    if input.idl == Idl::Flyteidl2 && f.rule == "extended-resources-dropped" {
                        continue;
                    }
                    if args.allow.iter().any(|a| a == f.rule) {
                        allowed += 1;
                        continue;
                    }
                    let denied = args.deny.iter().any(|d| d == f.rule);
                    let severity = if denied || f.severity == Severity::Error {
                        Severity::Error
                    } else {
                        Severity::Warning
                    };
                    lines.push(Line {
                        severity: severity.as_str(),
                        rule: f.rule,
                        path: &f.path,
                        message: &f.message,
                        origin: f.origin.as_str(),
                    });
                }
            }
        }
        let spec_errors = lines.iter().filter(|l| l.severity == "error").count();
        let spec_warnings = lines.len() - spec_errors;
        if loaded.model.is_ok() {
            errors += spec_errors;
            warnings += spec_warnings;
            if spec_errors > 0 || (args.strict && spec_warnings > 0) {
                invalid += 1;
            }
        }
        for line in &lines {
            if args.output == Report::Text && line.rule == "read-error" {
                // As `show` and `convert` report it: on stderr.
                let e = ReadError {
                    path: line.path.to_owned(),
                    message: line.message.to_owned(),
                };
                eprintln!(
                    "flyte-ray: error: {}",
                    one_line(&format!(
                        "{}{e}{}",
                        loaded.prefix(),
                        loaded.at_root(T::TYPE_NAME)
                    ))
                );
                continue;
            }
            report_line(&mut out, args.output, loaded, line);
        }
        if !several && args.output == Report::Text && loaded.model.is_ok() {
            let at = loaded.at_root(T::TYPE_NAME);
            if lines.is_empty() {
                eprintln!(
                    "flyte-ray: {}{}{at}: valid, no findings",
                    loaded.prefix(),
                    T::TYPE_NAME
                );
            } else {
                eprintln!(
                    "flyte-ray: {}{}{at}: {spec_errors} error{}, {spec_warnings} warning{}",
                    loaded.prefix(),
                    T::TYPE_NAME,
                    plural(spec_errors),
                    plural(spec_warnings)
                );
            }
        }
    }
    write_stdout(out.as_bytes())?;
    if no_rules {
        eprintln!(
            "flyte-ray: {}: decodes fine; the validation layer has no rules for this type",
            T::TYPE_NAME
        );
    }
    if several {
        let valid = results.len() - unreadable - invalid;
        eprintln!(
            "flyte-ray: {} specs: {valid} valid, {invalid} invalid, {unreadable} unreadable; \
             {errors} error{}, {warnings} warning{}{}",
            results.len(),
            plural(errors),
            plural(warnings),
            if allowed > 0 {
                format!(", {allowed} allowed")
            } else {
                String::new()
            }
        );
    }
    Ok(if unreadable + invalid > 0 {
        Outcome::Invalid
    } else {
        Outcome::Success
    })
}

/// Appends one finding (or read error) to the report.
fn report_line<T>(out: &mut String, report: Report, loaded: &Loaded<T>, line: &Line<'_>) {
    match report {
        Report::Json => {
            let v = serde_json::json!({
                "input": loaded.label,
                "severity": line.severity,
                "rule": line.rule,
                "path": line.path,
                "message": line.message,
                "origin": line.origin,
                "root": loaded.root,
            });
            out.push_str(&v.to_string());
        }
        Report::Text => {
            let path = if line.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", line.path)
            };
            out.push_str(&one_line(&format!(
                "{}{} [{}] {path}{} ({})",
                loaded.prefix(),
                line.severity,
                line.rule,
                line.message,
                line.origin
            )));
        }
    }
    out.push('\n');
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The short_string followed by one newline, always: stripping the last
/// byte gives flytekit's string back exactly (an empty message's
/// short_string already ends in a newline of its own).
fn short<T: Model>(model: &T) -> Vec<u8> {
    let mut s = model.short_string();
    s.push('\n');
    s.into_bytes()
}

/// `s` ending in a newline (nothing added to an empty string or one that
/// ends in a newline already: YAML's `|+` keeps trailing newlines, so none
/// is removed): the JSON and YAML output.
fn with_newline(mut s: String) -> Vec<u8> {
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
    s.into_bytes()
}

fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// A message on one line, with control characters (newlines, terminal
/// escapes from the input) escaped.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn one_line_escapes_controls() {
        assert_eq!(one_line("a\nb\u{1b}[31m"), "a\\nb\\u{1b}[31m");
    }

    #[test]
    fn newline_policy() {
        assert_eq!(with_newline("x\n\n".into()), b"x\n\n");
        assert_eq!(with_newline("x".into()), b"x\n");
        assert_eq!(with_newline(String::new()), b"");
    }
}
