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
mod model;
mod render;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::{Args, Parser, Subcommand, ValueEnum};
use flyte_ray_models::JsonOptions;

pub use crate::build::{BuildFormat, SdkArg};
pub use crate::diff::{Difference, diff_specs};
pub use crate::input::InputFormat;
use crate::input::{Detected, UsageError};
pub use crate::model::ModelType;
use crate::model::{Model, dispatch};

/// Shown after every command's `--help`.
const INPUT_HELP: &str = "\
Input:
  FILE or `-` (stdin, the default); at most 64 MiB is read.
  For RayJob (the default --type), JSON or YAML may also be a whole Flyte task
  as `flytectl get task -o json` prints it: the RayJob is taken from `custom`,
  `template.custom`, `spec.template.custom` or `closure.compiledTask.template.custom`.
  One task only: a list of tasks is an error.

Format detection (show, validate, convert --from auto):
  empty input is an error; bytes that are not UTF-8 are binary protobuf; text
  starting with `{` or `[` that parses as JSON is JSON; text that parses as a
  YAML mapping (or sequence) is YAML; text with control characters (other than
  tab, LF, CR) is binary protobuf; any other text is binary only if it decodes
  and encodes back to the same bytes.

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
    /// Convert a spec between formats.
    ///
    /// `pb` is the raw binary encoding (deterministic, byte-identical to
    /// flytekit's). `text` is the protobuf text format, printed as is (every
    /// line ends in a newline; an empty message prints nothing). `short` is
    /// flytekit's short_string plus one newline (always, so dropping the last
    /// byte gives flytekit's string exactly). `json` is indented
    /// proto3 JSON followed by a newline; `yaml` the same mapping as YAML.
    #[command(after_help = INPUT_HELP)]
    Convert(ConvertArgs),
    /// Print a spec as flytekit's short_string (or `--text`: text format),
    /// detecting whether the input is binary, JSON or YAML.
    #[command(after_help = INPUT_HELP)]
    Show(ShowArgs),
    /// Print every finding of the validation layer (KubeRay's rules); exit
    /// code 1 when any finding is an error, 0 otherwise (warnings only).
    #[command(after_help = INPUT_HELP)]
    Validate(ValidateArgs),
    /// Print the KubeRay RayJob Flyte's backend submits for a Ray task
    /// (YAML or JSON, for `kubectl apply -f -`); findings on stderr; exit
    /// code 1 when a finding is an error or the task cannot be rendered.
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

    /// Skip JSON/YAML fields the schema does not know (as Flyte's backend
    /// does) instead of failing on them.
    #[arg(long)]
    ignore_unknown_fields: bool,

    /// Input file; `-` or nothing reads stdin (at most 64 MiB).
    #[arg(value_name = "FILE")]
    input: Option<PathBuf>,
}

/// `flyte-ray convert`.
#[derive(Debug, Args)]
struct ConvertArgs {
    /// Input format (`auto`: detect, as `show` does).
    #[arg(long, value_enum)]
    from: InputFormat,

    /// Output format.
    #[arg(long, value_enum)]
    to: OutputFormat,

    /// Type, unknown fields and input file.
    #[command(flatten)]
    input: InputArgs,
}

/// `flyte-ray show`.
#[derive(Debug, Args)]
struct ShowArgs {
    /// Print the protobuf text format instead of the short_string.
    #[arg(long)]
    text: bool,

    /// Type, unknown fields and input file.
    #[command(flatten)]
    input: InputArgs,
}

/// `flyte-ray validate`.
#[derive(Debug, Args)]
struct ValidateArgs {
    /// Type, unknown fields and input file.
    #[command(flatten)]
    input: InputArgs,
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

    /// Reads the input as a `T`, detecting the format (`show`, `validate`).
    fn load<T: Model>(&self) -> Result<T> {
        let bytes = input::read_input(self.input.as_deref())?;
        read_model(&bytes, InputFormat::Auto, &self.options())
    }
}

/// Reads `bytes` in format `from` as a `T`, detecting the format for
/// [`InputFormat::Auto`].
fn read_model<T: Model>(bytes: &[u8], from: InputFormat, options: &JsonOptions) -> Result<T> {
    let format = match from {
        InputFormat::Pb => Detected::Pb,
        InputFormat::Json => Detected::Json,
        InputFormat::Yaml => Detected::Yaml,
        InputFormat::Auto => input::detect::<T>(bytes)?,
    };
    input::decode::<T>(bytes, format, options)
}

fn convert<T: Model>(args: &ConvertArgs) -> Result<Outcome> {
    if args.to == OutputFormat::Pb && io::stdout().is_terminal() {
        return Err(UsageError(
            "refusing to write binary protobuf to a terminal; redirect stdout to a file or pipe"
                .into(),
        )
        .into());
    }
    let bytes = input::read_input(args.input.input.as_deref())?;
    let out = convert_model::<T>(&bytes, args.from, args.to, &args.input.options())?;
    write_stdout(&out)?;
    Ok(Outcome::Success)
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
    let options = JsonOptions::new().ignore_unknown_fields(ignore_unknown_fields);
    dispatch!(ty, convert_model(input, from, to, &options))
}

fn convert_model<T: Model>(
    bytes: &[u8],
    from: InputFormat,
    to: OutputFormat,
    options: &JsonOptions,
) -> Result<Vec<u8>> {
    let model: T = read_model(bytes, from, options)?;
    Ok(match to {
        OutputFormat::Pb => model.serialize_to_string(),
        OutputFormat::Json => with_newline(model.to_json_pretty().map_err(|e| anyhow!("{e}"))?),
        OutputFormat::Yaml => with_newline(model.to_yaml().map_err(|e| anyhow!("{e}"))?),
        OutputFormat::Text => model.text_format().into_bytes(),
        OutputFormat::Short => short(&model),
    })
}

/// The fuzz target `convert`: the first byte of `data` picks the model type
/// (modulo 10) and the output format, the rest is the input, read with
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

fn show<T: Model>(args: &ShowArgs) -> Result<Outcome> {
    let model: T = args.input.load()?;
    let out = if args.text {
        model.text_format().into_bytes()
    } else {
        short(&model)
    };
    write_stdout(&out)?;
    Ok(Outcome::Success)
}

fn validate<T: Model>(args: &ValidateArgs) -> Result<Outcome> {
    let model: T = args.input.load()?;
    let Some(findings) = model.check() else {
        eprintln!(
            "flyte-ray: {}: decodes fine; the validation layer has no rules for this type",
            T::TYPE_NAME
        );
        return Ok(Outcome::Success);
    };
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings.len() - errors;
    let mut out = String::new();
    for finding in &findings {
        out.push_str(&one_line(&finding.to_string()));
        out.push('\n');
    }
    write_stdout(out.as_bytes())?;
    if findings.is_empty() {
        eprintln!("flyte-ray: {}: valid, no findings", T::TYPE_NAME);
    } else {
        eprintln!(
            "flyte-ray: {}: {errors} error{}, {warnings} warning{}",
            T::TYPE_NAME,
            plural(errors),
            plural(warnings)
        );
    }
    Ok(if errors > 0 {
        Outcome::Invalid
    } else {
        Outcome::Success
    })
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
